import { ChangePasswordSchema, SessionSchema, SignInSchema } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from "./auth.plugin.js";
import { changePassword } from "./commands/change-password.js";
import { signIn } from "./commands/sign-in.js";
import { signOut } from "./commands/sign-out.js";
import { secondFactorRoutes } from "./second-factor.routes.js";
import { presentSession, type SessionPresenterOptions } from "./session.presenter.js";

const tags = ["session"];

export type SessionRouteOptions = SessionPresenterOptions;

export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, options) => {
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
    async (req) => presentSession(req.user, req.csrfToken, req.authVia, options),
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
      const { user, cookieValue, csrfToken } = await signIn(
        {
          ...req.body,
          oldCookie: sessionCookieOf(req),
          userAgent: req.headers["user-agent"] ?? null,
        },
        req.ctx,
      );
      setSessionCookie(req, reply, cookieValue);
      return presentSession(user, csrfToken, "session", options);
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
      await signOut({ cookie: sessionCookieOf(req) }, req.ctx);
      clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/session/password",
    {
      config: { policy: "signed-in", beforeSecondFactor: true, beforePasswordChange: true },
      schema: {
        tags,
        summary: "Change your password: ends all your sessions and starts a new one here",
        body: ChangePasswordSchema,
        response: { 200: SessionSchema, ...problems(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const session = await changePassword(
        { ...req.body, userAgent: req.headers["user-agent"] ?? null },
        req.ctx,
      );
      setSessionCookie(req, reply, session.cookieValue);
      const user = req.user ? { ...req.user, mustChangePassword: false } : null;
      return presentSession(user, session.csrfToken, "session", options);
    },
  );
};
