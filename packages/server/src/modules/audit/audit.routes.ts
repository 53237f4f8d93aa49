import { toCsv } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../context/app-error.js";
import { inScope } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";
import { problems } from "../../http/schemas.js";

export const AuditEntrySchema = z.object({
  id: z.int(),
  at: z.string(),
  actor: z.string(),
  actorRole: z.string().nullable(),
  address: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});
type AuditEntry = z.infer<typeof AuditEntrySchema>;

const AuditQuerySchema = z.strictObject({
  actor: z.string().max(100).optional(),
  entity: z.string().max(50).optional(),
  entityId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  /** From this day (YYYY-MM-DD, UTC), inclusive. */
  from: z.iso.date().optional(),
  /** To this day (YYYY-MM-DD, UTC), inclusive. */
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
type AuditQuery = z.infer<typeof AuditQuerySchema>;

const COLUMNS = sql`a.id::int as id, ${isoTime("a.at")} as at, a.actor, a.actor_role as "actorRole", a.address, a.action,
  a.entity, a.entity_id as "entityId", a.before, a.after, a.request_id as "requestId"`;

function whereOf(q: Omit<AuditQuery, "limit" | "offset">): SQL {
  const parts: SQL[] = [];
  if (q.actor) parts.push(sql`a.actor = ${q.actor}`);
  if (q.entity) parts.push(sql`a.entity = ${q.entity}`);
  if (q.entityId) parts.push(sql`a.entity_id = ${q.entityId}`);
  if (q.action) parts.push(sql`a.action = ${q.action}`);
  if (q.from) parts.push(sql`a.at >= ${`${q.from}T00:00:00Z`}::timestamptz`);
  if (q.to) parts.push(sql`a.at < (${`${q.to}T00:00:00Z`}::timestamptz + interval '1 day')`);
  return parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``;
}

export async function findAuditEntries(db: Queryable, q: AuditQuery) {
  const where = whereOf(q);
  const items = await queryRows<AuditEntry>(
    db,
    sql`select ${COLUMNS} from audit_entries a${where} order by a.id desc limit ${q.limit} offset ${q.offset}`,
  );
  const total =
    (await queryOne<{ n: number }>(db, sql`select count(*)::int as n from audit_entries a${where}`))?.n ?? 0;
  return { items, total, limit: q.limit, offset: q.offset };
}

const tags = ["audit"];
const ENTITY_TABLES: Record<string, string> = {
  matter: "matters",
  event: "events",
  jurisdiction: "jurisdictions",
  agency: "agencies",
};

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
    async (req) => findAuditEntries(app.db, req.query),
  );

  app.get(
    "/audit/facets",
    {
      config: { policy: "audit:read" },
      schema: {
        tags,
        summary: "The actions and record types the log holds, for its filters",
        response: {
          200: z.object({ actions: z.array(z.string()), entities: z.array(z.string()) }),
          ...problems(401, 403),
        },
      },
    },
    async (req, reply) => {
      const { body } = await app.readCache.json(
        app.db,
        "audit-facets",
        z.object({ actions: z.array(z.string()), entities: z.array(z.string()) }),
        async () => ({
          actions: (
            await queryRows<{ action: string }>(
              app.db,
              sql`select distinct action from audit_entries order by 1`,
            )
          ).map((r) => r.action),
          entities: (
            await queryRows<{ entity: string }>(
              app.db,
              sql`select distinct entity from audit_entries order by 1`,
            )
          ).map((r) => r.entity),
        }),
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
      const rows = await queryRows<AuditEntry>(
        app.db,
        sql`select ${COLUMNS} from audit_entries a${whereOf(req.query)} order by a.id desc limit 50000`,
      );
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
          entity: z.enum(["matter", "event", "jurisdiction", "agency"]),
          key: z.string().min(1).max(120),
        }),
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: AuditPageSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const table = ENTITY_TABLES[req.params.entity]!;
      const { key } = req.params;
      // A monitor sees the history of their matters (and their events) only.
      const row = await queryOne<{ id: string }>(
        app.db,
        inScope(
          req.scope,
          isUuid(key)
            ? sql`select id from ${sql.raw(table)} where id = ${key}`
            : sql`select id from ${sql.raw(table)} where slug = ${key}`,
        ),
      );
      if (!row && req.scope.kind !== "all" && (table === "matters" || table === "events"))
        throw notFound(req.params.entity, key);
      // A deleted record still has its history, looked up by id.
      const entityId = row?.id ?? (isUuid(key) ? key : null);
      if (!entityId) {
        return { items: [], total: 0, limit: req.query.limit, offset: req.query.offset };
      }
      return findAuditEntries(app.db, { entity: req.params.entity, entityId, ...req.query });
    },
  );
};
