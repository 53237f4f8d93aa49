import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readRatings } from "../src/provisions/rating-reader.js";
import { RATING_WORDINGS } from "../src/provisions/rating-wordings.js";

const shared = (path: string) =>
  readFileSync(new URL(`../../../data/monitoring/${path}`, import.meta.url), "utf8");

const ATLANTA = RATING_WORDINGS["special-master-findings"];
const BALTIMORE = RATING_WORDINGS["auditor-task-status"];
describe("the Atlanta special master's findings, written in prose", () => {
  it("reads each report's findings on Exhibit A's reforms, and nothing else", () => {
    const dir = "atlanta_special_master";
    // Read by hand: the September 2016 report rates the 2015 Order's paragraphs, not Exhibit A's;
    // the October 2017 report makes no finding.
    expect(
      readRatings(
        shared(`${dir}/2016-09-29_99481_special-master-quarterly-compliance-report-dated-september-29-2.txt`),
        ATLANTA,
      ).items,
    ).toEqual([]);
    expect(
      readRatings(
        shared(`${dir}/2017-10-23_99486_special-master-quarterly-compliance-report-as-of-october-13-201.txt`),
        ATLANTA,
      ).items,
    ).toEqual([]);
    const april = readRatings(
      shared(`${dir}/2017-04-12_99483_special-master-quarterly-compliance-report-dated-april-12-2017..txt`),
      ATLANTA,
    );
    expect(april.items.map((i) => [i.label, i.level, i.page])).toEqual([
      ["¶ 1", "deferred", 7],
      ["¶ 2", "deferred", 11],
      ["¶ 3", "deferred", 12],
      ["¶ 4", "non_compliance", 13],
      ["¶ 5", "non_compliance", 13],
      ["¶ 6", "substantial_compliance", 16],
      ["¶ 7", "deferred", 21],
      ["¶ 8", "deferred", 22],
      ["¶ 9", "deferred", 22],
    ]);
    expect(april.items[3]!.levelAsWritten).toBe("has not achieved substantial compliance");
    expect(april.items[3]!.quote).toMatch(/City has not achieved substantial compliance with the$/);
    expect(april.items.every((i) => i.rater === "monitor")).toBe(true);
    expect(april.warnings).toEqual([]);
    const july = readRatings(
      shared(`${dir}/2017-07-19_99485_special-master-quarterly-compliance-report-dated-july-14-2017.t.txt`),
      ATLANTA,
    );
    expect(july.items.map((i) => [i.label, i.level, i.page])).toEqual([
      ["¶ 1", "deferred", 13],
      ["¶ 2", "not_established", 18],
      ["¶ 3", "deferred", 19],
      ["¶ 4", "not_established", 24],
      ["¶ 5", "not_established", 24],
      ["¶ 6", "substantial_compliance", 25],
      ["¶ 7", "deferred", 31],
      ["¶ 8", "deferred", 31],
      ["¶ 9", "deferred", 32],
    ]);
    expect(july.warnings).toEqual([]);
  });

  it("takes each section's last finding, whatever its heading's wrapping, pages and neighbours", () => {
    const FINDINGS: [string, string][] = [
      ["a final finding of compliance is withheld or deferred out of necessity", "deferred"],
      ["the City has not achieved substantial compliance with the requirement", "non_compliance"],
      ["the City is in substantial compliance with the same", "substantial_compliance"],
      ["any further discussion is deferred until the next report", "deferred"],
    ];
    const FILLER = [
      "The Special Master has reviewed the documents produced by the City",
      "and met with the parties on several occasions during the quarter.",
      "Plaintiffs' Counsel have raised concerns about the records provided.",
    ];
    const section = fc.record({
      numbers: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 2 }),
      title: fc.constantFrom("IDENTIFICATION REQUIREMENT FOR APD OFFICERS", "CALHOUN TRAINING"),
      // Where the heading wraps: 0 on one line; k > 0 after its k-th word.
      wrap: fc.nat(6),
      findings: fc.array(fc.nat(FINDINGS.length - 1), { minLength: 1, maxLength: 3 }),
      wrapFinding: fc.boolean(),
      filler: fc.nat(3),
      other: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(section, { minLength: 1, maxLength: 6 }), (sections) => {
        const out: string[] = ["SPECIAL MASTER QUARTERLY COMPLIANCE REPORT", "FINDINGS"];
        const expected: [string, string][] = [];
        let page = 1;
        const footer = () => out.push(String(page++), " ");
        sections.forEach((s, n) => {
          const cite = s.numbers.length > 1 ? `¶¶ ${s.numbers.join(", ")}` : `¶ ${s.numbers[0]}`;
          const words = `${n + 1}. ${s.title} [2011 Order at Ex. A, ${cite}] AND RELATED ISSUES`.split(" ");
          const k = Math.min(s.wrap, words.length - 1);
          if (k === 0) out.push(words.join(" "));
          else out.push(words.slice(0, k).join(" "), words.slice(k).join(" "));
          for (const [j, f] of s.findings.entries()) {
            out.push(...FILLER.slice(0, s.filler));
            const text = FINDINGS[f]![0];
            if (s.wrapFinding && j === s.findings.length - 1) {
              const w = text.split(" ");
              out.push(`Accordingly, ${w.slice(0, 4).join(" ")}`);
              footer();
              out.push(`${w.slice(4).join(" ")}.`);
            } else out.push(`Accordingly, ${text}.`);
          }
          for (const number of s.numbers) expected.push([`¶ ${number}`, FINDINGS[s.findings.at(-1)!]![1]]);
          if (s.other)
            out.push(
              "10. OTHER REQUIREMENTS OF 2015 COURT ORDER [2015 Order at ¶ 9].",
              "Accordingly, the City is in substantial compliance with paragraph 9.",
            );
          footer();
        });
        out.push(
          "PRELIMINARY CONCLUSION AND RECOMMENDATION",
          "The City is in substantial compliance overall.",
        );
        const read = readRatings(out.join("\n"), ATLANTA);
        const got = read.items.map((i) => [i.label, i.level]);
        // A paragraph a later section rates again keeps its first rating (and says so).
        const seen = new Set<string>();
        expect(got).toEqual(expected.filter(([l]) => !seen.has(l) && seen.add(l)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("the Baltimore auditor's task statuses", () => {
  it("reads both reports: every task's status, sub-tasks audited on their own, as the reports tally them", () => {
    const dir = "baltimore_naacp_v_bpd";
    for (const [file, nonCompliant] of [
      [
        "2012-04-30_135739_first-status-report-for-the-audit-of-the-stipulation-of-the-settlement.txt",
        ["Task 3.a"],
      ],
      [
        "2014-12-31_135740_final-report-for-the-audit-of-the-stipulation-of-the-settlement-betwee.txt",
        ["Task 3.a", "Task 10"],
      ],
    ] as const) {
      const read = readRatings(shared(`${dir}/${file}`), BALTIMORE);
      // 35 statuses: 34 tasks and sub-task 3.a; Task 7 has no audit function and no status.
      expect(read.items).toHaveLength(35);
      expect(read.items.map((i) => i.label)).not.toContain("Task 7");
      expect(read.items.filter((i) => i.level === "non_compliance").map((i) => i.label)).toEqual(
        nonCompliant,
      );
      expect(read.items.find((i) => i.label === "Task 6")).toMatchObject({
        levelAsWritten: "NO CHANGES NOTED",
        level: null,
      });
      // The status of the sample for Tasks 13, 14 and 18-21 follows Task 14's own: left out, said.
      expect(read.warnings).toEqual([
        expect.stringMatching(/^Task 14: a second rating on page \d+ was left out$/),
      ]);
    }
    const first = readRatings(
      shared(
        `${dir}/2012-04-30_135739_first-status-report-for-the-audit-of-the-stipulation-of-the-settlement.txt`,
      ),
      BALTIMORE,
    ).items;
    // The report's own tally (page 2): compliance with 16 tasks, material compliance with 17, noncompliance with 1.
    const count = (level: string) => first.filter((i) => i.level === level).length;
    expect([count("compliance"), count("material_compliance"), count("non_compliance")]).toEqual([16, 17, 1]);
    expect(first.find((i) => i.label === "Task 8")).toMatchObject({
      levelAsWritten: "MATERIAL COMPLIANCE",
      page: 10,
    });
    const final = readRatings(
      shared(
        `${dir}/2014-12-31_135740_final-report-for-the-audit-of-the-stipulation-of-the-settlement-betwee.txt`,
      ),
      BALTIMORE,
    ).items;
    expect(final.find((i) => i.label === "Task 26")!.levelAsWritten).toBe("MATERIAL COMPLIANCE");
  });

  it("reads generated task reports: sub-items before a status are the task's text, after it their own", () => {
    const LEVELS = ["COMPLIANCE", "MATERIAL COMPLIANCE", "NONCOMPLIANCE", "Not yet determined"];
    const task = fc.record({
      level: fc.constantFrom(...LEVELS),
      listed: fc.nat(3),
      subs: fc.array(fc.constantFrom(...LEVELS), { maxLength: 3 }),
      footnote: fc.boolean(),
      trailing: fc.boolean(),
      rated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(task, { minLength: 1, maxLength: 12 }), (tasks) => {
        const out = ["TASK AUDIT"];
        const expected: [string, string][] = [];
        tasks.forEach((t, n) => {
          const label = `Task ${n + 1}`;
          out.push(
            `${label}.  Within 90 days of the effective date of this Agreement, the Department`,
            "shall:",
          );
          for (let k = 0; k < t.listed; k++) out.push(`  ${"abc"[k]}.  establish a policy and procedure;`);
          if (!t.rated) {
            out.push("THERE IS NO AUDIT FUNCTION ASSOCIATED WITH THIS TASK.");
            return;
          }
          out.push(
            `STATUS: ${t.level}${t.footnote ? "4" : ""}${t.trailing ? "  The Department reports" : ""}`,
          );
          out.push("The Auditor reviewed a sample of the files.", String(n + 2), "");
          expected.push([label, t.level]);
          t.subs.forEach((level, k) => {
            out.push(
              `${"abc"[k]}.    The Auditor shall review a statistically meaningful sample`,
              `STATUS: ${level}`,
            );
            expected.push([`${label}.${"abc"[k]}`, level]);
          });
        });
        const read = readRatings(out.join("\n"), BALTIMORE);
        expect(read.items.map((i) => [i.label, i.levelAsWritten])).toEqual(expected);
        expect(read.items.every((i) => i.level !== null)).toBe(true);
        expect(read.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
