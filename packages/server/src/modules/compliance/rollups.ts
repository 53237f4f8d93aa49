import { NO_SECTION, qualifyingLevels } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { Queryable, Tx } from "../../db/open.js";
import { queryRows } from "../../db/sql.js";
import { periodsLatestFirst } from "./period-order.js";
import { loadScale } from "./scale.js";
import { COUNTED_SQL, refreshMatterSummary } from "./summary.js";

/** A provision's topics (`p` is the provisions row): a person's correction, else the classifier's. */
export const TOPICS_SQL = (p: string) =>
  sql.raw(`coalesce(${p}.topics_override, jsonb_path_query_array(${p}.topics, '$[*].topic'))`);

/** A provision's first-level section as the roll-ups key it: "V. Protection from Harm". */
export const SECTION_SQL = (p: string) =>
  sql.raw(
    `coalesce(nullif(concat_ws('. ', nullif(${p}.sections->0->>'number', ''), nullif(${p}.sections->0->>'title', '')), ''), '${NO_SECTION}')`,
  );

/**
 * Every roll-up key of the provisions `where` selects (alias `p`): the matter as a whole ('' topic
 * and section), each of its topics, and its section.
 */
const keysOf = (where: SQL) => sql`
  select p.id as provision_id, '' as topic, '' as section from provisions p where ${where}
  union all
  select p.id, t.topic, '' from provisions p
    cross join lateral (select distinct jsonb_array_elements_text(${TOPICS_SQL("p")}) as topic) t
    where ${where}
  union all
  select p.id, '', ${SECTION_SQL("p")} from provisions p where ${where}`;

/**
 * Serialises the rating writes of one matter (and its scale changes): each reads the levels it
 * replaces, then moves the roll-up counts by the difference, which is only right if no other
 * write of the same ratings runs in between. Row locks cannot cover ratings not yet inserted.
 *
 * The matter's row is key-share locked first, in the same statement. A rating write moves the
 * matter's compliance generation (a trigger on assessments) and then key-shares the matter (the
 * roll-ups' foreign key); an edit of the matter locks its row and then moves the same generation
 * (a trigger on matters). Taken in opposite orders, the two deadlocked (the mixed bench case:
 * "deadlock detected", a 500, about once a minute); taking the matter's row first orders them.
 */
export async function lockMatterRatings(tx: Tx, matterId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`compliance:${matterId}`}, 0))
    from (select count(*) from (select id from matters where id = ${matterId} for key share) m) locked`);
}

export interface RollupDelta {
  provisionId: string;
  periodId: string;
  level: string;
  /** +1 for a rating given, −1 for one taken back. */
  delta: 1 | -1;
}

/**
 * Moves the roll-up counts of a matter by rating changes, in the rating's own transaction, so the
 * dashboards always read sums that match the ratings.
 */
export async function applyRollupDeltas(tx: Tx, matterId: string, deltas: readonly RollupDelta[]) {
  if (!deltas.length) return;
  const json = JSON.stringify(
    deltas.map((d) => ({ p: d.provisionId, q: d.periodId, l: d.level, d: d.delta })),
  );
  await tx.execute(sql`
    with d as (select * from jsonb_to_recordset(${json}::jsonb) as x(p uuid, q uuid, l text, d int)),
    k as (${keysOf(sql`p.id in (select distinct d.p from d)`)}),
    agg as (
      select d.q as period_id, d.l as level, k.topic, k.section, sum(d.d)::int as delta
      from d join k on k.provision_id = d.p
      group by 1, 2, 3, 4 having sum(d.d) <> 0
    )
    insert into compliance_rollups (matter_id, period_id, level, topic, section, count)
    select ${matterId}, period_id, level, topic, section, delta from agg
    on conflict (matter_id, period_id, level, topic, section)
      do update set count = compliance_rollups.count + excluded.count`);
  const periods = [...new Set(deltas.map((d) => d.periodId))];
  await tx.execute(
    sql`delete from compliance_rollups where matter_id = ${matterId} and count = 0
          and period_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(periods)}::jsonb))`,
  );
}

export interface RollupRow {
  periodId: string;
  level: string;
  topic: string;
  section: string;
  count: number;
}

/** The roll-ups of a matter counted afresh from its ratings (a raw scan: for checks and repairs). */
export function countRollups(db: Queryable, matterId: string): Promise<RollupRow[]> {
  return queryRows<RollupRow>(
    db,
    sql`with k as (${keysOf(sql`p.matter_id = ${matterId}`)})
        select a.period_id as "periodId", a.level, k.topic, k.section, count(*)::int as count
        from assessments a join k on k.provision_id = a.provision_id
        where ${COUNTED_SQL("a")}
        group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
  );
}

/** A text[] literal of level codes (codes are lowercase letters, digits and underscores). */
const codeArray = (codes: readonly string[]) => `{${codes.join(",")}}`;

/**
 * Recomputes what the sustainment clock needs of each provision's ratings (its latest level, the
 * last period below the sustainment level, the start of the qualifying run after it): for the
 * given provisions after their ratings changed, or for the whole matter after its scale or a
 * period's dates did. `qualifying`: the level codes at or above the sustainment level.
 */
export async function refreshProvisionStates(
  tx: Tx,
  matterId: string,
  qualifying: readonly string[],
  provisionIds: readonly string[] | null = null,
) {
  // An array parameter, not a set from jsonb: the planner knows its length, where a function's
  // rows (estimated at 100) once made it loop over every rating for each provision (12 s for the
  // 282 ratings of one report read on the first start).
  const ids = provisionIds ? `{${provisionIds.join(",")}}` : null;
  const only = ids ? sql`a.provision_id = any(${ids}::uuid[])` : sql`rp.matter_id = ${matterId}`;
  await tx.execute(
    ids
      ? sql`delete from compliance_provision_states where provision_id = any(${ids}::uuid[])`
      : sql`delete from compliance_provision_states where matter_id = ${matterId}`,
  );
  await tx.execute(
    sql`with h as (
          select a.provision_id, rp.ends_on, rp.label, a.level, a.level = any(${codeArray(qualifying)}::text[]) as q
          from assessments a join reporting_periods rp on rp.id = a.period_id
          where ${only} and ${COUNTED_SQL("a")}
        ),
        -- One pass, no join back to h: the planner cannot count a CTE's rows, and joining the
        -- run's start back per provision once looped over every rating for each one (11 s for
        -- the 282 ratings of a decree accepted again).
        hb as (
          select h.*, max(h.ends_on) filter (where not h.q) over (partition by h.provision_id) as last_below
          from h
        )
        insert into compliance_provision_states
          (provision_id, matter_id, latest_level, latest_ends_on, last_below_on, run_started_on)
        select provision_id, ${matterId}, (array_agg(level order by ${periodsLatestFirst("hb")}))[1], max(ends_on),
          max(last_below), min(ends_on) filter (where q and (last_below is null or ends_on > last_below))
        from hb group by provision_id`,
  );
}

/**
 * Recounts a matter's roll-ups, provision states and packed compliance view from its ratings. For
 * whoever changes a matter's provisions (accepts a parse, retires or removes provisions, corrects
 * topics or sections): call it in that change's transaction. Without it the roll-ups keep the old
 * topics and sections; the view notices changed provisions and counts afresh (slower) until then.
 */
export async function refreshComplianceRollups(tx: Tx, matterId: string) {
  await lockMatterRatings(tx, matterId);
  await tx.execute(sql`delete from compliance_rollups where matter_id = ${matterId}`);
  await tx.execute(
    sql`with k as (${keysOf(sql`p.matter_id = ${matterId}`)})
        insert into compliance_rollups (matter_id, period_id, level, topic, section, count)
        select ${matterId}, a.period_id, a.level, k.topic, k.section, count(*)::int
        from assessments a join k on k.provision_id = a.provision_id
        where ${COUNTED_SQL("a")}
        group by 2, 3, 4, 5`,
  );
  const scale = await loadScale(tx, matterId);
  await refreshProvisionStates(tx, matterId, qualifyingLevels(scale.levels, scale.sustainment));
  await refreshMatterSummary(tx, matterId);
}
