import { OFFICIAL_RATER } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/open.js";
// A cycle by design: the view is computed by the queries that read these packs.
import { periodsLatestFirst } from "./period-order.js";
import { storeMatterView } from "./queries/matter-view.js";

/*
 * The per-decree compliance view reads one packed row per matter (compliance_matter_summaries),
 * rewritten in the same transaction as every change it depends on. Packed: fields joined by
 * U+001F, rows by U+001E — the embedded database hands over one value far faster than a thousand
 * rows of several columns, and builds text faster than JSON.
 */

const FIELD = "\u001f";
const RECORD = "\u001e";

/**
 * The ratings the official figures count (`a` is the assessments row). The roll-ups, the provision
 * states (sustainment) and the movement between periods are the court monitor's figures: they count
 * the monitor's ratings only. A provision-period the monitor did not rate but another rater did
 * (the department, the city's self-assessment) is not rated in these figures — never filled in
 * with the other rater's level, since raters' scales of judgement differ and a mixed count would
 * be nobody's. The view lists those ratings beside the figures (MatterCompliance.otherRaters), and
 * each provision's page shows every rater's rating side by side.
 */
export const COUNTED_SQL = (a: string) => sql.raw(`${a}.rater = '${OFFICIAL_RATER}'`);

/** The ratings the official figures leave out: the partial index assessments_other_raters_idx's condition. */
export const UNCOUNTED_SQL = (a: string) => sql.raw(`${a}.rater <> '${OFFICIAL_RATER}'`);

/** A subquery packing the rows of `from` into one text. concat_ws skips nulls: wrap nullable columns in `orEmpty`. */
export const packed = (columns: SQL[], from: SQL, order?: SQL) =>
  sql`(select string_agg(concat_ws(chr(31), ${sql.join(columns, sql`, `)}), chr(30)${
    order ? sql` order by ${order}` : sql``
  }) ${from})`;

/** A nullable column for `packed`: null as empty. */
export const orEmpty = (c: SQL) => sql`coalesce((${c})::text, '')`;

export const unpack = (text: string | null | undefined): string[][] =>
  text ? text.split(RECORD).map((r) => r.split(FIELD)) : [];

export const orNull = (v: string | undefined) => (v ? v : null);

/** Which state of the matter's provisions a summary was made from (any insert, update or retirement changes it). */
export const provisionsFingerprint = (matterId: string) =>
  sql`(select count(*) || '/' || coalesce(sum(version), 0) || '/' || coalesce(max(updated_at)::text, '')
       from provisions where matter_id = ${matterId})`;

/** The roll-ups: period, level, topic, section, count. */
export const rollupsPack = (matterId: string) =>
  packed(
    [sql`r.period_id`, sql`r.level`, sql`r.topic`, sql`r.section`, sql`r.count`],
    sql`from compliance_rollups r where r.matter_id = ${matterId} and r.count <> 0`,
  );

/**
 * Each current provision: number, section number and title, terminated on and by, the last
 * period below the sustainment level, the start of the run after it, its latest level, a
 * court's start date and order, its label and its position in the decree.
 */
export const clocksPack = (matterId: string) =>
  packed(
    [
      // Wrapped like every nullable column: concat_ws would drop a null and shift the rest.
      orEmpty(sql`p.number`),
      orEmpty(sql`p.sections->0->>'number'`),
      orEmpty(sql`p.sections->0->>'title'`),
      orEmpty(sql`p.terminated_on`),
      orEmpty(sql`p.terminated_by_event_id`),
      orEmpty(sql`st.last_below_on`),
      orEmpty(sql`st.run_started_on`),
      orEmpty(sql`st.latest_level`),
      orEmpty(sql`ss.starts_on`),
      orEmpty(sql`ss.event_id`),
      sql`p.label`,
      sql`p.position`,
    ],
    sql`from provisions p
      left join compliance_provision_states st on st.provision_id = p.id and st.matter_id = ${matterId}
      left join sustainment_starts ss on ss.provision_id = p.id
      where p.matter_id = ${matterId} and p.retired_at is null`,
  );

/**
 * How the provisions rated by the monitor in either period moved between them, grouped by (from level, to level):
 * the count, and the paragraph numbers of the current provisions (retired ones are only counted).
 */
export const movementPack = (matterId: string, from: SQL, to: SQL) =>
  packed(
    [sql`x.f`, sql`x.t`, sql`x.n`, sql`x.numbers`],
    sql`from (
        select coalesce(f.level, '') as f, coalesce(t.level, '') as t, count(*) as n,
          coalesce(string_agg(p.number::text, ',' order by p.number) filter (where p.retired_at is null), '') as numbers
        from (select a.provision_id, a.level from assessments a where a.period_id = ${from} and ${COUNTED_SQL("a")}) f
          full join (select a.provision_id, a.level from assessments a where a.period_id = ${to} and ${COUNTED_SQL("a")}) t
            on t.provision_id = f.provision_id
          join provisions p on p.id = coalesce(t.provision_id, f.provision_id)
        where p.matter_id = ${matterId}
        group by 1, 2) x`,
  );

/** The matter's last `n`-th rated period (0: the latest), by end date then label. */
export const ratedPeriod = (matterId: string, n: number) =>
  sql`(select rp.id from reporting_periods rp
       where rp.matter_id = ${matterId}
         and (select true from compliance_rollups r where r.matter_id = rp.matter_id and r.period_id = rp.id limit 1)
       order by ${periodsLatestFirst("rp")} offset ${n} limit 1)`;

/**
 * Rewrites the matter's packed compliance view from its roll-ups, provision states and ratings,
 * and the static part of the view computed from it. Call it last in every transaction that
 * changes any of them.
 */
export async function refreshMatterSummary(tx: Tx, matterId: string) {
  await tx.execute(sql`
    with pair as (select ${ratedPeriod(matterId, 1)} as from_id, ${ratedPeriod(matterId, 0)} as to_id)
    insert into compliance_matter_summaries
      (matter_id, provisions_fingerprint, rollups, clocks, movement, movement_from, movement_to, refreshed_at)
    select ${matterId}, ${provisionsFingerprint(matterId)}, ${rollupsPack(matterId)}, ${clocksPack(matterId)},
      case when pair.to_id is null then null else ${movementPack(matterId, sql`pair.from_id`, sql`pair.to_id`)} end,
      pair.from_id, pair.to_id, now()
    from pair
    on conflict (matter_id) do update set provisions_fingerprint = excluded.provisions_fingerprint,
      rollups = excluded.rollups, clocks = excluded.clocks, movement = excluded.movement,
      movement_from = excluded.movement_from, movement_to = excluded.movement_to, refreshed_at = excluded.refreshed_at`);
  await storeMatterView(tx, matterId);
}
