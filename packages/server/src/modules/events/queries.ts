import type { Event, EventListQuerySchema } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { isoTime, isUuid, list, queryOne, queryRows } from "../../db/sql.js";

export const EVENT_SELECT = sql`
  select e.id, e.slug, e.matter_id as "matterId",
    case when mm.id is null then null
      else json_build_object('id', mm.id, 'slug', mm.slug, 'title', mm.title, 'kind', mm.kind) end as matter,
    e.jurisdiction_id as "jurisdictionId",
    e.kind, e.date, e.time, e.status, e.new_date as "newDate", e.title, e.description, e.actor,
    e.outcome, e.favors, e.sources,
    e.public, e.version, ${isoTime("e.created_at")} as "createdAt", ${isoTime("e.updated_at")} as "updatedAt"
  from events e left join matters mm on mm.id = e.matter_id`;

/** An event the scope allows (404 otherwise); `lock` locks its row for the transaction. */
export async function getEvent(ctx: ReadContext, key: string, lock = false): Promise<Event> {
  const cond = isUuid(key) ? sql`e.id = ${key}` : sql`e.slug = ${key}`;
  const e = await queryOne<Event>(
    ctx.db,
    inScope(ctx.scope, sql`${EVENT_SELECT} where ${cond}${lock ? sql` for update of e` : sql``}`),
  );
  if (!e) throw notFound("event", key);
  return e;
}

/** One page of the events the scope allows, newest first (or oldest with sort=date). */
export async function findEvents(ctx: ReadContext, q: z.output<typeof EventListQuerySchema>) {
  const { db, scope } = ctx;
  const where: SQL[] = [];
  if (q.matter) where.push(isUuid(q.matter) ? sql`e.matter_id = ${q.matter}` : sql`mm.slug = ${q.matter}`);
  if (q.kind?.length) where.push(sql`e.kind in (${list(q.kind)})`);
  if (q.departmentWide === true) where.push(sql`e.matter_id is null`);
  if (q.departmentWide === false) where.push(sql`e.matter_id is not null`);
  if (q.from) where.push(sql`e.date >= ${q.from}`);
  // "to 2017" includes all of 2017: compare against the end of the period given.
  if (q.to) where.push(sql`e.date <= ${`${q.to}\uffff`}`);
  const whereSql = where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``;
  const dir = q.sort === "date" ? "asc" : "desc";
  const items = await queryRows<Event>(
    db,
    inScope(
      scope,
      sql`${EVENT_SELECT}${whereSql} order by ${sql.raw(`e.date ${dir}, e.time ${dir} nulls first, e.slug`)} limit ${q.limit} offset ${q.offset}`,
    ),
  );
  const count = await queryOne<{ n: number }>(
    db,
    inScope(
      scope,
      sql`select count(*)::int as n from events e left join matters mm on mm.id = e.matter_id${whereSql}`,
    ),
  );
  return { items, total: count?.n ?? 0, limit: q.limit, offset: q.offset };
}
