import { AGREEMENT_KINDS, type Dashboard, type Event, type MatterStatus } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { inScope } from "../../context/read-scope.js";
import { list, queryRows } from "../../db/sql.js";
import { EVENT_SELECT } from "../events/index.js";

const FIRST_YEAR = 1994;

/**
 * Everything the dashboard shows, from a handful of grouped queries, over the matters and events
 * the scope allows (a monitor's dashboard is about their matters). `today` (YYYY-MM-DD) is the
 * caller's, who keys the cached answer by it.
 */
export async function getDashboard(ctx: ReadContext, today: string): Promise<Dashboard> {
  const { db, scope } = ctx;
  const thisYear = Number(today.slice(0, 4));
  const read = <T>(statement: SQL) => queryRows<T>(db, inScope(scope, statement));
  // Narrowed, the jurisdictions and agencies counted are those of the matters in view.
  const places =
    scope.kind === "all"
      ? sql`(select count(*)::int from jurisdictions) as jurisdictions, (select count(*)::int from agencies) as agencies`
      : sql`(select count(distinct jurisdiction_id)::int from matters) as jurisdictions,
          (select count(distinct ma.agency_id)::int from matter_agencies ma join matters m on m.id = ma.matter_id) as agencies`;
  const [totals] = await read<Dashboard["totals"]>(
    sql`select (select count(*)::int from matters) as matters, ${places}, (select count(*)::int from events) as events`,
  );
  const byKind = await read<Dashboard["byKind"][number]>(
    sql`select kind, count(*)::int as count from matters group by kind order by count desc, kind`,
  );
  const byStatus = await read<Dashboard["byStatus"][number]>(
    sql`select status, count(*)::int as count from matters group by status order by count desc, status`,
  );
  // Opened: the year an investigation or engagement began. Entered: the year an agreement took
  // effect (entered by the court, else signed). Terminated: the year an agreement ended.
  const yearly = await read<{ year: number; what: string; n: number }>(
    sql`select substr(opened_on, 1, 4)::int as year, 'opened' as what, count(*)::int as n
          from matters where opened_on is not null and kind not in (${list(AGREEMENT_KINDS)}) group by 1
        union all
        select substr(coalesce(entered_on, agreement_on), 1, 4)::int, 'entered', count(*)::int
          from matters where coalesce(entered_on, agreement_on) is not null and kind in (${list(AGREEMENT_KINDS)}) group by 1
        union all
        select substr(ended_on, 1, 4)::int, 'terminated', count(*)::int
          from matters where ended_on is not null and kind in (${list(AGREEMENT_KINDS)}) group by 1`,
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
        from matters m join jurisdictions j on j.id = m.jurisdiction_id
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
    sql`${EVENT_SELECT} where e.date <= ${today} order by e.date desc, e.slug limit 10`,
  );
  const upcomingHearings = await read<Event>(
    sql`${EVENT_SELECT} where e.kind = 'hearing' and coalesce(e.status, 'scheduled') in ('scheduled', 'postponed')
          and coalesce(e.new_date, e.date) >= ${today.slice(0, 10)}
        order by coalesce(e.new_date, e.date), e.time nulls last, e.slug limit 10`,
  );
  return {
    totals: totals ?? { matters: 0, jurisdictions: 0, agencies: 0, events: 0 },
    byKind,
    byStatus,
    perYear,
    byState,
    recentEvents,
    upcomingHearings,
  };
}
