/**
 * Deadlines written in a decree's words — "within 90 days of the Effective Date", "no later than
 * one year after", "annually" — found in a provision's text and turned into dates from the
 * decree's effective date. A deadline counted from something else ("within 30 days of the
 * Monitor's appointment") is kept with what it is counted from, and has no date until a person
 * gives that date.
 */

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

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

function isoOf(written: string): string | null {
  const m = /^([A-Za-z]+)\s+(\d{1,2}),\s+(\d{4})$/.exec(written.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!.toLowerCase()) + 1;
  if (!month) return null;
  return `${m[3]}-${String(month).padStart(2, "0")}-${m[2]!.padStart(2, "0")}`;
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
