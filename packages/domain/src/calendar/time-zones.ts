/**
 * The time zone of a court, from the state its matter is in: only states that lie in one zone
 * (or whose federal courts all sit in one) are listed; for the others a hearing's time is given
 * without a zone (a floating time), rather than guessed.
 */
const STATE_ZONES: Record<string, string> = {
  AL: "America/Chicago",
  AK: "America/Anchorage",
  AZ: "America/Phoenix",
  AR: "America/Chicago",
  CA: "America/Los_Angeles",
  CO: "America/Denver",
  CT: "America/New_York",
  DE: "America/New_York",
  DC: "America/New_York",
  GA: "America/New_York",
  HI: "Pacific/Honolulu",
  IL: "America/Chicago",
  IA: "America/Chicago",
  LA: "America/Chicago",
  ME: "America/New_York",
  MD: "America/New_York",
  MA: "America/New_York",
  MN: "America/Chicago",
  MS: "America/Chicago",
  MO: "America/Chicago",
  MT: "America/Denver",
  NV: "America/Los_Angeles",
  NH: "America/New_York",
  NJ: "America/New_York",
  NM: "America/Denver",
  NY: "America/New_York",
  NC: "America/New_York",
  OH: "America/New_York",
  OK: "America/Chicago",
  PA: "America/New_York",
  PR: "America/Puerto_Rico",
  RI: "America/New_York",
  SC: "America/New_York",
  UT: "America/Denver",
  VT: "America/New_York",
  VA: "America/New_York",
  VI: "America/Puerto_Rico",
  WA: "America/Los_Angeles",
  WV: "America/New_York",
  WI: "America/Chicago",
  WY: "America/Denver",
};

/** The court's IANA time zone for a matter in this state, or null where one state has several. */
export const courtTimeZone = (stateCode: string | null | undefined): string | null =>
  (stateCode && STATE_ZONES[stateCode.toUpperCase()]) || null;

/**
 * Each zone's rules as an iCalendar VTIMEZONE: standard and daylight offsets, with the United
 * States' daylight-saving rule in force since 2007 (second Sunday of March to the first Sunday of
 * November, at 02:00). Dates before 2007 in a feed are read with these rules too.
 */
const ZONES: Record<string, { std: string; dst: string | null; stdName: string; dstName: string | null }> = {
  "America/New_York": { std: "-0500", dst: "-0400", stdName: "EST", dstName: "EDT" },
  "America/Chicago": { std: "-0600", dst: "-0500", stdName: "CST", dstName: "CDT" },
  "America/Denver": { std: "-0700", dst: "-0600", stdName: "MST", dstName: "MDT" },
  "America/Phoenix": { std: "-0700", dst: null, stdName: "MST", dstName: null },
  "America/Los_Angeles": { std: "-0800", dst: "-0700", stdName: "PST", dstName: "PDT" },
  "America/Anchorage": { std: "-0900", dst: "-0800", stdName: "AKST", dstName: "AKDT" },
  "Pacific/Honolulu": { std: "-1000", dst: null, stdName: "HST", dstName: null },
  "America/Puerto_Rico": { std: "-0400", dst: null, stdName: "AST", dstName: null },
};

/** The VTIMEZONE lines of a zone this module knows (none for another). */
export function vtimezoneLines(tzid: string): string[] {
  const z = ZONES[tzid];
  if (!z) return [];
  const lines = ["BEGIN:VTIMEZONE", `TZID:${tzid}`];
  if (!z.dst || !z.dstName) {
    lines.push(
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      `TZOFFSETFROM:${z.std}`,
      `TZOFFSETTO:${z.std}`,
      `TZNAME:${z.stdName}`,
      "END:STANDARD",
    );
  } else {
    lines.push(
      "BEGIN:DAYLIGHT",
      "DTSTART:20070311T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
      `TZOFFSETFROM:${z.std}`,
      `TZOFFSETTO:${z.dst}`,
      `TZNAME:${z.dstName}`,
      "END:DAYLIGHT",
      "BEGIN:STANDARD",
      "DTSTART:20071104T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
      `TZOFFSETFROM:${z.dst}`,
      `TZOFFSETTO:${z.std}`,
      `TZNAME:${z.stdName}`,
      "END:STANDARD",
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
