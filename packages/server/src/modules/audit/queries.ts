import type { AuditEntry } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../db/sql.js";

// The log itself is not in the read scope: who may read it is the route's policy (audit:read).
// Only the record whose history is asked for is looked up in the caller's scope.

export const AuditQuerySchema = z.strictObject({
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
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
export type AuditFilter = Omit<AuditQuery, "limit" | "offset">;

const COLUMNS = sql`a.id::int as id, ${isoTime("a.at")} as at, a.actor, a.actor_role as "actorRole", a.address, a.action,
  a.entity, a.entity_id as "entityId", a.before, a.after, a.request_id as "requestId"`;

function whereOf(q: AuditFilter): SQL {
  const parts: SQL[] = [];
  if (q.actor) parts.push(sql`a.actor = ${q.actor}`);
  if (q.entity) parts.push(sql`a.entity = ${q.entity}`);
  if (q.entityId) parts.push(sql`a.entity_id = ${q.entityId}`);
  if (q.action) parts.push(sql`a.action = ${q.action}`);
  if (q.from) parts.push(sql`a.at >= ${`${q.from}T00:00:00Z`}::timestamptz`);
  if (q.to) parts.push(sql`a.at < (${`${q.to}T00:00:00Z`}::timestamptz + interval '1 day')`);
  return parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``;
}

/** A page of the log, newest first, with the number of entries the filters match. */
export async function findAuditEntries(ctx: ReadContext, q: AuditQuery) {
  const where = whereOf(q);
  const items = await queryRows<AuditEntry>(
    ctx.db,
    sql`select ${COLUMNS} from audit_entries a${where} order by a.id desc limit ${q.limit} offset ${q.offset}`,
  );
  const total =
    (await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_entries a${where}`))?.n ??
    0;
  return { items, total, limit: q.limit, offset: q.offset };
}

/** The entries the filters match, newest first, up to `limit` (the CSV export). */
export const listAuditEntries = (ctx: ReadContext, q: AuditFilter, limit: number) =>
  queryRows<AuditEntry>(
    ctx.db,
    sql`select ${COLUMNS} from audit_entries a${whereOf(q)} order by a.id desc limit ${limit}`,
  );

/** The actions and record kinds the log holds, for its filters. */
export async function findAuditFacets(ctx: ReadContext) {
  const actions = await queryRows<{ action: string }>(
    ctx.db,
    sql`select distinct action from audit_entries order by 1`,
  );
  const entities = await queryRows<{ entity: string }>(
    ctx.db,
    sql`select distinct entity from audit_entries order by 1`,
  );
  return { actions: actions.map((r) => r.action), entities: entities.map((r) => r.entity) };
}

/**
 * A record's history as a caller other than the log's own readers may see it: addresses only
 * for those who may read the audit log, and, for a caller who reads part of the registry (a
 * monitor, a public visitor), no related matter outside that part inside the snapshots.
 */
export async function forReader(
  ctx: ReadContext,
  page: { items: AuditEntry[]; total: number; limit: number; offset: number },
  { showAddresses }: { showAddresses: boolean },
) {
  let items = showAddresses ? page.items : page.items.map((e) => ({ ...e, address: null }));
  if (ctx.scope.kind !== "all") {
    const relatedIds = (snapshot: unknown): string[] => {
      const related = (snapshot as { related?: unknown } | null)?.related;
      return Array.isArray(related)
        ? related.map((r) => (r as { id?: unknown }).id).filter((id): id is string => typeof id === "string")
        : [];
    };
    const ids = [...new Set(items.flatMap((e) => [...relatedIds(e.before), ...relatedIds(e.after)]))].filter(
      isUuid,
    );
    const readable = new Set(
      ids.length
        ? (
            await queryRows<{ id: string }>(
              ctx.db,
              inScope(
                ctx.scope,
                sql`select id from matters where id in (${sql.join(
                  ids.map((id) => sql`${id}`),
                  sql`, `,
                )})`,
              ),
            )
          ).map((r) => r.id)
        : [],
    );
    const narrow = (snapshot: unknown): unknown => {
      if (
        !snapshot ||
        typeof snapshot !== "object" ||
        !Array.isArray((snapshot as { related?: unknown }).related)
      )
        return snapshot;
      const related = (snapshot as { related: { id?: string }[] }).related;
      return { ...snapshot, related: related.filter((r) => typeof r.id === "string" && readable.has(r.id)) };
    };
    items = items.map((e) => ({ ...e, before: narrow(e.before), after: narrow(e.after) }));
  }
  return { ...page, items };
}

/** The kinds of record whose history can be asked for, and their tables. */
export const HISTORY_ENTITIES = ["matter", "event", "jurisdiction", "agency"] as const;
const ENTITY_TABLES: Record<(typeof HISTORY_ENTITIES)[number], string> = {
  matter: "matters",
  event: "events",
  jurisdiction: "jurisdictions",
  agency: "agencies",
};

/**
 * The changes of one record, newest first. A monitor sees the history of their matters (and
 * their events) only; a deleted record still has its history, looked up by id.
 */
export async function findRecordHistory(
  ctx: ReadContext,
  {
    entity,
    key,
    limit,
    offset,
  }: { entity: (typeof HISTORY_ENTITIES)[number]; key: string; limit: number; offset: number },
) {
  const table = ENTITY_TABLES[entity];
  const row = await queryOne<{ id: string }>(
    ctx.db,
    inScope(
      ctx.scope,
      isUuid(key)
        ? sql`select id from ${sql.raw(table)} where id = ${key}`
        : sql`select id from ${sql.raw(table)} where slug = ${key}`,
    ),
  );
  if (!row && ctx.scope.kind !== "all" && (table === "matters" || table === "events"))
    throw notFound(entity, key);
  const entityId = row?.id ?? (isUuid(key) ? key : null);
  if (!entityId) return { items: [], total: 0, limit, offset };
  return findAuditEntries(ctx, { entity, entityId, limit, offset });
}
