import { can, isScopedToAssignments, type Permission, type Role } from "@accord/domain";
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import fp from "fastify-plugin";
import { appError } from "../../context/app-error.js";
import { ALL, PUBLIC, type ReadScope } from "../../context/read-scope.js";
import { readDataVersion } from "../../db/data-version.js";
import {
  resolveApiToken,
  resolveApiTokenAndVersion,
  resolveSession,
  resolveSessionAndVersion,
  type SessionUser,
} from "./sessions.js";

/** What a route requires: a permission, any signed-in user, or nothing. */
export type RoutePolicy = Permission | "signed-in" | "public";

export interface RouteEntry {
  method: string;
  url: string;
  policy: RoutePolicy;
  /** Anonymous visitors may call it when the server allows public reading. */
  publicRead: boolean;
  /** The request and response schemas it declared (the route inventory test checks them). */
  schema: FastifySchema | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route with the policy it declared: the authorization matrix test walks it. */
    routePolicies: RouteEntry[];
  }
  interface FastifyContextConfig {
    /** Every route under /api/v1 must say who may call it; the server refuses to start otherwise. */
    policy?: RoutePolicy;
    /** Ignore any session cookie (sign-in: a new session replaces it anyway). */
    ignoreSession?: boolean;
    /** Open to a user who must enrol a second factor and has not yet (the enrolment routes). */
    beforeSecondFactor?: boolean;
    /** Open to a user who must first replace a generated password (changing it, signing out). */
    beforePasswordChange?: boolean;
    /**
     * A read that anonymous visitors may make under ACCORD_PUBLIC_READ=1; it must answer only
     * what is marked public (req.scope says so).
     */
    publicRead?: boolean;
  }
  interface FastifyRequest {
    /** The data version read at the start of this request (signed-in requests only). */
    dataVersion: number | null;
    user: SessionUser | null;
    /** How the caller proved who they are. */
    authVia: "session" | "token" | null;
    /** The session's anti-CSRF proof, for cookie-authenticated callers. */
    csrfToken: string | null;
    /** What this caller may read of matters and events (see read-scope.ts). */
    scope: ReadScope;
  }
}

/** The session cookie's name over plain http (the loopback address in development). */
export const SESSION_COOKIE = "accord_session";
/**
 * Its name over TLS. A browser keeps a `__Host-` cookie only if it is Secure, has Path=/ and no
 * Domain, so neither a sibling host nor a plain-http page can plant or overwrite it (cookie
 * tossing, session fixation). Such a cookie cannot be set over plain http, hence two names.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/**
 * Whether the request came over TLS: directly, or through a proxy the trust-proxy setting
 * trusts (X-Forwarded-Proto from anyone else is ignored by Fastify).
 */
const overTls = (req: FastifyRequest) => req.protocol === "https";

/** The session cookie's name for this request (see SECURE_SESSION_COOKIE). */
export const sessionCookieName = (req: FastifyRequest) =>
  overTls(req) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;

/**
 * The session cookie the request carries. Over TLS only the `__Host-` one counts: a plain-named
 * cookie there may have been planted by someone else.
 */
export const sessionCookieOf = (req: FastifyRequest): string | undefined =>
  req.cookies[sessionCookieName(req)];
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Whether a browser sent this request from another site: its Origin's host name is not the one
 * the request was sent to (the opaque `null` of sandboxed frames included), or Sec-Fetch-Site
 * says so. A request without either (curl, a script, an older browser's same-origin GET) is not
 * cross-site. Ports are not compared: a proxy's `Host $host` drops the port users see (8443),
 * and a site, for cookies and Sec-Fetch-Site, is the same on every port.
 */
function isCrossSite(req: FastifyRequest): boolean {
  if (req.headers["sec-fetch-site"] === "cross-site") return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).hostname !== req.hostname.toLowerCase();
  } catch {
    return true;
  }
}

export interface AuthOptions {
  sessionIdleMinutes: number;
  /** A session ends this long after it began, however busy (ACCORD_SESSION_MAX_HOURS). */
  sessionMaxHours: number;
  /** Roles that must enrol a second factor before doing anything else. */
  totpRequiredRoles: readonly Role[];
  /**
   * The embedded database's in-memory count of committed changes (else the data version is read
   * from the database). Who a cookie or token belongs to is remembered until the next change
   * (every sign-in, sign-out, password, role or token change is one); on the embedded database
   * requests then need no query at all, even while a long write holds it.
   */
  localVersion?: (() => number) | undefined;
  /** Anonymous visitors may call the routes marked publicRead (ACCORD_PUBLIC_READ=1). */
  publicRead: boolean;
}

interface Remembered {
  version: number;
  user: SessionUser;
  csrfToken: string | null;
  lastSeenMs: number;
}

export function sessionCookieOptions(req: FastifyRequest) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: overTls(req),
  };
}

/** Sets the new session's cookie, under the name this request's transport calls for. */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, value: string) {
  reply.setCookie(sessionCookieName(req), value, sessionCookieOptions(req));
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(sessionCookieName(req), sessionCookieOptions(req));
}

/**
 * Who is calling (API token or session cookie), checked against the route's policy before
 * anything else runs. Cookie-authenticated unsafe requests must also carry the anti-CSRF proof.
 */
export const authPlugin = fp<AuthOptions>(async (app: FastifyInstance, options) => {
  app.decorateRequest("user", null);
  app.decorateRequest("dataVersion", null);
  app.decorateRequest("authVia", null);
  app.decorateRequest("csrfToken", null);
  app.decorateRequest<ReadScope | null>("scope", null);

  app.decorate("routePolicies", [] as RouteEntry[]);
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/v1") && !route.config?.policy) {
      throw new Error(`${route.method} ${route.url} declares no policy (config.policy)`);
    }
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      app.routePolicies.push({
        method,
        url: route.url,
        policy: route.config?.policy ?? "public",
        publicRead: route.config?.publicRead === true,
        schema: route.schema,
      });
    }
  });

  const remembered = new Map<string, Remembered>();
  /** What is remembered of a credential within the minute, at whatever version. */
  const recent = (key: string, now: Date): Remembered | undefined => {
    const entry = remembered.get(key);
    // Past the minute, go to the database: it records the use and enforces the idle limit.
    if (!entry || now.getTime() - entry.lastSeenMs > 60_000) return undefined;
    return entry;
  };
  /** What is remembered of a credential, if nothing has changed since (the data version). */
  const recall = (key: string, now: Date, version: number): Remembered | undefined => {
    const entry = recent(key, now);
    return entry?.version === version ? entry : undefined;
  };
  const remember = (key: string, user: SessionUser, csrfToken: string | null, now: Date, version: number) => {
    if (remembered.size > 10_000) remembered.clear();
    remembered.set(key, { version, user, csrfToken, lastSeenMs: now.getTime() });
  };

  const limits = { idleMinutes: options.sessionIdleMinutes, maxHours: options.sessionMaxHours };
  const acceptSession = (req: FastifyRequest, session: { user: SessionUser; csrfToken: string }) => {
    req.user = session.user;
    req.authVia = "session";
    req.csrfToken = session.csrfToken;
  };
  /** The caller (API token, else session cookie) and the data version, read together (PostgreSQL). */
  const resolveWithVersion = async (
    req: FastifyRequest,
    reply: FastifyReply,
    authorization: string | undefined,
    cookie: string | undefined,
    now: Date,
  ) => {
    // What this server already knows of the credential is passed as its version: the statement
    // looks the credential up only if the data changed since (then it is remembered anew).
    if (authorization?.startsWith("Bearer ")) {
      const token = authorization.slice(7).trim();
      const known = recent(`t:${token}`, now);
      const found = await resolveApiTokenAndVersion(app.db, token, now, known?.version ?? null);
      req.dataVersion = found.dataVersion;
      const user = found.user === "known" ? known!.user : found.user;
      if (!user) throw appError("unauthenticated", "The API token is not valid (unknown or revoked)");
      if (found.user !== "known") remember(`t:${token}`, user, null, now, found.dataVersion);
      req.user = user;
      req.authVia = "token";
      return;
    }
    const key = `s:${cookie}`;
    const known = recent(key, now);
    const found = await resolveSessionAndVersion(app.db, cookie!, limits, now, known?.version ?? null);
    req.dataVersion = found.dataVersion;
    const session =
      found.session === "known" ? { user: known!.user, csrfToken: known!.csrfToken ?? "" } : found.session;
    if (session) {
      if (found.session !== "known") remember(key, session.user, session.csrfToken, now, found.dataVersion);
      acceptSession(req, session);
    } else {
      remembered.delete(key);
      clearSessionCookie(req, reply);
    }
  };

  app.addHook("onRequest", async (req, reply) => {
    const now = app.clock();
    const authorization = req.headers.authorization;
    const cookie = req.routeOptions.config.ignoreSession ? undefined : sessionCookieOf(req);
    if (!options.localVersion && (authorization?.startsWith("Bearer ") || cookie)) {
      // On PostgreSQL a request's credential is looked up in the statement that reads the data
      // version (read caches reuse it for this request), unless nothing changed since this
      // server last looked it up: one round trip either way.
      await resolveWithVersion(req, reply, authorization, cookie, now);
    } else {
      // On the embedded database the version is counted in memory: who a credential belongs to
      // is remembered until the next change, and a request then needs no query at all.
      if (authorization || cookie) {
        req.dataVersion = options.localVersion ? options.localVersion() : await readDataVersion(app.db);
      }
      const version = req.dataVersion ?? 0;
      if (authorization?.startsWith("Bearer ")) {
        const token = authorization.slice(7).trim();
        const known = recall(`t:${token}`, now, version);
        const user = known?.user ?? (await resolveApiToken(app.db, token, now));
        if (!user) throw appError("unauthenticated", "The API token is not valid (unknown or revoked)");
        if (!known) remember(`t:${token}`, user, null, now, version);
        req.user = user;
        req.authVia = "token";
      } else {
        if (cookie) {
          const known = recall(`s:${cookie}`, now, version);
          const session = known
            ? { user: known.user, csrfToken: known.csrfToken ?? "" }
            : await resolveSession(app.db, cookie, limits, now);
          if (session) {
            if (!known) remember(`s:${cookie}`, session.user, session.csrfToken, now, version);
            acceptSession(req, session);
          } else {
            remembered.delete(`s:${cookie}`);
            clearSessionCookie(req, reply);
          }
        }
      }
    }
    // Anonymous visitors read only what is public; monitors only their assigned matters.
    req.scope = !req.user
      ? PUBLIC
      : isScopedToAssignments(req.user)
        ? { kind: "assigned", userId: req.user.id }
        : ALL;
    req.ctx = {
      db: app.db,
      actor: req.user?.username ?? "anonymous",
      actorId: req.user?.id ?? null,
      actorRole: req.user?.role ?? null,
      address: req.ip,
      requestId: req.id,
      scope: req.scope,
      now: app.clock,
    };

    const policy = req.routeOptions.config.policy ?? "public";
    // Beside the anti-CSRF proof: no change (nor a sign-in, login CSRF) from another site's
    // pages. An API token is no ambient credential, so a script may send it from anywhere. An
    // anonymous request to a route that needs a user gets its 401 below instead: a refusal (403)
    // is audited, and anonymous requests must not grow the log beyond the sign-in routes.
    if (
      UNSAFE.has(req.method) &&
      req.authVia !== "token" &&
      (req.user !== null || policy === "public") &&
      isCrossSite(req)
    ) {
      throw appError(
        "csrf_failed",
        "Changes are accepted only from Accord's own pages: this request came from another site (its Origin header)",
      );
    }
    if (
      req.authVia === "session" &&
      UNSAFE.has(req.method) &&
      req.headers["x-csrf-token"] !== req.csrfToken
    ) {
      throw appError(
        "csrf_failed",
        "This request lacks the anti-CSRF proof: send the X-CSRF-Token header that GET /api/v1/session returns",
      );
    }
    if (policy === "public") return;
    if (!req.user) {
      if (options.publicRead && req.routeOptions.config.publicRead) return;
      throw appError("unauthenticated", "Sign in first");
    }
    if (
      req.user.mustChangePassword &&
      req.authVia === "session" &&
      !req.routeOptions.config.beforePasswordChange
    ) {
      throw appError(
        "password_change_required",
        "Choose your own password first (POST /api/v1/session/password): the one you signed in with was generated for you",
      );
    }
    if (
      !req.user.totpEnabled &&
      // Single sign-on: the identity provider handled the second factor.
      !req.user.viaSso &&
      options.totpRequiredRoles.includes(req.user.role) &&
      !req.routeOptions.config.beforeSecondFactor
    ) {
      throw appError(
        "second_factor_required",
        "Your role must use a second factor: enrol an authenticator app (POST /api/v1/session/totp) first",
      );
    }
    if (policy !== "signed-in" && !can({ role: req.user.role as Role }, policy)) {
      throw appError("forbidden", `Your role (${req.user.role}) may not do this`);
    }
  });
});
