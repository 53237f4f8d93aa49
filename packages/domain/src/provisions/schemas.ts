import { z } from "zod";
import { DOCUMENT_KINDS } from "../documents.js";
import { csvList, IdSchema } from "../schemas.js";
import { RaterSchema } from "./compliance.js";
import { DeadlineStatusSchema } from "./deadline-status.js";
import { TOPICS } from "./topics.js";

/*
 * Provisions: the numbered paragraphs of a decree, parsed from its text, checked by a person,
 * then kept (with their topics and deadlines) for monitors to rate period after period.
 */

export const TopicSchema = z.enum(TOPICS).meta({ description: "A topic of the classifier (see TOPICS)" });

/** A full date, YYYY-MM-DD (deadlines fall on days). */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "Use a date as YYYY-MM-DD")
  .refine((v) => {
    const [y, m, d] = v.split("-").map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
  }, "No such day")
  .meta({ description: "A date, YYYY-MM-DD", example: "2025-05-06" });

const MatterRefSchema = z.object({ id: IdSchema, slug: z.string(), title: z.string() });
const DocumentRefSchema = z.object({ id: IdSchema, title: z.string(), kind: z.enum(DOCUMENT_KINDS) });

export const SectionRefSchema = z.object({
  /** The heading's own number or letter: "V", "A". */
  number: z.string(),
  title: z.string(),
  /** 1: a section (roman numeral), 2: a subsection (capital letter). */
  level: z.union([z.literal(1), z.literal(2)]),
});

// ---------------------------------------------------------------- parses

export const ParsedProvisionSchema = z.object({
  /** The paragraph's number in a decree of "¶ N" paragraphs; an outline node's place in the document (1, 2, …). */
  number: z.int(),
  /** The citation label, unique in the draft: "¶ 46", "III.A.1". */
  label: z.string(),
  /** From the outermost section in. */
  sections: z.array(SectionRefSchema),
  /** "V. Protection from Harm › A. Policies, Procedures, and Training › ¶ 46". */
  path: z.string(),
  /** The paragraph's text, its lettered and roman sub-items included. */
  text: z.string(),
  /** The page (of the document, from 1) where it starts, and where it ends. */
  page: z.int(),
  pageEnd: z.int(),
  /** A paragraph of the definitions section. */
  isDefinition: z.boolean(),
  /** For a definition: the terms it defines. */
  terms: z.array(z.string()),
  /** An outline node's parent, by label; absent or null at the top. */
  parentLabel: z.string().nullable().optional(),
  /** 0 at the top of the outline. */
  depth: z.int().optional(),
  /** A heading only (a title and children, no text of its own); a rater may rate it as a whole. */
  heading: z.boolean().optional(),
  /** Its caption or title, when it carries one. */
  caption: z.string().nullable().optional(),
});

export const ParsedSectionSchema = SectionRefSchema.extend({
  /** The page the section starts on. */
  page: z.int(),
  path: z.string(),
});

export const TocEntrySchema = z.object({
  number: z.string(),
  title: z.string(),
  level: z.union([z.literal(1), z.literal(2)]),
  page: z.int().nullable(),
});

/** Exhibits and attachments recognised after an agreement's body: listed, not provisions. */
export const ParseExhibitSchema = z.object({
  /** "Exhibit A", "Attachment 2". */
  label: z.string(),
  /** The line as written ("REVISED EXHIBIT C"). */
  heading: z.string(),
  page: z.int(),
});

export const PARSE_STATUSES = ["draft", "accepted", "discarded"] as const;
export type ParseStatus = (typeof PARSE_STATUSES)[number];

/** What accepting a parse does to a matter's provisions. */
export const AcceptCountsSchema = z.object({
  /** Same number, same text: the row stays as it was (its ratings and topic correction with it). */
  kept: z.int(),
  /** Same text under another number: the row (and its ratings) moves to the new number. */
  renumbered: z.int(),
  /** A retired provision's text is back: its row (and ratings) returns, under the new number. */
  restored: z.int(),
  /** Same number, new text: the row is updated (keeping its ratings); its topics and deadlines are recomputed. */
  changed: z.int(),
  /** New provisions. */
  added: z.int(),
  /** Provisions the parse no longer has: retired, never deleted (their ratings stay). */
  retired: z.int(),
});
export type AcceptCounts = z.infer<typeof AcceptCountsSchema>;

export const DecreeParseSchema = z.object({
  id: IdSchema,
  document: DocumentRefSchema,
  matter: MatterRefSchema,
  /** draft (to check), accepted (its provisions are the matter's), discarded (a later parse was accepted). */
  status: z.enum(PARSE_STATUSES),
  provisions: z.array(ParsedProvisionSchema),
  /** The sections in the order met, with the page each starts on. */
  sections: z.array(ParsedSectionSchema),
  /** The decree's table of contents, when it has one: the sections should match it. */
  toc: z.array(TocEntrySchema),
  /** What a person should check: numbers skipped, paragraphs without text, OCR confusions resolved. */
  warnings: z.array(z.string()),
  /** The exhibits and attachments after the body, as the parser recognises them: listed, not provisions. */
  exhibits: z.array(ParseExhibitSchema),
  /** What accepting this draft would do to the matter's current provisions (null once decided). */
  preview: AcceptCountsSchema.nullable(),
  version: z.int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
});
export type DecreeParse = z.infer<typeof DecreeParseSchema>;

export const DecreeParseListItemSchema = DecreeParseSchema.omit({
  provisions: true,
  exhibits: true,
  sections: true,
  toc: true,
  preview: true,
}).extend({ provisionCount: z.int() });
export type DecreeParseListItem = z.infer<typeof DecreeParseListItemSchema>;

/** A node's citation label as a person types it ("III.A.1", "¶ 12(a)"). */
const LabelSchema = z
  .string()
  .trim()
  .min(1, "Give a label")
  .max(40, "A label has at most 40 characters")
  .meta({ description: 'A citation label, "III.A.1" or "¶ 12"', example: "III.A.1" });

/** The node an edit is for: by `label`, or (a draft of "¶ N" paragraphs) by `number`. */
const targetFields = {
  /** The node's label ("III.A.1", "¶ 12"). */
  label: LabelSchema.optional(),
  /** The paragraph number, in a draft of "¶ N" paragraphs (the label is the same: "¶ 12"). */
  number: z.int().min(1).max(100_000).optional(),
};
const oneTarget = (e: { label?: string | undefined; number?: number | undefined }) =>
  (e.label === undefined) !== (e.number === undefined);
const ONE_TARGET = {
  message: "Name the node by its label (or, in a ¶-numbered draft, its number): one of the two",
  path: ["label"],
};

/**
 * One correction of a draft (send If-Match with the parse's version); a node is named by its
 * `label`, or by its `number` in a draft of "¶ N" paragraphs. Every edit keeps the labels unique
 * (else 422 `duplicate_label`, naming the node that holds it).
 * `split`: the text from character offset `at` becomes a new node after it, labelled `newLabel`
 * (in a ¶-numbered draft, without `newLabel`, it becomes the next number and the numbers after it
 * move up by one). `merge`: the node joins the one before it. `renumber` (¶-numbered drafts):
 * paragraph `from` becomes `to`, the ones after it move by the same amount. `relabel`: the node
 * is cited as `to`. `edit`: its text and/or caption are replaced. `heading`: marks it a heading
 * only (its text becomes its caption) or unmarks it. `move`: puts it (with the nodes under it)
 * under `parent`, one of the nodes just before it, or at the top (null).
 */
export const ParseEditSchema = z.discriminatedUnion("op", [
  z
    .strictObject({
      op: z.literal("split"),
      ...targetFields,
      /** A character offset into the provision's text: the second part starts there. */
      at: z.int().min(1).max(1_000_000),
      /** The label of the node that starts at `at` (required but in a ¶-numbered draft). */
      newLabel: LabelSchema.optional(),
    })
    .refine(oneTarget, ONE_TARGET),
  z.strictObject({ op: z.literal("merge"), ...targetFields }).refine(oneTarget, ONE_TARGET),
  z.strictObject({
    op: z.literal("renumber"),
    from: z.int().min(1).max(100_000),
    to: z.int().min(1).max(100_000),
  }),
  z
    .strictObject({
      op: z.literal("edit"),
      ...targetFields,
      /** The new text (a heading's may be empty). */
      text: z.string().trim().max(100_000).optional(),
      /** The new caption or title; null or empty for none. */
      caption: z.string().trim().max(300).nullable().optional(),
    })
    .refine(oneTarget, ONE_TARGET)
    .refine((e) => e.text !== undefined || e.caption !== undefined, {
      message: "Give the new text or caption",
      path: ["text"],
    })
    .refine((e) => e.caption !== undefined || (e.text ?? "").length > 0, {
      message: "A provision needs text",
      path: ["text"],
    }),
  z.strictObject({
    op: z.literal("relabel"),
    label: LabelSchema,
    /** The label it is cited by from now on. */
    to: LabelSchema,
  }),
  z.strictObject({
    op: z.literal("heading"),
    label: LabelSchema,
    /** true: a heading only (a title and children); false: a provision with text. */
    heading: z.boolean(),
  }),
  z.strictObject({
    op: z.literal("move"),
    label: LabelSchema,
    /** The node it goes under (the one before it or one of that one's parents); null: the top. */
    parent: LabelSchema.nullable(),
  }),
]);

export const AcceptProvisionsSchema = z.strictObject({
  /** The draft parse to accept (of a decree or agreement of this matter). */
  parseId: IdSchema,
});

/**
 * A deadline occurrence a person acted on (met, waived, extended, assigned) that no deadline of
 * the accepted parse took over: its provision was retired, or the provision's new words no longer
 * state that deadline.
 */
export const UnplacedDeadlineStateSchema = z.object({
  provision: z.object({ id: IdSchema, label: z.string() }),
  /** The deadline's words ("within 90 days of the Effective Date"). */
  phrase: z.string(),
  dueOn: z.string(),
  state: z.enum(["open", "met", "waived"]),
  extendedTo: z.string().nullable(),
  assigned: z.boolean(),
  /**
   * Why: `provision_retired` (the record stays with the retired provision and comes back if its
   * words do); `deadline_gone` (the provision's words changed and state no such deadline: the
   * record is removed, and kept in full in the audit entry of the acceptance).
   */
  reason: z.enum(["provision_retired", "deadline_gone"]),
});
export type UnplacedDeadlineState = z.infer<typeof UnplacedDeadlineStateSchema>;

export const AcceptResultSchema = z.object({
  parseId: IdSchema,
  matter: MatterRefSchema,
  counts: AcceptCountsSchema,
  /**
   * What became of the recorded deadline states (met, waived, extended, assigned) of provisions
   * whose words changed or that were retired: carried to the same deadline of the new words (by
   * the provision's row and the deadline's phrase), or listed as unplaced.
   */
  deadlineStates: z.object({ carried: z.int(), unplaced: z.array(UnplacedDeadlineStateSchema) }),
  /** The matter's current provisions after accepting. */
  total: z.int(),
  /** The parse's version after accepting (its new ETag). */
  version: z.int(),
});
export type AcceptResult = z.infer<typeof AcceptResultSchema>;

// ---------------------------------------------------------------- provisions

export const ProvisionTopicSchema = z.object({
  topic: TopicSchema,
  label: z.string(),
  /** The classifier's score (null for a topic a person gave that the classifier did not score). */
  score: z.number().nullable(),
  /** The words that decided, with how often each appears in the provision and its section titles. */
  because: z.array(z.object({ word: z.string(), count: z.int() })),
});
export type ProvisionTopic = z.infer<typeof ProvisionTopicSchema>;

export const ProvisionListItemSchema = z.object({
  id: IdSchema,
  matter: MatterRefSchema,
  /** The paragraph number of a "¶ N" provision; null for a node labelled otherwise. */
  number: z.int().nullable(),
  /** The citation label, as lawyers cite it: "¶ 46", "E.1", "II.j", "III.A.1.a(i)". */
  label: z.string(),
  /** The node it sits under in the agreement's outline; null at the top. */
  parentId: IdSchema.nullable(),
  /** 0 at the top of the outline. */
  depth: z.int(),
  /** A heading only (a title and children, no text of its own); a rater may rate it as a whole. */
  heading: z.boolean(),
  /** A node of a definitions section (the same as isDefinition). */
  definition: z.boolean(),
  /** Its caption or title, when it carries one ("Training"). */
  caption: z.string().nullable(),
  path: z.string(),
  sections: z.array(SectionRefSchema),
  text: z.string(),
  page: z.int().nullable(),
  pageEnd: z.int().nullable(),
  isDefinition: z.boolean(),
  terms: z.array(z.string()),
  /** The topics in force: a person's correction when there is one, else the classifier's. */
  topics: z.array(ProvisionTopicSchema),
  /** The topics are a person's correction (kept across re-parses). */
  topicsCorrected: z.boolean(),
  deadlineCount: z.int(),
  /** Set when a later accepted parse no longer has it. */
  retiredAt: z.string().nullable(),
  terminatedOn: z.string().nullable(),
  /** The stable address to cite: /api/v1/matters/{slug}/provisions/{number or label}. */
  citation: z.string(),
});
export type ProvisionListItem = z.infer<typeof ProvisionListItemSchema>;

const booleanQuery = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

export const PROVISION_SORTS = ["number", "-number", "page", "-page", "deadlines", "-deadlines"] as const;

export const ProvisionListQuerySchema = z.strictObject({
  /** Provisions with any of these topics (a person's correction counts over the classifier). */
  topic: csvList(TopicSchema),
  /** A section ("V") or a subsection ("V.A"), by their numbers. */
  section: z
    .string()
    .regex(/^[A-Za-z0-9]{1,10}(\.[A-Za-z0-9]{1,10})?$/, 'A section number, "V", or a subsection, "V.A"')
    .optional(),
  /** Words of the text (the last one as a prefix), or a paragraph number. */
  q: z.string().trim().max(200).optional(),
  /** Include provisions a later parse retired. */
  includeRetired: booleanQuery,
  /** The order: by paragraph number (the decree's order), page or number of deadlines; "-" for descending. */
  sort: z.enum(PROVISION_SORTS).default("number"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ProvisionListQuery = z.output<typeof ProvisionListQuerySchema>;

export const ProvisionListSchema = z.object({
  items: z.array(ProvisionListItemSchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

const SpanSchema = z.object({ n: z.int(), unit: z.enum(["day", "week", "month", "year"]) });

export const DeadlineAnchorSchema = z.union([
  z.object({ kind: z.literal("effective_date") }),
  z.object({ kind: z.literal("date"), date: z.string() }),
  z.object({ kind: z.literal("other"), text: z.string() }),
]);

export const DEADLINE_KINDS = ["once", "recurring", "date"] as const;

export const ProvisionDeadlineSchema = z.object({
  id: IdSchema,
  /** The words as the decree has them. */
  phrase: z.string(),
  /** once: a span after its anchor; recurring: every period; date: a stated date. */
  kind: z.enum(DEADLINE_KINDS),
  offset: SpanSchema.nullable(),
  recurrence: SpanSchema.nullable(),
  /** What it is counted from. */
  anchor: DeadlineAnchorSchema,
  /** The date of an anchor other than the effective date, when a person gave it. */
  anchorDate: z.string().nullable(),
  /** The dates it falls on (a recurring one: each, up to two years from today). */
  dates: z.array(z.string()),
  /** Why there is no date, when there is none. */
  note: z.string().nullable(),
});

export const ProvisionRatingSchema = z.object({
  periodId: IdSchema,
  periodLabel: z.string(),
  /** Null when no source dates the period. */
  endsOn: z.string().nullable(),
  /** Whose rating it is. */
  rater: RaterSchema,
  level: z.string(),
  /** The level as the matter's scale names it, and its place on the common scale (null: no rating). */
  levelLabel: z.string(),
  normalized: z.number().nullable(),
  rationale: z.string().nullable(),
  /** Where the rating comes from: a document (with its title, when it is one of the matter's) and page. */
  evidence: z.array(
    z.object({ documentId: IdSchema, page: z.int().optional(), title: z.string().nullable().optional() }),
  ),
  ratedAt: z.string(),
  version: z.int(),
});

/** One period's ratings of a provision, each rater's side by side. */
export const ProvisionRatingPeriodSchema = z.object({
  periodId: IdSchema,
  periodLabel: z.string(),
  /** Null when no source dates the period. */
  endsOn: z.string().nullable(),
  /** Each rater's rating, the monitor's first. */
  ratings: z.array(ProvisionRatingSchema),
  /** Two raters put the provision at different places on the matter's scale. */
  disagreement: z.boolean(),
});

export const ProvisionSchema = ProvisionListItemSchema.extend({
  document: DocumentRefSchema.nullable(),
  /** What the classifier gave, with the words that decided (also when a person corrected it). */
  classifierTopics: z.array(ProvisionTopicSchema),
  deadlines: z.array(ProvisionDeadlineSchema),
  /** Every rater's ratings, newest period first, the monitor's first within a period. */
  ratings: z.array(ProvisionRatingSchema),
  /** The same, a row per period with each rater's rating side by side and whether they disagree. */
  ratingPeriods: z.array(ProvisionRatingPeriodSchema),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Provision = z.infer<typeof ProvisionSchema>;

export const TopicsCorrectionSchema = z.strictObject({
  /** The provision's topics as a person says they are (may be empty). */
  topics: z
    .array(TopicSchema)
    .max(TOPICS.length)
    .refine((t) => new Set(t).size === t.length, "Name each topic once"),
});

export const SimilarProvisionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const SimilarProvisionsSchema = z.object({
  items: z.array(
    z.object({
      provision: ProvisionListItemSchema,
      /** Jaccard similarity of the two texts' words, 0–1. */
      similarity: z.number(),
      /** The topics both have (those come first). */
      sharedTopics: z.array(TopicSchema),
    }),
  ),
});
export type SimilarProvisions = z.infer<typeof SimilarProvisionsSchema>;

// ---------------------------------------------------------------- deadlines

export const DeadlineListQuerySchema = z.strictObject({
  /** Occurrences on or after this day. */
  from: IsoDateSchema.optional(),
  /** Occurrences up to this day (default: two years from today); recurring deadlines repeat until then. */
  to: IsoDateSchema.optional(),
  /** Only past dates (true), or none of them (false). */
  overdue: booleanQuery,
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type DeadlineListQuery = z.output<typeof DeadlineListQuerySchema>;

export const DeadlineOccurrenceSchema = z.object({
  deadlineId: IdSchema,
  /** The day it is due (as extended by an order, if it was); null when it cannot be computed (see note). */
  date: z.string().nullable(),
  /** The day it falls due as the decree counts it: with deadlineId, the occurrence's identity. */
  dueOn: z.string().nullable(),
  /** For a recurring deadline: which occurrence (1, 2, …). */
  occurrence: z.int().nullable(),
  /** Due, passed, and neither met nor waived (OVERDUE_DEFINITION; a recurring duty only at its latest past date). */
  overdue: z.boolean(),
  /** Met, waived, extended, assigned: what became of this occurrence. */
  status: DeadlineStatusSchema,
  phrase: z.string(),
  /** The sentence of the provision that holds the phrase: the duty itself. */
  duty: z.string().nullable(),
  kind: z.enum(DEADLINE_KINDS),
  anchor: DeadlineAnchorSchema,
  anchorDate: z.string().nullable(),
  note: z.string().nullable(),
  provision: z.object({
    id: IdSchema,
    /** Null for a node of an outline-numbered agreement: its label is its address ("III.b"). */
    number: z.int().nullable(),
    label: z.string(),
    path: z.string(),
    /** The provision's version (its ETag): giving an anchor date sends it as If-Match. */
    version: z.int(),
  }),
  matter: MatterRefSchema,
});
export type DeadlineOccurrence = z.infer<typeof DeadlineOccurrenceSchema>;

export const MatterDeadlinesSchema = z.object({
  matter: MatterRefSchema,
  /** The day dates are counted from: the matter's entered date, else its agreement date. */
  effectiveDate: z.string().nullable(),
  /** Why dates counted from the effective date are missing, when they are. */
  note: z.string().nullable(),
  /** Dated occurrences by date, then those without a date. */
  items: z.array(DeadlineOccurrenceSchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});
export type MatterDeadlines = z.infer<typeof MatterDeadlinesSchema>;

export const DeadlineListSchema = z.object({
  /** Dated occurrences only, by date. */
  items: z.array(DeadlineOccurrenceSchema),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

export const SetAnchorDateSchema = z.strictObject({
  /** The day the deadline's anchor happened (e.g. the Monitor's appointment); null to clear it. */
  anchorDate: IsoDateSchema.nullable(),
});
