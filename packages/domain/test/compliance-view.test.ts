import { describe, expect, it } from "vitest";
import {
  allComplianceOf,
  type ComplianceLevel,
  DEFAULT_COMPLIANCE_LEVELS,
  deadlineOccurrences,
  effectiveDateOf,
  NO_SECTION,
  OPEN_STATUS,
  occurrenceKey,
  overdueDeadlines,
  type ProvisionClockState,
  periodFiguresOf,
  type Span,
  type StoredDeadline,
  sustainmentOf,
} from "../src/index.js";

/** The pure parts of the compliance view and the deadline lists (their queries only read rows). */

const levels = DEFAULT_COMPLIANCE_LEVELS;
const fullCodes = levels.filter((l) => l.full).map((l) => l.code);
const full = fullCodes[0]!;
const partial = levels.find((l) => l.rated && !l.full)!.code;

const clock = (over: Partial<ProvisionClockState> & { number: number | null }): ProvisionClockState => ({
  label: over.number === null ? "?" : `¶ ${over.number}`,
  section: "V. Protection from Harm",
  terminatedOn: null,
  terminatedBy: null,
  lastBelowOn: null,
  runStartedOn: null,
  latest: null,
  courtStartsOn: null,
  courtEvent: null,
  ...over,
});

describe("period figures", () => {
  it("counts, shares, score and share at full compliance of rated provisions only", () => {
    const byCode = new Map(levels.map((l) => [l.code, l]));
    // A code the scale does not have counts toward the total, never as rated.
    const f = periodFiguresOf([3, 1, 2], [byCode.get(full), byCode.get(partial), byCode.get("gone")]);
    expect(f).toEqual({
      total: 6,
      rated: 4,
      counts: [3, 1, 2],
      shares: [0.5, 0.1667, 0.3333],
      score: 0.75,
      shareFull: 0.75,
    });
    expect(periodFiguresOf([0, 0], [undefined, undefined])).toMatchObject({
      total: 0,
      score: null,
      shareFull: null,
    });
  });
});

describe("sustainment", () => {
  const rule = { level: full, years: 2 };
  it("groups clocks by start, and ends a section only when every provision in force has one", () => {
    const s = sustainmentOf(
      [
        clock({ number: 1, runStartedOn: "2022-06-30" }),
        clock({ number: 2, runStartedOn: "2022-06-30" }),
        clock({ number: 3, section: NO_SECTION, lastBelowOn: "2024-06-30" }),
      ],
      rule,
      new Map(),
      "2025-01-01",
    );
    expect(s.clocks).toEqual([
      {
        startedOn: "2022-06-30",
        source: "ratings",
        courtOrder: null,
        earliestEndOn: "2024-06-30",
        sustained: true,
        provisions: [
          { number: 1, label: "¶ 1" },
          { number: 2, label: "¶ 2" },
        ],
      },
    ]);
    expect(s.withoutClock).toEqual([{ number: 3, label: "¶ 3" }]);
    expect(s.sections.map((x) => [x.section, x.sustained, x.earliestEndOn])).toEqual([
      ["V. Protection from Harm", 2, "2024-06-30"],
      [NO_SECTION, 0, null],
    ]);
    // Provision 3 has no clock: the decree cannot end on any date yet.
    expect(s.decree).toMatchObject({ provisions: 3, withClock: 2, sustained: 2, earliestEndOn: null });
  });

  it("lists outline nodes (no paragraph number) by their labels, beside numbered paragraphs", () => {
    const s = sustainmentOf(
      [
        clock({ number: null, label: "III.b", runStartedOn: "2022-06-30" }),
        clock({ number: null, label: "III.c", lastBelowOn: "2024-06-30" }),
        clock({ number: 4, runStartedOn: "2022-06-30" }),
      ],
      rule,
      new Map(),
      "2025-01-01",
    );
    expect(s.clocks[0]!.provisions).toEqual([
      { number: null, label: "III.b" },
      { number: 4, label: "¶ 4" },
    ]);
    expect(s.withoutClock).toEqual([{ number: null, label: "III.c" }]);
    expect(s.decree).toMatchObject({ provisions: 3, withClock: 2 });
  });

  it("lets a court order start a clock and a terminated section out of the count", () => {
    const order = { id: "e1", slug: "order", title: "Order", date: "2023-01-10" };
    const s = sustainmentOf(
      [
        clock({ number: 1, courtStartsOn: "2022-12-31", courtEvent: "e1" }),
        clock({ number: 2, section: "VI. Training", terminatedOn: "2024-01-01", terminatedBy: "e1" }),
      ],
      rule,
      new Map([["e1", order]]),
      "2024-06-01",
    );
    expect(s.clocks[0]).toMatchObject({ source: "court_order", courtOrder: order, sustained: false });
    expect(s.sections[1]).toMatchObject({
      terminated: true,
      terminatedOn: "2024-01-01",
      terminatedBy: order,
    });
    expect(s.decree).toMatchObject({ terminated: 1, earliestEndOn: "2024-12-31" });
    expect(
      sustainmentOf([clock({ number: 1, runStartedOn: "2022-06-30" })], null, new Map(), "2025-01-01").clocks,
    ).toEqual([]);
  });
});

describe("overdue deadlines", () => {
  const row = (number: number, anchor: StoredDeadline["anchor"], offset: Span = { n: 90, unit: "day" }) =>
    ({
      id: `d${number}`,
      phrase: "within 90 days",
      offset,
      recurrence: null,
      anchor,
      anchorDate: null,
      position: 0,
      provision: { id: `p${number}`, number, label: `¶ ${number}`, path: "I", version: 1 },
      terminatedOn: null,
      matter: { id: "m", slug: "m", title: "M" },
      matterDates: { enteredOn: "2024-01-01", agreementOn: null, endedOn: null },
    }) satisfies StoredDeadline;
  it("lists what is due, passed and not met or waived, whatever the rating, with the latest rating beside it", () => {
    const occurrences = deadlineOccurrences(
      [
        row(1, { kind: "effective_date" }),
        row(2, { kind: "effective_date" }),
        row(3, { kind: "date", date: "2024-03-01" }),
        row(4, { kind: "other", text: "the Monitor's appointment" }),
        row(5, { kind: "effective_date" }, { n: 5, unit: "year" }),
      ],
      {},
      "2025-01-01",
      true,
      new Map([
        [occurrenceKey("d1", "2024-03-31"), { ...OPEN_STATUS, state: "met" as const, metOn: "2024-03-30" }],
      ]),
    );
    const out = overdueDeadlines(
      occurrences,
      new Map([
        ["¶ 1", full],
        ["¶ 2", full],
      ]),
    );
    expect(out).toEqual([
      { id: "d3", number: 3, label: "¶ 3", phrase: "within 90 days", dueOn: "2024-03-01", level: null },
      { id: "d2", number: 2, label: "¶ 2", phrase: "within 90 days", dueOn: "2024-03-31", level: full },
    ]);
  });
});

describe("deadline dates", () => {
  it("takes the effective date from the entered date, else the agreement, only to the day", () => {
    expect(effectiveDateOf({ enteredOn: "2024-01-05", agreementOn: "2023-12-01", endedOn: null }).date).toBe(
      "2024-01-05",
    );
    expect(effectiveDateOf({ enteredOn: null, agreementOn: "2023-12", endedOn: null })).toMatchObject({
      date: null,
    });
  });

  it("repeats a recurring duty, and calls only its latest past date overdue", () => {
    const row: StoredDeadline = {
      id: "x",
      phrase: "every six months",
      offset: null,
      recurrence: { n: 6, unit: "month" },
      anchor: { kind: "effective_date" },
      anchorDate: null,
      position: 0,
      provision: { id: "p", number: 7, label: "¶ 7", path: "V", version: 1 },
      terminatedOn: null,
      matter: { id: "m", slug: "m", title: "M" },
      matterDates: { enteredOn: "2024-01-01", agreementOn: null, endedOn: null },
    };
    const all = deadlineOccurrences([row], { to: "2025-12-31" }, "2025-03-01", true);
    expect(all.map((o) => [o.date, o.occurrence, o.overdue])).toEqual([
      ["2025-01-01", 2, true],
      ["2025-07-01", 3, false],
    ]);
  });
});

describe("compliance across decrees", () => {
  it("figures each decree's latest period on its own scale, and each topic across decrees", () => {
    const scale: ComplianceLevel[] = levels;
    const a = allComplianceOf(
      [
        {
          matter: { id: "m1", slug: "a", title: "A" },
          period: { id: "p1", label: "P1", endsOn: "2024-06-30" },
        },
      ],
      [
        { matterId: "m1", level: full, topic: "", count: 3 },
        { matterId: "m1", level: partial, topic: "", count: 1 },
        { matterId: "m1", level: full, topic: "training", count: 2 },
      ],
      { m1: scale },
    );
    expect(a.matters[0]).toMatchObject({ total: 4, rated: 4, shareFull: 0.75 });
    expect(a.byTopic).toEqual([{ topic: "training", matters: 1, rated: 2, full: 2, shareFull: 1, score: 1 }]);
  });
});
