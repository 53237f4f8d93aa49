import { type ReviewReport, toCsv } from "@accord/domain";
import { levelLabel, nameOf } from "./reviews.presenter.js";

/** One row per review and criterion: every finding, flat, for a spreadsheet. */
export function reportCsv(report: ReviewReport): string {
  const { cycle } = report;
  const header = [
    "cycle",
    "matter",
    "matterTitle",
    "kind",
    "state",
    "jurisdiction",
    "reviewStatus",
    "reviewer",
    "reviewerUsername",
    "recommendation",
    "recommendationRationale",
    "criterion",
    "criterionTitle",
    "rating",
    "ratingLabel",
    "rationale",
    "citations",
    "approvedBy",
    "approvedByUsername",
    "approvedAt",
  ];
  const rows: string[][] = [];
  for (const r of report.reviews) {
    for (const c of cycle.criteria) {
      const f = r.findings[c.code];
      rows.push([
        cycle.slug,
        r.matter.slug,
        r.matter.title,
        r.matter.kind,
        r.matter.stateCode,
        r.matter.jurisdiction,
        r.status,
        nameOf(r.assignee) ?? "",
        r.assignee?.username ?? "",
        r.recommendation ?? "",
        r.recommendationRationale ?? "",
        c.code,
        c.title,
        f?.rating ?? "",
        levelLabel(cycle, f?.rating ?? null),
        f?.rationale ?? "",
        (f?.citationLabels ?? []).join("; "),
        nameOf(r.approvedBy) ?? "",
        r.approvedBy?.username ?? "",
        r.approvedAt ?? "",
      ]);
    }
  }
  return toCsv(header, rows);
}
