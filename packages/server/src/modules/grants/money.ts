import { AT_RISK_CONDITION_STATUSES, type MoneyRow } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { lastDayOf, list, queryRows } from "../../db/sql.js";

/**
 * A condition's status on a day: its latest change on or before it (a partial date counts from
 * its last day, so a change dated only "2017-11" is not yet known on 2017-11-15). Null: the
 * condition did not exist yet. `c` is the condition.
 */
export const conditionStatusAsOf = (asOf: string) =>
  sql`(select h.status from condition_changes h where h.condition_id = c.id
        and ${lastDayOf("h.date")} <= ${asOf}
        order by ${lastDayOf("h.date")} desc, h.position desc limit 1)`;

/** The status of condition `c` the caller asked for: today's, or the one of the as-of day. */
export const conditionStatus = (asOf: string | undefined): SQL =>
  asOf ? conditionStatusAsOf(asOf) : sql`c.status`;

/**
 * Amounts by program and fiscal year, summed by what they mean, over the awards that `where` keeps
 * (on award `a`); with `asOf`, fiscal years up to that day's year. The statement alone: the caller
 * puts it in the scope (`moneyRows`), or in a statement of its own that does (the dashboard).
 */
export function moneySql(where: SQL, asOf?: string): SQL {
  const upTo = asOf
    ? sql` and (a.fiscal_year is null or a.fiscal_year <= ${Number(asOf.slice(0, 4))})`
    : sql``;
  return sql`select a.program, a.fiscal_year as "fiscalYear",
            coalesce(sum(a.amount) filter (where a.amount_meaning = 'total_award'), 0)::float8 as "totalAward",
            coalesce(sum(a.amount) filter (where a.amount_meaning = 'city_share'), 0)::float8 as "cityShare",
            coalesce(sum(a.amount) filter (where a.amount_meaning = 'at_stake'), 0)::float8 as "atStake",
            coalesce(sum(a.amount) filter (where a.amount_meaning = 'withheld'), 0)::float8 as "withheld",
            (count(*) filter (where a.amount is null))::int as "unknownAmounts"
          from awards a where ${where}${upTo}
          group by a.program, a.fiscal_year order by a.fiscal_year desc nulls last, a.program`;
}

/** `moneySql`'s rows over the awards the scope allows. */
export async function moneyRows(
  ctx: ReadContext,
  where: SQL = sql`true`,
  asOf?: string,
): Promise<MoneyRow[]> {
  return queryRows<MoneyRow>(ctx.db, inScope(ctx.scope, moneySql(where, asOf)));
}

/**
 * How many jurisdictions have a condition whose status puts money at risk (on the as-of day): the
 * statement alone, to put in a statement that applies the scope (see `moneySql`).
 */
export const atRiskJurisdictionsSql = (asOf?: string): SQL =>
  sql`select count(distinct c.jurisdiction_id)::int as n from conditions c
      where ${conditionStatus(asOf)} in (${list(AT_RISK_CONDITION_STATUSES)})`;
