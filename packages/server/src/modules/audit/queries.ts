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

/** An entry's columns; `before` from elsewhere where rows are read as sessions (see sessionsOf). */
const columns = (before: SQL = sql`a.before`) =>
  sql`a.id::int as id, ${isoTime("a.at")} as at, a.actor, a.actor_role as "actorRole", a.address, a.action,
  a.entity, a.entity_id as "entityId", ${before} as before, a.after, a.request_id as "requestId"`;
const COLUMNS = columns();

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

/**
 * How long a pause between two autosaves of one review draft by one person ends their session
 * of editing: autosaves closer together than this are one row of the list.
 */
export const AUTOSAVE_SESSION_GAP_MINUTES = 30;

/**
 * The log's rows as people read them: each autosave of a review draft writes its own entry (the
 * log is append-only and hash-chained, so they are never merged where they are stored), but a
 * person's autosaves of one review, each within AUTOSAVE_SESSION_GAP_MINUTES of the one before
 * and with nothing else done to the review between them, read as one row: the latest entry's
 * id, time and request, the first one's `before`, the last one's `after`, and how many.
 */
function sessionsOf(where: SQL): SQL {
  const gap = sql.raw(`interval '${AUTOSAVE_SESSION_GAP_MINUTES} minutes'`);
  // Whether an autosave continues a session is read from the whole log (the entry just before
  // it on the same record), not from the filtered rows: filtering by action must not make a
  // submission or a return between two autosaves disappear.
  return sql`
    with filtered as (select a.* from audit_entries a${where}),
    marked as (
      select f.*,
        case when f.action = 'REVIEW_DRAFTED' and exists (
          select 1 from (
            select p.action, p.actor, p.at from audit_entries p
            where p.entity = f.entity and p.entity_id = f.entity_id and p.id < f.id
            order by p.id desc limit 1
          ) prev
          where prev.action = 'REVIEW_DRAFTED' and prev.actor = f.actor and f.at - prev.at <= ${gap}
        ) then 0 else 1 end as starts
      from filtered f
    ),
    numbered as (
      select m.*, sum(m.starts) over (partition by m.entity, m.entity_id order by m.id) as session
      from marked m
    ),
    sessions as (
      select max(n.id) as id, count(*)::int as entries,
        (array_agg(n.before order by n.id))[1] as before
      from numbered n
      group by n.entity, n.entity_id, n.session, n.action = 'REVIEW_DRAFTED'
    )`;
}

/** The names of records an entry names by id, for those who read the whole registry. */
async function namesOf(ctx: ReadContext, items: AuditEntry[]): Promise<Map<string, string>> {
  const ids = new Set(
    items
      .flatMap((e) => [e.entityId, ...referencedIds(e.before), ...referencedIds(e.after)])
      .filter((id): id is string => typeof id === "string" && isUuid(id)),
  );
  // A monitor's or a visitor's history must not name records outside their part of the registry.
  if (ids.size === 0 || ctx.scope.kind !== "all") return new Map();
  const list = sql.join(
    [...ids].map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<{ id: string; name: string }>(
    ctx.db,
    sql`select id::text, title as name from matters where id in (${list})
      union all select id::text, title from events where id in (${list})
      union all select id::text, name || ', ' || state_code from jurisdictions where id in (${list})
      union all select id::text, name from agencies where id in (${list})
      union all select id::text, title from documents where id in (${list})
      union all select id::text, coalesce(display_name, username) from users where id in (${list})
      union all select id::text, name from review_cycles where id in (${list})
      union all select r.id::text, m.title || ' — ' || c.name
        from reviews r join matters m on m.id = r.matter_id join review_cycles c on c.id = r.cycle_id
        where r.id in (${list})
      union all select id::text, label from provisions where id in (${list})
      union all select id::text, label from reporting_periods where id in (${list})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * A page of the log, newest first, with the number of rows the filters match: a person's
 * autosaves of one review in one session of editing are one row (see sessionsOf), and each
 * row carries the names of the records it names by id.
 */
export async function findAuditEntries(ctx: ReadContext, q: AuditQuery) {
  const where = whereOf(q);
  const rows = await queryRows<AuditEntry & { entries: number }>(
    ctx.db,
    sql`${sessionsOf(where)}
      select ${columns(sql`s.before`)}, s.entries
      from sessions s join audit_entries a on a.id = s.id
      order by s.id desc limit ${q.limit} offset ${q.offset}`,
  );
  const total =
    (await queryOne<{ n: number }>(ctx.db, sql`${sessionsOf(where)} select count(*)::int as n from sessions`))
      ?.n ?? 0;
  const names = await namesOf(ctx, rows);
  const items: AuditEntry[] = rows.map(({ entries, ...e }) => {
    const mine = [e.entityId, ...referencedIds(e.before), ...referencedIds(e.after)].filter(
      (id): id is string => typeof id === "string" && names.has(id),
    );
    return {
      ...e,
      ...(entries > 1 ? { autosaves: entries } : {}),
      recordName: (e.entityId && names.get(e.entityId)) || null,
      names: Object.fromEntries(mine.map((id) => [id, names.get(id) as string])),
    };
  });
  return { items, total, limit: q.limit, offset: q.offset };
}

/** The ids a snapshot's `…Id` and `…Ids` fields hold. */
function referencedIds(side: unknown): string[] {
  if (!side || typeof side !== "object" || Array.isArray(side)) return [];
  return Object.entries(side).flatMap(([k, v]) =>
    /(Id|_id|Ids|_ids)$/.test(k)
      ? (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string")
      : [],
  );
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
