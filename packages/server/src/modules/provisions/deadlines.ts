import {
  addSpan,
  type DeadlineListQuery,
  type DeadlineOccurrence,
  deadlineDates,
  type FoundDeadline,
  type Span,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { ALL, inScope, type ReadScope } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { queryRows } from "../../db/sql.js";

/*
 * Deadlines are stored as the decree words them (a span after an anchor, or a recurrence) and
 * turned into dates when read, from the matter's effective date as it is then: correcting the
 * matter's dates corrects every deadline at once.
 */

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A matter's facts that dates are counted from and stop at. */
export interface MatterDates {
  enteredOn: string | null;
  agreementOn: string | null;
  endedOn: string | null;
}

/** The day a decree took effect: entered by the court, else agreed; only a full date anchors day counts. */
export function effectiveDateOf(m: MatterDates): { date: string | null; note: string | null } {
  const field = m.enteredOn ? "entered" : m.agreementOn ? "agreement" : null;
  const value = m.enteredOn ?? m.agreementOn;
  if (!value || !field)
    return {
      date: null,
      note: "The matter has no effective date (neither an entered nor an agreement date): give one on the matter to compute deadlines",
    };
  if (!FULL_DATE.test(value))
    return {
      date: null,
      note: `The matter's ${field} date is ${value}, without the day: deadlines counted from it cannot be computed until the full date is given`,
    };
  return { date: value, note: null };
}

/** A stored deadline with its provision and matter, as the deadline queries read it. */
export interface DeadlineRow {
  id: string;
  phrase: string;
  offset: Span | null;
  recurrence: Span | null;
  anchor: FoundDeadline["anchor"];
  anchorDate: string | null;
  position: number;
  provision: { id: string; number: number; label: string; path: string };
  terminatedOn: string | null;
  matter: { id: string; slug: string; title: string };
  matterDates: MatterDates;
}

export const kindOf = (d: Pick<DeadlineRow, "anchor" | "recurrence">) =>
  d.anchor.kind === "date" ? ("date" as const) : d.recurrence ? ("recurring" as const) : ("once" as const);

/** Whether a day falls after a partial date's end ("2020-05-31" is not after "2020-05"). */
const after = (date: string, end: string | null) => end !== null && date.slice(0, end.length) > end;

/**
 * The days a deadline falls on up to `until`, or why it has none. Occurrences stop when the
 * matter ended or the provision was terminated.
 */
export function datesOf(d: DeadlineRow, until: string): { dates: string[]; note: string | null } {
  let dates: string[];
  if (d.anchor.kind === "date") {
    dates = [d.anchor.date];
  } else {
    let from: string | null;
    if (d.anchor.kind === "other") {
      from = d.anchorDate;
      if (!from)
        return {
          dates: [],
          note: `Counted from “${d.anchor.text}”: give the date of that to compute it`,
        };
    } else {
      const effective = effectiveDateOf(d.matterDates);
      if (!effective.date) return { dates: [], note: effective.note };
      from = effective.date;
    }
    const found: FoundDeadline = {
      phrase: d.phrase,
      offset: d.offset,
      recurrence: d.recurrence,
      anchor: { kind: "effective_date" },
    };
    dates = d.recurrence ? deadlineDates(found, from, until) : d.offset ? [addSpan(from, d.offset)] : [];
  }
  const kept = dates.filter((x) => !after(x, d.matterDates.endedOn) && !after(x, d.terminatedOn));
  const note =
    kept.length < dates.length && !kept.length
      ? d.terminatedOn && dates.some((x) => after(x, d.terminatedOn))
        ? `The provision was terminated on ${d.terminatedOn}`
        : `The matter ended on ${d.matterDates.endedOn}`
      : null;
  return { dates: kept, note };
}

/** Two years from today: how far recurring deadlines repeat unless asked otherwise. */
export const defaultUntil = (today: string) => addSpan(today, { n: 2, unit: "year" });

/**
 * The occurrences of the deadlines, dated ones first by date, then the undated (when asked for).
 * A one-time deadline is overdue once its day has passed; a recurring one only at its latest past
 * occurrence (a weekly duty does not pile up a year of overdue dates).
 */
export function occurrencesOf(
  rows: readonly DeadlineRow[],
  q: Pick<DeadlineListQuery, "from" | "to" | "overdue">,
  today: string,
  withUndated: boolean,
): DeadlineOccurrence[] {
  const until = q.to ?? defaultUntil(today);
  const dated: DeadlineOccurrence[] = [];
  const undated: DeadlineOccurrence[] = [];
  for (const d of rows) {
    const { dates, note } = datesOf(d, until);
    const base = {
      deadlineId: d.id,
      phrase: d.phrase,
      kind: kindOf(d),
      anchor: d.anchor,
      anchorDate: d.anchorDate,
      provision: d.provision,
      matter: d.matter,
    };
    if (!dates.length) {
      if (withUndated && q.overdue !== true && !(d.recurrence && note === null))
        undated.push({ ...base, date: null, occurrence: null, overdue: false, note });
      continue;
    }
    // Of a recurring duty's past dates only the latest is still due: the older ones are history,
    // listed (never overdue) only to someone who asks for a window with `from`.
    const latestPast = d.recurrence ? dates.findLastIndex((x) => x < today) : -1;
    dates.forEach((date, i) => {
      if (q.from ? date < q.from : i < latestPast) return;
      if (date > until) return;
      const overdue = date < today && i >= latestPast;
      if (q.overdue !== undefined && overdue !== q.overdue) return;
      dated.push({ ...base, date, occurrence: d.recurrence ? i + 1 : null, overdue, note: null });
    });
  }
  dated.sort(
    (a, b) =>
      a.date!.localeCompare(b.date!) ||
      a.matter.title.localeCompare(b.matter.title) ||
      a.provision.number - b.provision.number,
  );
  undated.sort(
    (a, b) => a.matter.title.localeCompare(b.matter.title) || a.provision.number - b.provision.number,
  );
  return [...dated, ...undated];
}

const DEADLINE_COLUMNS = sql`x.id, x.phrase, x."offset", x.recurrence, x.anchor, x.anchor_date as "anchorDate", x.position,
  json_build_object('id', p.id, 'number', p.number, 'label', p.label, 'path', p.path) as provision,
  p.terminated_on as "terminatedOn",
  json_build_object('id', m.id, 'slug', m.slug, 'title', m.title) as matter,
  json_build_object('enteredOn', m.entered_on, 'agreementOn', m.agreement_on, 'endedOn', m.ended_on) as "matterDates"`;

/** The deadlines of current provisions (of one matter, or of every matter in view). */
export async function readDeadlines(
  db: Queryable,
  where: SQL,
  scope: ReadScope = ALL,
): Promise<DeadlineRow[]> {
  return queryRows<DeadlineRow>(
    db,
    inScope(
      scope,
      sql`select ${DEADLINE_COLUMNS}
        from provision_deadlines x join provisions p on p.id = x.provision_id join matters m on m.id = p.matter_id
        where p.retired_at is null and ${where}
        order by m.title, m.id, p.number, x.position`,
    ),
  );
}
