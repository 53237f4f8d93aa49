import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CreateEventSchema,
  CreateMatterSchema,
  canTransition,
  datePrecision,
  formatPartialDate,
  isStatusAllowed,
  isValidPartialDate,
  LIFECYCLES,
  MATTER_KINDS,
  MATTER_STATUSES,
  MatterListQuerySchema,
  mostSignificantGroup,
  nextStatuses,
  parseCsv,
  STATUS_GROUP_OF,
  statusesFor,
  toCsv,
} from "../src/index.js";

describe("lifecycles", () => {
  it("gives every kind an initial status it allows, and only known statuses", () => {
    for (const kind of MATTER_KINDS) {
      const lc = LIFECYCLES[kind];
      expect(isStatusAllowed(kind, lc.initial)).toBe(true);
      for (const [from, tos] of Object.entries(lc.transitions)) {
        expect(MATTER_STATUSES).toContain(from);
        for (const to of tos ?? []) expect(isStatusAllowed(kind, to)).toBe(true);
      }
    }
  });

  it("lets an investigation find, then settle, but never un-withdraw findings", () => {
    const k = "pattern_or_practice_investigation";
    expect(canTransition(k, "open", "findings_issued")).toBe(true);
    expect(canTransition(k, "findings_issued", "resolved_by_agreement")).toBe(true);
    expect(canTransition(k, "findings_issued", "findings_withdrawn")).toBe(true);
    expect(canTransition(k, "findings_withdrawn", "open")).toBe(false);
    expect(canTransition(k, "open", "active")).toBe(false);
  });

  it("moves a decree from proposed to active to terminated, never back", () => {
    const k = "consent_decree";
    expect(nextStatuses(k, "proposed")).toEqual(["active", "dismissed"]);
    expect(canTransition(k, "active", "partially_terminated")).toBe(true);
    expect(canTransition(k, "partially_terminated", "terminated")).toBe(true);
    expect(canTransition(k, "terminated", "active")).toBe(false);
    expect(statusesFor(k)).not.toContain("open");
  });

  it("puts every status in a colour group, and ranks an active agreement first on the map", () => {
    for (const s of MATTER_STATUSES) expect(STATUS_GROUP_OF[s]).toBeDefined();
    expect(mostSignificantGroup(["terminated", "active", "open"])).toBe("active");
    expect(mostSignificantGroup(["terminated", "findings_issued"])).toBe("investigating");
    expect(mostSignificantGroup([])).toBeNull();
  });
});

describe("partial dates", () => {
  it("keeps the precision the source gave", () => {
    expect(datePrecision("2015")).toBe("year");
    expect(datePrecision("2015-05")).toBe("month");
    expect(datePrecision("2015-05-08")).toBe("day");
    expect(formatPartialDate("2017-04-07")).toBe("7 April 2017");
    expect(formatPartialDate("2017-04")).toBe("April 2017");
    expect(formatPartialDate("2017")).toBe("2017");
    expect(formatPartialDate(null)).toBe("");
  });

  it("refuses impossible dates", () => {
    for (const bad of ["2017-02-30", "2017-13", "17-01-01", "2017-1-1", "2017-00", ""])
      expect(isValidPartialDate(bad)).toBe(false);
    for (const good of ["2016-02-29", "1994", "1994-12", "2025-12-31"])
      expect(isValidPartialDate(good)).toBe(true);
  });

  it("accepts every real calendar day (property)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          return (
            isValidPartialDate(iso) &&
            isValidPartialDate(iso.slice(0, 7)) &&
            isValidPartialDate(iso.slice(0, 4))
          );
        },
      ),
    );
  });
});

describe("CSV", () => {
  it("reads old-Mac, Windows and Unix line endings and quoted fields", () => {
    expect(parseCsv('a,b\r1,"x, y"\r2,"say ""hi"""')).toEqual([
      ["a", "b"],
      ["1", "x, y"],
      ["2", 'say "hi"'],
    ]);
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv('a\n"multi\nline"\n')).toEqual([["a"], ["multi\nline"]]);
  });

  it("round-trips any table of text (property)", () => {
    const cell = fc.string({ maxLength: 12 }).filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const text = toCsv(["h1", "h2"], rows);
          const parsed = parseCsv(text);
          // A row of two empty cells is written as "," and reads back as two empty cells.
          return JSON.stringify(parsed.slice(1)) === JSON.stringify(rows);
        },
      ),
    );
  });

  it("defuses spreadsheet formulas in exported cells", () => {
    expect(toCsv(["a"], [["=HYPERLINK(1)"]])).toBe("a\r\n'=HYPERLINK(1)\r\n");
  });
});

describe("schemas", () => {
  it("names the allowed kinds when a matter's kind is wrong", () => {
    const r = CreateMatterSchema.safeParse({
      slug: "x-1",
      kind: "treaty",
      status: "active",
      title: "t",
      jurisdictionId: "00000000-0000-4000-8000-000000000000",
    });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("consent_decree");
  });

  it("refuses a new date on an event that was not postponed", () => {
    const base = { slug: "e-1", kind: "hearing", date: "2017-04-06", title: "Hearing" } as const;
    expect(CreateEventSchema.safeParse({ ...base, status: "postponed", newDate: "2017-05-01" }).success).toBe(
      true,
    );
    expect(CreateEventSchema.safeParse({ ...base, status: "held", newDate: "2017-05-01" }).success).toBe(
      false,
    );
    expect(CreateEventSchema.safeParse({ ...base, status: "postponed", newDate: "2017-03-01" }).success).toBe(
      false,
    );
  });

  it("reads list filters given once, repeated or comma-separated", () => {
    expect(MatterListQuerySchema.parse({ kind: "consent_decree,grant", state: ["MD", "VA"] })).toMatchObject({
      kind: ["consent_decree", "grant"],
      state: ["MD", "VA"],
      limit: 50,
      offset: 0,
    });
    expect(MatterListQuerySchema.safeParse({ sort: "-colour" }).success).toBe(false);
  });
});
