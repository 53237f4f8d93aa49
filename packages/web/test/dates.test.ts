import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatClock, formatDate, formatDateTime, formatMomentDay } from "../src/lib/dates";

const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";

describe("one way to write dates", () => {
  it("writes days, months and years as words, never in a numeric order", () => {
    expect(formatDate("2017-04-07")).toBe("7 April 2017");
    expect(formatDate("2017-04")).toBe("April 2017");
    expect(formatDate("2017")).toBe("2017");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("2017-04-07T10:00:00Z")).toBe("7 April 2017");
  });

  it("writes any moment as its local day and a 24-hour time", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2100-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString();
          const text = formatDateTime(iso);
          expect(text).toMatch(new RegExp(`^\\d{1,2} (${MONTHS}) \\d{4}, \\d{2}:\\d{2}$`));
          expect(text.startsWith(formatMomentDay(iso))).toBe(true);
          expect(text.endsWith(formatClock(d))).toBe(true);
          expect(formatMomentDay(iso)).toBe(
            `${d.getDate()} ${MONTHS.split("|")[d.getMonth()]} ${d.getFullYear()}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives back what it cannot read rather than inventing a date", () => {
    expect(formatDateTime("not a date")).toBe("not a date");
    expect(formatMomentDay("")).toBe("");
  });
});
