import {
  AT_RISK_CONDITION_STATUSES,
  type AtRisk,
  type AtRiskRow,
  type LitigationState,
  type RulingFavors,
  toCsv,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { lastDayOf, list, queryRows } from "../../db/sql.js";
import { conditionStatus } from "./money.js";
import { awardsUpTo, statusOnAsOf } from "./queries.js";

type Lawsuit = AtRiskRow["lawsuits"][number];

/**
 * The state of a place's litigation over its grant conditions. The place is the plaintiff in
 * these suits (a city suing the department over the conditions on its money), so a ruling that
 * favours the plaintiff is a win for it. Each lawsuit stands where its latest decisive ruling left
 * it (a ruling of kind 'ruling' favouring the plaintiff, the defendant, or mixed; a ruling
 * favouring neither side or not saying, such as an en banc order, decides nothing):
 *   - won: its latest decisive ruling favours the plaintiff;
 *   - lost: it favours the defendant (the department);
 *   - mixed: it is mixed;
 *   - pending: no decisive ruling yet.
 * The place's state: none without lawsuits; pending when none of them has a decisive ruling;
 * otherwise the state its decided lawsuits agree on (won or lost), or mixed when they disagree
 * or one of them is mixed. Undecided lawsuits beside decided ones do not change that state.
 */
export function litigationState(lawsuits: readonly { decisive: RulingFavors | null }[]): LitigationState {
  if (!lawsuits.length) return "none";
  const decided = new Set(
    lawsuits.flatMap((l) =>
      l.decisive === "plaintiff"
        ? ["won"]
        : l.decisive === "defendant"
          ? ["lost"]
          : l.decisive === "mixed"
            ? ["mixed"]
            : [],
    ),
  );
  if (!decided.size) return "pending";
  return decided.size === 1 ? ([...decided][0] as LitigationState) : "mixed";
}

/**
 * The places with a condition whose status puts money at risk (on the as-of day when asked), the
 * amounts at stake and withheld from their awards, and the state of their lawsuits over conditions.
 */
export async function findAtRisk(ctx: ReadContext, asOf?: string): Promise<AtRisk> {
  const conditions = await queryRows<
    AtRiskRow["conditions"][number] & { jurisdiction: AtRiskRow["jurisdiction"] }
  >(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select * from (select c.id, c.slug, c.kind, c.program, c.fiscal_year as "fiscalYear",
            ${conditionStatus(asOf)} as status, ${asOf ? statusOnAsOf(asOf) : sql`c.status_on`} as "statusOn",
            json_build_object('id', j.id, 'slug', j.slug, 'name', j.name, 'kind', j.kind, 'stateCode', j.state_code)
              as jurisdiction, j.name as place
          from conditions c join jurisdictions j on j.id = c.jurisdiction_id) x
          where x.status in (${list(AT_RISK_CONDITION_STATUSES)}) order by x.place, x.jurisdiction->>'slug', x.slug`,
    ),
  );
  const places = [...new Map(conditions.map((c) => [c.jurisdiction.id, c.jurisdiction])).values()];
  if (!places.length) return { asOf: asOf ?? null, items: [], total: 0 };
  const ids = list(places.map((p) => p.id));
  const amounts = await queryRows<{ jurisdictionId: string; atStake: number; withheld: number }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select a.jurisdiction_id as "jurisdictionId",
            coalesce(sum(a.amount) filter (where a.amount_meaning = 'at_stake'), 0)::float8 as "atStake",
            coalesce(sum(a.amount) filter (where a.amount_meaning = 'withheld'), 0)::float8 as "withheld"
          from awards a where a.jurisdiction_id in (${ids}) and ${awardsUpTo(asOf)} group by a.jurisdiction_id`,
    ),
  );
  const rulingsUpTo = asOf ? sql` and ${lastDayOf("e.date")} <= ${asOf}` : sql``;
  const lawsuits = await queryRows<Lawsuit & { jurisdictionId: string; decisive: RulingFavors | null }>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`select m.id, m.slug, m.title, m.kind, m.status, x.jid as "jurisdictionId",
            (select json_build_object('date', e.date, 'title', e.title, 'favors', e.favors) from events e
              where e.matter_id = m.id and e.kind = 'ruling'${rulingsUpTo}
              order by ${lastDayOf("e.date")} desc, e.slug desc limit 1) as "lastRuling",
            (select e.favors from events e
              where e.matter_id = m.id and e.kind = 'ruling' and e.favors in ('plaintiff', 'defendant', 'mixed')${rulingsUpTo}
              order by ${lastDayOf("e.date")} desc, e.slug desc limit 1) as decisive
          from matters m join (
              select cm.matter_id, c.jurisdiction_id as jid from condition_matters cm join conditions c on c.id = cm.condition_id
              union
              select am.matter_id, a.jurisdiction_id from award_matters am join awards a on a.id = am.award_id) x
            on x.matter_id = m.id
          where m.kind = 'lawsuit' and x.jid in (${ids})${asOf ? sql` and (m.opened_on is null or m.opened_on <= ${asOf})` : sql``}
          order by m.opened_on nulls last, m.slug`,
    ),
  );
  const items: AtRiskRow[] = places.map((jurisdiction) => {
    const own = lawsuits.filter((l) => l.jurisdictionId === jurisdiction.id);
    const money = amounts.find((a) => a.jurisdictionId === jurisdiction.id);
    return {
      jurisdiction,
      conditions: conditions
        .filter((c) => c.jurisdiction.id === jurisdiction.id)
        .map(({ id, slug, kind, program, fiscalYear, status, statusOn }) => ({
          id,
          slug,
          kind,
          program,
          fiscalYear,
          status,
          statusOn,
        })),
      atStake: money?.atStake ?? 0,
      withheld: money?.withheld ?? 0,
      litigation: litigationState(own),
      lawsuits: own.map(({ id, slug, title, kind, status, lastRuling }) => ({
        id,
        slug,
        title,
        kind,
        status,
        lastRuling,
      })),
    };
  });
  return { asOf: asOf ?? null, items, total: items.length };
}

export const AT_RISK_CSV_COLUMNS = [
  "jurisdiction",
  "name",
  "state",
  "conditions",
  "atStake",
  "withheld",
  "litigation",
  "lawsuits",
] as const;

/** The at-risk rows as CSV: one line a place; conditions as slug:status, lawsuits as slugs, `;`-separated. */
export async function exportAtRiskCsv(ctx: ReadContext, asOf?: string): Promise<string> {
  const { items } = await findAtRisk(ctx, asOf);
  return toCsv(
    AT_RISK_CSV_COLUMNS,
    items.map((r) => [
      r.jurisdiction.slug,
      r.jurisdiction.name,
      r.jurisdiction.stateCode,
      r.conditions.map((c) => `${c.slug}:${c.status}`).join(";"),
      r.atStake,
      r.withheld,
      r.litigation,
      r.lawsuits.map((l) => l.slug).join(";"),
    ]),
  );
}
