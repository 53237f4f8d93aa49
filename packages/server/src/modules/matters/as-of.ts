import {
  AS_OF_RULES,
  type AsOfTarget,
  DATE_FIELDS,
  type DateField,
  EVENT_KINDS,
  endStatuses,
  MATTER_KINDS,
  MATTER_STATUSES,
  type MatterKind,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { firstDayOf, lastDayOf } from "../../db/sql.js";

/**
 * The SQL form of the domain's `statusAsOf` (packages/domain/src/as-of.ts), built from the same
 * rules: for matter `m`, a lateral join `sa` with the status it had on a day (`sa.status`), how
 * that was decided (`sa.basis`: events or record), the date that decided it (`sa.decided_on`)
 * and whether it had begun (`sa.begun`). A test holds the two forms to the same answers.
 */

// Every literal below comes from the domain's closed vocabularies, never from a request.
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

function target(kind: MatterKind, t: AsOfTarget): string {
  if (t !== "ended") return lit(t);
  const ends = endStatuses(kind);
  return `case when m.status in (${ends.map(lit).join(", ")}) then m.status else ${lit(AS_OF_RULES[kind].end)} end`;
}

function fieldCase(field: DateField): string {
  const arms = MATTER_KINDS.flatMap((k) => {
    const t = AS_OF_RULES[k].fields[field];
    return t ? [`when ${lit(k)} then ${target(k, t)}`] : [];
  });
  return arms.length ? `case m.kind ${arms.join(" ")} end` : "null";
}

function eventCase(): string {
  const arms = MATTER_KINDS.flatMap((k) => {
    const inner = EVENT_KINDS.flatMap((e) => {
      const t = AS_OF_RULES[k].events[e];
      return t ? [`when ${lit(e)} then ${target(k, t)}`] : [];
    });
    return inner.length ? [`when ${lit(k)} then case e.kind ${inner.join(" ")} end`] : [];
  });
  return `case m.kind ${arms.join(" ")} end`;
}

const COLUMN: Record<DateField, string> = {
  openedOn: "opened_on",
  findingsOn: "findings_on",
  agreementOn: "agreement_on",
  enteredOn: "entered_on",
  endedOn: "ended_on",
};

/** The event kinds that move some kind of matter: no other event is read. */
export const MOVING_EVENTS = EVENT_KINDS.filter((e) => MATTER_KINDS.some((k) => AS_OF_RULES[k].events[e]))
  .map(lit)
  .join(", ");

/** For matter `m`: its key dates, each with the status it moved to (null where none). */
const FIELD_VALUES = `values ${DATE_FIELDS.map((f) => `(m.${COLUMN[f]}, ${fieldCase(f)})`).join(", ")}`;

// All of a matter's events, whoever reads: the status is the matter's, not the reader's.
const CHANGES = sql.raw(
  `select f.date, f.status from (${FIELD_VALUES}) f(date, status) union all
   select e.date, ${eventCase()} as status from public.events e where e.matter_id = m.id and e.kind in (${MOVING_EVENTS})`,
);

const RANK = `array[${MATTER_STATUSES.map(lit).join(", ")}]::text[]`;
/** The latest fact first; on one day the later status in the lifecycle, then the more precise date. */
const ORDER = sql.raw(
  `c.last desc, array_position(${RANK}, c.status) desc, length(c.date) desc, c.date desc`,
);

/** A change's date with the first and last day it may mean, for rows `ch` (date, status). */
const RANGED = sql`${firstDayOf("ch.date")} as first, ${lastDayOf("ch.date")} as last`;

/** Over a matter's changes `c`: whether it had begun, a change spans the day, one is after it, and the latest by then. */
const summary = (asOf: SQL) => sql`
  bool_or(c.first <= ${asOf}) as begun,
  coalesce(bool_or(c.first <= ${asOf} and c.last > ${asOf}), false) as straddles,
  coalesce(bool_or(c.first > ${asOf}), false) as after,
  (array_agg(c.status order by ${ORDER}) filter (where c.last <= ${asOf}))[1] as last_status,
  (array_agg(c.date order by ${ORDER}) filter (where c.last <= ${asOf}))[1] as last_date`;

/** From summary `x` and matter `m`: the status on the day, how it was decided, and begun (none dated: begun). */
const DECIDED = sql.raw(`
  case when x.straddles or x.last_status is null then m.status
       when x.after or x.last_status = m.status then x.last_status else m.status end as status,
  case when x.straddles or x.last_status is null then 'record'
       when x.after or x.last_status = m.status then 'events' else 'record' end as basis,
  case when x.straddles or x.last_status is null then null
       when x.after or x.last_status = m.status then x.last_date end as decided_on,
  coalesce(x.begun, true) as begun`);

/**
 * `left join lateral (…) sa on true`, for matter `m` on the day `asOf` (an SQL text expression
 * of a YYYY-MM-DD day): computed from the matter's dated facts. Reads use the spans kept from it
 * (`statusAsOfJoin`); this is what they are kept from, and what tests hold the domain to.
 */
export function statusAsOfLateral(asOf: SQL): SQL {
  return sql`left join lateral (
      select ${DECIDED} from (
        select ${summary(asOf)} from (select ch.date, ch.status, ${RANGED} from (${CHANGES}) ch
          where ch.date is not null and ch.status is not null) c
      ) x
    ) sa on true`;
}

/** The matter's columns every span carries (for the dashboard, `mattersOnDay`): kept by the same triggers. */
export const CARRIED = "kind, jurisdiction_id, opened_on, agreement_on, entered_on, ended_on";

/** A YYYY-MM-DD day as the number `day_range` holds (20110304). */
const dayNumber = (day: string) => sql`replace(${day}, '-', '')::integer`;

/**
 * The spans of `matter_status_spans` for the matters whose ids are in the SQL array `ids`, as
 * one set-based statement (an import recomputes thousands of matters at once). A matter's status
 * can change only on the first or last day of one of its dated facts: every test `summary` makes
 * compares the day with one of them (`first <= day`, `last <= day` and their negations). So a span
 * starts on each of those days (and on '', before them all), and holds what `statusAsOfLateral`
 * gives on that day, computed here from the same pieces over each matter's facts at once. Each
 * span also keeps where it ends (`to_day`, the next one's first day; `day_range` holds both, so
 * an index finds every matter's span of a day) and the matter's columns the dashboard groups by
 * (`CARRIED`), so a day's figures need not read the matters (`mattersOnDay`).
 */
export const computeStatusSpans = (ids: SQL) => sql`
  with m as (select * from matters where id = any(${ids})),
  c as (
    select m.id as matter_id, ch.date, ch.status, ${RANGED}
    from m cross join lateral (${CHANGES}) ch where ch.date is not null and ch.status is not null
  ),
  b as (
    select id as matter_id, '' as day from m
    union select matter_id, first from c
    union select matter_id, last from c
  ),
  x as (
    select b.matter_id, b.day, ${summary(sql.raw("b.day"))}
    from b left join c on c.matter_id = b.matter_id group by b.matter_id, b.day
  )
  insert into matter_status_spans (matter_id, from_day, to_day, status, basis, decided_on, begun, ${sql.raw(CARRIED)})
  select m.id, x.day, lead(x.day) over (partition by m.id order by x.day), sa.status, sa.basis, sa.decided_on, sa.begun,
    ${sql.raw(
      CARRIED.split(", ")
        .map((c) => `m.${c}`)
        .join(", "),
    )}
  from x join m on m.id = x.matter_id cross join lateral (select ${DECIDED}) sa`;

/**
 * `left join lateral (…) sa on true`, for matter `m` on the day `asOf` (YYYY-MM-DD): the span
 * that holds that day, one index probe per matter (see status-spans.ts for how spans are kept).
 */
export function statusAsOfJoin(asOf: string): SQL {
  return sql`left join lateral (
      select s.status, s.basis, s.decided_on, s.begun from matter_status_spans s
      where s.matter_id = m.id and s.from_day <= ${asOf} order by s.from_day desc limit 1
    ) sa on true`;
}

/**
 * The matters begun by the day `asOf` (YYYY-MM-DD), each with its status then and the columns
 * the dashboard groups by (`id, kind, status, jurisdiction_id, opened_on, agreement_on,
 * entered_on, ended_on`), read from the day's spans alone: an index-only scan of
 * `matter_status_spans_day_idx`, where joining the wide `matters` would read all of it. `matters`
 * here is whatever the statement names so (the read scope's narrowed matters, unless `everyMatter`).
 */
export function mattersOnDay(asOf: string, everyMatter: boolean): SQL {
  return sql`select s.matter_id as id, s.kind, s.status, s.jurisdiction_id, s.opened_on, s.agreement_on, s.entered_on, s.ended_on
    from matter_status_spans s where s.begun and s.day_range @> ${dayNumber(asOf)}${
      everyMatter ? sql`` : sql` and s.matter_id in (select id from matters)`
    }`;
}
