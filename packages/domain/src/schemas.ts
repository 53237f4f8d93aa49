import { z } from "zod";
import { StatusAsOfSchema } from "./as-of.js";
import {
  AGENCY_KINDS,
  EVENT_KINDS,
  EVENT_STATUSES,
  JURISDICTION_KINDS,
  MATTER_KINDS,
  MATTER_RELATIONS,
  MATTER_STATUSES,
  RULING_FAVORS,
  US_STATE_CODES,
} from "./enums.js";
import { MoneyRowSchema } from "./grants.js";
// Installs the error map before any schema here is used: messages written for people.
import "./messages.js";
import { isValidPartialDate, partialDateProblem } from "./partial-date.js";
import { DisagreementSchema, InferredFieldSchema, SourceSchema } from "./provenance.js";

/** A URL-safe identifier that stays stable across imports: lowercase words joined by hyphens. */
export const SlugSchema = z
  .string()
  .min(2)
  .max(120)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens");

export const IdSchema = z.uuid();

export const PartialDateSchema = z
  .string()
  .refine(isValidPartialDate, { error: (issue) => partialDateProblem(String(issue.input)) ?? undefined })
  .meta({ description: "A date with its precision: YYYY, YYYY-MM or YYYY-MM-DD", example: "2017-04-07" });

/** A day as YYYY-MM-DD, a real calendar date: the portfolio as it stood on it. */
export const AsOfDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the day as YYYY-MM-DD, such as 2017-03-31")
  .refine(isValidPartialDate, "That day does not exist in the calendar")
  .meta({ description: "A day, YYYY-MM-DD: show the portfolio as it stood on it", example: "2017-03-31" });

export { HttpUrlSchema, type Source, SourceSchema } from "./provenance.js";

const trimmed = (max: number) => z.string().trim().min(1, "Required").max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const MatterKindSchema = z.enum(MATTER_KINDS);
export const MatterStatusSchema = z.enum(MATTER_STATUSES);
export const JurisdictionKindSchema = z.enum(JURISDICTION_KINDS);
export const AgencyKindSchema = z.enum(AGENCY_KINDS);
export const EventKindSchema = z.enum(EVENT_KINDS);
export const EventStatusSchema = z.enum(EVENT_STATUSES);
export const StateCodeSchema = z.enum(US_STATE_CODES);
export const MatterRelationSchema = z.enum(MATTER_RELATIONS);

// ---------------------------------------------------------------- jurisdictions

export const JurisdictionFieldsSchema = z.strictObject({
  slug: SlugSchema,
  name: trimmed(200),
  kind: JurisdictionKindSchema,
  stateCode: StateCodeSchema,
  /** FIPS code: 2 digits for a state, 5 for a county; empty when the sources do not give it. */
  fips: z
    .string()
    .regex(/^\d{2}(\d{3})?$/, "Use a 2- or 5-digit FIPS code")
    .nullish(),
  population: z.int().min(0).max(1_000_000_000).nullish(),
  populationYear: z.int().min(1790).max(2100).nullish(),
  sources: z.array(SourceSchema).max(50).optional(),
});
// Lists are optional and have no default: an update that leaves a list out keeps it as it is
// (a `.default([])` inside `.partial()` would fill it in and wipe the stored list).
export const CreateJurisdictionSchema = JurisdictionFieldsSchema;
export const UpdateJurisdictionSchema = JurisdictionFieldsSchema.partial();
export type CreateJurisdiction = z.input<typeof CreateJurisdictionSchema>;
export type UpdateJurisdiction = z.input<typeof UpdateJurisdictionSchema>;

export const RecordMeta = {
  id: IdSchema,
  version: z.int().meta({ description: "Increases on every change; send it back in If-Match" }),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const JurisdictionSummarySchema = z.object({
  id: IdSchema,
  slug: z.string(),
  name: z.string(),
  kind: JurisdictionKindSchema,
  stateCode: StateCodeSchema,
});
export type JurisdictionSummary = z.infer<typeof JurisdictionSummarySchema>;

export const JurisdictionSchema = z.object({
  ...RecordMeta,
  slug: z.string(),
  name: z.string(),
  kind: JurisdictionKindSchema,
  stateCode: StateCodeSchema,
  fips: z.string().nullable(),
  population: z.int().nullable(),
  populationYear: z.int().nullable(),
  sources: z.array(SourceSchema),
  matterCount: z.int(),
});
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

// ---------------------------------------------------------------- agencies

export const AgencyFieldsSchema = z.strictObject({
  slug: SlugSchema,
  name: trimmed(300),
  kind: AgencyKindSchema,
  jurisdictionId: IdSchema,
  sources: z.array(SourceSchema).max(50).optional(),
});
export const CreateAgencySchema = AgencyFieldsSchema;
export const UpdateAgencySchema = AgencyFieldsSchema.partial();
export type CreateAgency = z.input<typeof CreateAgencySchema>;
export type UpdateAgency = z.input<typeof UpdateAgencySchema>;

export const AgencySummarySchema = z.object({
  id: IdSchema,
  slug: z.string(),
  name: z.string(),
  kind: AgencyKindSchema,
});
export type AgencySummary = z.infer<typeof AgencySummarySchema>;

export const AgencySchema = z.object({
  ...RecordMeta,
  slug: z.string(),
  name: z.string(),
  kind: AgencyKindSchema,
  jurisdiction: JurisdictionSummarySchema,
  sources: z.array(SourceSchema),
  matterCount: z.int(),
});
export type Agency = z.infer<typeof AgencySchema>;

// ---------------------------------------------------------------- matters

const matterFieldShape = {
  slug: SlugSchema,
  kind: MatterKindSchema,
  status: MatterStatusSchema,
  title: trimmed(300),
  summary: optionalText(10_000),
  jurisdictionId: IdSchema,
  agencyIds: z.array(IdSchema).max(50).optional(),
  /** The law the matter rests on, e.g. "34 U.S.C. 12601". */
  authority: optionalText(300),
  court: optionalText(300),
  caseNumber: optionalText(100),
  judge: optionalText(200),
  monitor: optionalText(300),
  openedOn: PartialDateSchema.nullish(),
  findingsOn: PartialDateSchema.nullish(),
  agreementOn: PartialDateSchema.nullish(),
  enteredOn: PartialDateSchema.nullish(),
  endedOn: PartialDateSchema.nullish(),
  /** Status as the most recent source states it, with its date, e.g. "active as of 2017-01 fact sheet". */
  statusNote: optionalText(500),
  sources: z.array(SourceSchema).max(100).optional(),
  /** Anonymous visitors may read it when public reading is on (ACCORD_PUBLIC_READ=1). */
  public: z.boolean().optional(),
};

export const CreateMatterSchema = z.strictObject(matterFieldShape);
export const UpdateMatterSchema = z.strictObject(matterFieldShape).partial();
export type CreateMatter = z.input<typeof CreateMatterSchema>;
export type UpdateMatter = z.input<typeof UpdateMatterSchema>;

export const KeyDatesSchema = z.object({
  openedOn: z.string().nullable(),
  findingsOn: z.string().nullable(),
  agreementOn: z.string().nullable(),
  enteredOn: z.string().nullable(),
  endedOn: z.string().nullable(),
});

export const MatterListItemSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  kind: MatterKindSchema,
  status: MatterStatusSchema,
  title: z.string(),
  jurisdiction: JurisdictionSummarySchema,
  agencies: z.array(AgencySummarySchema),
  ...KeyDatesSchema.shape,
  public: z.boolean(),
  version: z.int(),
  updatedAt: z.string(),
  /** With `asOf`: the status the matter had on that day, and how that was decided. */
  statusAsOf: StatusAsOfSchema.optional(),
});
export type MatterListItem = z.infer<typeof MatterListItemSchema>;

export const RelatedMatterSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  kind: MatterKindSchema,
  status: MatterStatusSchema,
  title: z.string(),
  relation: MatterRelationSchema,
  /** "from": this matter led to the other; "to": the other led to this one. */
  direction: z.enum(["from", "to"]),
});
export type RelatedMatter = z.infer<typeof RelatedMatterSchema>;

// ---------------------------------------------------------------- events

const eventFieldShape = {
  slug: SlugSchema,
  /** Empty for an event of the department-wide record (a memo, an executive order). */
  matterId: IdSchema.nullish(),
  /** For an event of a place rather than of a matter (a letter to a city): the jurisdiction. */
  jurisdictionId: IdSchema.nullish(),
  kind: EventKindSchema,
  date: PartialDateSchema,
  /** Local time for hearings, HH:MM. */
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM")
    .nullish(),
  status: EventStatusSchema.nullish(),
  /** For a postponed hearing: the date it moved to. */
  newDate: PartialDateSchema.nullish(),
  title: trimmed(500),
  description: optionalText(10_000),
  actor: optionalText(300),
  /** A ruling's outcome in words, and whom it favoured. */
  outcome: optionalText(2000),
  favors: z.enum(RULING_FAVORS).nullish(),
  sources: z.array(SourceSchema).max(50).optional(),
  /** Anonymous visitors may read it (when its matter is public too) if public reading is on. */
  public: z.boolean().optional(),
};

function checkEvent(
  v: { status?: string | null; newDate?: string | null; date?: string },
  ctx: z.RefinementCtx,
) {
  if (v.newDate && v.status !== "postponed") {
    ctx.addIssue({ code: "custom", path: ["newDate"], message: "Only a postponed event has a new date" });
  }
  if (v.newDate && v.date && v.newDate < v.date) {
    ctx.addIssue({ code: "custom", path: ["newDate"], message: "The new date is before the original date" });
  }
}

export const CreateEventSchema = z.strictObject(eventFieldShape).superRefine(checkEvent);
export const UpdateEventSchema = z.strictObject(eventFieldShape).partial().superRefine(checkEvent);
export type CreateEvent = z.input<typeof CreateEventSchema>;
export type UpdateEvent = z.input<typeof UpdateEventSchema>;

export const EventSchema = z.object({
  ...RecordMeta,
  slug: z.string(),
  matterId: IdSchema.nullable(),
  matter: z.object({ id: IdSchema, slug: z.string(), title: z.string(), kind: MatterKindSchema }).nullable(),
  /** The place an event is of, when it is of a place (a letter to a city) rather than of a matter. */
  jurisdictionId: IdSchema.nullable(),
  kind: EventKindSchema,
  date: z.string(),
  time: z.string().nullable(),
  status: EventStatusSchema.nullable(),
  newDate: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  actor: z.string().nullable(),
  outcome: z.string().nullable(),
  favors: z.enum(RULING_FAVORS).nullable(),
  sources: z.array(SourceSchema),
  public: z.boolean(),
});
export type Event = z.infer<typeof EventSchema>;

export const MatterSchema = z.object({
  ...RecordMeta,
  slug: z.string(),
  kind: MatterKindSchema,
  status: MatterStatusSchema,
  title: z.string(),
  summary: z.string().nullable(),
  jurisdiction: JurisdictionSummarySchema,
  agencies: z.array(AgencySummarySchema),
  authority: z.string().nullable(),
  court: z.string().nullable(),
  caseNumber: z.string().nullable(),
  judge: z.string().nullable(),
  monitor: z.string().nullable(),
  ...KeyDatesSchema.shape,
  statusNote: z.string().nullable(),
  sources: z.array(SourceSchema),
  public: z.boolean(),
  events: z.array(EventSchema),
  related: z.array(RelatedMatterSchema),
  /** Fields a rule set rather than a source, each with its rule. */
  inferred: z.array(InferredFieldSchema),
  /** Where sources disagree: every value with its source. */
  disagreements: z.array(DisagreementSchema),
  /** With `asOf`: the status the matter had on that day and how that was decided; null: not yet begun. */
  statusAsOf: StatusAsOfSchema.nullable().optional(),
});
export type Matter = z.infer<typeof MatterSchema>;

export const MatterQuerySchema = z.strictObject({
  /** The matter as it stood on this day: its status then, and how that was decided. */
  asOf: AsOfDaySchema.optional(),
});

export const SetRelatedSchema = z.strictObject({
  relatedId: IdSchema,
  relation: MatterRelationSchema.default("led_to"),
});

// ---------------------------------------------------------------- lists

/** A list filter given once, repeated (?kind=a&kind=b) or comma-separated (?kind=a,b). */
export const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === "") return undefined;
    const arr = Array.isArray(v) ? v : [v];
    return arr.flatMap((x) => String(x).split(",")).filter((x) => x !== "");
  }, z.array(item).optional());

export const MATTER_SORT_FIELDS = [
  "title",
  "kind",
  "status",
  "state",
  "jurisdiction",
  "openedOn",
  "agreementOn",
  "enteredOn",
  "endedOn",
  "updatedAt",
] as const;
export type MatterSortField = (typeof MATTER_SORT_FIELDS)[number];

const sortValues = MATTER_SORT_FIELDS.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];

export const PagingSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const MatterListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  kind: csvList(MatterKindSchema),
  status: csvList(MatterStatusSchema),
  state: csvList(StateCodeSchema),
  agencyKind: csvList(AgencyKindSchema),
  jurisdiction: z.string().max(120).optional(),
  /** Only matters this agency (id or slug) is party to. */
  agency: z.string().max(120).optional(),
  /** First year of the range, compared with the year the matter opened (or was agreed, when it has no opening date). */
  from: z.coerce.number().int().min(1900).max(2100).optional(),
  to: z.coerce.number().int().min(1900).max(2100).optional(),
  /** Only matters marked public (true) or not (false). */
  public: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  /** The portfolio as it stood on this day: statuses as of then; matters not yet begun left out. */
  asOf: AsOfDaySchema.optional(),
  sort: z.enum(sortValues).optional(),
  ...PagingSchema.shape,
});
export type MatterListQuery = z.infer<typeof MatterListQuerySchema>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.int(), limit: z.int(), offset: z.int() });

export const MatterListSchema = pageOf(MatterListItemSchema).extend({
  /**
   * More match than were counted: a list counts at most 1,000 matches past its offset (and a
   * search with no sort ranks only those, the latest opened first), so `total` is a lower bound:
   * more than that many match.
   */
  totalCapped: z.boolean(),
});
export type MatterList = z.infer<typeof MatterListSchema>;

export const EventListQuerySchema = z.strictObject({
  matter: z.string().max(120).optional(),
  kind: csvList(EventKindSchema),
  /** Only events of the department-wide record (no matter). */
  departmentWide: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  from: PartialDateSchema.optional(),
  to: PartialDateSchema.optional(),
  sort: z.enum(["date", "-date"]).default("-date"),
  ...PagingSchema.shape,
});
export const EventListSchema = pageOf(EventSchema);

export const JurisdictionListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  state: csvList(StateCodeSchema),
  kind: csvList(JurisdictionKindSchema),
  sort: z.enum(["name", "-name", "state", "-state", "matterCount", "-matterCount"]).default("name"),
  ...PagingSchema.shape,
});
export const JurisdictionListSchema = pageOf(JurisdictionSchema);

export const AgencyListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  state: csvList(StateCodeSchema),
  kind: csvList(AgencyKindSchema),
  jurisdiction: z.string().max(120).optional(),
  sort: z.enum(["name", "-name", "matterCount", "-matterCount"]).default("name"),
  ...PagingSchema.shape,
});
export const AgencyListSchema = pageOf(AgencySchema);

// ---------------------------------------------------------------- dashboard

export const DashboardQuerySchema = z.strictObject({
  /** The dashboard as it stood on this day. */
  asOf: AsOfDaySchema.optional(),
});

export const DashboardSchema = z.object({
  /** The day the figures are of: today, or the `asOf` asked for. */
  asOf: z.string().nullable(),
  totals: z.object({ matters: z.int(), jurisdictions: z.int(), agencies: z.int(), events: z.int() }),
  byKind: z.array(z.object({ kind: MatterKindSchema, count: z.int() })),
  byStatus: z.array(z.object({ status: MatterStatusSchema, count: z.int() })),
  perYear: z.array(z.object({ year: z.int(), opened: z.int(), entered: z.int(), terminated: z.int() })),
  byState: z.array(
    z.object({
      stateCode: StateCodeSchema,
      count: z.int(),
      statuses: z.array(z.object({ status: MatterStatusSchema, count: z.int() })),
      jurisdictions: z.array(z.object({ slug: z.string(), name: z.string(), count: z.int() })),
    }),
  ),
  recentEvents: z.array(EventSchema),
  upcomingHearings: z.array(EventSchema),
  /** Grant money by program and fiscal year (fiscal years up to the as-of day's). */
  money: z.array(MoneyRowSchema),
  /** Jurisdictions with a condition whose status puts money at risk (on the as-of day). */
  atRiskJurisdictions: z.int(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

// ---------------------------------------------------------------- errors

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  code: z.string(),
  requestId: z.string().optional(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), allowed: z.array(z.string()).optional() }))
    .optional(),
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
