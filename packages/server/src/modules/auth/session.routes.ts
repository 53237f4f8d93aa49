import { permissionsOf, ROLES, type Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../context/app-error.js";
import { bumpDataVersion } from "../../db/data-version.js";
import { queryOne } from "../../db/sql.js";
import { problems } from "../../http/schemas.js";
import { recordAudit } from "../audit/record-audit.js";
import { clearSessionCookie, SESSION_COOKIE, sessionCookieOptions } from "./auth.plugin.js";
import { acceptSecondFactor, secondFactorRoutes } from "./second-factor.js";
import { DUMMY_HASH, hashPassword, verifyPassword } from "./secrets.js";
import { createSession, deleteSession, deleteSessionsOf, type SessionUser } from "./sessions.js";
import { assertNotLocked, clearFailures, failureDelayMs, recordFailure } from "./throttle.js";

export const SessionUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
});

export const SessionSchema = z.object({
  user: SessionUserSchema.nullable(),
  /** The user's second factor: enrolled, and whether their role requires one. */
  totp: z.object({ enabled: z.boolean(), required: z.boolean() }).nullable(),
  /** Send it back in X-CSRF-Token on every POST, PATCH and DELETE. */
  csrfToken: z.string().nullable(),
  permissions: z.array(z.string()),
  authVia: z.enum(["session", "token"]).nullable(),
  /** Whether anonymous visitors may read public matters and events (ACCORD_PUBLIC_READ=1). */
  publicRead: z.boolean(),
  /** Single sign-on, when configured: the sign-in page offers a button that starts it. */
  singleSignOn: z.object({ label: z.string(), startUrl: z.string() }).nullable(),
});

const SignInSchema = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
  /** The authenticator's 6-digit code, or a recovery code, for users with a second factor. */
  code: z.string().trim().max(32).optional(),
});

export const PASSWORD_RULES = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(1000)
  .meta({ description: "At least 12 characters" });

const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1000),
  newPassword: PASSWORD_RULES,
});

const tags = ["session"];

export interface SessionRouteOptions {
  totpRequiredRoles: readonly Role[];
  publicRead: boolean;
  singleSignOn: { label: string } | null;
}

export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, options) => {
  const totpState = (user: SessionUser | null) =>
    user
      ? {
          enabled: user.totpEnabled,
          // Single sign-on leaves the second factor to the identity provider.
          required: !user.viaSso && options.totpRequiredRoles.includes(user.role),
        }
      : null;
  /** The session as GET /session and every sign-in answer it. */
  const describe = (
    user: SessionUser | null,
    csrfToken: string | null,
    authVia: "session" | "token" | null,
  ): z.infer<typeof SessionSchema> => ({
    user,
    totp: totpState(user),
    csrfToken,
    permissions: permissionsOf(user?.role ?? null),
    authVia,
    publicRead: options.publicRead,
    singleSignOn: options.singleSignOn
      ? { label: options.singleSignOn.label, startUrl: "/api/v1/session/oidc/start" }
      : null,
  });

  app.get(
    "/session",
    {
      config: { policy: "public" },
      schema: {
        tags,
        summary: "Who is signed in, with their role and permissions",
        response: { 200: SessionSchema },
      },
    },
    async (req) => describe(req.user, req.csrfToken, req.authVia),
  );

  app.post(
    "/session",
    {
      config: { policy: "public", ignoreSession: true },
      schema: {
        tags,
        summary: "Sign in: sets the session cookie",
        body: SignInSchema,
        response: { 200: SessionSchema, ...problems(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const now = app.clock();
      const { username, password } = req.body;
      await assertNotLocked(app.db, username, req.ip, now);
      const user = await queryOne<{
        id: string;
        username: string;
        displayName: string | null;
        role: Role;
        passwordHash: string | null;
        active: boolean;
        totpSecret: string | null;
        totpLastStep: string | null;
      }>(
        app.db,
        sql`select id, username, display_name as "displayName", role, password_hash as "passwordHash", active,
              totp_secret as "totpSecret", totp_last_step::text as "totpLastStep"
            from users where username = ${username.toLowerCase()}`,
      );
      // The same work whether or not the user exists, so timing does not tell.
      const ok = (await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)) && user?.active === true;
      if (!ok || !user) {
        const failures = await recordFailure(app.db, username, req.ip, now);
        const delay = failureDelayMs(failures);
        if (delay) await new Promise((r) => setTimeout(r, delay));
        throw appError("sign_in_failed", "Wrong user name or password, or the account is deactivated");
      }
      if (user.totpSecret) {
        const code = req.body.code?.trim();
        if (!code) {
          throw appError(
            "second_factor_needed",
            "Enter the 6-digit code from your authenticator app, or a recovery code",
          );
        }
        if (!(await acceptSecondFactor(app.db, user.id, user.totpSecret, user.totpLastStep, code, now))) {
          const failures = await recordFailure(app.db, username, req.ip, now);
          const delay = failureDelayMs(failures);
          if (delay) await new Promise((r) => setTimeout(r, delay));
          throw appError(
            "second_factor_failed",
            "That code is not valid (codes change every 30 seconds and work once)",
          );
        }
      }
      await clearFailures(app.db, username);
      // A fresh session id at every sign-in (no fixation): any session the browser had is ended.
      const { cookieValue, csrfToken } = await app.db.transaction(async (tx) => {
        const old = req.cookies[SESSION_COOKIE];
        if (old) await deleteSession(tx, old);
        await bumpDataVersion(tx);
        return createSession(tx, user.id, { address: req.ip, userAgent: req.headers["user-agent"] ?? null });
      });
      reply.setCookie(SESSION_COOKIE, cookieValue, sessionCookieOptions(req));
      const sessionUser: SessionUser = {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        totpEnabled: user.totpSecret !== null,
      };
      return describe(sessionUser, csrfToken, "session");
    },
  );

  await app.register(secondFactorRoutes);

  app.delete(
    "/session",
    {
      config: { policy: "public" },
      schema: { tags, summary: "Sign out: ends the session", response: { 204: z.null() } },
    },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        await app.db.transaction(async (tx) => {
          await deleteSession(tx, cookie);
          await bumpDataVersion(tx);
        });
      }
      clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/session/password",
    {
      config: { policy: "signed-in", beforeSecondFactor: true },
      schema: {
        tags,
        summary: "Change your password: ends all your sessions and starts a new one here",
        body: ChangePasswordSchema,
        response: { 200: SessionSchema, ...problems(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const user = req.user!;
      const row = await queryOne<{ passwordHash: string | null }>(
        app.db,
        sql`select password_hash as "passwordHash" from users where id = ${user.id}`,
      );
      if (!(await verifyPassword(req.body.currentPassword, row?.passwordHash ?? null))) {
        throw appError("validation_failed", "The current password is wrong", {
          errors: [{ path: "currentPassword", message: "Wrong password" }],
        });
      }
      const hash = await hashPassword(req.body.newPassword);
      const session = await app.db.transaction(async (tx) => {
        await tx.execute(
          sql`update users set password_hash = ${hash}, password_changed_at = now(), updated_at = now() where id = ${user.id}`,
        );
        await deleteSessionsOf(tx, user.id);
        await recordAudit(tx, req.ctx, { action: "PASSWORD_CHANGED", entity: "user", entityId: user.id });
        return createSession(tx, user.id, { address: req.ip, userAgent: req.headers["user-agent"] ?? null });
      });
      reply.setCookie(SESSION_COOKIE, session.cookieValue, sessionCookieOptions(req));
      return describe(user, session.csrfToken, "session");
    },
  );
};
