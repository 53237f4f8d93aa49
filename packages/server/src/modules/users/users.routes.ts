import { CreateUserSchema, UpdateUserSchema, UserSchema, UserWithPasswordSchema } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { etagOf, requireIfMatch } from "../../context/versioning.js";
import { IfMatchHeadersSchema, KeyParamsSchema, problems } from "../../http/schemas.js";
import { createUser } from "./commands/create-user.js";
import { resetPassword } from "./commands/reset-password.js";
import { updateUser } from "./commands/update-user.js";
import { getUser, listUsers } from "./queries.js";

const tags = ["users"];

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const manage = { policy: "users:manage" as const };

  app.get(
    "/users",
    {
      config: manage,
      schema: {
        tags,
        summary: "List users",
        response: { 200: z.object({ items: z.array(UserSchema) }), ...problems(401, 403) },
      },
    },
    async (req) => ({ items: await listUsers(req.ctx) }),
  );

  app.get(
    "/users/:key",
    {
      config: manage,
      schema: {
        tags,
        summary: "Get a user",
        params: KeyParamsSchema,
        response: { 200: UserSchema, ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const user = await getUser(req.ctx, req.params.key);
      reply.header("etag", etagOf(user.version));
      return user;
    },
  );

  app.post(
    "/users",
    {
      config: manage,
      schema: {
        tags,
        summary: "Create a user (the password is generated and shown once unless given)",
        body: CreateUserSchema,
        response: { 201: UserWithPasswordSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await createUser(req.body, req.ctx)),
  );

  app.patch(
    "/users/:key",
    {
      config: manage,
      schema: {
        tags,
        summary: "Change a user's name, role, or deactivate them (send If-Match); users are never deleted",
        params: KeyParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateUserSchema,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const user = await updateUser(
        { key: req.params.key, version: requireIfMatch(req.headers["if-match"]), changes: req.body },
        req.ctx,
      );
      reply.header("etag", etagOf(user.version));
      return user;
    },
  );

  app.post(
    "/users/:key/reset-password",
    {
      config: manage,
      schema: {
        tags,
        summary: "Give a user a new random password (shown once) and end their sessions",
        params: KeyParamsSchema,
        response: { 200: UserWithPasswordSchema, ...problems(401, 403, 404) },
      },
    },
    async (req) => resetPassword({ key: req.params.key }, req.ctx),
  );
};
