import type { Jurisdiction, JurisdictionListQuerySchema } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { isoTime, isUuid, list, queryOne, queryRows } from "../../db/sql.js";

/**
 * Jurisdictions are not narrowed by the read scope (every reader sees the places), but
 * `matterCount` counts only the matters the caller may read (a monitor's, the public ones).
 */
const SELECT = sql`
  select j.id, j.slug, j.name, j.kind, j.state_code as "stateCode", j.fips, j.population,
    j.population_year as "populationYear", j.sources, j.version,
    ${isoTime("j.created_at")} as "createdAt", ${isoTime("j.updated_at")} as "updatedAt",
    (select count(*)::int from matters m where m.jurisdiction_id = j.id) as "matterCount"
  from jurisdictions j`;

export const keyCondition = (alias: string, key: string) =>
  isUuid(key) ? sql`${sql.raw(alias)}.id = ${key}` : sql`${sql.raw(alias)}.slug = ${key}`;

export async function findJurisdiction(
  ctx: ReadContext,
  key: string,
  lock = false,
): Promise<Jurisdiction | undefined> {
  return queryOne<Jurisdiction>(
    ctx.db,
    inScope(ctx.scope, sql`${SELECT} where ${keyCondition("j", key)}${lock ? sql` for update of j` : sql``}`),
  );
}

export async function getJurisdiction(ctx: ReadContext, key: string, lock = false): Promise<Jurisdiction> {
  const j = await findJurisdiction(ctx, key, lock);
  if (!j) throw notFound("jurisdiction", key);
  return j;
}

const SORTS: Record<string, string> = {
  name: "j.name",
  state: "j.state_code",
  matterCount: `"matterCount"`,
};

export async function findJurisdictions(ctx: ReadContext, q: z.output<typeof JurisdictionListQuerySchema>) {
  const where: SQL[] = [];
  if (q.q) where.push(sql`(j.name ilike ${`%${q.q}%`} or j.slug ilike ${`%${q.q}%`})`);
  if (q.state?.length) where.push(sql`j.state_code in (${list(q.state)})`);
  if (q.kind?.length) where.push(sql`j.kind in (${list(q.kind)})`);
  const whereSql = where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``;
  const desc = q.sort.startsWith("-");
  const col = SORTS[q.sort.replace(/^-/, "")] ?? "j.name";
  const items = await queryRows<Jurisdiction>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`${SELECT}${whereSql} order by ${sql.raw(col)} ${sql.raw(desc ? "desc" : "asc")}, j.slug limit ${q.limit} offset ${q.offset}`,
    ),
  );
  const count = await queryOne<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from jurisdictions j${whereSql}`,
  );
  return { items, total: count?.n ?? 0, limit: q.limit, offset: q.offset };
}
