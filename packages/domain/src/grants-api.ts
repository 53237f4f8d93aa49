import { z } from "zod";
import { StatusAsOfSchema } from "./as-of.js";
import { RULING_FAVORS } from "./enums.js";
import {
  AmountMeaningSchema,
  AmountSchema,
  ConditionKindSchema,
  ConditionStatusSchema,
  FiscalYearSchema,
  GrantProgramSchema,
  MoneyRowSchema,
} from "./grants.js";
import { SourceSchema } from "./provenance.js";
import {
  AgencySummarySchema,
  AsOfDaySchema,
  csvList,
  IdSchema,
  JurisdictionSchema,
  JurisdictionSummarySchema,
  MatterKindSchema,
  MatterStatusSchema,
  PagingSchema,
  PartialDateSchema,
  pageOf,
  RecordMeta,
  SlugSchema,
} from "./schemas.js";

/** The API's shapes for grants: awards, their conditions, the portfolio of a place, money at risk. */

const optionalText = (max: number) => z.string().trim().max(max).nullish();

// ---------------------------------------------------------------- conditions

export const ConditionChangeSchema = z.object({
  status: ConditionStatusSchema,
  date: z.string(),
  note: z.string().nullable(),
  sources: z.array(SourceSchema),
});
export type ConditionChange = z.infer<typeof ConditionChangeSchema>;

/** A matter (a lawsuit) linked to an award or a condition. */
export const LinkedMatterSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  title: z.string(),
  kind: MatterKindSchema,
  status: MatterStatusSchema,
});

export const ConditionSchema = z.object({
  ...RecordMeta,
  slug: z.string(),
  awardId: IdSchema.nullable(),
  jurisdiction: JurisdictionSummarySchema,
  program: GrantProgramSchema,
  fiscalYear: z.int().nullable(),
  kind: ConditionKindSchema,
  text: z.string().nullable(),
  /** The latest status (as of `asOf` when asked: the latest change on or before that day). */
  status: ConditionStatusSchema,
  statusOn: z.string(),
  history: z.array(ConditionChangeSchema),
  matters: z.array(LinkedMatterSchema),
  public: z.boolean(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const CreateConditionSchema = z.strictObject({
  slug: SlugSchema,
  awardId: IdSchema.nullish(),
  /** Required when no award is given: the jurisdiction whose money the condition is on. */
  jurisdictionId: IdSchema.nullish(),
  program: GrantProgramSchema,
  fiscalYear: FiscalYearSchema.nullish(),
  kind: ConditionKindSchema,
  text: optionalText(5000),
  /** The first status and its date. */
  status: ConditionStatusSchema.default("imposed"),
  date: PartialDateSchema,
  note: optionalText(2000),
  sources: z.array(SourceSchema).max(50).optional(),
  public: z.boolean().optional(),
});
export type CreateCondition = z.input<typeof CreateConditionSchema>;

/** POST /conditions/{id}/status: a dated, sourced change of status. */
export const ConditionStatusChangeInputSchema = z.strictObject({
  status: ConditionStatusSchema,
  date: PartialDateSchema,
  note: optionalText(2000),
  sources: z.array(SourceSchema).max(50).optional(),
});
export type ConditionStatusChangeInput = z.input<typeof ConditionStatusChangeInputSchema>;

// ---------------------------------------------------------------- awards

export const AwardSchema = z.object({
  ...RecordMeta,
  slug: z.string(),
  program: GrantProgramSchema,
  programName: z.string().nullable(),
  fiscalYear: z.int().nullable(),
  amount: z.number().nullable(),
  amountMeaning: AmountMeaningSchema.nullable(),
  amountNote: z.string().nullable(),
  awardNumber: z.string().nullable(),
  jurisdiction: JurisdictionSummarySchema,
  agency: AgencySummarySchema.nullable(),
  recipientName: z.string().nullable(),
  notes: z.string().nullable(),
  sources: z.array(SourceSchema),
  public: z.boolean(),
  conditions: z.array(ConditionSchema),
  matters: z.array(LinkedMatterSchema),
});
export type Award = z.infer<typeof AwardSchema>;

const awardFields = {
  slug: SlugSchema,
  program: GrantProgramSchema,
  programName: optionalText(300),
  fiscalYear: FiscalYearSchema.nullish(),
  amount: AmountSchema.nullish(),
  amountMeaning: AmountMeaningSchema.nullish(),
  amountNote: optionalText(300),
  awardNumber: optionalText(100),
  jurisdictionId: IdSchema,
  agencyId: IdSchema.nullish(),
  recipientName: optionalText(300),
  notes: optionalText(5000),
  /** Lawsuits (matters) over this award. */
  matterIds: z.array(IdSchema).max(50).optional(),
  sources: z.array(SourceSchema).max(50).optional(),
  public: z.boolean().optional(),
};

function checkAmount(v: { amount?: number | null; amountMeaning?: string | null }, ctx: z.RefinementCtx) {
  if (v.amount != null && !v.amountMeaning)
    ctx.addIssue({
      code: "custom",
      path: ["amountMeaning"],
      message: "Say what the amount is: the total award, a city's share, the amount at stake or withheld",
    });
}

export const CreateAwardSchema = z.strictObject(awardFields).superRefine(checkAmount);
/** A change may send an amount alone: what it means may already be on the award (checked on the merged record). */
export const UpdateAwardSchema = z.strictObject(awardFields).partial();
export type CreateAward = z.input<typeof CreateAwardSchema>;
export type UpdateAward = z.input<typeof UpdateAwardSchema>;

export const AWARD_SORT_FIELDS = ["fiscalYear", "amount", "program", "jurisdiction", "updatedAt"] as const;
const awardSorts = AWARD_SORT_FIELDS.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];

export const AwardListQuerySchema = z.strictObject({
  /** A jurisdiction's id or slug. */
  jurisdiction: z.string().max(120).optional(),
  /** An agency's id or slug. */
  agency: z.string().max(120).optional(),
  program: csvList(GrantProgramSchema),
  fiscalYear: z.coerce.number().int().min(1960).max(2100).optional(),
  /** Awards with at least one condition in one of these statuses (as of `asOf` when given). */
  conditionStatus: csvList(ConditionStatusSchema),
  /** Conditions' statuses as they stood on this day; awards of later fiscal years left out. */
  asOf: AsOfDaySchema.optional(),
  sort: z.enum(awardSorts).optional(),
  ...PagingSchema.shape,
});
export type AwardListQuery = z.infer<typeof AwardListQuerySchema>;

export const AwardListSchema = pageOf(AwardSchema);
export type AwardList = z.infer<typeof AwardListSchema>;

// ---------------------------------------------------------------- money, portfolio, at risk

export const PortfolioQuerySchema = z.strictObject({ asOf: AsOfDaySchema.optional() });

/** A matter of the place, with its status on the as-of day when one is asked. */
export const PortfolioMatterSchema = LinkedMatterSchema.extend({
  openedOn: z.string().nullable(),
  agreementOn: z.string().nullable(),
  enteredOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  statusAsOf: StatusAsOfSchema.optional(),
});

/** One line of the merged timeline: an event of a matter or of the place, or a condition's change. */
export const PortfolioTimelineItemSchema = z.object({
  date: z.string(),
  what: z.enum(["event", "condition_change"]),
  title: z.string(),
  kind: z.string(),
  /** The record the line links to. */
  link: z.object({ type: z.enum(["matter", "event", "condition", "award"]), slug: z.string(), id: IdSchema }),
  matter: LinkedMatterSchema.pick({ slug: true, title: true, kind: true }).nullable(),
  outcome: z.string().nullable(),
  favors: z.enum(RULING_FAVORS).nullable(),
  sources: z.array(SourceSchema),
});

export const PortfolioSchema = z.object({
  asOf: z.string().nullable(),
  jurisdiction: JurisdictionSchema,
  matters: z.array(PortfolioMatterSchema),
  grants: z.array(AwardSchema),
  /** Conditions on the place's money not attached to one of its awards (e.g. program-wide). */
  conditions: z.array(ConditionSchema),
  /** Events of the place itself (letters) and of its matters, and conditions' changes, by date. */
  events: z.array(PortfolioTimelineItemSchema),
  money: z.array(MoneyRowSchema),
});
export type Portfolio = z.infer<typeof PortfolioSchema>;

/** The state of the lawsuits over a place's conditions, from their rulings. */
export const LITIGATION_STATES = ["none", "pending", "won", "lost", "mixed"] as const;
export type LitigationState = (typeof LITIGATION_STATES)[number];

export const AtRiskRowSchema = z.object({
  jurisdiction: JurisdictionSummarySchema,
  /** Its conditions whose status puts money at risk (documentation demanded, in question, possibly non-compliant). */
  conditions: z.array(
    ConditionSchema.pick({
      id: true,
      slug: true,
      kind: true,
      program: true,
      fiscalYear: true,
      status: true,
      statusOn: true,
    }),
  ),
  atStake: z.number(),
  withheld: z.number(),
  /** Of its lawsuits over conditions: none, pending (no ruling), won (rulings favour the place), lost, mixed. */
  litigation: z.enum(LITIGATION_STATES),
  lawsuits: z.array(
    LinkedMatterSchema.extend({
      lastRuling: z
        .object({ date: z.string(), title: z.string(), favors: z.enum(RULING_FAVORS).nullable() })
        .nullable(),
    }),
  ),
});
export type AtRiskRow = z.infer<typeof AtRiskRowSchema>;

export const AtRiskQuerySchema = z.strictObject({ asOf: AsOfDaySchema.optional() });
export const AtRiskSchema = z.object({
  asOf: z.string().nullable(),
  items: z.array(AtRiskRowSchema),
  total: z.int(),
});
export type AtRisk = z.infer<typeof AtRiskSchema>;

export const ProgramFactQuerySchema = z.strictObject({
  /** The program's name as the sources give it (program facts are not limited to our programs). */
  program: z.string().trim().max(300).optional(),
});

export const ProgramFactSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  program: z.string(),
  date: z.string().nullable(),
  fiscalYear: z.int().nullable(),
  metric: z.string(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  description: z.string().nullable(),
  sources: z.array(SourceSchema),
});
export type ProgramFact = z.infer<typeof ProgramFactSchema>;

export const ProgramFactListSchema = z.array(ProgramFactSchema);
