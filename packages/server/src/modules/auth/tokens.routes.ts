import { ApiTokenSchema, CreateApiTokenSchema, NewApiTokenSchema } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import { createApiToken } from "./commands/create-api-token.js";
import { revokeApiToken } from "./commands/revoke-api-token.js";
import { listApiTokens } from "./queries.js";

const tags = ["tokens"];

/** Each user's own API tokens, for scripts: `Authorization: Bearer <token>`. */
export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const own = { policy: "signed-in" as const };

  app.get(
    "/tokens",
    {
      config: own,
      schema: {
        tags,
        summary: "Your API tokens",
        response: { 200: z.object({ items: z.array(ApiTokenSchema) }), ...problems(401) },
      },
    },
    async (req) => ({ items: await listApiTokens(req.ctx, req.user!.id) }),
  );

  app.post(
    "/tokens",
    {
      config: own,
      schema: {
        tags,
        summary: "Create an API token; the token itself is shown only in this answer",
        body: CreateApiTokenSchema,
        response: { 201: NewApiTokenSchema, ...problems(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createApiToken(req.body, req.ctx)),
  );

  app.delete(
    "/tokens/:id",
    {
      config: own,
      schema: {
        tags,
        summary: "Revoke one of your API tokens",
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await revokeApiToken(req.params, req.ctx);
      return reply.code(204).send(null);
    },
  );
};
