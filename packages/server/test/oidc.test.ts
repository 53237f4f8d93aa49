import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import Provider, { type Configuration } from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import type { OidcConfig } from "../src/config.js";
import type { Database } from "../src/db/open.js";
import { queryOne } from "../src/db/sql.js";
import { createUserWithToken, ENGINE, openTestDatabase, uniqueSlug } from "./helpers.js";

/**
 * Single sign-on against a real OpenID provider (panva's oidc-provider) on loopback: the test
 * is the browser, following redirects by hand with its own cookie jar, and answers the
 * provider's login screen through the provider's own interaction API.
 */

const CALLBACK = "/api/v1/session/oidc/callback";
const CLIENT_ID = "accord";
const CLIENT_SECRET = "a-client-secret-that-is-long-enough-for-hs256";

/**
 * The people the provider knows: sub → their claims. Tests add and change them. `userinfoOnly`
 * keeps the role claim out of the ID token (as many providers do), so Accord must ask userinfo.
 */
const accounts = new Map<string, Record<string, unknown>>();
/** Requests to the provider's userinfo endpoint. */
let userinfoCalls = 0;

let database: Database;
let idpServer: Server;
let issuer: string;
let app: FastifyInstance;
let accord: string;
/** A second Accord on the same database whose configuration gives a default role. */
let appWithDefault: FastifyInstance;
let accordWithDefault: string;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

function oidcConfig(overrides: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    roleClaim: "accord_role",
    roleMap: { "idp-auditors": "viewer", "idp-chiefs": "approver", "idp-staff": "reviewer" },
    defaultRole: null,
    label: "Sign in with the test provider",
    redirectUri: null,
    ...overrides,
  };
}

/** The provider's login and consent screens, answered as the person named in ?login=. */
async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const login = new URL(req.url ?? "/", issuer).searchParams.get("login") ?? "";
  if (details.prompt.name === "login") {
    if (login === "!deny") {
      await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "The person declined" },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  // Consent: grant what the client asked for.
  const accountId = details.session?.accountId ?? login;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  if (!grant) throw new Error("grant not found");
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: details.grantId ? {} : { grantId } },
    {
      mergeWithLastSubmission: true,
    },
  );
}

beforeAll(async () => {
  database = await openTestDatabase();
  // The provider's address first (it is its issuer), then Accord's (its callback goes into the
  // provider's client registration), then the provider itself.
  idpServer = createServer();
  issuer = `http://127.0.0.1:${await listen(idpServer)}`;
  app = await buildApp({ db: database.db, oidc: oidcConfig(), totpRequiredRoles: ["admin"] });
  accord = await app.listen({ port: 0, host: "127.0.0.1" });
  appWithDefault = await buildApp({ db: database.db, oidc: oidcConfig({ defaultRole: "viewer" }) });
  accordWithDefault = await appWithDefault.listen({ port: 0, host: "127.0.0.1" });

  const configuration: Configuration = {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${accord}${CALLBACK}`, `${accordWithDefault}${CALLBACK}`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    claims: {
      openid: ["sub"],
      profile: ["preferred_username", "name", "accord_role"],
      email: ["email"],
    },
    cookies: { keys: ["a-cookie-signing-key-for-the-test"] },
    // Its own signing key and lifetimes (the defaults are fine, but warn).
    jwks: {
      keys: [
        {
          ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
          kid: "test",
          use: "sig",
          alg: "RS256",
        },
      ],
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    // Every claim of the granted scopes goes into the ID token too.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: (use) => {
          const { userinfoOnly, accord_role, ...claims } = account;
          return userinfoOnly && use === "id_token" ? { sub, ...claims } : { sub, accord_role, ...claims };
        },
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  idpServer.on("request", (req, res) => {
    if (req.url?.startsWith("/me")) userinfoCalls++;
    if (req.url?.startsWith("/interaction/")) {
      interaction(provider, req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    callback(req, res);
  });
});

afterAll(async () => {
  await app?.close();
  await appWithDefault?.close();
  idpServer?.closeAllConnections();
  await new Promise((resolve) => idpServer?.close(resolve));
  await database?.close();
});

/** A browser's cookies: by origin and path. */
class CookieJar {
  readonly #cookies = new Map<string, { origin: string; path: string; name: string; value: string }>();

  store(url: URL, res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = "/";
      let expired = value === "";
      for (const attribute of attributes) {
        const [key = "", v = ""] = attribute.trim().split("=");
        if (key.toLowerCase() === "path") path = v;
        if (key.toLowerCase() === "max-age" && Number(v) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && Date.parse(v) < Date.now()) expired = true;
      }
      const id = `${url.origin} ${path} ${name}`;
      if (expired) this.#cookies.delete(id);
      else this.#cookies.set(id, { origin: url.origin, path, name, value });
    }
  }

  header(url: URL): string {
    return [...this.#cookies.values()]
      .filter((c) => c.origin === url.origin && url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  get(origin: string, name: string): string | undefined {
    return [...this.#cookies.values()].find((c) => c.origin === origin && c.name === name)?.value;
  }
}

interface Journey {
  /** The last answer. */
  res: Response;
  /** Every address visited, in order. */
  trail: URL[];
  /** Where the last answer redirected to, when it left the API for a page of Accord. */
  landed: URL | null;
  /** With stopAtCallback: the callback address the provider sent the browser to (not visited). */
  callback: URL | null;
  jar: CookieJar;
}

/**
 * Follows redirects like a browser from `start` until a page of Accord (or any non-redirect);
 * on the provider's login screen, signs in as `login`.
 */
async function browse(
  start: string,
  options: { login?: string; accept?: string; jar?: CookieJar; stopAtCallback?: boolean } = {},
): Promise<Journey> {
  const jar = options.jar ?? new CookieJar();
  const origin = new URL(start).origin;
  const trail: URL[] = [];
  let url = new URL(start);
  for (let hops = 0; hops < 20; hops++) {
    trail.push(url);
    const cookie = jar.header(url);
    const res = await fetch(url, {
      redirect: "manual",
      headers: { accept: options.accept ?? "*/*", ...(cookie ? { cookie } : {}) },
    });
    jar.store(url, res);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) {
      return { res, trail, landed: null, callback: null, jar };
    }
    await res.arrayBuffer();
    const next = new URL(location, url);
    if (next.origin === origin && !next.pathname.startsWith("/api/")) {
      return { res, trail, landed: next, callback: null, jar };
    }
    if (options.stopAtCallback && next.origin === origin && next.pathname === CALLBACK) {
      return { res, trail, landed: null, callback: next, jar };
    }
    if (next.origin === issuer && next.pathname.startsWith("/interaction/")) {
      next.searchParams.set("login", options.login ?? "");
    }
    url = next;
  }
  throw new Error(`too many redirects: ${trail.map(String).join(" → ")}`);
}

/** Single sign-on from Accord's start address as `login`. */
const signIn = (
  login: string,
  options: { returnTo?: string; accept?: string; base?: string; stopAtCallback?: boolean } = {},
) => {
  const base = options.base ?? accord;
  const query = options.returnTo === undefined ? "" : `?returnTo=${encodeURIComponent(options.returnTo)}`;
  return browse(`${base}/api/v1/session/oidc/start${query}`, { ...options, login });
};

/** A request to Accord with the session the journey ended with. */
async function withSession(journey: Journey, path: string, base = accord) {
  const url = new URL(path, base);
  const cookie = journey.jar.header(url);
  const res = await fetch(url, { headers: cookie ? { cookie } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { code?: string } };
}

const person = (claims: Record<string, unknown>) => {
  const sub = uniqueSlug("sub");
  accounts.set(sub, claims);
  return sub;
};

const userBySubject = (sub: string) =>
  queryOne<{ username: string; role: Role; displayName: string | null; passwordHash: string | null }>(
    database.db,
    sql`select username, role, display_name as "displayName", password_hash as "passwordHash"
        from users where oidc_issuer = ${issuer} and oidc_subject = ${sub}`,
  );

describe(`OpenID Connect single sign-on (${ENGINE})`, () => {
  it("signs a new person in with PKCE (S256), creates their user with the claimed role, and the session works", async () => {
    const username = uniqueSlug("Ada");
    const sub = person({ preferred_username: username, name: "Ada Lovelace", accord_role: "reviewer" });
    const journey = await signIn(sub, { returnTo: "/matters?q=baltimore" });
    expect(journey.res.status).toBe(302);
    expect(journey.landed?.pathname).toBe("/matters");
    expect(journey.landed?.search).toBe("?q=baltimore");

    // The authorization request carried a PKCE challenge, state and nonce.
    const authorize = journey.trail.find((u) => u.origin === issuer);
    expect(authorize?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize?.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorize?.searchParams.get("state")).toBeTruthy();
    expect(authorize?.searchParams.get("nonce")).toBeTruthy();
    expect(authorize?.searchParams.get("scope")).toBe("openid profile email");
    expect(authorize?.searchParams.get("redirect_uri")).toBe(`${accord}${CALLBACK}`);

    const user = await userBySubject(sub);
    expect(user).toEqual({
      username: username.toLowerCase(),
      role: "reviewer",
      displayName: "Ada Lovelace",
      passwordHash: null,
    });
    const session = await withSession(journey, "/api/v1/session");
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ username: username.toLowerCase(), role: "reviewer" });
    expect(session.body.authVia).toBe("session");
    expect(session.body.singleSignOn).toEqual({
      label: "Sign in with the test provider",
      startUrl: "/api/v1/session/oidc/start",
    });
    expect((await withSession(journey, "/api/v1/matters")).status).toBe(200);
    const stored = await queryOne<{ method: string }>(
      database.db,
      sql`select s.method from sessions s join users u on u.id = s.user_id where u.oidc_subject = ${sub}`,
    );
    expect(stored?.method).toBe("oidc");

    const audit = await queryOne<{ actor: string; action: string }>(
      database.db,
      sql`select a.actor, a.action from audit_entries a join users u on u.id = a.entity_id
          where u.oidc_subject = ${sub} order by a.id`,
    );
    expect(audit).toEqual({ actor: username.toLowerCase(), action: "USER_CREATED" });
  });

  it("reads the role from userinfo when the ID token does not carry it, and only then", async () => {
    const inToken = person({ preferred_username: uniqueSlug("tok"), accord_role: "monitor" });
    const before = userinfoCalls;
    expect((await signIn(inToken)).landed?.pathname).toBe("/");
    expect(userinfoCalls).toBe(before);
    expect((await userBySubject(inToken))?.role).toBe("monitor");

    const fromUserinfo = person({
      preferred_username: uniqueSlug("info"),
      accord_role: "monitor",
      userinfoOnly: true,
    });
    expect((await signIn(fromUserinfo)).landed?.pathname).toBe("/");
    expect(userinfoCalls).toBe(before + 1);
    expect((await userBySubject(fromUserinfo))?.role).toBe("monitor");
  });

  it("reuses the user at the next sign-in and follows a changed role", async () => {
    const sub = person({ preferred_username: uniqueSlug("grace"), accord_role: "viewer" });
    const first = await signIn(sub);
    expect(first.landed?.pathname).toBe("/");
    accounts.set(sub, { ...accounts.get(sub), accord_role: "approver" });
    const second = await signIn(sub);
    expect(second.landed?.pathname).toBe("/");
    const count = await queryOne<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from users where oidc_subject = ${sub}`,
    );
    expect(count?.n).toBe(1);
    expect((await userBySubject(sub))?.role).toBe("approver");
    expect((await withSession(second, "/api/v1/session")).body.user).toMatchObject({ role: "approver" });
    // The session granted under the old role ended with the change.
    expect((await withSession(first, "/api/v1/session")).body.user).toBeNull();
    const updated = await queryOne<{ before: { role: string }; after: { role: string } }>(
      database.db,
      sql`select a.before, a.after from audit_entries a join users u on u.id = a.entity_id
          where u.oidc_subject = ${sub} and a.action = 'USER_UPDATED'`,
    );
    expect([updated?.before.role, updated?.after.role]).toEqual(["viewer", "approver"]);
  });

  it("maps claim values through the role map, taking the most privileged", async () => {
    const sub = person({
      email: `${uniqueSlug("Mapped")}@Example.org`,
      accord_role: ["idp-auditors", "idp-chiefs", "other"],
    });
    const journey = await signIn(sub);
    expect(journey.landed?.pathname).toBe("/");
    const user = await userBySubject(sub);
    expect(user?.role).toBe("approver");
    // No preferred_username: the email, lower-cased.
    expect(user?.username).toBe(String(accounts.get(sub)?.email).toLowerCase());
  });

  it("refuses a person the provider gives no Accord role, unless a default role is configured", async () => {
    const sub = person({ preferred_username: uniqueSlug("norole"), accord_role: ["constructor", "nothing"] });
    const refused = await signIn(sub);
    expect(refused.res.status).toBe(403);
    expect(refused.res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await refused.res.json()) as { code: string; detail: string };
    expect(problem.code).toBe("sso_no_role");
    expect(problem.detail).toBe("Your identity provider gave no Accord role (claim accord_role)");
    expect(await userBySubject(sub)).toBeUndefined();
    expect(refused.jar.get(new URL(accord).origin, "accord_session")).toBeUndefined();

    // A browser is sent back to the sign-in page with a short code instead.
    const page = await signIn(sub, { accept: "text/html,application/xhtml+xml", returnTo: "/events" });
    expect(page.landed?.pathname).toBe("/sign-in");
    expect(page.landed?.searchParams.get("error")).toBe("sso_no_role");
    expect(page.landed?.searchParams.get("next")).toBe("/events");

    const withDefault = await signIn(sub, { base: accordWithDefault });
    expect(withDefault.landed?.pathname).toBe("/");
    expect((await userBySubject(sub))?.role).toBe("viewer");
  });

  it("refuses an unknown, tampered, replayed or expired state, and a callback opened in another browser", async () => {
    const sub = person({ preferred_username: uniqueSlug("state"), accord_role: "viewer" });
    const journey = await signIn(sub, { stopAtCallback: true });
    const callback = journey.callback!;
    expect(callback.searchParams.get("code")).toBeTruthy();

    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    const bad = await browse(tampered.href, { jar: journey.jar });
    expect(bad.res.status).toBe(400);
    expect(((await bad.res.json()) as { code: string }).code).toBe("sso_state_unknown");

    // Login CSRF: the same callback address in a browser that did not start the attempt.
    const elsewhere = await browse(callback.href);
    expect(elsewhere.res.status).toBe(400);

    // Neither used the attempt up: the browser that started it finishes it, once.
    const ok = await browse(callback.href, { jar: journey.jar });
    expect(ok.landed?.pathname).toBe("/");
    const replay = await browse(callback.href, { jar: journey.jar });
    expect(replay.res.status).toBe(400);

    // Older than ten minutes.
    const old = await signIn(sub, { stopAtCallback: true });
    await database.db.execute(
      sql`update oidc_logins set created_at = created_at - interval '11 minutes'
          where state = ${old.callback!.searchParams.get("state")}`,
    );
    const expired = await browse(old.callback!.href, { jar: old.jar });
    expect(expired.res.status).toBe(400);
  });

  it("passes on the provider's refusal: problem+json, or the sign-in page for a browser", async () => {
    const denied = await signIn("!deny");
    expect(denied.res.status).toBe(401);
    expect(((await denied.res.json()) as { code: string }).code).toBe("sso_denied");
    const page = await signIn("!deny", { accept: "text/html" });
    expect(page.landed?.pathname).toBe("/sign-in");
    expect(page.landed?.searchParams.get("error")).toBe("sso_denied");
  });

  it("refuses a deactivated user, and never takes over a password account's user name", async () => {
    const sub = person({ preferred_username: uniqueSlug("leaver"), accord_role: "viewer" });
    expect((await signIn(sub)).landed?.pathname).toBe("/");
    await database.db.execute(
      sql`update users set active = false where oidc_issuer = ${issuer} and oidc_subject = ${sub}`,
    );
    const refused = await signIn(sub);
    expect(refused.res.status).toBe(403);
    expect(((await refused.res.json()) as { code: string }).code).toBe("sso_account_deactivated");

    const taken = uniqueSlug("pw");
    await createUserWithToken(database.db, "viewer", taken);
    const impostor = person({ preferred_username: taken.toUpperCase(), accord_role: "admin" });
    const conflict = await signIn(impostor);
    expect(conflict.res.status).toBe(409);
    expect(((await conflict.res.json()) as { code: string }).code).toBe("sso_username_taken");
    const owner = await queryOne<{ role: string; oidcSubject: string | null }>(
      database.db,
      sql`select role, oidc_subject as "oidcSubject" from users where username = ${taken}`,
    );
    expect(owner).toEqual({ role: "viewer", oidcSubject: null });
  });

  it("ignores a returnTo that leaves the site", async () => {
    const sub = person({ preferred_username: uniqueSlug("safe"), accord_role: "viewer" });
    for (const returnTo of ["//evil.example", "https://evil.example/", "/\\evil.example", "matters"]) {
      const journey = await signIn(sub, { returnTo });
      expect(journey.landed?.href, returnTo).toBe(`${accord}/`);
    }
  });

  it("does not hold an administrator who signed in through single sign-on to Accord's second factor", async () => {
    const sub = person({ preferred_username: uniqueSlug("chief"), accord_role: "admin" });
    const journey = await signIn(sub);
    expect(journey.landed?.pathname).toBe("/");
    expect((await withSession(journey, "/api/v1/matters")).status).toBe(200);
    expect((await withSession(journey, "/api/v1/users")).status).toBe(200);

    // An administrator with a password and no second factor still is.
    const username = uniqueSlug("pwadmin");
    await createUserWithToken(database.db, "admin", username);
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username, password: "test-password-123" },
    });
    const cookie = res.cookies.find((c) => c.name === "accord_session")!;
    const blocked = await app.inject({
      url: "/api/v1/matters",
      headers: { cookie: `accord_session=${cookie.value}` },
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe("second_factor_required");
  });

  it("answers 503 problem+json when the provider is down, and refuses a plain-http issuer off loopback", async () => {
    const down = await buildApp({ db: database.db, oidc: oidcConfig({ issuer: "http://127.0.0.1:1" }) });
    try {
      const res = await down.inject({ url: "/api/v1/session/oidc/start" });
      expect(res.statusCode).toBe(503);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().code).toBe("sso_unavailable");
      const page = await down.inject({ url: "/api/v1/session/oidc/start", headers: { accept: "text/html" } });
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe("/sign-in?error=sso_unavailable");
      const openapi = await down.inject("/api/openapi.json");
      expect(Object.keys(openapi.json().paths)).toEqual(
        expect.arrayContaining(["/api/v1/session/oidc/start", "/api/v1/session/oidc/callback"]),
      );
    } finally {
      await down.close();
    }
    await expect(
      buildApp({ db: database.db, oidc: oidcConfig({ issuer: "http://idp.example.org" }) }),
    ).rejects.toThrow(/https/);
  });
});
