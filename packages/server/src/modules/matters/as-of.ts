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

const CHANGES = sql.raw(
  [
    ...DATE_FIELDS.map((f) => `select m.${COLUMN[f]} as date, ${fieldCase(f)} as status`),
    // All of the matter's events, whoever reads: the status is the matter's, not the reader's.
    `select e.date, ${eventCase()} as status from public.events e where e.matter_id = m.id`,
  ].join(" union all "),
);

const RANK = `array[${MATTER_STATUSES.map(lit).join(", ")}]::text[]`;
/** The latest fact first; on one day the later status in the lifecycle, then the more precise date. */
const ORDER = sql.raw(
  `c.last desc, array_position(${RANK}, c.status) desc, length(c.date) desc, c.date desc`,
);

/** `left join lateral (…) sa on true`, for matter `m` on the day `asOf` (YYYY-MM-DD). */
export function statusAsOfJoin(asOf: string): SQL {
  return sql`left join lateral (
      select
        case when x.straddles or x.last_status is null then m.status
             when x.after or x.last_status = m.status then x.last_status else m.status end as status,
        case when x.straddles or x.last_status is null then 'record'
             when x.after or x.last_status = m.status then 'events' else 'record' end as basis,
        case when x.straddles or x.last_status is null then null
             when x.after or x.last_status = m.status then x.last_date end as decided_on,
        x.begun
      from (
        select
          count(*) = 0 or bool_or(c.first <= ${asOf}) as begun,
          coalesce(bool_or(c.first <= ${asOf} and c.last > ${asOf}), false) as straddles,
          coalesce(bool_or(c.first > ${asOf}), false) as after,
          (array_agg(c.status order by ${ORDER})
            filter (where c.last <= ${asOf}))[1] as last_status,
          (array_agg(c.date order by ${ORDER})
            filter (where c.last <= ${asOf}))[1] as last_date
        from (
          select ch.date, ch.status,
            ch.date || substr('-01-01', length(ch.date) - 3) as first,
            ch.date || substr('-12-31', length(ch.date) - 3) as last
          from (${CHANGES}) ch where ch.date is not null and ch.status is not null
        ) c
      ) x
    ) sa on true`;
}
