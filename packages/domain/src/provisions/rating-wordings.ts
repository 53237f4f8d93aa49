import type { RatingWording } from "./rating-reader.js";

/**
 * How known families of reports word their ratings: data a person can copy and adjust for a
 * matter (the API takes a wording of the same shape). Level codes are those of the scale each
 * family uses; a matter whose scale names them otherwise maps them when it reads.
 */
export const RATING_WORDINGS = {
  /** A block per provision, "Provision 31" … "Compliance Status: Partial Compliance" (the Fulton County jail monitor). */
  "provision-blocks": {
    levels: {
      "Substantial Compliance": "substantial_compliance",
      "Partial Compliance": "partial_compliance",
      "Non Compliance": "non_compliance",
      "Non-Compliance": "non_compliance",
      Noncompliance: "non_compliance",
      "Not Rated": "not_rated",
    },
    layouts: [
      {
        kind: "blocks",
        marker: "Provision\\s+(\\d{1,4})",
        label: "¶ $1",
        status: { pattern: "^Compliance\\s+Status\\s*:\\s*(.+?)\\s*$", rater: "monitor" },
      },
    ],
  },
  /**
   * An assessment quoting each provision, then a table with one column per rater: "Independent
   * Auditor Compliance Rating | DOJ Compliance Rating | Supporting Documentation Reviewed".
   */
  "auditor-and-department-table": {
    levels: {
      "Substantial Compliance": "substantial_compliance",
      "Partial Compliance": "partial_compliance",
      "Non-Compliance": "non_compliance",
      "Non Compliance": "non_compliance",
      "Not Yet Assessed": "not_yet_assessed",
    },
    layouts: [
      {
        kind: "blocks",
        marker: "(?:Paragraph|Provision|¶)\\s*(\\d{1,4})\\.?(?:\\s+.*)?",
        label: "¶ $1",
        columns: {
          header: "Auditor\\s+Compliance\\s+Rating.*DOJ\\s+Compliance\\s+Rating",
          raters: ["monitor", "department", null],
        },
      },
    ],
  },
  /** A summary table of sections and their lettered subsections (the Suffolk County assessment reports). */
  "section-summary": {
    levels: {
      "Substantial Compliance": "substantial_compliance",
      "Partial Compliance": "partial_compliance",
      "Non-Compliance": "non_compliance",
      Noncompliance: "non_compliance",
      "Compliance Rating Pending": "pending",
    },
    layouts: [
      {
        kind: "summary",
        rater: "department",
        start: "^\\s*Settlement Agreement Area\\b",
        end: "^\\s*[IVX]+\\.\\s+ANALYSIS\\b",
        section: "([IVX]+)\\.\\s+(\\S.*)",
        item: "([a-z])\\.\\s+(\\S.*)",
        sectionLabel: "$1",
        itemLabel: "$s.$1",
      },
    ],
  },
  /**
   * The Atlanta special master's quarterly reports (Calhoun v. Pennington, N.D. Ga.): a section per
   * reform of Exhibit A, headed "2. IDENTIFICATION REQUIREMENT FOR APD OFFICERS [2011 Order at
   * Ex. A, ¶ 2] …" (one section may cover two: "4/5. … [2011 Order at Ex. A, ¶¶ 4, 5]"), whose
   * finding is written in prose and ends the section ("… a final finding of compliance is withheld
   * or deferred out of necessity"). The chart of the July 2017 report is an image, not in its text;
   * the reports' findings on paragraphs of the 2015 Order ("Paragraph 1 - Requirement …", "10.
   * OTHER REQUIREMENTS OF 2015 COURT ORDER") are not findings on Exhibit A and are not read.
   */
  "special-master-findings": {
    levels: {
      "has not achieved substantial compliance": "non_compliance",
      "cannot find that the City is in compliance": "not_established",
      "has concerns about the City's ability to establish compliance": "not_established",
      "is in substantial compliance": "substantial_compliance",
      "achieved substantial, technical compliance": "substantial_compliance",
      "achieved substantial or technical compliance": "substantial_compliance",
      "technically and substantially complied": "substantial_compliance",
      "withheld or deferred": "deferred",
      "defers any final finding": "deferred",
      "is deferred out of necessity": "deferred",
      "withholds any further discussion": "deferred",
      "any further discussion is withheld": "deferred",
      "any further discussion is deferred": "deferred",
    },
    layouts: [
      {
        kind: "blocks",
        marker:
          "\\d+(?:/\\d+)?\\.\\s+[^\\[]*\\[2011\\s+Order\\s+at\\s+Ex\\.\\s*A\\s*,\\s*¶¶?\\s*(\\d+(?:\\s*,\\s*\\d+)*)\\s*\\]",
        markerLines: 3,
        each: "\\s*,\\s*",
        label: "¶ $1",
        stop: "\\d+\\.\\s+[A-Z][A-Z ]{6,}.*|[IVX]+\\.\\s+[A-Z][A-Z ]{6,}.*|PRELIMINARY CONCLUSION.*",
        finding: { rater: "monitor" },
      },
    ],
  },
  /**
   * The Baltimore auditor's reports on the NAACP v. Baltimore City Police Department stipulation
   * (D. Md.): "Task 3. The written directive …", then "STATUS: COMPLIANCE"; a task's lettered
   * sub-task audited on its own follows the task's status ("a. The Auditor shall review …" /
   * "STATUS: NONCOMPLIANCE"). A footnote mark stuck to the level ("MATERIAL COMPLIANCE5") and text
   * after two spaces are not part of it.
   */
  "auditor-task-status": {
    levels: {
      Compliance: "compliance",
      "Material Compliance": "material_compliance",
      Noncompliance: "non_compliance",
      "Non-Compliance": "non_compliance",
      "Not yet determined": "not_determined",
      "No changes noted": null,
    },
    layouts: [
      {
        kind: "blocks",
        marker: "Task\\s+(\\d{1,3})\\.\\s.*",
        label: "Task $1",
        sub: { marker: "([a-z])\\.\\s+\\S.*", label: "$p.$1" },
        status: { pattern: "^STATUS\\s*:\\s*(.+?)\\d*(?:\\s{2,}\\S.*)?$", rater: "monitor" },
      },
    ],
  },
} satisfies Record<string, RatingWording>;

export type RatingWordingName = keyof typeof RATING_WORDINGS;
