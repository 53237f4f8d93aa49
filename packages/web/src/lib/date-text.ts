import { formatPartialDate, isValidPartialDate, MONTH_NAMES } from "@accord/domain";

/*
 * What a person may type in a date field, read into the ISO form the API takes. The field shows
 * the app's one format ("7 April 2017", "April 2017", "2017") and reads that back, as well as
 * the ISO forms and the month written first ("April 7, 2017"). All-number forms with slashes are
 * refused with a reason: 04/07/2017 is a different day on each side of the Atlantic.
 */

export type DatePrecision = "day" | "month" | "year";

export interface DateTextOptions {
  /** The field takes a month or a year alone, not only a whole day. */
  partial?: boolean;
  /** Earliest and latest day allowed, YYYY-MM-DD. */
  min?: string;
  max?: string;
}

export type DateTextReading =
  | { ok: true; value: string }
  /** `noSuchDate`: the text has a date's shape but names no day or month (2017-02-30), so more typing will not mend it. */
  | { ok: false; message: string; noSuchDate?: boolean };

const pad = (n: number) => String(n).padStart(2, "0");

/** A month named by its word or its first three letters or more ("Sept", "apr."); 0 if none. */
function monthOf(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return 0;
  return MONTH_NAMES.findIndex((m) => m.toLowerCase().startsWith(w)) + 1;
}

/** The ISO value of a day, month or year; a number out of range is said in words. */
function build(y: number, m?: number, d?: number): DateTextReading {
  if (m === undefined) return { ok: true, value: String(y) };
  if (m < 1 || m > 12) {
    return { ok: false, noSuchDate: true, message: `There is no month ${m}: months run from 1 to 12.` };
  }
  const month = `${y}-${pad(m)}`;
  if (d === undefined) return { ok: true, value: month };
  const day = `${month}-${pad(d)}`;
  if (!isValidPartialDate(day)) {
    return { ok: false, noSuchDate: true, message: `${formatPartialDate(month)} has no day ${d}.` };
  }
  return { ok: true, value: day };
}

function readForms(text: string): DateTextReading | null {
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text);
  if (m) return build(Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined);
  // 7 April 2017
  m = /^(\d{1,2}) ([a-z]+\.?) (\d{4})$/i.exec(text);
  if (m && monthOf(m[2] as string)) return build(Number(m[3]), monthOf(m[2] as string), Number(m[1]));
  // April 7 2017 (the comma is gone by now)
  m = /^([a-z]+\.?) (\d{1,2}) (\d{4})$/i.exec(text);
  if (m && monthOf(m[1] as string)) return build(Number(m[3]), monthOf(m[1] as string), Number(m[2]));
  // April 2017
  m = /^([a-z]+\.?) (\d{4})$/i.exec(text);
  if (m && monthOf(m[1] as string)) return build(Number(m[2]), monthOf(m[1] as string));
  return null;
}

/** How a day is written, said to someone who typed something else. */
export function dateTextHint(partial: boolean): string {
  return partial
    ? "Write a day as 7 April 2017 or 2017-04-07, a month as April 2017, or a year as 2017."
    : "Write the day as 7 April 2017 or 2017-04-07.";
}

/**
 * Read what was typed in a date field: its ISO value ("2017-04-07", "2017-04", "2017") or a
 * sentence saying what is wrong. Empty text is not read here (the field is cleared).
 */
export function readDateText(typed: string, options: DateTextOptions = {}): DateTextReading {
  const text = typed
    .trim()
    .replace(/,/g, " ")
    .replace(/(\d)(st|nd|rd|th)\b/gi, "$1")
    .replace(/\s+/g, " ");
  if (/^\d{1,4}[/.]\d{1,2}[/.]\d{1,4}$/.test(text)) {
    return {
      ok: false,
      message: `${typed.trim()} reads as a different day in different countries: write the month as a word (7 April 2017) or as 2017-04-07.`,
    };
  }
  const reading = readForms(text);
  if (!reading)
    return {
      ok: false,
      message: `“${typed.trim()}” is not a date we can read. ${dateTextHint(Boolean(options.partial))}`,
    };
  if (!reading.ok) return reading;
  const value = reading.value;
  if (!options.partial && value.length < 10) {
    return {
      ok: false,
      message: `Give the whole day, not only ${value.length === 4 ? "the year" : "the month"}: 7 April 2017.`,
    };
  }
  // A month or year is within the bounds when some day of it is.
  const first = value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value;
  const last = value.length === 4 ? `${value}-12-31` : value.length === 7 ? `${value}-31` : value;
  if (options.min && last < options.min) {
    return { ok: false, message: `The date can be ${formatPartialDate(options.min)} at the earliest.` };
  }
  if (options.max && first > options.max) {
    return { ok: false, message: `The date can be ${formatPartialDate(options.max)} at the latest.` };
  }
  return reading;
}

/** What a date field shows for a value: the app's one format; anything unreadable as it is. */
export function dateText(value: string | null | undefined): string {
  if (!value) return "";
  return isValidPartialDate(value) ? formatPartialDate(value) : value;
}

/** How precise an ISO date is: a year, a month or a day. */
export function precisionOf(value: string | null | undefined): DatePrecision {
  if (!value) return "day";
  return value.length === 4 ? "year" : value.length === 7 ? "month" : "day";
}

/** A picked day ("2017-04-07") cut to the precision chosen ("2017-04", "2017"). */
export function atPrecision(day: string, precision: DatePrecision): string {
  return precision === "year" ? day.slice(0, 4) : precision === "month" ? day.slice(0, 7) : day.slice(0, 10);
}

/** The picker's day for a value of any precision: a month or year opens at its first day. */
export function pickerDay(value: string | null | undefined): string | null {
  if (!value || !isValidPartialDate(value)) return null;
  return value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value;
}
