import { formatPartialDate } from "@accord/domain";

/*
 * One way to write dates everywhere: "7 April 2017" for a day, "April 2017" and "2017" for the
 * partial dates the sources give, "7 April 2017, 18:41" for a moment (in the reader's time
 * zone, 24-hour clock). No numeric day/month order to misread, no locale-dependent forms.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** The local calendar day of a moment as YYYY-MM-DD. */
function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A calendar date, full or partial ("2017-04-07", "2017-04", "2017"); "—" when there is none. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  return formatPartialDate(value.slice(0, 10));
}

/** The day of a moment (an ISO timestamp), where the time of day would be noise. */
export function formatMomentDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatPartialDate(localDay(d));
}

/** A moment (an ISO timestamp): its day and its time of day. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatPartialDate(localDay(d))}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The time of day of a moment, "18:41": beside a day already said ("saved at 18:41"). */
export function formatClock(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
