import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import {
  buildIcs,
  courtTimeZone,
  deadlineOccurrences,
  dutySentence,
  escapeIcsText,
  foldIcsLine,
  isOverdue,
  OPEN_STATUS,
  occurrenceKey,
  type StoredDeadline,
} from "../src/index.js";

const weekly: StoredDeadline = {
  id: "w",
  phrase: "weekly",
  offset: null,
  recurrence: { n: 1, unit: "week" },
  anchor: { kind: "effective_date" },
  anchorDate: null,
  position: 0,
  provision: { id: "p", number: 9, label: "¶ 9", path: "II › ¶ 9", version: 1 },
  terminatedOn: null,
  matter: { id: "m", slug: "m", title: "M" },
  matterDates: { enteredOn: "2024-01-01", agreementOn: null, endedOn: null },
  text: "The Jail shall meet with the Monitor weekly to review incidents. Other duties follow.",
};

describe("overdue: one definition", () => {
  it("is due, passed, and neither met nor waived; an extension moves the day", () => {
    expect(isOverdue("2025-01-01", null, "2025-01-02")).toBe(true);
    expect(isOverdue("2025-01-02", null, "2025-01-02")).toBe(false);
    expect(isOverdue("2025-01-01", { state: "met", extendedTo: null }, "2025-06-01")).toBe(false);
    expect(isOverdue("2025-01-01", { state: "waived", extendedTo: null }, "2025-06-01")).toBe(false);
    expect(isOverdue("2025-01-01", { state: "open", extendedTo: "2025-07-01" }, "2025-06-01")).toBe(false);
    expect(isOverdue("2025-01-01", { state: "open", extendedTo: "2025-05-01" }, "2025-06-01")).toBe(true);
    // A recurring duty's older dates are history, never overdue.
    expect(isOverdue("2025-01-01", null, "2025-06-01", false)).toBe(false);
    expect(isOverdue(null, null, "2025-06-01")).toBe(false);
  });

  it("marks a recurring duty's latest past occurrence overdue until it is met, then none", () => {
    const q = { from: "2025-03-01", to: "2025-03-31" };
    const open = deadlineOccurrences([weekly], q, "2025-03-20", false);
    // Expanded only within the window: the Mondays of March 2025.
    expect(open.map((o) => o.date)).toEqual([
      "2025-03-03",
      "2025-03-10",
      "2025-03-17",
      "2025-03-24",
      "2025-03-31",
    ]);
    expect(open.filter((o) => o.overdue).map((o) => o.date)).toEqual(["2025-03-17"]);
    const met = deadlineOccurrences(
      [weekly],
      q,
      "2025-03-20",
      false,
      new Map([[occurrenceKey("w", "2025-03-17"), { ...OPEN_STATUS, state: "met" as const, version: 1 }]]),
    );
    expect(met.filter((o) => o.overdue)).toEqual([]);
    expect(met.find((o) => o.dueOn === "2025-03-17")?.status.state).toBe("met");
  });

  it("lists an extended occurrence on its new day, keeping the day the decree made it due", () => {
    const once: StoredDeadline = { ...weekly, id: "o", recurrence: null, offset: { n: 90, unit: "day" } };
    const [o] = deadlineOccurrences(
      [once],
      {},
      "2024-04-15",
      false,
      new Map([[occurrenceKey("o", "2024-03-31"), { ...OPEN_STATUS, extendedTo: "2024-05-31", version: 1 }]]),
    );
    expect(o).toMatchObject({ date: "2024-05-31", dueOn: "2024-03-31", overdue: false });
  });

  it("gives the duty's sentence, not just its cue word", () => {
    const [o] = deadlineOccurrences([weekly], { from: "2024-01-01", to: "2024-01-08" }, "2024-01-02", false);
    expect(o!.duty).toBe("The Jail shall meet with the Monitor weekly to review incidents.");
    expect(
      dutySentence(
        "No. 5 says so. It is due within 90 days of the Effective Date; then more.",
        "within 90 days",
      ),
    ).toBe("It is due within 90 days of the Effective Date; then more.");
    expect(dutySentence("nothing here", "annually")).toBeNull();
  });
});

describe("iCalendar text", () => {
  it("escapes text values and folds lines at 75 octets without splitting a character", () => {
    expect(escapeIcsText("a;b,c\\d\ne")).toBe("a\\;b\\,c\\\\d\\ne");
    const line = `SUMMARY:${"é".repeat(100)}`;
    const folded = foldIcsLine(line);
    for (const part of folded.split("\r\n")) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
  });

  it("writes a feed ical.js reads back: zones, all-day dates, UIDs, sequence, cancelled", () => {
    const text = buildIcs({
      name: "Test feed",
      events: [
        {
          uid: "event-1@accord",
          sequence: 2,
          changedAt: "2025-01-02T03:04:05.000Z",
          date: "2025-07-10",
          time: "10:30",
          timeZone: "America/New_York",
          summary: `Status hearing, ${"long words ".repeat(12)}`,
          description: "Line one\nLine two; with, punctuation",
          status: "CANCELLED",
        },
        {
          uid: "deadline-x-2025-03-01@accord",
          sequence: 0,
          changedAt: "2025-01-02T03:04:05.000Z",
          date: "2025-03-01",
          time: null,
          timeZone: null,
          summary: "Due: ¶ 43 within four months",
          status: "CONFIRMED",
        },
      ],
    });
    expect(text.split("\r\n").every((l) => Buffer.byteLength(l, "utf8") <= 75)).toBe(true);
    const cal = new ICAL.Component(ICAL.parse(text));
    for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
    const [hearing, deadline] = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(cal.getFirstPropertyValue("x-wr-calname")).toBe("Test feed");
    expect(hearing!.uid).toBe("event-1@accord");
    expect(hearing!.sequence).toBe(2);
    expect(hearing!.summary).toBe(`Status hearing, ${"long words ".repeat(12)}`);
    expect(hearing!.description).toBe("Line one\nLine two; with, punctuation");
    expect(hearing!.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(hearing!.startDate.zone?.tzid).toBe("America/New_York");
    // 10:30 in New York in July is 14:30 UTC (daylight time).
    expect(hearing!.startDate.toJSDate().toISOString()).toBe("2025-07-10T14:30:00.000Z");
    expect(deadline!.startDate.isDate).toBe(true);
    expect(deadline!.startDate.toString()).toBe("2025-03-01");
    expect(deadline!.endDate.toString()).toBe("2025-03-02");
  });

  it("knows a court's zone only where a state has one", () => {
    expect(courtTimeZone("MD")).toBe("America/New_York");
    expect(courtTimeZone("IL")).toBe("America/Chicago");
    expect(courtTimeZone("TX")).toBeNull();
    expect(courtTimeZone(null)).toBeNull();
  });
});
