import { z } from "zod";
import { csvList, IdSchema } from "../schemas.js";

/*
 * Compliance: each matter's monitor rates the decree's provisions period after period on a scale
 * of the monitor's own (data), each level placed on a common normalised scale (0 to 1) so that
 * decrees can be compared. A decree ends paragraph by paragraph: a provision held at the
 * sustainment level long enough (the matter's rule) may end, and the court may terminate
 * sections.
 */

// ---------------------------------------------------------------- scales

const LevelCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, "Use lowercase letters, digits and underscores")
  .max(40)
  .meta({ description: "The level's code, as ratings store it", example: "secondary" });

/** One level of a matter's compliance scale. */
export const ComplianceLevelSchema = z.strictObject({
  code: LevelCodeSchema,
  /** The level as the monitor's reports name it. */
  label: z.string().trim().min(1).max(80).meta({ description: "The level as the monitor's reports name it" }),
  /** Where the level sits on the common scale, from 0 (none) to 1 (full); null for a level that is no rating. */
  normalized: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .default(null)
    .meta({ description: "The level on the common scale, 0 (none) to 1 (full); null when it is no rating" }),
  /** Reaching it is full compliance. */
  full: z.boolean().default(false).meta({ description: "Reaching this level is full compliance" }),
  /** false for "not yet assessed" or "not rated": counted, but left out of shares and scores. */
  rated: z
    .boolean()
    .default(true)
    .meta({ description: 'false for "not yet assessed" / "not rated": left out of shares and scores' }),
});
export type ComplianceLevel = z.output<typeof ComplianceLevelSchema>;

/** How a provision ends: held at `level` (or above) for `years`. */
export const SustainmentRuleSchema = z.strictObject({
  level: LevelCodeSchema.meta({ description: "The level to hold (or better)" }),
  years: z.number().positive().max(20).meta({ description: "For how long, in years", example: 2 }),
});
export type SustainmentRule = z.output<typeof SustainmentRuleSchema>;

/** The scale a matter has until its monitor's own is set. */
export const DEFAULT_COMPLIANCE_LEVELS: ComplianceLevel[] = [
  { code: "not_yet_assessed", label: "Not yet assessed", normalized: null, full: false, rated: false },
  { code: "not_in_compliance", label: "Not in compliance", normalized: 0, full: false, rated: true },
  { code: "preliminary", label: "Preliminary", normalized: 0.33, full: false, rated: true },
  { code: "secondary", label: "Secondary", normalized: 0.67, full: false, rated: true },
  { code: "full", label: "Full", normalized: 1, full: true, rated: true },
];

export const SetComplianceScaleSchema = z
  .strictObject({
    levels: z.array(ComplianceLevelSchema).min(2).max(12),
    sustainment: SustainmentRuleSchema.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.levels.forEach((l, i) => {
      if (seen.has(l.code))
        ctx.addIssue({ code: "custom", path: ["levels", i, "code"], message: "Used twice" });
      seen.add(l.code);
      if (l.rated && l.normalized === null)
        ctx.addIssue({
          code: "custom",
          path: ["levels", i, "normalized"],
          message: "A rated level needs its place on the common scale (0 to 1)",
        });
      if (!l.rated && l.full)
        ctx.addIssue({
          code: "custom",
          path: ["levels", i, "full"],
          message: "A level that is no rating cannot be full",
        });
    });
    if (!v.levels.some((l) => l.full))
      ctx.addIssue({
        code: "custom",
        path: ["levels"],
        message: "Mark the level that is full compliance (full: true)",
      });
    if (v.sustainment) {
      const level = v.levels.find((l) => l.code === v.sustainment?.level);
      if (!level?.rated)
        ctx.addIssue({
          code: "custom",
          path: ["sustainment", "level"],
          message: `Name a rated level of this scale (${v.levels
            .filter((l) => l.rated)
            .map((l) => l.code)
            .join(", ")})`,
        });
    }
  });
export type SetComplianceScale = z.input<typeof SetComplianceScaleSchema>;

export const ComplianceScaleSchema = z.object({
  levels: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      normalized: z.number().nullable(),
      full: z.boolean(),
      rated: z.boolean(),
    }),
  ),
  sustainment: z.object({ level: z.string(), years: z.number() }).nullable(),
  /** No scale was set: this is the default one. */
  isDefault: z.boolean(),
  /** 0 while the default applies: send If-Match: "0" to set the first one. */
  version: z.int(),
  updatedAt: z.string().nullable(),
  abilities: z.object({ edit: z.boolean() }),
});
export type ComplianceScale = z.infer<typeof ComplianceScaleSchema>;

/** Letters and digits only, lowercased: "Non Compliance", "non-compliance" and "non_compliance" are one. */
const squeeze = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** The level a person wrote, by code or label, ignoring case, spaces and punctuation. */
export function findLevel(levels: readonly ComplianceLevel[], written: string): ComplianceLevel | undefined {
  const w = squeeze(written);
  if (!w) return undefined;
  return levels.find((l) => squeeze(l.code) === w) ?? levels.find((l) => squeeze(l.label) === w);
}

/** "full (Full), secondary (Secondary), …": the levels as an error message lists them. */
export const describeLevels = (levels: readonly ComplianceLevel[]) =>
  levels.map((l) => (l.label === l.code ? l.code : `${l.code} (${l.label})`)).join(", ");

/** The levels that count toward the sustainment rule: rated, and at or above its level. */
export function qualifyingLevels(levels: readonly ComplianceLevel[], rule: SustainmentRule | null): string[] {
  const target = rule ? levels.find((l) => l.code === rule.level) : undefined;
  if (!target?.rated) return [];
  return levels.filter((l) => l.rated && (l.normalized ?? 0) >= (target.normalized ?? 0)).map((l) => l.code);
}

// ---------------------------------------------------------------- periods

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** A calendar date, YYYY-MM-DD. */
const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD")
  .refine(isRealDate, { error: (issue) => `${String(issue.input)} is not a day of the calendar` })
  .meta({ description: "A date, YYYY-MM-DD", example: "2025-06-30" });

const periodFields = {
  label: z.string().trim().min(1).max(120).meta({ description: 'As the monitor names it: "Second report"' }),
  startsOn: CalendarDateSchema.nullish(),
  endsOn: CalendarDateSchema,
  /** The monitor's report for the period: a document of the same matter. */
  reportDocumentId: IdSchema.nullish().meta({
    description: "The monitor's report: a document of this matter",
  }),
};

export const CreatePeriodSchema = z
  .strictObject(periodFields)
  .refine((v) => !v.startsOn || v.startsOn <= v.endsOn, {
    path: ["endsOn"],
    message: "The period ends before it starts",
  });
export type CreatePeriod = z.input<typeof CreatePeriodSchema>;

export const UpdatePeriodSchema = z.strictObject(periodFields).partial();
export type UpdatePeriod = z.input<typeof UpdatePeriodSchema>;

/** endsOn is null when no source dates the period's report. */
export const PeriodRefSchema = z.object({ id: IdSchema, label: z.string(), endsOn: z.string().nullable() });
export type PeriodRef = z.infer<typeof PeriodRefSchema>;

export const PeriodSchema = z.object({
  id: IdSchema,
  matterId: IdSchema,
  label: z.string(),
  startsOn: z.string().nullable(),
  /** Null when no source dates the period's report (a bundled history). */
  endsOn: z.string().nullable(),
  reportDocument: z.object({ id: IdSchema, title: z.string() }).nullable(),
  /** How many ratings it holds, every rater's (deleting the period deletes them all). */
  ratings: z.int(),
  version: z.int(),
  createdAt: z.string(),
});
export type Period = z.infer<typeof PeriodSchema>;

// ---------------------------------------------------------------- raters

/**
 * Who gave a rating. A provision may be rated in one period by several raters — the court's
 * monitor, the Justice Department, the jurisdiction's own self-assessment — and their ratings sit
 * side by side. The official figures (roll-ups, movement, sustainment) are the monitor's.
 */
export const RATERS = ["monitor", "department", "city", "other"] as const;
export type Rater = (typeof RATERS)[number];
export const RaterSchema = z.enum(RATERS).meta({
  description:
    "Who gave the rating: monitor (the court's monitor or independent auditor), department (the Justice Department), city (the jurisdiction's self-assessment), other",
});

/** Each rater as a person reads it. */
export const RATER_LABELS: Record<Rater, string> = {
  monitor: "Monitor or auditor",
  department: "Justice Department",
  city: "City's self-assessment",
  other: "Other",
};

/** The rater whose ratings the official figures count. */
export const OFFICIAL_RATER: Rater = "monitor";

/** "monitor", "Monitor or auditor", "DOJ", "Independent Auditor" …: the rater a person wrote, if any. */
export function findRater(written: string): Rater | undefined {
  const w = squeeze(written);
  if (!w) return undefined;
  const exact = RATERS.find((r) => r === w || squeeze(RATER_LABELS[r]) === w);
  if (exact) return exact;
  if (/^(courtmonitor|independentmonitor|auditor|independentauditor|specialmaster)$/.test(w))
    return "monitor";
  if (/^(doj|justicedepartment|departmentofjustice|usdoj|unitedstates)$/.test(w)) return "department";
  if (/^(selfassessment|jurisdiction|county|cityselfassessment)$/.test(w)) return "city";
  return undefined;
}

/** A level's place on the common scale; null for a level that is no rating (or unknown). */
export function normalizedOf(levels: readonly ComplianceLevel[], code: string): number | null {
  const level = levels.find((l) => l.code === code);
  return level?.rated ? level.normalized : null;
}

/**
 * Whether ratings of one provision in one period disagree: two of them stand at different places
 * on the matter's scale (their normalised values, normalizedOf, differ). A level that is no rating
 * ("not yet assessed") disagrees with nothing.
 */
export function ratingsDisagree(values: readonly (number | null)[]): boolean {
  return new Set(values.filter((v) => v !== null)).size > 1;
}

// ---------------------------------------------------------------- assessments

/** Where a rating comes from: a document of the matter (the monitor's report) and its page. */
export const EvidenceSchema = z.strictObject({
  documentId: IdSchema,
  page: z.int().min(1).max(100_000).optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const AssessmentInputSchema = z.strictObject({
  provisionId: IdSchema,
  periodId: IdSchema,
  /** Whose rating it is (default: the monitor's). */
  rater: RaterSchema.default("monitor"),
  /** A level code of the matter's scale; null removes the rating. */
  level: z
    .string()
    .min(1)
    .max(40)
    .nullable()
    .meta({ description: "A level code of the scale; null removes the rating" }),
  rationale: z.string().trim().max(20_000).nullish(),
  evidence: z.array(EvidenceSchema).max(20).optional(),
  /** The rating's version the edit is based on (0: it had none); another version refuses the save with 412. */
  version: z.int().min(0).optional().meta({
    description:
      "The rating's version the edit is based on (0: it had no rating); if it changed meanwhile the save is refused (412) and nothing is written. Omit to write regardless.",
  }),
});
export type AssessmentInput = z.input<typeof AssessmentInputSchema>;

/** One rater's rating of one provision in one period (PUT /provisions/{id}/ratings/{periodId}/{rater}). */
export const SaveRatingSchema = z.strictObject({
  /** A level code of the matter's scale. */
  level: z.string().min(1).max(40).meta({ description: "A level code of the matter's scale" }),
  rationale: z.string().trim().max(20_000).nullish(),
  /** Where the rating comes from: documents of the matter and their pages (omitted: kept). */
  evidence: z.array(EvidenceSchema).max(20).optional(),
});
export type SaveRating = z.input<typeof SaveRatingSchema>;

export const RatingKeyParamsSchema = z.strictObject({
  id: IdSchema.meta({ description: "The provision" }),
  periodId: IdSchema.meta({ description: "The reporting period" }),
  rater: RaterSchema,
});

/** The most ratings one request may save. */
export const MAX_ASSESSMENTS_PER_REQUEST = 5000;

export const SaveAssessmentsSchema = z.strictObject({
  items: z.array(AssessmentInputSchema).min(1).max(MAX_ASSESSMENTS_PER_REQUEST),
});
export type SaveAssessments = z.input<typeof SaveAssessmentsSchema>;

export const SaveAssessmentsResultSchema = z.object({
  created: z.int(),
  updated: z.int(),
  removed: z.int(),
  unchanged: z.int(),
});
export type SaveAssessmentsResult = z.infer<typeof SaveAssessmentsResultSchema>;

export const ImportAssessmentsQuerySchema = z.strictObject({
  rater: RaterSchema.optional().meta({
    description: "The rater of rows without a rater column (default: monitor)",
  }),
  period: z
    .string()
    .max(120)
    .optional()
    .meta({ description: "The period (id or label) of rows without a period column" }),
  document: IdSchema.optional().meta({
    description: "The evidence document of rows without a document column (default: the period's report)",
  }),
});

export const ImportAssessmentsJsonSchema = ImportAssessmentsQuerySchema.extend({
  csv: z.string().min(1).max(5_000_000),
});

export const ImportAssessmentsResultSchema = SaveAssessmentsResultSchema.extend({
  rows: z.int(),
  /** Columns the import does not read (kept in the file, ignored here). */
  ignoredColumns: z.array(z.string()),
  /** The matter's version after the import (its new ETag). */
  version: z.int(),
});
export type ImportAssessmentsResult = z.infer<typeof ImportAssessmentsResultSchema>;

export const AssessmentSchema = z.object({
  rater: RaterSchema,
  level: z.string(),
  rationale: z.string().nullable(),
  evidence: z.array(z.object({ documentId: IdSchema, page: z.int().optional() })),
  ratedBy: z.string().nullable(),
  ratedAt: z.string(),
  version: z.int(),
});

/** One rating as the single-rating routes answer it. */
export const RatingSchema = AssessmentSchema.extend({ provisionId: IdSchema, periodId: IdSchema });
export type Rating = z.infer<typeof RatingSchema>;

/** A provision as the sustainment view lists it: its paragraph number (null for an outline node) and label. */
export const ClockProvisionSchema = z.object({ number: z.int().nullable(), label: z.string() });

export const ProvisionRefSchema = z.object({
  id: IdSchema,
  /** Null for a node of an outline-numbered agreement: its label is its address ("III.b"). */
  number: z.int().nullable(),
  label: z.string(),
});

/** What the rating grid leaves out unless asked: headings and definitions are seldom rated. */
export const GRID_EXTRAS = ["headings", "definitions"] as const;
export type GridExtra = (typeof GRID_EXTRAS)[number];

/** The length of a grid row's excerpt of its provision's text. */
export const GRID_EXCERPT_LENGTH = 200;

export const GridQuerySchema = z.strictObject({
  rater: RaterSchema.optional().meta({ description: "Whose ratings (default: the monitor's)" }),
  period: z.string().max(120).optional().meta({ description: "Period id or label (default: the latest)" }),
  topic: z.string().max(80).optional().meta({ description: "Only provisions of this topic" }),
  section: z
    .string()
    .max(300)
    .optional()
    .meta({ description: 'Only provisions of this first-level section: its number ("V") or "V. Title"' }),
  include: csvList(z.enum(GRID_EXTRAS)).meta({
    description: "Rows left out by default: headings (section rows) and definitions, comma-separated",
  }),
});
export type GridQuery = z.infer<typeof GridQuerySchema>;

export const GridSchema = z.object({
  matter: z.object({ id: IdSchema, slug: z.string(), title: z.string() }),
  scale: ComplianceScaleSchema,
  periods: z.array(PeriodSchema),
  period: PeriodSchema.nullable(),
  /** Whose ratings the grid shows and saves. */
  rater: RaterSchema,
  items: z.array(
    z.object({
      provision: ProvisionRefSchema.extend({
        /** Null for a provision not numbered "¶ N": its label is its address. */
        number: z.int().nullable(),
        path: z.string(),
        depth: z.int(),
        /** A heading only: shown as a section row (ratable: some raters rate a section as a whole). */
        heading: z.boolean(),
        definition: z.boolean(),
        /** The text's opening, whitespace collapsed, at most GRID_EXCERPT_LENGTH characters. */
        excerpt: z.string(),
        /** Whether the text goes on past the excerpt (the provision's own page has it whole). */
        truncated: z.boolean(),
        section: z.string().nullable(),
        topics: z.array(z.string()),
        page: z.int().nullable(),
        /** The provision's version (its ETag): a court's sustainment start sends it as If-Match. */
        version: z.int(),
        terminatedOn: z.string().nullable(),
      }),
      assessment: AssessmentSchema.nullable(),
    }),
  ),
  total: z.int(),
  /** The rows of the filters left out because `include` did not ask for them. */
  left: z.object({ headings: z.int(), definitions: z.int() }),
  abilities: z.object({ rate: z.boolean() }),
});
export type Grid = z.infer<typeof GridSchema>;

export const SetSustainmentStartSchema = z.strictObject({
  /** null withdraws the court's date. */
  date: CalendarDateSchema.nullable(),
  eventId: IdSchema.nullish().meta({ description: "The order (an event of the matter) that set the date" }),
});

export const SetSectionTerminationSchema = z
  .strictObject({
    /** null: the section is in force again. */
    on: CalendarDateSchema.nullable(),
    eventId: IdSchema.nullish().meta({
      description: "The order (an event of the matter) that terminated it",
    }),
  })
  .refine((v) => v.on === null || !!v.eventId, {
    path: ["eventId"],
    message: "Name the order that terminated it",
  });

export const SectionTerminationResultSchema = z.object({
  section: z.string(),
  provisions: z.int(),
  terminatedOn: z.string().nullable(),
  eventId: IdSchema.nullable(),
  /** The matter's version after the change (its new ETag). */
  version: z.int(),
});

// ---------------------------------------------------------------- the compliance views

export const LevelCountSchema = z.object({ level: z.string(), count: z.int(), share: z.number() });

const PeriodFiguresSchema = z.object({
  /** Every rating of the period, "not rated" ones included. */
  total: z.int(),
  /** The ratings on rated levels: the denominator of scores and of the share at full. */
  rated: z.int(),
  /** Ratings at each level, in the order of the view's `levels`. */
  counts: z.array(z.int()),
  /** Each level's share of `total`, in the same order. */
  shares: z.array(z.number()),
  /** Mean of the normalised values of the rated ratings (0 to 1); null with none. */
  score: z.number().nullable(),
  /** Share of rated ratings at a full level. */
  shareFull: z.number().nullable(),
});
export type PeriodFigures = z.infer<typeof PeriodFiguresSchema>;

export const MOVEMENTS = ["improved", "backslid", "unchanged", "newly_rated", "no_longer_rated"] as const;

/** The provisions that moved one way between two periods ("from Secondary back to Preliminary"). */
export const TransitionSchema = z.object({
  kind: z.enum(MOVEMENTS),
  /** Level codes; null: no rating in that period. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  count: z.int(),
  /** The paragraph numbers of the current provisions that moved so (retired ones are counted only). */
  provisions: z.array(z.int()),
});

export const ForecastSchema = z.object({
  status: z.enum(["forecast", "reached", "insufficient", "no_progress"]),
  /** The date the straight line reaches 100% full compliance. */
  reachesFullOn: z.string().nullable(),
  /** The dates at the fastest and slowest pace of the slope's 95% range. */
  range: z.object({ earliest: z.string(), latest: z.string() }).nullable(),
  /** Change in the share at full compliance per year (0.1 = ten points a year). */
  slopePerYear: z.number().nullable(),
  slopeStandardError: z.number().nullable(),
  periodsUsed: z.int(),
  /** The forecast and its uncertainty, in words. */
  statement: z.string(),
});
export type Forecast = z.infer<typeof ForecastSchema>;

const EventRefSchema = z.object({ id: IdSchema, slug: z.string(), title: z.string(), date: z.string() });

export const ComplianceQuerySchema = z.strictObject({
  from: IdSchema.optional().meta({ description: "Movement from this period (default: the one before `to`)" }),
  to: IdSchema.optional().meta({ description: "Movement to this period (default: the latest)" }),
});

export const MatterComplianceSchema = z.object({
  matter: z.object({ id: IdSchema, slug: z.string(), title: z.string() }),
  scale: ComplianceScaleSchema,
  periods: z.array(PeriodRefSchema),
  /** Current provisions of the decree. */
  provisions: z.int(),
  /** The level codes, in the order of every `counts` and `shares` (the scale's order). */
  levels: z.array(z.string()),
  /** Per period (in the order of `periods`): counts and shares per level, the normalised score, the share at full. */
  byPeriod: z.array(PeriodFiguresSchema.extend({ periodId: IdSchema })),
  /** The same per topic, each with a figure per period (in the order of `periods`). */
  byTopic: z.array(z.object({ topic: z.string(), periods: z.array(PeriodFiguresSchema) })),
  /** The same per first-level section, in the decree's order. */
  bySection: z.array(z.object({ section: z.string(), periods: z.array(PeriodFiguresSchema) })),
  /**
   * The ratings of raters other than the monitor, per period and rater: never counted in these
   * figures (they are the monitor's), listed so that they are not silently left out. `withoutMonitor`:
   * those of provisions the monitor did not rate in that period.
   */
  otherRaters: z.array(
    z.object({ periodId: IdSchema, rater: RaterSchema, ratings: z.int(), withoutMonitor: z.int() }),
  ),
  movement: z.object({
    from: PeriodRefSchema.nullable(),
    to: PeriodRefSchema.nullable(),
    counts: z.object({
      improved: z.int(),
      backslid: z.int(),
      unchanged: z.int(),
      newlyRated: z.int(),
      noLongerRated: z.int(),
    }),
    /** Each way a level changed (or did not), with its provisions: improvements first, then backslides. */
    transitions: z.array(TransitionSchema),
  }),
  trajectory: z.object({
    points: z.array(
      z.object({
        periodId: IdSchema,
        /** Null for a period no source dates: charted in its place, left out of the forecast. */
        endsOn: z.string().nullable(),
        shareFull: z.number().nullable(),
        score: z.number().nullable(),
      }),
    ),
    forecast: ForecastSchema,
  }),
  sustainment: z.object({
    rule: z.object({ level: z.string(), years: z.number() }).nullable(),
    /**
     * The running clocks, one entry per start date (and court order), with the current
     * provisions on it (paragraph number, if any, and citation label).
     */
    clocks: z.array(
      z.object({
        startedOn: z.string(),
        source: z.enum(["ratings", "court_order"]),
        /** The order that set the date, for a court's date. */
        courtOrder: EventRefSchema.nullable(),
        /** The start plus the rule's years. */
        earliestEndOn: z.string(),
        /** Held for the rule's years by today. */
        sustained: z.boolean(),
        /** Its provisions, in the decree's order. */
        provisions: z.array(ClockProvisionSchema),
      }),
    ),
    /** Provisions in force with no clock: their sections, and the decree, cannot end yet. */
    withoutClock: z.array(ClockProvisionSchema),
    sections: z.array(
      z.object({
        section: z.string(),
        provisions: z.int(),
        withClock: z.int(),
        sustained: z.int(),
        /** The latest of its provisions' earliest end dates; null while any has no clock. */
        earliestEndOn: z.string().nullable(),
        terminated: z.boolean(),
        terminatedOn: z.string().nullable(),
        terminatedBy: EventRefSchema.nullable(),
      }),
    ),
    decree: z.object({
      provisions: z.int(),
      withClock: z.int(),
      sustained: z.int(),
      terminated: z.int(),
      earliestEndOn: z.string().nullable(),
    }),
  }),
  overdueDeadlines: z.array(
    ProvisionRefSchema.extend({ phrase: z.string(), dueOn: z.string(), level: z.string().nullable() }),
  ),
});
export type MatterCompliance = z.infer<typeof MatterComplianceSchema>;

export const AllComplianceSchema = z.object({
  matters: z.array(
    z.object({
      matter: z.object({ id: IdSchema, slug: z.string(), title: z.string() }),
      period: PeriodRefSchema,
      total: z.int(),
      rated: z.int(),
      levels: z.array(
        LevelCountSchema.extend({ label: z.string(), normalized: z.number().nullable(), full: z.boolean() }),
      ),
      score: z.number().nullable(),
      shareFull: z.number().nullable(),
    }),
  ),
  /** Each topic across decrees (each decree's latest period), on the common scale. */
  byTopic: z.array(
    z.object({
      topic: z.string(),
      matters: z.int(),
      rated: z.int(),
      full: z.int(),
      shareFull: z.number().nullable(),
      score: z.number().nullable(),
    }),
  ),
});
export type AllCompliance = z.infer<typeof AllComplianceSchema>;
