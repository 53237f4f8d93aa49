import type { Agency, AgencyListQuerySchema } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { isoTime, isUuid, list, queryOne, queryRows } from "../../db/sql.js";

const SELECT = sql`
  select a.id, a.slug, a.name, a.kind, a.sources, a.version,
    ${isoTime("a.created_at")} as "createdAt", ${isoTime("a.updated_at")} as "updatedAt",
    json_build_object('id', j.id, 'slug', j.slug, 'name', j.name, 'kind', j.kind, 'stateCode', j.state_code) as jurisdiction,
    (select count(*)::int from matter_agencies ma
      where ma.agency_id = a.id and ma.matter_id in (select id from matters)) as "matterCount"
  from agencies a join jurisdictions j on j.id = a.jurisdiction_id`;

/** An agency (every reader sees them all; `matterCount` counts the matters the caller may read). */
export async function getAgency(ctx: ReadContext, key: string, lock = false): Promise<Agency> {
  const cond = isUuid(key) ? sql`a.id = ${key}` : sql`a.slug = ${key}`;
  const a = await queryOne<Agency>(
    ctx.db,
    inScope(ctx.scope, sql`${SELECT} where ${cond}${lock ? sql` for update of a` : sql``}`),
  );
  if (!a) throw notFound("agency", key);
  return a;
}

const SORTS: Record<string, string> = { name: "a.name", matterCount: `"matterCount"` };

/** Agencies, filtered; like jurisdictions, every reader sees them all. */
export async function findAgencies(ctx: ReadContext, q: z.output<typeof AgencyListQuerySchema>) {
  const where: SQL[] = [];
  if (q.q) where.push(sql`(a.name ilike ${`%${q.q}%`} or j.name ilike ${`%${q.q}%`})`);
  if (q.state?.length) where.push(sql`j.state_code in (${list(q.state)})`);
  if (q.kind?.length) where.push(sql`a.kind in (${list(q.kind)})`);
  if (q.jurisdiction)
    where.push(isUuid(q.jurisdiction) ? sql`j.id = ${q.jurisdiction}` : sql`j.slug = ${q.jurisdiction}`);
  const whereSql = where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``;
  const desc = q.sort.startsWith("-");
  const col = SORTS[q.sort.replace(/^-/, "")] ?? "a.name";
  const items = await queryRows<Agency>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`${SELECT}${whereSql} order by ${sql.raw(col)} ${sql.raw(desc ? "desc" : "asc")}, a.slug limit ${q.limit} offset ${q.offset}`,
    ),
  );
  const count = await queryOne<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from agencies a join jurisdictions j on j.id = a.jurisdiction_id${whereSql}`,
  );
  return { items, total: count?.n ?? 0, limit: q.limit, offset: q.offset };
}
