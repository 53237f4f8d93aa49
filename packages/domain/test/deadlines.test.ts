import { describe, expect, it } from "vitest";
import { addSpan, deadlineDates, findDeadlines } from "../src/index.js";

const EFFECTIVE = "2025-01-06";
const UNTIL = "2027-12-31";

/** Phrase → what it means → the dates it gives, from an effective date of January 6, 2025. */
const TABLE: [string, string, string[]][] = [
  [
    "Within 90 days of the Effective Date, the City will adopt a policy.",
    "once 90 day effective_date",
    ["2025-04-06"],
  ],
  ["within ninety (90) days after the Effective Date", "once 90 day effective_date", ["2025-04-06"]],
  [
    "Within 4 months of the Effective Date, or as otherwise agreed",
    "once 4 month effective_date",
    ["2025-05-06"],
  ],
  ["no later than one year after the Effective Date", "once 1 year effective_date", ["2026-01-06"]],
  ["not later than 18 months following the Effective Date", "once 18 month effective_date", ["2026-07-06"]],
  ["within two weeks of the Effective Date", "once 2 week effective_date", ["2025-01-20"]],
  ["Within 30 days of receipt of comments from the Monitor", "once 30 day other", []],
  ["by December 31, 2025, the County will", "date", ["2025-12-31"]],
  ["FCSO will review the policies annually", "every 1 year", ["2026-01-06", "2027-01-06"]],
  [
    "Every six months, FCSO will analyze the prior data",
    "every 6 month",
    ["2025-07-06", "2026-01-06", "2026-07-06", "2027-01-06", "2027-07-06"],
  ],
  [
    "the Monitor will report semi-annually",
    "every 6 month",
    ["2025-07-06", "2026-01-06", "2026-07-06", "2027-01-06", "2027-07-06"],
  ],
  [
    "a quarterly report",
    "every 3 month",
    [
      "2025-04-06",
      "2025-07-06",
      "2025-10-06",
      "2026-01-06",
      "2026-04-06",
      "2026-07-06",
      "2026-10-06",
      "2027-01-06",
      "2027-04-06",
      "2027-07-06",
      "2027-10-06",
    ],
  ],
];

const describeOne = (d: ReturnType<typeof findDeadlines>[number]) =>
  d.recurrence
    ? `every ${d.recurrence.n} ${d.recurrence.unit}`
    : d.anchor.kind === "date"
      ? "date"
      : `once ${d.offset!.n} ${d.offset!.unit} ${d.anchor.kind}`;

describe("deadlines from a decree's words", () => {
  for (const [text, meaning, dates] of TABLE) {
    it(`"${text}"`, () => {
      const found = findDeadlines(text);
      expect(found).toHaveLength(1);
      expect(describeOne(found[0]!)).toBe(meaning);
      expect(deadlineDates(found[0]!, EFFECTIVE, UNTIL)).toEqual(dates);
    });
  }

  it("keeps what a deadline is counted from when it is not the effective date", () => {
    const [d] = findDeadlines(
      "Within 30 days of receipt of comments from the United States and the Monitor, the County",
    );
    expect(d!.anchor).toEqual({
      kind: "other",
      text: "receipt of comments from the United States and the Monitor",
    });
  });

  it("finds several deadlines in one provision, in order, and none in plain text", () => {
    const text =
      "Within 60 days of the Effective Date, the City will draft the plan, and will update it annually thereafter.";
    expect(findDeadlines(text).map(describeOne)).toEqual(["once 60 day effective_date", "every 1 year"]);
    expect(findDeadlines("Officers will use force only when necessary.")).toEqual([]);
  });

  it("adds months on the calendar: a month after January 31 is the end of February", () => {
    expect(addSpan("2025-01-31", { n: 1, unit: "month" })).toBe("2025-02-28");
    expect(addSpan("2024-01-31", { n: 1, unit: "month" })).toBe("2024-02-29");
    expect(addSpan("2024-02-29", { n: 1, unit: "year" })).toBe("2025-02-28");
    expect(addSpan("2025-12-20", { n: 30, unit: "day" })).toBe("2026-01-19");
  });
});
