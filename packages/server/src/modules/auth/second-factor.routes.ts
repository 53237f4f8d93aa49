import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import { confirmSecondFactor } from "./commands/confirm-second-factor.js";
import { enrolSecondFactor } from "./commands/enrol-second-factor.js";
import { removeSecondFactor } from "./commands/remove-second-factor.js";

const tags = ["session"];

/** Enrolling and removing a second factor (TOTP, RFC 6238) with one-time recovery codes. */
export const secondFactorRoutes: FastifyPluginAsyncZod = async (app) => {
  const own = { policy: "signed-in" as const, beforeSecondFactor: true };

  app.post(
    "/session/totp",
    {
      config: own,
      schema: {
        tags,
        summary:
          "Start enrolling an authenticator app: returns its secret (enter it or scan the otpauth address)",
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }), ...problems(401, 409) },
      },
    },
    async (req) => enrolSecondFactor({ username: req.user!.username }, req.ctx),
  );

  app.post(
    "/session/totp/confirm",
    {
      config: own,
      schema: {
        tags,
        summary:
          "Finish enrolling with the app's first code; returns ten one-time recovery codes (shown once)",
        body: z.strictObject({ code: z.string().trim().max(12) }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...problems(400, 401, 409) },
      },
    },
    async (req) => confirmSecondFactor(req.body, req.ctx),
  );

  app.post(
    "/session/totp/remove",
    {
      config: own,
      schema: {
        tags,
        summary: "Remove your authenticator (confirm with your password)",
        body: z.strictObject({ password: z.string().min(1).max(1000) }),
        response: { 204: z.null(), ...problems(400, 401) },
      },
    },
    async (req, reply) => {
      await removeSecondFactor(req.body, req.ctx);
      return reply.code(204).send(null);
    },
  );
};
