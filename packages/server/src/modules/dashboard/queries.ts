import {
  AGREEMENT_KINDS,
  type Dashboard,
  type Event,
  type MatterStatus,
  type MoneyRow,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { scopeTables } from "../../context/read-scope.js";
import { list, queryRows } from "../../db/sql.js";
import { EVENT_SELECT } from "../events/index.js";
import { atRiskJurisdictionsSql, moneySql } from "../grants/index.js";
import { mattersOnDay } from "../matters/index.js";

const FIRST_YEAR = 1994;

/** A grouped count as a JSON array of `{ <key>: …, count }`, most first (an empty group: `[]`). */
const countsBy = (key: "kind" | "status") =>
  sql.raw(`coalesce((select json_agg(json_build_object('${key}', x.${key}, 'count', x.n) order by x.n desc, x.${key})
    from (select ${key}, count(*)::int as n from dm group by ${key}) x), '[]'::json)`);

/**
 * Everything the dashboard shows, over the matters and events the scope allows (a monitor's
 * dashboard is about their matters). `today` (YYYY-MM-DD) is the caller's, who keys the cached
 * answer by it. With `asOf`, the figures are those of that day: matters that had begun, with the
 * status they had then, and the events up to then.
 *
 * One statement computes it all (so every figure is of the same moment, and a busy connection
 * pool is waited for once): the matters' figures over `dm`, the matters in view with the status of
 * the day, found once (`materialized`, the day's status spans read from their index) and grouped
 * several ways; the events, hearings and money beside them, each part as JSON.
 */
export async function getDashboard(ctx: ReadContext, today: string, asOf?: string): Promise<Dashboard> {
  const { db, scope } = ctx;
  const day = asOf ?? today;
  const thisYear = Number(day.slice(0, 4));
  // Dates up to the day (a partial date counts from its first day).
  const upTo = (column: string) => (asOf ? sql` and ${sql.raw(column)} <= ${asOf}` : sql``);
  // As of a day: the matters begun by then, with their status then (from the day's spans alone).
  const inView = asOf
    ? mattersOnDay(asOf, scope.kind === "all")
    : sql`select m.id, m.kind, m.status, m.jurisdiction_id, m.opened_on, m.agreement_on, m.entered_on, m.ended_on
          from matters m`;
  // Narrowed, the jurisdictions and agencies counted are those of the matters in view: the
  // places are the rows of placeCounts (below), the agencies those with a matter in view (a probe
  // of each agency's links, cheaper than sorting every link of every matter in view).
  const narrowed = scope.kind !== "all" || asOf !== undefined;
  const places = narrowed
    ? sql`null::int as jurisdictions, (select count(*)::int from agencies a where exists (
          select 1 from matter_agencies ma join dm m on m.id = ma.matter_id where ma.agency_id = a.id)) as agencies`
    : sql`(select count(*)::int from jurisdictions) as jurisdictions, (select count(*)::int from agencies) as agencies`;
  // Opened: the year an investigation or engagement began. Entered: the year an agreement took
  // effect (entered by the court, else signed). Terminated: the year an agreement ended.
  const yearly = sql`select substr(opened_on, 1, 4)::int as year, 'opened' as what, count(*)::int as n
          from dm where opened_on is not null${upTo("opened_on")} and kind not in (${list(AGREEMENT_KINDS)}) group by 1
        union all
        select substr(coalesce(entered_on, agreement_on), 1, 4)::int, 'entered', count(*)::int
          from dm where coalesce(entered_on, agreement_on) is not null${upTo("coalesce(entered_on, agreement_on)")}
            and kind in (${list(AGREEMENT_KINDS)}) group by 1
        union all
        select substr(ended_on, 1, 4)::int, 'terminated', count(*)::int
          from dm where ended_on is not null${upTo("ended_on")} and kind in (${list(AGREEMENT_KINDS)}) group by 1`;
  // The map: each state's matters by status, and each place's matters, as compact rows
  // ([state, status, n] and [state, slug, name, n]): thousands of them as of a busy day.
  const stateStatusesSql = sql`select json_build_array(j.state_code, m.status, count(*)::int) as r
        from dm m join jurisdictions j on j.id = m.jurisdiction_id group by j.state_code, m.status`;
  // Counted by place first, so that only a row a place is joined to its name.
  const placeCountsSql = sql`select json_build_array(j.state_code, j.slug, j.name, g.n) as r
        from (select jurisdiction_id, count(*)::int as n from dm group by jurisdiction_id) g
        join jurisdictions j on j.id = g.jurisdiction_id`;
  const recent = sql`${EVENT_SELECT} where e.date <= ${day} order by e.date desc, e.slug limit 10`;
  // The ten hearings are chosen first (events_upcoming_hearings_idx reads them in order), and
  // only those are joined to their matters and built into events.
  const upcoming = sql`${EVENT_SELECT} where e.id in (
          select h.id from events h
          where h.kind = 'hearing' and coalesce(h.status, 'scheduled') in ('scheduled', 'postponed')
            and coalesce(h.new_date, h.date) >= ${day}
          order by coalesce(h.new_date, h.date), h.time nulls last, h.slug limit 10)`;
  const [figures] = await queryRows<{
    jurisdictions: number | null;
    agencies: number;
    events: number;
    byKind: Dashboard["byKind"];
    byStatus: Dashboard["byStatus"];
    yearly: { year: number; what: string; n: number }[];
    stateStatuses: [stateCode: string, status: MatterStatus, n: number][];
    placeCounts: [stateCode: string, slug: string, name: string, n: number][];
    recentEvents: Event[];
    upcomingHearings: Event[];
    money: MoneyRow[];
    atRiskJurisdictions: number;
  }>(
    db,
    sql`with ${scopeTables(scope)}dm as materialized (${inView})
        select ${places},
          (select count(*)::int from events e where true${upTo("e.date")}) as events,
          ${countsBy("kind")} as "byKind", ${countsBy("status")} as "byStatus",
          coalesce((select json_agg(y) from (${yearly}) y), '[]'::json) as yearly,
          coalesce((select json_agg(x.r) from (${stateStatusesSql}) x), '[]'::json) as "stateStatuses",
          coalesce((select json_agg(x.r) from (${placeCountsSql}) x), '[]'::json) as "placeCounts",
          coalesce((select json_agg(r order by r.date desc, r.slug) from (${recent}) r), '[]'::json) as "recentEvents",
          coalesce((select json_agg(r order by coalesce(r."newDate", r.date), r.time nulls last, r.slug)
            from (${upcoming}) r), '[]'::json) as "upcomingHearings",
          coalesce((select json_agg(r order by r."fiscalYear" desc nulls last, r.program)
            from (${moneySql(sql`true`, asOf)}) r), '[]'::json) as money,
          (${atRiskJurisdictionsSql(asOf)}) as "atRiskJurisdictions"`,
  );
  const {
    byKind,
    byStatus,
    yearly: yearRows,
    stateStatuses,
    placeCounts,
    recentEvents,
    upcomingHearings,
    money,
    atRiskJurisdictions,
    jurisdictions,
    agencies,
    events,
  } = figures!;
  // Every matter in view has one kind and one place (matters.jurisdiction_id is required).
  const totals = {
    matters: byKind.reduce((n, k) => n + k.count, 0),
    jurisdictions: jurisdictions ?? placeCounts.length,
    agencies,
    events,
  };
  const perYear: Dashboard["perYear"] = [];
  for (let year = FIRST_YEAR; year <= thisYear; year++)
    perYear.push({ year, opened: 0, entered: 0, terminated: 0 });
  for (const r of yearRows) {
    const slot = perYear[r.year - FIRST_YEAR];
    if (slot) slot[r.what as "opened" | "entered" | "terminated"] += r.n;
  }
  const states = new Map<string, Dashboard["byState"][number]>();
  const stateOf = (stateCode: string) => {
    let s = states.get(stateCode);
    if (!s) {
      s = { stateCode, count: 0, statuses: [], jurisdictions: [] } as unknown as Dashboard["byState"][number];
      states.set(stateCode, s);
    }
    return s;
  };
  for (const [stateCode, status, n] of stateStatuses) {
    const s = stateOf(stateCode);
    s.count += n;
    s.statuses.push({ status, count: n });
  }
  for (const [stateCode, slug, name, n] of placeCounts)
    stateOf(stateCode).jurisdictions.push({ slug, name, count: n });
  const byState = [...states.values()].sort((a, b) => a.stateCode.localeCompare(b.stateCode));
  for (const s of byState) {
    s.statuses.sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
    s.jurisdictions.sort(
      (a, b) => b.count - a.count || a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug),
    );
  }
  return {
    asOf: asOf ?? null,
    totals,
    byKind,
    byStatus,
    perYear,
    byState,
    recentEvents,
    upcomingHearings,
    money,
    atRiskJurisdictions,
  };
}
