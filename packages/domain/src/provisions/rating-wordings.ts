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
} satisfies Record<string, RatingWording>;

export type RatingWordingName = keyof typeof RATING_WORDINGS;
