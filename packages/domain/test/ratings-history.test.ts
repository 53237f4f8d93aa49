import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SetComplianceScaleSchema } from "../src/provisions/compliance.js";
import { readAlbuquerqueHistory } from "../src/provisions/ratings-history.js";

const CSV = readFileSync(
  new URL("../../../data/monitoring/albuquerque_casa/imr_ratings_long.csv", import.meta.url),
  "utf8",
);

describe("the Albuquerque ratings history", () => {
  const history = readAlbuquerqueHistory(CSV);

  it("gives the 270 paragraphs ¶ 14–292 with their titles, the 13 reports and all 3,510 ratings", () => {
    expect(history.provisions).toHaveLength(270);
    expect(history.provisions[0]).toEqual({ number: 14, label: "¶ 14", title: "Use of Force" });
    expect(history.provisions.at(-1)!.number).toBe(292);
    expect(history.provisions.find((p) => p.number === 20)!.title).toBe("Weapons Qualifications");
    expect(history.periods.map((p) => p.label)).toEqual(
      [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14].map((n) => `IMR-${n}`),
    );
    expect(history.ratings).toHaveLength(3510);
    expect(SetComplianceScaleSchema.safeParse(history.scale).success).toBe(true);
  });

  it("maps each level as the source names it (IMR-1 and IMR-14 counted from the file)", () => {
    const count = (period: string) => {
      const out: Record<string, number> = {};
      for (const r of history.ratings.filter((x) => x.period === period))
        out[r.level] = (out[r.level] ?? 0) + 1;
      return out;
    };
    // Counted from the file with Python's csv module: IMR-1 256 · 9 · 0 · 5; IMR-14 0 · 49 · 55 · 166.
    expect(count("IMR-1")).toEqual({ non_compliance: 256, primary: 9, operational: 5 });
    expect(count("IMR-14")).toEqual({ primary: 49, secondary: 55, operational: 166 });
    // ¶ 20 as the source's wide table has it: 0,1,0,0,1,3,3,3,3,3,3,3,3.
    expect(history.ratings.filter((r) => r.number === 20).map((r) => r.level)).toEqual([
      "non_compliance",
      "primary",
      "non_compliance",
      "non_compliance",
      "primary",
      ...Array(8).fill("operational"),
    ]);
  });

  it("refuses a row whose code and level name disagree, or a paragraph rated twice in a report", () => {
    const head = "casa_paragraph,paragraph_title,imr_number,level_code,level\n";
    expect(() => readAlbuquerqueHistory(`${head}14,Use of Force,1,2,Primary compliance\n`)).toThrow(/row 2/);
    expect(() =>
      readAlbuquerqueHistory(
        `${head}14,Use of Force,1,0,Non-compliance\n14,Use of Force,1,1,Primary compliance\n`,
      ),
    ).toThrow(/rated twice/);
  });
});
