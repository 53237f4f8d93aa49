import { AuditEntrySchema, can, toCsv } from "@accord/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problems } from "../../http/schemas.js";
import {
  AuditQuerySchema,
  findAuditEntries,
  findAuditFacets,
  findRecordHistory,
  forReader,
  HISTORY_ENTITIES,
  listAuditEntries,
} from "./queries.js";

const tags = ["audit"];
const AuditFacetsSchema = z.object({ actions: z.array(z.string()), entities: z.array(z.string()) });

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const AuditPageSchema = z.object({
    items: z.array(AuditEntrySchema),
    total: z.int(),
    limit: z.int(),
    offset: z.int(),
  });

  app.get(
    "/audit",
    {
      config: { policy: "audit:read" },
      schema: {
        tags,
        summary: "The audit log: every change with who, when, what it was before and after",
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...problems(400, 401, 403) },
      },
    },
    async (req) => findAuditEntries(req.ctx, req.query),
  );

  app.get(
    "/audit/facets",
    {
      config: { policy: "audit:read" },
      schema: {
        tags,
        summary: "The actions and record types the log holds, for its filters",
        response: { 200: AuditFacetsSchema, ...problems(401, 403) },
      },
    },
    async (req, reply) => {
      const { body } = await app.readCache.json(
        app.db,
        "audit-facets",
        AuditFacetsSchema,
        () => findAuditFacets(req.ctx),
        undefined,
        req.dataVersion,
      );
      return reply.type("application/json; charset=utf-8").send(body as never);
    },
  );

  app.get(
    "/audit.csv",
    {
      config: { policy: "audit:read" },
      schema: {
        tags,
        summary: "The audit log as CSV (the same filters, up to 50,000 entries)",
        querystring: AuditQuerySchema.omit({ limit: true, offset: true }),
        produces: ["text/csv"],
        response: { 200: z.string(), ...problems(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const rows = await listAuditEntries(req.ctx, req.query, 50_000);
      const header = [
        "id",
        "at",
        "actor",
        "actorRole",
        "address",
        "action",
        "entity",
        "entityId",
        "requestId",
        "before",
        "after",
      ];
      const csv = toCsv(
        header,
        rows.map((r) => [
          r.id,
          r.at,
          r.actor,
          r.actorRole,
          r.address,
          r.action,
          r.entity,
          r.entityId,
          r.requestId,
          r.before == null ? "" : JSON.stringify(r.before),
          r.after == null ? "" : JSON.stringify(r.after),
        ]),
      );
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="accord-audit.csv"')
        .send(csv);
    },
  );

  app.get(
    "/history/:entity/:key",
    {
      config: { policy: "registry:read" },
      schema: {
        tags,
        summary: "The changes of one record (matter, event, jurisdiction or agency), newest first",
        params: z.strictObject({
          entity: z.enum(HISTORY_ENTITIES),
          key: z.string().min(1).max(120),
        }),
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: AuditPageSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (req) =>
      forReader(req.ctx, await findRecordHistory(req.ctx, { ...req.params, ...req.query }), {
        showAddresses: req.user !== null && can(req.user, "audit:read"),
      }),
  );
};
