import { formatPartialDate, isValidPartialDate } from "@accord/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { atPrecision, dateText, pickerDay, precisionOf, readDateText } from "../src/lib/date-text";

const read = (typed: string, partial = false) => readDateText(typed, { partial });
const value = (typed: string, partial = false) => {
  const r = read(typed, partial);
  return r.ok ? r.value : `error: ${r.message}`;
};

/** Any real day from 1900 to 2100, as YYYY-MM-DD. */
const day = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("reading a typed date", () => {
  it("reads the app's own format, the ISO forms and the month written first", () => {
    expect(value("7 April 2017")).toBe("2017-04-07");
    expect(value("2017-04-07")).toBe("2017-04-07");
    expect(value("2017-4-7")).toBe("2017-04-07");
    expect(value("April 7, 2017")).toBe("2017-04-07");
    expect(value("apr 7th 2017")).toBe("2017-04-07");
    expect(value("  7   Sept.  2017 ")).toBe("2017-09-07");
  });

  it("reads a month or a year alone where the field takes partial dates", () => {
    expect(value("April 2017", true)).toBe("2017-04");
    expect(value("2017-04", true)).toBe("2017-04");
    expect(value("2017", true)).toBe("2017");
    expect(value("7 April 2017", true)).toBe("2017-04-07");
  });

  it("asks for the whole day where the field takes only days", () => {
    expect(value("2017")).toBe("error: Give the whole day, not only the year: 7 April 2017.");
    expect(value("April 2017")).toBe("error: Give the whole day, not only the month: 7 April 2017.");
  });

  it("says a day that is not on the calendar is not, in words, not by the format", () => {
    expect(value("2017-02-30")).toBe("error: February 2017 has no day 30.");
    expect(value("30 February 2017")).toBe("error: February 2017 has no day 30.");
    expect(value("2016-02-29")).toBe("2016-02-29");
    expect(value("2017-13", true)).toBe("error: There is no month 13: months run from 1 to 12.");
  });

  it("refuses all-number days with slashes, which read differently across the Atlantic", () => {
    expect(value("04/07/2017")).toMatch(
      /^error: 04\/07\/2017 reads as a different day in different countries/,
    );
  });

  it("says what it cannot read and how to write a date", () => {
    expect(value("soon")).toBe(
      "error: “soon” is not a date we can read. Write the day as 7 April 2017 or 2017-04-07.",
    );
    expect(value("Ma 2017", true)).toMatch(/a month as April 2017, or a year as 2017\.$/);
  });

  it("keeps to the bounds given, a month or year counting while any of its days is inside", () => {
    const bounds = { partial: true, min: "2017-04-10", max: "2018-01-01" };
    expect(readDateText("2017-04-09", bounds)).toEqual({
      ok: false,
      message: "The date can be 10 April 2017 at the earliest.",
    });
    expect(readDateText("April 2017", bounds)).toEqual({ ok: true, value: "2017-04" });
    expect(readDateText("2018", bounds)).toEqual({ ok: true, value: "2018" });
    expect(readDateText("2 January 2018", bounds)).toEqual({
      ok: false,
      message: "The date can be 1 January 2018 at the latest.",
    });
  });

  it("reads back every day it writes, at every precision", () => {
    fc.assert(
      fc.property(day, fc.constantFrom("day", "month", "year" as const), (iso, precision) => {
        const v = atPrecision(iso, precision);
        expect(isValidPartialDate(v)).toBe(true);
        expect(precisionOf(v)).toBe(precision);
        expect(dateText(v)).toBe(formatPartialDate(v));
        expect(readDateText(dateText(v), { partial: true })).toEqual({ ok: true, value: v });
        expect(readDateText(v, { partial: true })).toEqual({ ok: true, value: v });
      }),
    );
  });

  it("never throws on arbitrary text, and answers with a sentence when it is not a date", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.boolean(), (typed, partial) => {
        const r = readDateText(typed, { partial });
        if (r.ok) expect(isValidPartialDate(r.value)).toBe(true);
        else expect(r.message).toMatch(/[.]$/);
      }),
    );
  });
});

describe("what the field shows", () => {
  it("shows the app's one format, partial dates as such", () => {
    expect(dateText("2017-04-07")).toBe("7 April 2017");
    expect(dateText("2017-04")).toBe("April 2017");
    expect(dateText("2017")).toBe("2017");
    expect(dateText("")).toBe("");
    expect(dateText(null)).toBe("");
    expect(dateText("not a date")).toBe("not a date");
  });

  it("opens the calendar on the first day of a month or year", () => {
    expect(pickerDay("2017-04")).toBe("2017-04-01");
    expect(pickerDay("2017")).toBe("2017-01-01");
    expect(pickerDay("2017-04-07")).toBe("2017-04-07");
    expect(pickerDay("2017-02-30")).toBeNull();
    expect(pickerDay("")).toBeNull();
  });
});
