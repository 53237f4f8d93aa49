import { formatDate } from "../../lib/dates";
/** The days a calendar view shows, from its anchor day (all in UTC, as plain calendar days). */

export const CALENDAR_VIEWS = ["month", "week", "agenda"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

const toDate = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};
const toIso = (d: Date) => d.toISOString().slice(0, 10);

export const addDays = (iso: string, n: number) => {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + n);
  return toIso(d);
};
export const addMonths = (iso: string, n: number) => {
  const d = toDate(iso);
  return toIso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)));
};
export const weekday = (iso: string) => toDate(iso).getUTCDay();
export const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;
export const monthEnd = (iso: string) => addDays(addMonths(iso, 1), -1);
/** The Sunday on or before the day. */
export const weekStart = (iso: string) => addDays(iso, -weekday(iso));

/** The first and last day a view asks for: a month's whole weeks, a week, or a month's days. */
export function windowOf(view: CalendarView, at: string): { from: string; to: string } {
  if (view === "week") return { from: weekStart(at), to: addDays(weekStart(at), 6) };
  if (view === "agenda") return { from: monthStart(at), to: monthEnd(at) };
  const from = weekStart(monthStart(at));
  const end = monthEnd(at);
  return { from, to: addDays(weekStart(end), 6) };
}

/** The anchor of the previous or next page of a view. */
export function stepOf(view: CalendarView, at: string, dir: -1 | 1): string {
  return view === "week" ? addDays(at, 7 * dir) : addMonths(at, dir);
}

/** Every day from `from` to `to`. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** "December 2026", as every month is written (lib/dates). */
export const monthTitle = (iso: string) => formatDate(iso.slice(0, 7));
