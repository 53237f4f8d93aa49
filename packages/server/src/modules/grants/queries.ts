import type { Award, AwardListQuery, Condition, ProgramFact } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { notFound } from "../../context/app-error.js";
import type { ReadContext } from "../../context/command-context.js";
import { inScope, scopeTables } from "../../context/read-scope.js";
import { isoTimeText, isUuid, lastDayOf, list, queryOne, queryRows } from "../../db/sql.js";
import { conditionStatus } from "./money.js";

// Reads of awards and conditions. Every statement runs through the read scope, whose CTEs
// shadow `awards`, `conditions`, `matters` and `events`, so nested subqueries see only what the
// caller may read.

/** The last day a partial date covers (2017-11 → 2017-11-31, 2017 → 2017-12-31): when it is known. */

const jurisdictionJson = (alias: string) =>
  sql.raw(`json_build_object('id', ${alias}.id, 'slug', ${alias}.slug, 'name', ${alias}.name,
    'kind', ${alias}.kind, 'stateCode', ${alias}.state_code)`);

/** Linked matters (through `link`, a table with `key` = the record's id) as a JSON array. */
const linkedMattersJson = (link: string, key: string, id: string) =>
  sql.raw(`coalesce((select json_agg(json_build_object('id', lm.id, 'slug', lm.slug, 'title', lm.title,
      'kind', lm.kind, 'status', lm.status) order by lm.opened_on nulls last, lm.slug)
    from ${link} lx join matters lm on lm.id = lx.matter_id where lx.${key} = ${id}), '[]'::json)`);

/** The latest change of condition `c` on or before the as-of day (its date, for `statusOn`). */
export const statusOnAsOf = (asOf: string) =>
  sql`(select h.date from condition_changes h where h.condition_id = c.id and ${lastDayOf("h.date")} <= ${asOf}
        order by ${lastDayOf("h.date")} desc, h.position desc limit 1)`;

/** Whether condition `c` existed on the as-of day (it had a change by then). */
export const conditionExists = (asOf: string | undefined): SQL =>
  asOf ? sql`${conditionStatus(asOf)} is not null` : sql`true`;

/** Condition `c` as JSON: its status (and history) as of the day when one is asked. */
export const conditionJson = (asOf: string | undefined): SQL => sql`json_build_object(
    'id', c.id, 'slug', c.slug, 'version', c.version,
    'createdAt', ${sql.raw(isoTimeText("c.created_at"))}, 'updatedAt', ${sql.raw(isoTimeText("c.updated_at"))},
    'awardId', c.award_id,
    'jurisdiction', (select ${jurisdictionJson("cj")} from jurisdictions cj where cj.id = c.jurisdiction_id),
    'program', c.program, 'fiscalYear', c.fiscal_year, 'kind', c.kind, 'text', c.text,
    'status', ${conditionStatus(asOf)}, 'statusOn', ${asOf ? statusOnAsOf(asOf) : sql`c.status_on`},
    'history', coalesce((select json_agg(json_build_object('status', h.status, 'date', h.date, 'note', h.note,
        'sources', h.sources) order by h.position)
      from condition_changes h where h.condition_id = c.id${asOf ? sql` and ${lastDayOf("h.date")} <= ${asOf}` : sql``}),
      '[]'::json),
    'matters', ${linkedMattersJson("condition_matters", "condition_id", "c.id")},
    'public', c.public)`;

/** Award `a` (joined to jurisdiction `j` and agency `ag`) as JSON, with its conditions and matters. */
const awardJson = (asOf: string | undefined): SQL => sql`json_build_object(
    'id', a.id, 'slug', a.slug, 'version', a.version,
    'createdAt', ${sql.raw(isoTimeText("a.created_at"))}, 'updatedAt', ${sql.raw(isoTimeText("a.updated_at"))},
    'program', a.program, 'programName', a.program_name, 'fiscalYear', a.fiscal_year,
    'amount', a.amount::float8, 'amountMeaning', a.amount_meaning, 'amountNote', a.amount_note,
    'awardNumber', a.award_number, 'jurisdiction', ${jurisdictionJson("j")},
    'agency', case when ag.id is null then null
      else json_build_object('id', ag.id, 'slug', ag.slug, 'name', ag.name, 'kind', ag.kind) end,
    'recipientName', a.recipient_name, 'notes', a.notes, 'sources', a.sources, 'public', a.public,
    'conditions', coalesce((select json_agg(${conditionJson(asOf)} order by c.fiscal_year nulls last, c.slug)
      from conditions c where c.award_id = a.id and ${conditionExists(asOf)}), '[]'::json),
    'matters', ${linkedMattersJson("award_matters", "award_id", "a.id")})`;

const AWARD_FROM = sql`from awards a join jurisdictions j on j.id = a.jurisdiction_id
  left join agencies ag on ag.id = a.agency_id`;

/** With an as-of day, awards of fiscal years after that day's year are not yet part of the picture. */
export const awardsUpTo = (asOf: string | undefined): SQL =>
  asOf ? sql`(a.fiscal_year is null or a.fiscal_year <= ${Number(asOf.slice(0, 4))})` : sql`true`;

const keyOf = (alias: string, key: string) =>
  isUuid(key) ? sql`${sql.raw(alias)}.id = ${key}` : sql`${sql.raw(alias)}.slug = ${key}`;

const SORT_COLUMNS: Record<string, string> = {
  fiscalYear: "a.fiscal_year",
  amount: "a.amount",
  program: "a.program",
  jurisdiction: "j.name",
  updatedAt: "a.updated_at",
};

function orderOf(sort: string | undefined): SQL {
  const s = sort ?? "-fiscalYear";
  const field = s.replace(/^-/, "");
  const dir = s.startsWith("-") ? "desc" : "asc";
  return sql.raw(`${SORT_COLUMNS[field] ?? "a.fiscal_year"} ${dir} nulls last, a.slug asc`);
}

function whereOf(q: Omit<AwardListQuery, "limit" | "offset" | "sort">): SQL {
  const parts: SQL[] = [awardsUpTo(q.asOf)];
  if (q.jurisdiction) parts.push(keyOf("j", q.jurisdiction));
  if (q.agency) parts.push(keyOf("ag", q.agency));
  if (q.program?.length) parts.push(sql`a.program in (${list(q.program)})`);
  if (q.fiscalYear !== undefined) parts.push(sql`a.fiscal_year = ${q.fiscalYear}`);
  if (q.conditionStatus?.length)
    parts.push(sql`exists (select 1 from conditions c where c.award_id = a.id
      and ${conditionStatus(q.asOf)} in (${list(q.conditionStatus)}))`);
  return sql.join(parts, sql` and `);
}

/** Awards the scope allows where `where` holds (on `a`, `j`, `ag`), in order, as JSON rows. */
async function selectAwards(
  ctx: ReadContext,
  where: SQL,
  asOf: string | undefined,
  order: SQL,
  limit = 10_000,
  offset = 0,
): Promise<Award[]> {
  const rows = await queryRows<{ award: Award }>(
    ctx.db,
    sql`with ${scopeTables(ctx.scope)}page as (select a.id ${AWARD_FROM} where ${where}
          order by ${order} limit ${limit} offset ${offset})
        select ${awardJson(asOf)} as award from page join awards a on a.id = page.id
          join jurisdictions j on j.id = a.jurisdiction_id left join agencies ag on ag.id = a.agency_id
        order by ${order}`,
  );
  return rows.map((r) => r.award);
}

/** One page of the awards the scope allows, filtered and sorted, with the total. */
export async function findAwards(ctx: ReadContext, q: AwardListQuery) {
  const where = whereOf(q);
  const items = await selectAwards(ctx, where, q.asOf, orderOf(q.sort), q.limit, q.offset);
  const total =
    items.length < q.limit && (q.offset === 0 || items.length > 0)
      ? q.offset + items.length
      : ((
          await queryOne<{ n: number }>(
            ctx.db,
            inScope(ctx.scope, sql`select count(*)::int as n ${AWARD_FROM} where ${where}`),
          )
        )?.n ?? 0);
  return { items, total, limit: q.limit, offset: q.offset };
}

/** The awards of a place or agency (`where` on `a`), for a portfolio. */
export const awardsWhere = (ctx: ReadContext, where: SQL, asOf?: string) =>
  selectAwards(ctx, sql`${where} and ${awardsUpTo(asOf)}`, asOf, orderOf("-fiscalYear"));

export async function findAward(ctx: ReadContext, key: string): Promise<Award | undefined> {
  return (await selectAwards(ctx, keyOf("a", key), undefined, orderOf(undefined), 1))[0];
}

/** An award the scope allows (404 otherwise). */
export async function getAward(ctx: ReadContext, key: string): Promise<Award> {
  const a = await findAward(ctx, key);
  if (!a) throw notFound("award", key);
  return a;
}

/** Conditions the scope allows where `where` holds (on `c`), as JSON rows; with `asOf`, those that existed. */
export async function conditionsWhere(ctx: ReadContext, where: SQL, asOf?: string): Promise<Condition[]> {
  const rows = await queryRows<{ condition: Condition }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select ${conditionJson(asOf)} as condition from conditions c
          where ${where} and ${conditionExists(asOf)} order by c.fiscal_year nulls last, c.slug`,
    ),
  );
  return rows.map((r) => r.condition);
}

/** A condition the scope allows (404 otherwise). */
export async function getCondition(ctx: ReadContext, key: string): Promise<Condition> {
  const [c] = await conditionsWhere(ctx, keyOf("c", key));
  if (!c) throw notFound("condition", key);
  return c;
}

/** Facts the sources give for whole programs; `program` is the program's name as the source gives it. */
export async function findProgramFacts(ctx: ReadContext, program?: string): Promise<ProgramFact[]> {
  return queryRows<ProgramFact>(
    ctx.db,
    sql`select f.id, f.slug, f.program, f.date, f.fiscal_year as "fiscalYear", f.metric, f.value, f.unit,
          f.description, f.sources
        from program_facts f${program ? sql` where f.program = ${program}` : sql``}
        order by f.program, f.date nulls last, f.slug`,
  );
}
