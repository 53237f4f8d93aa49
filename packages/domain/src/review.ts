import { z } from "zod";
import { MATTER_KINDS, MATTER_STATUSES } from "./enums.js";
import { TOPICS } from "./provisions/topics.js";
import { AsOfDaySchema, csvList, HttpUrlSchema, IdSchema, PartialDateSchema, SlugSchema } from "./schemas.js";
import { MetricKeySchema, StatPeriodSchema } from "./statistics.js";

/*
 * The review: a cycle of reviews of every matter in scope against the cycle's criteria, each
 * drafted by a reviewer, signed off by an approving official. Reviews recur under every
 * administration with different criteria, so criteria and the rating scale are data.
 */

// ---------------------------------------------------------------- cycles

export const CYCLE_STATUSES = ["draft", "active", "closed"] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];
export const CYCLE_STATUS_LABELS: Record<CycleStatus, string> = {
  draft: "Being prepared",
  active: "Under way",
  closed: "Closed",
};

/** A rating a reviewer gives a matter on one criterion. */
export const RatingLevelSchema = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "Use lowercase letters, digits and underscores")
    .max(40),
  label: z.string().trim().min(1).max(80),
  /** A colour for the matrix: good, neutral, bad, or none (not applicable). */
  tone: z.enum(["good", "neutral", "bad", "none"]).default("neutral"),
});
export type RatingLevel = z.output<typeof RatingLevelSchema>;

/** The colour of a rating's tone: Mantine colour names for the web app, hex for printed reports. */
export const RATING_TONE_COLORS: Record<RatingLevel["tone"], { mantine: string; hex: string }> = {
  good: { mantine: "green", hex: "#2f9e44" },
  neutral: { mantine: "yellow", hex: "#f0c419" },
  bad: { mantine: "red", hex: "#e03131" },
  none: { mantine: "gray", hex: "#ced4da" },
};

export const DEFAULT_RATING_SCALE: RatingLevel[] = [
  { code: "advances", label: "Advances", tone: "good" },
  { code: "neutral", label: "Neutral", tone: "neutral" },
  { code: "conflicts", label: "Conflicts", tone: "bad" },
  { code: "not_applicable", label: "Not applicable", tone: "none" },
];

export const RECOMMENDATIONS = ["retain", "modify", "seek_termination", "seek_delay", "no_action"] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];
export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  retain: "Retain as is",
  modify: "Modify",
  seek_termination: "Seek termination",
  seek_delay: "Seek delay of court proceedings",
  no_action: "No action",
};

export const CriterionInputSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, hyphens")
    .max(20),
  title: z.string().trim().min(1).max(300),
  guidance: z.string().trim().max(5000).nullish(),
  /**
   * The provision topics that bear on the criterion: the review form lists the matter's provisions
   * with any of them beside the criterion.
   */
  topics: z
    .array(z.enum(TOPICS))
    .max(TOPICS.length)
    .refine((t) => new Set(t).size === t.length, "Name each topic once")
    .default([]),
});
export type CriterionInput = z.input<typeof CriterionInputSchema>;

export const CycleScopeSchema = z.strictObject({
  /** Matter kinds in scope; empty: every kind. */
  kinds: z.array(z.enum(MATTER_KINDS)).default([]),
  /** Matter statuses in scope; empty: every status. */
  statuses: z.array(z.enum(MATTER_STATUSES)).default([]),
});
export type CycleScope = z.output<typeof CycleScopeSchema>;

const uniqueCodes = <T extends { code: string }>(items: T[], ctx: z.RefinementCtx, path: string) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const code = item.code.toLowerCase();
    if (seen.has(code)) ctx.addIssue({ code: "custom", path: [path, i, "code"], message: "Used twice" });
    seen.add(code);
  });
};

const cycleFields = {
  slug: SlugSchema,
  name: z.string().trim().min(1).max(300),
  /** The order that mandates the review, in words. */
  mandate: z.string().trim().max(20_000).nullish(),
  /** Where the mandate can be read. */
  mandateUrl: HttpUrlSchema.nullish(),
  /** The mandate as a document in Accord (a memo, an order). */
  mandateDocumentId: IdSchema.nullish(),
  scope: CycleScopeSchema.default({ kinds: [], statuses: [] }),
  /** The day the scope is evaluated on (the portfolio as it stood then); empty: the day it starts. */
  asOf: AsOfDaySchema.nullish(),
  dueOn: PartialDateSchema.nullish(),
  criteria: z.array(CriterionInputSchema).max(50).default([]),
  ratingScale: z.array(RatingLevelSchema).min(2).max(10).default(DEFAULT_RATING_SCALE),
};

export const CreateCycleSchema = z.strictObject(cycleFields).superRefine((v, ctx) => {
  uniqueCodes(v.criteria, ctx, "criteria");
  uniqueCodes(v.ratingScale, ctx, "ratingScale");
});
export type CreateCycle = z.input<typeof CreateCycleSchema>;

export const UpdateCycleSchema = z
  .strictObject({
    ...cycleFields,
    scope: CycleScopeSchema.optional(),
    criteria: z.array(CriterionInputSchema).max(50).optional(),
    ratingScale: z.array(RatingLevelSchema).min(2).max(10).optional(),
  })
  .partial()
  .superRefine((v, ctx) => {
    if (v.criteria) uniqueCodes(v.criteria, ctx, "criteria");
    if (v.ratingScale) uniqueCodes(v.ratingScale, ctx, "ratingScale");
  });
export type UpdateCycle = z.input<typeof UpdateCycleSchema>;

export const CopyCycleSchema = z.strictObject({
  slug: SlugSchema,
  name: z.string().trim().min(1).max(300),
});

export const CriterionSchema = z.object({
  id: IdSchema,
  code: z.string(),
  title: z.string(),
  guidance: z.string().nullable(),
  /** Provision topics that bear on the criterion (may be empty). */
  topics: z.array(z.enum(TOPICS)),
  position: z.int(),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const REVIEW_STATUSES = ["not_started", "draft", "submitted", "returned", "approved"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  not_started: "Not started",
  draft: "Drafting",
  submitted: "Submitted",
  returned: "Returned",
  approved: "Approved",
};

export const CycleSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  name: z.string(),
  mandate: z.string().nullable(),
  mandateUrl: z.string().nullable(),
  mandateDocument: z.object({ id: IdSchema, title: z.string() }).nullable(),
  scope: z.object({ kinds: z.array(z.enum(MATTER_KINDS)), statuses: z.array(z.enum(MATTER_STATUSES)) }),
  /** The day the scope is evaluated on; null: the day the cycle starts. */
  asOf: z.string().nullable(),
  dueOn: z.string().nullable(),
  status: z.enum(CYCLE_STATUSES),
  ratingScale: z.array(RatingLevelSchema),
  criteria: z.array(CriterionSchema),
  copiedFrom: z.object({ id: IdSchema, slug: z.string(), name: z.string() }).nullable(),
  startedAt: z.string().nullable(),
  /** Reviews by status (empty before the cycle starts). */
  counts: z.partialRecord(z.enum(REVIEW_STATUSES), z.int()),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Cycle = z.infer<typeof CycleSchema>;

export const CycleListItemSchema = CycleSchema.omit({ criteria: true, mandate: true, ratingScale: true });
export type CycleListItem = z.infer<typeof CycleListItemSchema>;

// ---------------------------------------------------------------- reviews and their life

/**
 * What can be done to a review, and by whom:
 * - edit: save the draft (ratings, rationales, citations, recommendation) — the assigned reviewer;
 * - submit: hand it to an approving official — the assigned reviewer;
 * - approve / return (with comments): an approving official who is not its reviewer;
 * - reopen (with a reason): an administrator, once approved.
 */
export const REVIEW_ACTIONS = ["edit", "submit", "approve", "return", "reopen"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

const REVIEW_MOVES: Record<ReviewAction, { from: readonly ReviewStatus[]; to: ReviewStatus | null }> = {
  // Saving a draft starts it; a returned review stays "returned" until it is submitted again.
  edit: { from: ["not_started", "draft", "returned"], to: null },
  submit: { from: ["not_started", "draft", "returned"], to: "submitted" },
  approve: { from: ["submitted"], to: "approved" },
  return: { from: ["submitted"], to: "returned" },
  reopen: { from: ["approved"], to: "draft" },
};

/** Whether the action is allowed on a review in this status. */
export function canApply(action: ReviewAction, status: ReviewStatus): boolean {
  return REVIEW_MOVES[action].from.includes(status);
}

/** The status after the action (for edit: a review not yet started becomes a draft). */
export function statusAfter(action: ReviewAction, status: ReviewStatus): ReviewStatus {
  if (!canApply(action, status)) throw new Error(refusal(action, status));
  const to = REVIEW_MOVES[action].to;
  if (to) return to;
  return status === "not_started" ? "draft" : status;
}

const VERBS: Record<ReviewAction, string> = {
  edit: "edited",
  submit: "submitted",
  approve: "approved",
  return: "returned",
  reopen: "reopened",
};

/** Why the action is refused, naming the review's current state. */
export function refusal(action: ReviewAction, status: ReviewStatus): string {
  const label = REVIEW_STATUS_LABELS[status].toLowerCase();
  const allowed = REVIEW_MOVES[action].from.map((s) => `"${REVIEW_STATUS_LABELS[s].toLowerCase()}"`);
  return `The review is "${label}": it can be ${VERBS[action]} only when it is ${allowed.join(" or ")}`;
}

/** Statuses only those who draft and approve may read (viewers read submitted and approved reviews). */
export const DRAFT_STATUSES: readonly ReviewStatus[] = ["not_started", "draft", "returned"];

export const CITATION_TYPES = ["event", "document", "provision", "statistic"] as const;
export const CitationSchema = z.strictObject({
  type: z.enum(CITATION_TYPES),
  id: IdSchema,
  /** What the reader sees: the event's date and title, the document's title and page. */
  label: z.string().trim().max(500).optional(),
  /** For a document: the page cited. */
  page: z.int().min(1).max(100_000).optional(),
  /**
   * For a provision: its paragraph number, the address it is cited by
   * (`/matters/{slug}/provisions/{number}`). The server sets it from the provision when saving.
   */
  number: z.int().min(1).max(100_000).optional(),
  /**
   * For a statistic: the series' metric key (`id` is its place: a jurisdiction, an agency, or the
   * matter whose figure it is) and the period cited, a year (2017) or a month (2017-04).
   */
  metric: MetricKeySchema.optional(),
  period: StatPeriodSchema.optional(),
  /**
   * For a statistic: what its place is and its slug, the chart's address
   * (`/jurisdictions/{slug}/statistics?metric=…`). The server sets both when saving.
   */
  placeKind: z.enum(["jurisdiction", "agency", "matter"]).optional(),
  slug: z.string().max(200).optional(),
});
export type Citation = z.infer<typeof CitationSchema>;

/** How a cited provision reads: its label and its first words ("¶ 46 — The County will…"). */
export function provisionCitationLabel(
  p: { number: number | null; label?: string; text: string },
  words = 10,
): string {
  const all = p.text.trim().split(/\s+/).filter(Boolean);
  const head = all.slice(0, words).join(" ");
  return `${p.label ?? `¶ ${p.number}`}${head ? ` — ${head}${all.length > words ? "…" : ""}` : ""}`;
}

export const FindingSchema = z.strictObject({
  /** A code of the cycle's rating scale. */
  rating: z.string().max(40).nullable().default(null),
  rationale: z.string().max(20_000).nullable().default(null),
  citations: z.array(CitationSchema).max(100).default([]),
});
export type Finding = z.output<typeof FindingSchema>;

/** A draft's content; every field optional, so the form can save as the reviewer types. */
export const UpdateReviewSchema = z.strictObject({
  /** Findings by criterion code; a criterion left out keeps its finding. */
  findings: z.record(z.string().max(20), FindingSchema).optional(),
  recommendation: z.enum(RECOMMENDATIONS).nullable().optional(),
  recommendationRationale: z.string().max(20_000).nullable().optional(),
});
export type UpdateReview = z.input<typeof UpdateReviewSchema>;

export const ReturnReviewSchema = z.strictObject({
  comment: z.string().trim().min(1, "Say what needs to change").max(10_000),
});
export const ReopenReviewSchema = z.strictObject({
  reason: z.string().trim().min(1, "Say why the review is reopened").max(10_000),
});
export const AssignReviewsSchema = z
  .strictObject({
    /** The reviewer's id or username; null takes the reviews off whoever had them. */
    assignee: z.string().min(1).max(120).nullable(),
    /** These reviews… */
    reviewIds: z.array(IdSchema).max(5000).optional(),
    /** …or every review of the cycle whose matter matches these. */
    cycle: z.string().max(120).optional(),
    kind: z.array(z.enum(MATTER_KINDS)).optional(),
    state: z.array(z.string().length(2)).optional(),
  })
  .refine((v) => v.reviewIds?.length || v.cycle, {
    message: "Name the reviews (reviewIds) or a cycle with filters",
  });

export const ReviewMatterSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  title: z.string(),
  kind: z.enum(MATTER_KINDS),
  status: z.enum(MATTER_STATUSES),
  stateCode: z.string(),
  jurisdiction: z.string(),
});

const PersonSchema = z
  .object({ id: IdSchema, username: z.string(), displayName: z.string().nullable() })
  .nullable();

export const ReviewListItemSchema = z.object({
  id: IdSchema,
  cycle: z.object({ id: IdSchema, slug: z.string(), name: z.string() }),
  matter: ReviewMatterSchema,
  assignee: PersonSchema,
  status: z.enum(REVIEW_STATUSES),
  recommendation: z.enum(RECOMMENDATIONS).nullable(),
  /** Ratings by criterion code. */
  ratings: z.record(z.string(), z.string().nullable()),
  overdue: z.boolean(),
  /** Approved, and the matter has changed since. */
  changedSinceApproval: z.boolean(),
  version: z.int(),
  updatedAt: z.string(),
});
export type ReviewListItem = z.infer<typeof ReviewListItemSchema>;

export const ReviewChangeSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  what: z.string(),
});

export const ReviewSchema = ReviewListItemSchema.extend({
  findings: z.record(z.string(), FindingSchema),
  recommendationRationale: z.string().nullable(),
  submittedAt: z.string().nullable(),
  submittedBy: PersonSchema,
  approvedAt: z.string().nullable(),
  approvedBy: PersonSchema,
  /** The approving official's comments when the review was last returned. */
  returnComment: z.string().nullable(),
  reopenReason: z.string().nullable(),
  /** The matter as it was when the review was approved. */
  snapshot: z.unknown().nullable(),
  /** What changed in the matter since approval (events, status, facts), newest first. */
  changes: z.array(ReviewChangeSchema),
  createdAt: z.string(),
});
export type Review = z.infer<typeof ReviewSchema>;

export const ReviewListQuerySchema = z.strictObject({
  cycle: z.string().max(120).optional(),
  status: csvList(z.enum(REVIEW_STATUSES)),
  /** A reviewer's id or username; "none": unassigned; "me": the caller. */
  assignee: z.string().max(120).optional(),
  kind: csvList(z.enum(MATTER_KINDS)),
  state: csvList(z.string().length(2)),
  recommendation: csvList(z.enum(RECOMMENDATIONS)),
  matter: z.string().max(120).optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  changed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  q: z.string().trim().max(200).optional(),
  sort: z
    .enum(["matter", "-matter", "status", "-status", "assignee", "-assignee", "updatedAt", "-updatedAt"])
    .default("matter"),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ReviewListQuery = z.output<typeof ReviewListQuerySchema>;

/** The bundled review cycles (data/bundle/review-cycles.json), loaded once on first start. */
export const ReviewCyclesFileSchema = z.strictObject({
  format: z.literal("accord-review-cycles"),
  version: z.literal(1),
  /** Each a cycle, and optionally the bundled document (by file name) that is its mandate. */
  cycles: z.array(
    z.looseObject({ slug: z.string(), name: z.string(), mandateDocumentFile: z.string().optional() }),
  ),
});

// ---------------------------------------------------------------- the board

const BoardCounts = z.record(z.string(), z.int());

export const BoardSchema = z.object({
  cycle: z.object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    status: z.string(),
    dueOn: z.string().nullable(),
  }),
  /** Reviews the caller may read (viewers: submitted and approved ones). */
  total: z.int(),
  byStatus: BoardCounts,
  byReviewer: z.array(
    z.object({
      assignee: z
        .object({ id: z.uuid(), username: z.string(), displayName: z.string().nullable() })
        .nullable(),
      total: z.int(),
      byStatus: BoardCounts,
      overdue: z.int(),
    }),
  ),
  /** "none": no recommendation yet. */
  byRecommendation: BoardCounts,
  byCriterion: z.array(
    z.object({ code: z.string(), title: z.string(), ratings: BoardCounts, unrated: z.int() }),
  ),
  overdue: z.int(),
  changedSinceApproval: z.int(),
});
export type Board = z.infer<typeof BoardSchema>;
