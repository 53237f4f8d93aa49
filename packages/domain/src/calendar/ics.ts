import { vtimezoneLines } from "./time-zones.js";

/**
 * iCalendar (RFC 5545) text of a feed: one VEVENT per item, VTIMEZONE for each zone used,
 * values escaped (§3.3.11) and lines folded at 75 octets (§3.1).
 */

export interface IcsEvent {
  /** Stable across edits of the same hearing or occurrence. */
  uid: string;
  /** Grows each time the entry changes (a hearing moved, a deadline extended). */
  sequence: number;
  /** When the record last changed (an ISO instant): DTSTAMP and LAST-MODIFIED. */
  changedAt: string;
  /** YYYY-MM-DD. */
  date: string;
  /** HH:MM local time; null: an all-day entry on a floating date. */
  time: string | null;
  /** The IANA zone of the time; null: floating time. */
  timeZone: string | null;
  /** Minutes a timed entry lasts (default 60). */
  minutes?: number;
  summary: string;
  description?: string | null;
  url?: string | null;
  status: "CONFIRMED" | "TENTATIVE" | "CANCELLED";
  categories?: string[];
}

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** The UTF-8 length of one character (by its code point). */
const octets = (ch: string) => {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
};
const octetLength = (s: string) => {
  let n = 0;
  for (const ch of s) n += octets(ch);
  return n;
};

/** Folds a content line into lines of at most 75 octets, never inside a UTF-8 character. */
export function foldIcsLine(line: string): string {
  if (octetLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  // The first line holds 75 octets; each continuation begins with a space, so 74 more.
  let limit = 75;
  for (const ch of line) {
    const n = octets(ch);
    if (size + n > limit) {
      parts.push(current);
      current = "";
      size = 0;
      limit = 74;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const compactDate = (date: string) => date.replace(/-/g, "");
const nextDay = (date: string) => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};
/** A UTC instant as 20170406T140000Z. */
const utcStamp = (iso: string) =>
  `${new Date(iso)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "")}`;

/** Local date-time plus minutes, on the wall clock (no zone arithmetic: both ends are local). */
function localPlus(date: string, time: string, minutes: number): string {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi] = time.split(":").map(Number) as [number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi + minutes));
  return t.toISOString().replace(/[-:]/g, "").slice(0, 15);
}

/** The whole feed as text, lines ending CRLF. */
export function buildIcs(feed: { name: string; events: readonly IcsEvent[] }): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Accord//Court calendar//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeIcsText(feed.name)}`,
  ];
  const zones = [...new Set(feed.events.filter((e) => e.time && e.timeZone).map((e) => e.timeZone!))].sort();
  for (const z of zones) lines.push(...vtimezoneLines(z));
  const known = new Set(zones.filter((z) => vtimezoneLines(z).length));
  for (const e of feed.events) {
    const stamp = utcStamp(e.changedAt);
    lines.push("BEGIN:VEVENT", `UID:${escapeIcsText(e.uid)}`, `DTSTAMP:${stamp}`, `LAST-MODIFIED:${stamp}`);
    if (e.time) {
      const start = `${compactDate(e.date)}T${e.time.replace(":", "")}00`;
      const end = localPlus(e.date, e.time, e.minutes ?? 60);
      const tz = e.timeZone && known.has(e.timeZone) ? `;TZID=${e.timeZone}` : "";
      lines.push(`DTSTART${tz}:${start}`, `DTEND${tz}:${end}`);
    } else {
      lines.push(
        `DTSTART;VALUE=DATE:${compactDate(e.date)}`,
        `DTEND;VALUE=DATE:${compactDate(nextDay(e.date))}`,
      );
    }
    lines.push(`SEQUENCE:${e.sequence}`, `STATUS:${e.status}`, `SUMMARY:${escapeIcsText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeIcsText(e.description)}`);
    if (e.url) lines.push(`URL:${e.url}`);
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeIcsText).join(",")}`);
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
