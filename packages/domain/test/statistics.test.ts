import { describe, expect, it } from "vitest";
import { annualStats, type StatPoint } from "../src/index.js";

const place = {
  kind: "jurisdiction" as const,
  id: "00000000-0000-4000-8000-000000000001",
  slug: "b",
  name: "B",
};
const fbi = { key: "fbi", name: "FBI", url: null, licence: null };
const rtci = { key: "rtci", name: "RTCI", url: null, licence: null };

const point = (period: string, value: number, extra: Partial<StatPoint> = {}): StatPoint => ({
  metric: "homicide",
  place,
  period,
  value,
  unit: "offences",
  population: null,
  rate: null,
  coverage: {
    monthsReported: period.length === 4 ? 12 : 1,
    monthsInPeriod: period.length === 4 ? 12 : 1,
    partial: false,
  },
  source: period.length === 4 ? fbi : rtci,
  note: null,
  ...extra,
});

describe("annualStats", () => {
  it("keeps annual figures, sums whole years of months and marks partial ones", () => {
    const months = Array.from({ length: 12 }, (_, i) => point(`2018-${String(i + 1).padStart(2, "0")}`, 2));
    const partial = [point("2019-01", 5), point("2019-03", 7)];
    const rows = annualStats([
      point("2015", 344, { population: 621849 }),
      point("2005", 138, { coverage: { monthsReported: 6, monthsInPeriod: 12, partial: true } }),
      ...months,
      ...partial,
    ]);
    expect(rows.map((r) => [r.year, r.value, r.months, r.complete, r.source.key])).toEqual([
      [2005, 138, 6, false, "fbi"],
      [2015, 344, 12, true, "fbi"],
      [2018, 24, 12, true, "rtci"],
      [2019, 12, 2, false, "rtci"],
    ]);
    expect(rows[1]!.rate).toBeCloseTo((344 * 100_000) / 621849, 10);
    expect(rows[2]!.rate).toBeNull();
  });
});
