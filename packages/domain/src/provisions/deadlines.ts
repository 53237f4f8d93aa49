/**
 * Deadlines written in a decree's words — "within 90 days of the Effective Date", "no later than
 * one year after", "annually" — found in a provision's text and turned into dates from the
 * decree's effective date. A deadline counted from something else ("within 30 days of the
 * Monitor's appointment") is kept with what it is counted from, and has no date until a person
 * gives that date.
 */

import { monthNumber } from "../partial-date.js";
import {
  type DeadlineStatus,
  dueDayOf,
  dutySentence,
  isOverdue,
  OPEN_STATUS,
  occurrenceKey,
} from "./deadline-status.js";
import type { DeadlineListQuery, DeadlineOccurrence } from "./schemas.js";

export type Unit = "day" | "week" | "month" | "year";

export interface Span {
  n: number;
  unit: Unit;
}

export interface FoundDeadline {
  /** The words as the decree has them. */
  phrase: string;
  /** Once (a date), or recurring (every period). */
  recurrence: Span | null;
  /** For a one-time deadline: how long after its anchor. */
  offset: Span | null;
  /** What it is counted from: the effective date, a stated date, or something else (in words). */
  anchor: { kind: "effective_date" } | { kind: "date"; date: string } | { kind: "other"; text: string };
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  fifteen: 15,
  eighteen: 18,
  twenty: 20,
  thirty: 30,
  forty: 40,
  "forty-five": 45,
  sixty: 60,
  ninety: 90,
  "one hundred twenty": 120,
  "one hundred and twenty": 120,
  "one hundred eighty": 180,
  "one hundred and eighty": 180,
  "three hundred sixty-five": 365,
};

const NUMBER =
  "(?:one hundred (?:and )?(?:twenty|eighty)|three hundred sixty-five|forty-five|\\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|eighteen|twenty|thirty|forty|sixty|ninety|a|an)(?:\\s*\\(\\d{1,4}\\))?";
const UNIT = "(days?|weeks?|months?|years?)";

function toNumber(words: string): number {
  const digits = /\((\d{1,4})\)/.exec(words);
  if (digits) return Number(digits[1]);
  const w = words.trim().toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  if (w === "a" || w === "an") return 1;
  return NUMBER_WORDS[w] ?? Number.NaN;
}

const toUnit = (u: string): Unit => u.toLowerCase().replace(/s$/, "") as Unit;

const ONCE = new RegExp(
  `\\b(within|no later than|not later than|no more than)\\s+(${NUMBER})\\s+${UNIT}\\s+(?:of|after|from|following)\\s+(?:the\\s+)?([^,.;:]{3,80})`,
  "gi",
);
const BY_DATE =
  /\b(?:by|no later than|not later than|on or before)\s+((?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+\d{4})/gi;
const EVERY = new RegExp(`\\b(?:every|each)\\s+(${NUMBER})\\s+${UNIT}`, "gi");
const NAMED: [RegExp, Span][] = [
  // Semi-annually before annually: the longer words first.
  [
    /\b(?:semi-?annually|twice a year|twice per year|every six months|biannually)\b/gi,
    { n: 6, unit: "month" },
  ],
  [/\b(?:annually|once a year|once per year|every year|each year|yearly|annual)\b/gi, { n: 1, unit: "year" }],
  [/\b(?:quarterly|every quarter|each quarter|every three months)\b/gi, { n: 3, unit: "month" }],
  [/\b(?:monthly|every month|each month)\b/gi, { n: 1, unit: "month" }],
  [/\b(?:weekly|every week|each week)\b/gi, { n: 1, unit: "week" }],
];

function isoOf(written: string): string | null {
  const m = /^([A-Za-z]+)\s+(\d{1,2}),\s+(\d{4})$/.exec(written.trim());
  if (!m) return null;
  const month = monthNumber(m[1]!);
  if (!month) return null;
  return `${m[3]}-${String(month).padStart(2, "0")}-${m[2]!.padStart(2, "0")}`;
}

/**
 * Provisions in their order: by paragraph number, or (outline nodes, which have none) by label
 * in natural order ("III.b" before "III.c", "II.10" after "II.9").
 */
export function compareProvisionRefs(
  a: { number: number | null; label: string },
  b: { number: number | null; label: string },
): number {
  if (a.number !== null && b.number !== null) return a.number - b.number;
  if (a.number !== null) return -1;
  if (b.number !== null) return 1;
  return a.label.localeCompare(b.label, "en", { numeric: true });
}

/** Every deadline the text states, in the order written. */
export function findDeadlines(text: string): FoundDeadline[] {
  const found: (FoundDeadline & { at: number })[] = [];
  const taken: [number, number][] = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);
  for (const m of text.matchAll(ONCE)) {
    const n = toNumber(m[2]!);
    if (!Number.isFinite(n)) continue;
    const what = m[4]!.trim();
    const effective = /^effective date\b/i.test(what);
    // The phrase ends where the anchor's words end.
    const phrase = effective ? m[0].slice(0, m[0].length - what.length) + what.slice(0, 14) : m[0];
    found.push({
      at: m.index ?? 0,
      phrase: phrase.trim(),
      recurrence: null,
      offset: { n, unit: toUnit(m[3]!) },
      anchor: effective ? { kind: "effective_date" } : { kind: "other", text: what.replace(/\s+/g, " ") },
    });
    taken.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  for (const m of text.matchAll(BY_DATE)) {
    const date = isoOf(m[1]!);
    if (!date || overlaps(m.index ?? 0, (m.index ?? 0) + m[0].length)) continue;
    found.push({
      at: m.index ?? 0,
      phrase: m[0].trim(),
      recurrence: null,
      offset: null,
      anchor: { kind: "date", date },
    });
    taken.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  for (const m of text.matchAll(EVERY)) {
    const n = toNumber(m[1]!);
    if (!Number.isFinite(n) || overlaps(m.index ?? 0, (m.index ?? 0) + m[0].length)) continue;
    found.push({
      at: m.index ?? 0,
      phrase: m[0].trim(),
      recurrence: { n, unit: toUnit(m[2]!) },
      offset: null,
      anchor: { kind: "effective_date" },
    });
    taken.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  for (const [re, span] of NAMED) {
    for (const m of text.matchAll(re)) {
      if (overlaps(m.index ?? 0, (m.index ?? 0) + m[0].length)) continue;
      found.push({
        at: m.index ?? 0,
        phrase: m[0].trim(),
        recurrence: span,
        offset: null,
        anchor: { kind: "effective_date" },
      });
      taken.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...d }) => d);
}

/** date + span, on the calendar (a month after January 31 is the last day of February). */
export function addSpan(date: string, span: Span, times = 1): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  if (span.unit === "day" || span.unit === "week") {
    const days = span.n * times * (span.unit === "week" ? 7 : 1);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
  }
  const months = span.n * times * (span.unit === "year" ? 12 : 1);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/**
 * The dates a deadline falls on, from the effective date (YYYY-MM-DD): one for a one-time
 * deadline, each occurrence up to `until` for a recurring one (the first a period after the
 * effective date). None when it is counted from something without a date.
 */
export function deadlineDates(d: FoundDeadline, effectiveDate: string, until: string): string[] {
  if (d.anchor.kind === "date") return [d.anchor.date];
  if (d.anchor.kind === "other") return [];
  if (d.offset) return [addSpan(effectiveDate, d.offset)];
  if (!d.recurrence) return [];
  const dates: string[] = [];
  for (let i = 1; i <= 500; i++) {
    const next = addSpan(effectiveDate, d.recurrence, i);
    if (next > until) break;
    dates.push(next);
  }
  return dates;
}

// ---------------------------------------------------------------- dates of stored deadlines

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
export interface StoredDeadline {
  id: string;
  phrase: string;
  offset: Span | null;
  recurrence: Span | null;
  anchor: FoundDeadline["anchor"];
  anchorDate: string | null;
  position: number;
  provision: { id: string; number: number; label: string; path: string; version: number };
  terminatedOn: string | null;
  matter: { id: string; slug: string; title: string };
  matterDates: MatterDates;
  /** The provision's text, for the duty's sentence (absent: no sentence). */
  text?: string | null;
}

export const deadlineKindOf = (d: Pick<StoredDeadline, "anchor" | "recurrence">) =>
  d.anchor.kind === "date" ? ("date" as const) : d.recurrence ? ("recurring" as const) : ("once" as const);

/** Whether a day falls after a partial date's end ("2020-05-31" is not after "2020-05"). */
const after = (date: string, end: string | null) => end !== null && date.slice(0, end.length) > end;

/**
 * The days a deadline falls on up to `until`, or why it has none. Occurrences stop when the
 * matter ended or the provision was terminated.
 */
export function datesOfDeadline(d: StoredDeadline, until: string): { dates: string[]; note: string | null } {
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
export const defaultDeadlineUntil = (today: string) => addSpan(today, { n: 2, unit: "year" });

/**
 * The occurrences of the deadlines, dated ones first by date, then the undated (when asked for).
 * Overdue is the domain's one definition (isOverdue): due, passed, and neither met nor waived; a
 * recurring duty only at its latest past occurrence (a weekly duty does not pile up a year of
 * overdue dates). `statuses`: what became of occurrences, by occurrenceKey.
 */
export function deadlineOccurrences(
  rows: readonly StoredDeadline[],
  q: Pick<DeadlineListQuery, "from" | "to" | "overdue">,
  today: string,
  withUndated: boolean,
  statuses: ReadonlyMap<string, DeadlineStatus> = new Map(),
): DeadlineOccurrence[] {
  const until = q.to ?? defaultDeadlineUntil(today);
  const dated: DeadlineOccurrence[] = [];
  const undated: DeadlineOccurrence[] = [];
  for (const d of rows) {
    const { dates, note } = datesOfDeadline(d, until);
    const base = {
      deadlineId: d.id,
      phrase: d.phrase,
      duty: dutySentence(d.text, d.phrase),
      kind: deadlineKindOf(d),
      anchor: d.anchor,
      anchorDate: d.anchorDate,
      provision: d.provision,
      matter: d.matter,
    };
    if (!dates.length) {
      if (withUndated && q.overdue !== true && !(d.recurrence && note === null))
        undated.push({
          ...base,
          date: null,
          dueOn: null,
          occurrence: null,
          overdue: false,
          note,
          status: OPEN_STATUS,
        });
      continue;
    }
    // Of a recurring duty's past dates only the latest is still due: the older ones are history,
    // listed (never overdue) only to someone who asks for a window with `from`.
    const latestPast = d.recurrence ? dates.findLastIndex((x) => x < today) : -1;
    dates.forEach((date, i) => {
      const status = statuses.get(occurrenceKey(d.id, date)) ?? OPEN_STATUS;
      const due = dueDayOf(date, status);
      if (q.from ? due < q.from : i < latestPast) return;
      if (date > until) return;
      const overdue = isOverdue(date, status, today, !d.recurrence || i >= latestPast);
      if (q.overdue !== undefined && overdue !== q.overdue) return;
      dated.push({
        ...base,
        date: due,
        dueOn: date,
        occurrence: d.recurrence ? i + 1 : null,
        overdue,
        note: null,
        status,
      });
    });
  }
  dated.sort(
    (a, b) =>
      a.date!.localeCompare(b.date!) ||
      a.matter.title.localeCompare(b.matter.title) ||
      compareProvisionRefs(a.provision, b.provision),
  );
  undated.sort(
    (a, b) => a.matter.title.localeCompare(b.matter.title) || compareProvisionRefs(a.provision, b.provision),
  );
  return [...dated, ...undated];
}
