import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../context/app-error.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";
import { problems } from "../../http/schemas.js";
import { recordAudit } from "../audit/record-audit.js";
import { randomToken, sha256 } from "./secrets.js";

const TokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const tags = ["tokens"];
const SELECT = sql`select id, name, ${isoTime("created_at")} as "createdAt", ${isoTime("last_used_at")} as "lastUsedAt",
  ${isoTime("revoked_at")} as "revokedAt" from api_tokens`;

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
        response: { 200: z.object({ items: z.array(TokenSchema) }), ...problems(401) },
      },
    },
    async (req) => ({
      items: await queryRows<z.infer<typeof TokenSchema>>(
        app.db,
        sql`${SELECT} where user_id = ${req.user!.id} order by created_at desc`,
      ),
    }),
  );

  app.post(
    "/tokens",
    {
      config: own,
      schema: {
        tags,
        summary: "Create an API token; the token itself is shown only in this answer",
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 201: TokenSchema.extend({ token: z.string() }), ...problems(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const token = `acc_${randomToken()}`;
      const created = await app.db.transaction(async (tx) => {
        const row = await queryOne<z.infer<typeof TokenSchema>>(
          tx,
          sql`insert into api_tokens (user_id, name, token_hash) values (${req.user!.id}, ${req.body.name}, ${sha256(token)})
              returning id, name, ${isoTime("created_at")} as "createdAt", null as "lastUsedAt", null as "revokedAt"`,
        );
        await recordAudit(tx, req.ctx, {
          action: "TOKEN_CREATED",
          entity: "api_token",
          entityId: row!.id,
          after: { name: req.body.name },
        });
        return row!;
      });
      return reply.code(201).send({ ...created, token });
    },
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
      await app.db.transaction(async (tx) => {
        const row = await queryOne<{ id: string }>(
          tx,
          sql`update api_tokens set revoked_at = now() where id = ${req.params.id} and user_id = ${req.user!.id}
              and revoked_at is null returning id`,
        );
        if (!row) throw appError("not_found", "You have no active token with this id");
        await recordAudit(tx, req.ctx, { action: "TOKEN_REVOKED", entity: "api_token", entityId: row.id });
      });
      return reply.code(204).send(null);
    },
  );
};
