import { describe, expect, it } from "vitest";
import {
  addYears,
  type ComplianceLevel,
  DEFAULT_COMPLIANCE_LEVELS,
  describeLevels,
  findLevel,
  forecastFullCompliance,
  movementOf,
  SetComplianceScaleSchema,
  sustainmentClock,
} from "../src/index.js";

const level = (code: string) => DEFAULT_COMPLIANCE_LEVELS.find((l) => l.code === code) as ComplianceLevel;

describe("compliance scales", () => {
  it("finds a level by code or label, ignoring case, spaces and punctuation", () => {
    const fulton = SetComplianceScaleSchema.parse({
      levels: [
        { code: "not_rated", label: "Not rated", rated: false },
        { code: "non_compliance", label: "Non-compliance", normalized: 0 },
        { code: "partial", label: "Partial compliance", normalized: 0.5 },
        { code: "substantial", label: "Substantial compliance", normalized: 1, full: true },
      ],
    }).levels;
    expect(findLevel(fulton, "Non Compliance")?.code).toBe("non_compliance");
    expect(findLevel(fulton, "NOT RATED")?.code).toBe("not_rated");
    expect(findLevel(fulton, "substantial")?.code).toBe("substantial");
    expect(findLevel(fulton, "Substantal")).toBeUndefined();
    expect(findLevel(fulton, "")).toBeUndefined();
    expect(describeLevels(fulton)).toBe(
      "not_rated (Not rated), non_compliance (Non-compliance), partial (Partial compliance), substantial (Substantial compliance)",
    );
  });

  it("refuses a scale without a full level, a rated level without its place, a sustainment level not on it", () => {
    const r = SetComplianceScaleSchema.safeParse({
      levels: [
        { code: "yes", label: "Compliant" },
        { code: "no", label: "Not compliant", normalized: 0 },
      ],
      sustainment: { level: "maybe", years: 2 },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual([
      "levels.0.normalized",
      "levels",
      "sustainment.level",
    ]);
    // New Orleans' binary scale.
    expect(
      SetComplianceScaleSchema.safeParse({
        levels: [
          { code: "compliant", label: "Compliant", normalized: 1, full: true },
          { code: "not_compliant", label: "Not compliant", normalized: 0 },
        ],
      }).success,
    ).toBe(true);
  });

  it("classifies movement on the normalised scale", () => {
    expect(movementOf(level("secondary"), level("preliminary"))).toBe("backslid");
    expect(movementOf(level("preliminary"), level("full"))).toBe("improved");
    expect(movementOf(level("full"), level("full"))).toBe("unchanged");
    expect(movementOf(undefined, level("full"))).toBe("newly_rated");
    expect(movementOf(level("not_yet_assessed"), level("not_in_compliance"))).toBe("newly_rated");
    expect(movementOf(level("secondary"), level("not_yet_assessed"))).toBe("no_longer_rated");
    expect(movementOf(undefined, level("not_yet_assessed"))).toBeNull();
  });
});

describe("forecast of full compliance", () => {
  const series = (...shares: number[]) =>
    shares.map((shareFull, k) => ({ endsOn: `${2020 + k}-07-01`, shareFull }));

  it("needs three periods with ratings", () => {
    expect(forecastFullCompliance(series(0.1, 0.2))).toMatchObject({
      status: "insufficient",
      periodsUsed: 2,
      statement: "Not enough periods to forecast (need 3 with ratings, have 2).",
    });
    expect(
      forecastFullCompliance([...series(0.1, 0.2), { endsOn: "2023-07-01", shareFull: null }]).status,
    ).toBe("insufficient");
  });

  it("extends a straight line to 100%, with the slope's 95% range", () => {
    // 10, 30, 40, 60 points a year apart: slope 16 points a year (least squares by hand), residuals
    // −1, +3, −3, +1 points, standard error √(0.002 / 2 / 5) = 0.01414, t(2) = 4.303.
    const f = forecastFullCompliance(series(0.1, 0.3, 0.4, 0.6));
    expect(f.status).toBe("forecast");
    expect(f.slopePerYear).toBeCloseTo(0.16, 3);
    expect(f.slopeStandardError).toBeCloseTo(0.0141, 3);
    // From the mean point (2022-01-01, 35%): 65 points at 16 a year = 4.06 years → 2026-01.
    expect(f.reachesFullOn?.slice(0, 7)).toBe("2026-01");
    // Fastest 16 + 6.08 = 22.1 points a year → 2.94 years; slowest 9.9 a year → 6.56 years.
    expect(f.range?.earliest.slice(0, 7)).toBe("2024-12");
    expect(f.range?.latest.slice(0, 7)).toBe("2028-07");
    expect(f.statement).toBe(
      "At the current pace (16 points a year, a straight line through 4 periods), full compliance would be reached around January 2026. The pace is uncertain: its 95% range puts that date between December 2024 and July 2028.",
    );
  });

  it("says plainly when there is no progress, or none that stands out from the noise", () => {
    expect(forecastFullCompliance(series(0.5, 0.4, 0.3))).toMatchObject({
      status: "no_progress",
      reachesFullOn: null,
      statement:
        "No progress at the current pace: the share of provisions in full compliance fell by 10 points a year over 3 periods, so no date can be forecast.",
    });
    const noisy = forecastFullCompliance(series(0.2, 0.6, 0.1, 0.5));
    expect(noisy.status).toBe("no_progress");
    expect(noisy.statement).toMatch(/^No clear progress at the current pace: .* includes no progress at all/);
  });

  it("says when full compliance is reached", () => {
    expect(forecastFullCompliance(series(0.5, 1))).toMatchObject({
      status: "reached",
      reachesFullOn: "2021-07-01",
    });
  });
});

describe("sustainment clock", () => {
  const r = (endsOn: string, qualifies: boolean) => ({ endsOn, qualifies });

  it("starts at the first period of the unbroken run of qualifying ratings up to the latest", () => {
    expect(
      sustainmentClock([r("2023-06-30", true), r("2022-06-30", false), r("2022-12-31", true)], null),
    ).toEqual({ startedOn: "2022-12-31", source: "ratings" });
    expect(sustainmentClock([r("2022-06-30", true), r("2022-12-31", false)], null)).toBeNull();
    expect(sustainmentClock([], null)).toBeNull();
  });

  it("takes a court's date, unless a rating after the order fell below the level", () => {
    const history = [r("2022-06-30", true), r("2022-12-31", false), r("2023-06-30", true)];
    expect(sustainmentClock(history, { startedOn: "2022-01-01", orderedOn: "2023-03-01" })).toEqual({
      startedOn: "2022-01-01",
      source: "court_order",
    });
    expect(
      sustainmentClock([...history, r("2023-12-31", false)], {
        startedOn: "2022-01-01",
        orderedOn: "2023-03-01",
      }),
    ).toBeNull();
  });

  it("adds whole months of years", () => {
    expect(addYears("2022-12-31", 2)).toBe("2024-12-31");
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2023-01-31", 1.5)).toBe("2024-07-31");
  });
});
