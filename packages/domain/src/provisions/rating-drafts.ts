import { z } from "zod";
import { IdSchema } from "../schemas.js";
import { PeriodRefSchema, RaterSchema } from "./compliance.js";
import { RATING_WORDINGS, type RatingWordingName } from "./rating-wordings.js";

/**
 * A report read into ratings, for a person to check before they become the period's ratings:
 * each row says what the report wrote, where, and what it becomes; nothing is written until the
 * draft is accepted (one transaction, audited).
 */

export const RATING_WORDING_NAMES = Object.keys(RATING_WORDINGS) as [
  RatingWordingName,
  ...RatingWordingName[],
];

export const RATING_WORDING_LABELS: Record<RatingWordingName, string> = {
  "provision-blocks": "A block per provision: “Provision 31 … Compliance Status: …”",
  "auditor-and-department-table": "A table per provision: auditor's and department's ratings side by side",
  "section-summary":
    "A summary table of sections and subsections (“III. Bias-Free Policing   Partial Compliance”)",
  "special-master-findings":
    "A section per reform with its finding in prose (“… [2011 Order at Ex. A, ¶ 2] … a final finding is withheld or deferred”)",
  "auditor-task-status": "A block per task: “Task 3. … STATUS: MATERIAL COMPLIANCE”, sub-tasks after it",
};

/**
 * How this matter's reports word their ratings: a layout (a family of reports) and, as data, the
 * phrases its reports use for each level of the matter's scale. Layout patterns are Accord's own,
 * never a request's: no pattern from outside runs on a report.
 */
export const RatingWordingChoiceSchema = z.strictObject({
  layout: z.enum(RATING_WORDING_NAMES).meta({ description: "The layout of the reports" }),
  levels: z
    .record(z.string().trim().min(1).max(120), z.string().max(80).nullable())
    .refine((v) => Object.keys(v).length <= 50, { message: "At most 50 phrases" })
    .optional()
    .meta({
      description:
        "Phrases as the reports write them → the level code of the matter's scale (null: not a rating); added to the layout's own",
    }),
});
export type RatingWordingChoice = z.infer<typeof RatingWordingChoiceSchema>;

export const CreateRatingDraftSchema = z.strictObject({
  wording: RatingWordingChoiceSchema.optional().meta({
    description: "Default: the wording of the matter's latest draft, else a block per provision",
  }),
  period: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .optional()
    .meta({ description: "The period (id or label) the ratings are for" }),
});
export type CreateRatingDraft = z.input<typeof CreateRatingDraftSchema>;

export const RatingDraftItemSchema = z.object({
  label: z.string(),
  /** The matter's current provision with that label; null when there is none (listed, never guessed). */
  provisionId: IdSchema.nullable(),
  /** Its caption or first words, to check the match by. */
  provisionText: z.string().nullable(),
  levelAsWritten: z.string(),
  /** On the matter's scale; null when the phrase is not known. */
  level: z.string().nullable(),
  rater: RaterSchema,
  page: z.int(),
  quote: z.string(),
  /** A person left the row out. */
  dropped: z.boolean(),
});
export type RatingDraftItem = z.infer<typeof RatingDraftItemSchema>;

export const RATING_DRAFT_STATUSES = ["draft", "accepted"] as const;

export const RatingDraftSchema = z.object({
  id: IdSchema,
  matter: z.object({ id: IdSchema, slug: z.string(), title: z.string() }),
  document: z.object({ id: IdSchema, title: z.string(), pageCount: z.int().nullable() }),
  period: PeriodRefSchema.nullable(),
  wording: RatingWordingChoiceSchema,
  status: z.enum(RATING_DRAFT_STATUSES),
  items: z.array(RatingDraftItemSchema),
  warnings: z.array(z.string()),
  counts: z.object({
    items: z.int(),
    ready: z.int(),
    unknownProvision: z.int(),
    unknownLevel: z.int(),
    dropped: z.int(),
  }),
  /** The levels of the matter's scale, to choose from. */
  levels: z.array(z.object({ code: z.string(), label: z.string() })),
  version: z.int(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
});
export type RatingDraft = z.infer<typeof RatingDraftSchema>;

export const UpdateRatingDraftSchema = z.strictObject({
  period: z.string().trim().min(1).max(120).nullable().optional(),
  items: z
    .array(
      z.strictObject({
        index: z.int().min(0).meta({ description: "The row, from 0, in the draft's order" }),
        label: z.string().trim().min(1).max(80).optional(),
        level: z.string().max(80).nullable().optional(),
        rater: RaterSchema.optional(),
        dropped: z.boolean().optional(),
      }),
    )
    .max(5000)
    .optional(),
});
export type UpdateRatingDraft = z.input<typeof UpdateRatingDraftSchema>;

export const AcceptRatingDraftResultSchema = z.object({
  draft: RatingDraftSchema,
  saved: z.int(),
  period: PeriodRefSchema,
});

/** Counts of a draft's rows: those ready to be written, those a person must still settle. */
export function countDraft(items: readonly RatingDraftItem[]): RatingDraft["counts"] {
  const live = items.filter((i) => !i.dropped);
  return {
    items: items.length,
    ready: live.filter((i) => i.provisionId && i.level).length,
    unknownProvision: live.filter((i) => !i.provisionId).length,
    unknownLevel: live.filter((i) => i.provisionId && !i.level).length,
    dropped: items.length - live.length,
  };
}
