import { z } from "zod";
import { MATTER_KINDS, MATTER_STATUSES } from "./enums.js";
import {
  BoardSchema,
  CycleSchema,
  FindingSchema,
  RECOMMENDATIONS,
  REVIEW_STATUSES,
  type ReviewStatus,
} from "./review.js";

/*
 * A review cycle's report: what GET /review-cycles/{key}/report.json returns, and what the PDF
 * and CSV renderings read.
 */

/** A person as the report names them: by display name, with the user name beside it. */
export const ReportPersonSchema = z.object({
  username: z.string(),
  displayName: z.string().nullable(),
});
export type ReportPerson = z.infer<typeof ReportPersonSchema>;

/** One review as the report shows it: the matter, the findings with readable citations. */
export const ReportReviewSchema = z.object({
  id: z.string(),
  matter: z.object({
    slug: z.string(),
    title: z.string(),
    kind: z.enum(MATTER_KINDS),
    status: z.enum(MATTER_STATUSES),
    jurisdiction: z.string(),
    stateCode: z.string(),
  }),
  status: z.enum(REVIEW_STATUSES),
  /** The reviewer it is assigned to. */
  assignee: ReportPersonSchema.nullable(),
  recommendation: z.enum(RECOMMENDATIONS).nullable(),
  recommendationRationale: z.string().nullable(),
  approvedBy: ReportPersonSchema.nullable(),
  approvedAt: z.string().nullable(),
  /** Approved, and the matter (its facts, timeline or documents) has changed since. */
  changedSinceApproval: z.boolean(),
  /**
   * By criterion code. Each citation of a provision carries its number (its address); each
   * `citationLabels` entry reads the citation at the same place ("2017-04-07 · Decree entered").
   */
  findings: z.record(z.string(), FindingSchema.extend({ citationLabels: z.array(z.string()) })),
});
export type ReportReview = z.infer<typeof ReportReviewSchema>;

/** A review with something to report: a rating, a recommendation, or past its first draft. */
export const reportReviewHasFindings = (r: ReportReview) =>
  r.status !== "not_started" ||
  r.recommendation !== null ||
  Object.values(r.findings).some((f) => f.rating || f.rationale || f.citations.length);

/** Which reviews a report includes: every one, those submitted or approved, or approved only. */
export const REPORT_INCLUDES = ["all", "submitted", "approved"] as const;
export type ReportInclude = (typeof REPORT_INCLUDES)[number];
export const REPORT_INCLUDE_LABELS: Record<ReportInclude, string> = {
  all: "All reviews",
  submitted: "Submitted and approved",
  approved: "Approved only",
};
/** The review statuses each choice includes (`all`: every status the reader may read). */
export const REPORT_INCLUDE_STATUSES: Record<Exclude<ReportInclude, "all">, readonly ReviewStatus[]> = {
  submitted: ["submitted", "approved"],
  approved: ["approved"],
};

export const ReportQuerySchema = z.strictObject({
  include: z.enum(REPORT_INCLUDES).default("all"),
});

/** Everything a cycle's report shows, for what the reader may read. */
export const ReviewReportSchema = z.object({
  /** Which reviews it includes. */
  include: z.enum(REPORT_INCLUDES),
  cycle: CycleSchema,
  /** The cycle's board, counted over the same reviews. */
  board: BoardSchema,
  reviews: z.array(ReportReviewSchema),
  generatedAt: z.string(),
});
export type ReviewReport = z.infer<typeof ReviewReportSchema>;
