import { AGREEMENT_KINDS, type Dashboard, type Event, type MatterStatus } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope, scopeTables } from "../../context/read-scope.js";
import { list, queryRows } from "../../db/sql.js";
import { EVENT_SELECT } from "../events/index.js";
import { countAtRiskJurisdictions, moneyRows } from "../grants/index.js";
import { statusAsOfJoin } from "../matters/index.js";

const FIRST_YEAR = 1994;

/**
 * Everything the dashboard shows, from a handful of grouped queries, over the matters and events
 * the scope allows (a monitor's dashboard is about their matters). `today` (YYYY-MM-DD) is the
 * caller's, who keys the cached answer by it. With `asOf`, the figures are those of that day:
 * matters that had begun, with the status they had then, and the events up to then.
 */
export async function getDashboard(ctx: ReadContext, today: string, asOf?: string): Promise<Dashboard> {
  const { db, scope } = ctx;
  const day = asOf ?? today;
  const thisYear = Number(day.slice(0, 4));
  // As of a day, `matters` is shadowed once more: the matters begun by then, with their status then.
  const read = <T>(statement: SQL) =>
    queryRows<T>(
      db,
      asOf
        ? sql`with ${scopeTables(scope)}as_of as (
                select m.id, m.slug, m.kind, sa.status, m.title, m.jurisdiction_id, m.opened_on, m.agreement_on,
                  m.entered_on, m.ended_on from matters m ${statusAsOfJoin(asOf)} where sa.begun)
              ${statement}`
        : inScope(scope, statement),
    );
  const M = sql.raw(asOf ? "as_of" : "matters");
  // Dates up to the day (a partial date counts from its first day).
  const upTo = (column: string) => (asOf ? sql` and ${sql.raw(column)} <= ${asOf}` : sql``);
  // Narrowed, the jurisdictions and agencies counted are those of the matters in view.
  const places =
    scope.kind === "all" && !asOf
      ? sql`(select count(*)::int from jurisdictions) as jurisdictions, (select count(*)::int from agencies) as agencies`
      : sql`(select count(distinct jurisdiction_id)::int from ${M}) as jurisdictions,
          (select count(distinct ma.agency_id)::int from matter_agencies ma join ${M} m on m.id = ma.matter_id) as agencies`;
  const [totals] = await read<Dashboard["totals"]>(
    sql`select (select count(*)::int from ${M}) as matters, ${places},
          (select count(*)::int from events e where true${upTo("e.date")}) as events`,
  );
  const byKind = await read<Dashboard["byKind"][number]>(
    sql`select kind, count(*)::int as count from ${M} group by kind order by count desc, kind`,
  );
  const byStatus = await read<Dashboard["byStatus"][number]>(
    sql`select status, count(*)::int as count from ${M} group by status order by count desc, status`,
  );
  // Opened: the year an investigation or engagement began. Entered: the year an agreement took
  // effect (entered by the court, else signed). Terminated: the year an agreement ended.
  const yearly = await read<{ year: number; what: string; n: number }>(
    sql`select substr(opened_on, 1, 4)::int as year, 'opened' as what, count(*)::int as n
          from ${M} where opened_on is not null${upTo("opened_on")} and kind not in (${list(AGREEMENT_KINDS)}) group by 1
        union all
        select substr(coalesce(entered_on, agreement_on), 1, 4)::int, 'entered', count(*)::int
          from ${M} where coalesce(entered_on, agreement_on) is not null${upTo("coalesce(entered_on, agreement_on)")}
            and kind in (${list(AGREEMENT_KINDS)}) group by 1
        union all
        select substr(ended_on, 1, 4)::int, 'terminated', count(*)::int
          from ${M} where ended_on is not null${upTo("ended_on")} and kind in (${list(AGREEMENT_KINDS)}) group by 1`,
  );
  const perYear: Dashboard["perYear"] = [];
  for (let year = FIRST_YEAR; year <= thisYear; year++)
    perYear.push({ year, opened: 0, entered: 0, terminated: 0 });
  for (const r of yearly) {
    const slot = perYear[r.year - FIRST_YEAR];
    if (slot) slot[r.what as "opened" | "entered" | "terminated"] += r.n;
  }
  const stateRows = await read<{
    stateCode: string;
    status: MatterStatus;
    slug: string;
    name: string;
    n: number;
  }>(
    sql`select j.state_code as "stateCode", m.status, j.slug, j.name, count(*)::int as n
        from ${M} m join jurisdictions j on j.id = m.jurisdiction_id
        group by j.state_code, m.status, j.slug, j.name`,
  );
  const states = new Map<string, Dashboard["byState"][number]>();
  for (const r of stateRows) {
    const s =
      states.get(r.stateCode) ??
      ({
        stateCode: r.stateCode,
        count: 0,
        statuses: [],
        jurisdictions: [],
      } as unknown as Dashboard["byState"][number]);
    s.count += r.n;
    const st = s.statuses.find((x) => x.status === r.status);
    if (st) st.count += r.n;
    else s.statuses.push({ status: r.status, count: r.n });
    const j = s.jurisdictions.find((x) => x.slug === r.slug);
    if (j) j.count += r.n;
    else s.jurisdictions.push({ slug: r.slug, name: r.name, count: r.n });
    states.set(r.stateCode, s);
  }
  const byState = [...states.values()].sort((a, b) => a.stateCode.localeCompare(b.stateCode));
  for (const s of byState) {
    s.statuses.sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
    s.jurisdictions.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }
  const recentEvents = await read<Event>(
    sql`${EVENT_SELECT} where e.date <= ${day} order by e.date desc, e.slug limit 10`,
  );
  const upcomingHearings = await read<Event>(
    sql`${EVENT_SELECT} where e.kind = 'hearing' and coalesce(e.status, 'scheduled') in ('scheduled', 'postponed')
          and coalesce(e.new_date, e.date) >= ${day}
        order by coalesce(e.new_date, e.date), e.time nulls last, e.slug limit 10`,
  );
  return {
    asOf: asOf ?? null,
    totals: totals ?? { matters: 0, jurisdictions: 0, agencies: 0, events: 0 },
    byKind,
    byStatus,
    perYear,
    byState,
    recentEvents,
    upcomingHearings,
    money: await moneyRows(ctx, sql`true`, asOf),
    atRiskJurisdictions: await countAtRiskJurisdictions(ctx, asOf),
  };
}
