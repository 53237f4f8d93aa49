/**
 * A date the sources may give only roughly: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Stored as that
 * text, so its precision is kept, and it sorts correctly as a string within the same year.
 */
export const PARTIAL_DATE_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
export type DatePrecision = "year" | "month" | "day";

export function isValidPartialDate(value: string): boolean {
  if (!PARTIAL_DATE_PATTERN.test(value)) return false;
  if (value.length < 10) return true;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The format a partial date is typed in, said to the person who typed something else. */
export const PARTIAL_DATE_FORMAT_MESSAGE = "Use a date as YYYY, YYYY-MM or YYYY-MM-DD";

/**
 * What is wrong with a typed date, in words, or null when it is a date: a value in the right
 * form that names no day ("2017-02-30") is told so, not sent back to the format.
 */
export function partialDateProblem(value: string): string | null {
  if (isValidPartialDate(value)) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value} is not a day of the calendar`;
  if (/^\d{4}-\d{2}$/.test(value)) return `${value} is not a month of the calendar`;
  return PARTIAL_DATE_FORMAT_MESSAGE;
}

export function datePrecision(value: string): DatePrecision {
  return value.length === 4 ? "year" : value.length === 7 ? "month" : "day";
}

/** The months as written in English, January first. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** A month's number (1–12) from its English name in any case ("april", "APRIL"); 0 if none. */
export const monthNumber = (word: string): number =>
  MONTH_NAMES.findIndex((m) => m.toLowerCase() === word.toLowerCase()) + 1;

/** "2017-04-07" → "7 April 2017"; "2017-04" → "April 2017"; "2017" → "2017". */
export function formatPartialDate(value: string | null | undefined): string {
  if (!value) return "";
  const [y, m, d] = value.split("-");
  if (!m) return y ?? "";
  const month = MONTH_NAMES[Number(m) - 1] ?? m;
  if (!d) return `${month} ${y}`;
  return `${Number(d)} ${month} ${y}`;
}

/** The year of a partial date. */
export function partialDateYear(value: string): number {
  return Number(value.slice(0, 4));
}
