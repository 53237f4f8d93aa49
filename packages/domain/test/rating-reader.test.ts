import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readRatings } from "../src/provisions/rating-reader.js";
import { RATING_WORDINGS } from "../src/provisions/rating-wordings.js";

const data = (path: string) => readFileSync(new URL(`../../../data/${path}`, import.meta.url), "utf8");

/** The CSV of the Fulton monitor's 282 ratings, read by hand from the report (data/monitoring). */
function fultonTruth() {
  const [head, ...rows] = data("monitoring/fulton_county_jail/monitor_report_2_provision_ratings.csv")
    .trim()
    .split("\n");
  const cols = head!.split(",");
  return rows.map((r) => {
    // Only the first two columns are quoted; the rest are plain.
    const cells = r.replace(/^[^,]*\([^)]*\),"[^"]*",/, "").split(",");
    const at = (name: string) => cells[cols.indexOf(name) - 2]!;
    return {
      label: `¶ ${at("provision")}`,
      written: at("status_in_body"),
      page: Number(at("pdf_page_of_355")),
    };
  });
}

interface GenRow {
  level: string;
  title: string;
  wrap: number;
  footer: boolean;
}

describe("reading a report into ratings", () => {
  it("reads the Fulton monitor's second report: 282 of 282 ratings, each with its page", () => {
    const read = readRatings(
      data("documents/monitor_report_2_doc18-1_2026-02-20.txt"),
      RATING_WORDINGS["provision-blocks"],
    );
    const truth = fultonTruth();
    expect(truth).toHaveLength(282);
    expect(read.items.map((i) => ({ label: i.label, written: i.levelAsWritten, page: i.page }))).toEqual(
      truth,
    );
    expect(read.items.every((i) => i.rater === "monitor" && i.level !== null)).toBe(true);
    expect(read.items[0]!.quote).toMatch(/^Provision 31\n[\s\S]*Compliance Status: Not Rated$/);
    expect(read.warnings).toEqual([]);
  });

  it("reads a table with one column per rater into both raters' ratings", () => {
    const page = (n: number, body: string) => `${body}\n\n                                  ${n}\n`;
    const text = [
      page(1, "ASSESSMENT OF COMPLIANCE\n\nParagraph 12. The Department shall adopt a use-of-force policy."),
      page(
        2,
        [
          "Independent Auditor Compliance Rating | DOJ Compliance Rating | Supporting Documentation Reviewed",
          "Partial Compliance | Non-Compliance | Policy 300, training rosters",
          "",
          "Paragraph 13. The Department shall train every officer.",
          "   Independent Auditor Compliance Rating     DOJ Compliance Rating    Supporting Documentation Reviewed",
          "",
          "   Substantial Compliance                    Substantial Compliance   Lesson plans",
        ].join("\n"),
      ),
      page(
        3,
        "Paragraph 14. Reporting.\nIndependent Auditor Compliance Rating | DOJ Compliance Rating | Documents\nExcellent | Partial Compliance | none",
      ),
    ].join("\f");
    const read = readRatings(text, RATING_WORDINGS["auditor-and-department-table"]);
    expect(read.items.map((i) => [i.label, i.rater, i.levelAsWritten, i.level, i.page])).toEqual([
      ["¶ 12", "monitor", "Partial Compliance", "partial_compliance", 2],
      ["¶ 12", "department", "Non-Compliance", "non_compliance", 2],
      ["¶ 13", "monitor", "Substantial Compliance", "substantial_compliance", 2],
      ["¶ 13", "department", "Substantial Compliance", "substantial_compliance", 2],
      ["¶ 14", "monitor", "Excellent", null, 3],
      ["¶ 14", "department", "Partial Compliance", "partial_compliance", 3],
    ]);
    // A level the wording does not know is proposed, not dropped, and said.
    expect(read.warnings).toEqual(['¶ 14: "Excellent" (page 3) is not a level the wording knows']);
  });

  it("reads the Suffolk County assessments' summary tables, wrapped levels put back together", () => {
    const suffolk = (name: string) =>
      readRatings(data(`monitoring/suffolk_county_pd/${name}`), RATING_WORDINGS["section-summary"]);
    // The sixth report, row by row as read by a person (report pages 3–5).
    const sixth = suffolk("2018-03-13_160707_sixth-report-assessing-settlement-agreem.txt");
    const P = "Partial Compliance";
    const S = "Substantial Compliance";
    expect(sixth.items.map((i) => [i.label, i.levelAsWritten])).toEqual([
      ["III", P],
      ["III.a", P],
      ["III.b", S],
      ["III.c", P],
      ["III.d", "Compliance Rating Pending"],
      ["IV", P],
      ["IV.a", S],
      ["IV.b", P],
      ["IV.c", S],
      ["V", P],
      ["V.a", P],
      ["V.b", S],
      ["V.c", P],
      ["V.d", P],
      ["V.e", S],
      ["V.f", P],
      ["V.g", S],
      ["V.h", P],
      ["VI", P],
      ["VI.a", S],
      ["VI.b", P],
      ["VII", P],
      ["VII.a", P],
      ["VII.b", S],
      ["VII.c", S],
      ["VII.d", P],
      ["VII.e", P],
      ["VII.f", S],
      ["VIII", P],
    ]);
    expect(sixth.items.every((i) => i.rater === "department" && i.level !== null)).toBe(true);
    // Pages from the footers ("3 | P age"): the table starts on page 3, and VII.c is on page 5.
    expect(sixth.items.find((i) => i.label === "III")?.page).toBe(3);
    expect(sixth.items.find((i) => i.label === "VII.c")?.page).toBe(5);
    expect(sixth.warnings).toEqual([]);
    // The third report writes "Noncompliance" (two cells a machine parse of these tables missed).
    const third = suffolk("2016-04-18_89933_third-report-assessing-settlement-agreem.txt");
    expect(third.items.filter((i) => i.level === "non_compliance").map((i) => i.label)).toEqual([
      "III.d",
      "V.e",
    ]);
    expect(third.items.find((i) => i.label === "IX")?.levelAsWritten).toBe(P);
    // The ninth rates subsections only; its table ends where the prose starts.
    const ninth = suffolk("2023-01-27_137915_ninth-report-assessing-settlment-agreeme.txt");
    expect(ninth.items).toHaveLength(23);
    expect(ninth.items.find((i) => i.label === "III.c")?.levelAsWritten).toBe(S);
    expect(ninth.items.find((i) => i.label === "VIII")?.levelAsWritten).toBe(S);
    expect(ninth.warnings).toEqual([]);
  });

  it("puts back together any wrapping of a generated summary table", () => {
    const LEVELS = [
      "Substantial Compliance",
      "Partial Compliance",
      "Non-Compliance",
      "Compliance Rating Pending",
    ];
    const ROMAN = ["III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    const row = fc.record({
      level: fc.constantFrom(...LEVELS),
      title: fc.constantFrom(
        "Training",
        "Policies and Procedures",
        "Traffic-Stop Data",
        "Community Outreach",
      ),
      // 0: the level on the row; k > 0: its first k words above the row, the rest below.
      wrap: fc.nat(3),
      footer: fc.boolean(),
    });
    const section = fc.record({ head: row, items: fc.array(row, { maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(section, { minLength: 1, maxLength: ROMAN.length }), (sections) => {
        const out = ["Status of", "Settlement Agreement Area", "Compliance"];
        const expected: [string, string][] = [];
        let page = 3;
        const render = (marker: string, r: GenRow) => {
          const words = r.level.split(" ");
          const k = Math.min(r.wrap, words.length - 1);
          if (k === 0) out.push(`${marker}  ${r.title}  ${r.level}`);
          else out.push(words.slice(0, k).join(" "), `${marker}  ${r.title}`, words.slice(k).join(" "));
          if (r.footer) out.push(`${page++} | P age`, "");
        };
        sections.forEach((s, i) => {
          render(`${ROMAN[i]}.`, s.head);
          expected.push([ROMAN[i]!, s.head.level]);
          s.items.forEach((it, j) => {
            render(`   ${"abcdefgh"[j]}.`, it);
            expected.push([`${ROMAN[i]}.${"abcdefgh"[j]}`, it.level]);
          });
        });
        out.push("", "As this table shows, the department has made progress in every area of the agreement.");
        const read = readRatings(out.join("\n"), RATING_WORDINGS["section-summary"]);
        expect(read.items.map((i) => [i.label, i.levelAsWritten])).toEqual(expected);
        expect(read.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
