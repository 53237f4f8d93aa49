import { z } from "zod";
import { RULING_FAVORS } from "./enums.js";
import {
  AmountMeaningSchema,
  AmountSchema,
  ConditionKindSchema,
  ConditionStatusSchema,
  FiscalYearSchema,
  GrantProgramSchema,
} from "./grants.js";
import { DisagreementSchema, InferredFieldSchema } from "./provenance.js";
import {
  AgencyKindSchema,
  EventKindSchema,
  EventStatusSchema,
  JurisdictionKindSchema,
  MatterKindSchema,
  MatterRelationSchema,
  MatterStatusSchema,
  PartialDateSchema,
  SlugSchema,
  type Source,
  SourceSchema,
  StateCodeSchema,
} from "./schemas.js";

/**
 * The interchange format of `accord import` / `accord export` and of the bundled dataset.
 * Records refer to each other by slug, never by database id, so a bundle can be loaded into
 * any database and re-importing it changes nothing.
 */
export const BUNDLE_FORMAT = "accord-bundle";
export const BUNDLE_VERSION = 1;

const nullableText = (max: number) => z.string().max(max).nullable().default(null);

const nullableDate = PartialDateSchema.nullable().default(null);

export const BundleJurisdictionSchema = z.strictObject({
  slug: SlugSchema,
  name: z.string().min(1).max(200),
  kind: JurisdictionKindSchema,
  stateCode: StateCodeSchema,
  fips: z
    .string()
    .regex(/^\d{2}(\d{3})?$/)
    .nullable()
    .default(null),
  population: z.int().min(0).nullable().default(null),
  populationYear: z.int().nullable().default(null),
  sources: z.array(SourceSchema).default([]),
});

export const BundleAgencySchema = z.strictObject({
  slug: SlugSchema,
  name: z.string().min(1).max(300),
  kind: AgencyKindSchema,
  jurisdiction: SlugSchema,
  sources: z.array(SourceSchema).default([]),
});

export const BundleMatterSchema = z.strictObject({
  slug: SlugSchema,
  kind: MatterKindSchema,
  status: MatterStatusSchema,
  title: z.string().min(1).max(300),
  summary: nullableText(10_000),
  jurisdiction: SlugSchema,
  agencies: z.array(SlugSchema).default([]),
  authority: nullableText(300),
  court: nullableText(300),
  caseNumber: nullableText(100),
  judge: nullableText(200),
  monitor: nullableText(300),
  openedOn: nullableDate,
  findingsOn: nullableDate,
  agreementOn: nullableDate,
  enteredOn: nullableDate,
  endedOn: nullableDate,
  statusNote: nullableText(500),
  sources: z.array(SourceSchema).default([]),
  /** Anonymous visitors may read it when the server allows public reading. */
  public: z.boolean().default(false),
  /** Matters this one led to (an investigation → its decree) or is otherwise related to. */
  related: z.array(z.strictObject({ slug: SlugSchema, relation: MatterRelationSchema })).default([]),
  /** Fields whose value was set by a rule rather than read from a source, each with the rule. */
  inferred: z.array(InferredFieldSchema).default([]),
  /** Where two sources disagree on a field: every value, with the source that gives it. */
  disagreements: z.array(DisagreementSchema).default([]),
});

export const BundleEventSchema = z.strictObject({
  slug: SlugSchema,
  matter: SlugSchema.nullable().default(null),
  /** For an event of a place rather than of a matter (a letter to a city): the jurisdiction. */
  jurisdiction: SlugSchema.nullable().default(null),
  kind: EventKindSchema,
  date: PartialDateSchema,
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .nullable()
    .default(null),
  status: EventStatusSchema.nullable().default(null),
  newDate: nullableDate,
  title: z.string().min(1).max(500),
  description: nullableText(10_000),
  actor: nullableText(300),
  /** A ruling's outcome in words, and whom it favoured. */
  outcome: nullableText(1000),
  favors: z.enum(RULING_FAVORS).nullable().default(null),
  sources: z.array(SourceSchema).default([]),
  public: z.boolean().default(false),
});

/** An award of a grant program to a jurisdiction (and optionally one of its agencies). */
export const BundleAwardSchema = z.strictObject({
  slug: SlugSchema,
  program: GrantProgramSchema,
  /** The program as the source names it ("Byrne JAG (Recovery Act)"). */
  programName: nullableText(300),
  fiscalYear: FiscalYearSchema.nullable().default(null),
  amount: AmountSchema.nullable().default(null),
  amountMeaning: AmountMeaningSchema.nullable().default(null),
  /** How the source qualifies the amount ("not to exceed", "announced, rounded", "lower bound"). */
  amountNote: nullableText(300),
  awardNumber: nullableText(100),
  jurisdiction: SlugSchema,
  agency: SlugSchema.nullable().default(null),
  /** The recipient as the source states it ("Maricopa County (fiscal agent)"). */
  recipientName: nullableText(300),
  notes: nullableText(5000),
  /** Lawsuits (matters of kind "lawsuit") over this award. */
  matters: z.array(SlugSchema).default([]),
  sources: z.array(SourceSchema).default([]),
  public: z.boolean().default(true),
});

export const BundleConditionChangeSchema = z.strictObject({
  status: ConditionStatusSchema,
  date: PartialDateSchema,
  note: nullableText(2000),
  sources: z.array(SourceSchema).default([]),
});

/** A condition on a jurisdiction's grant money, with its dated status history (oldest first). */
export const BundleConditionSchema = z.strictObject({
  slug: SlugSchema,
  award: SlugSchema.nullable().default(null),
  jurisdiction: SlugSchema,
  program: GrantProgramSchema,
  fiscalYear: FiscalYearSchema.nullable().default(null),
  kind: ConditionKindSchema,
  text: nullableText(5000),
  matters: z.array(SlugSchema).default([]),
  history: z.array(BundleConditionChangeSchema).min(1),
  public: z.boolean().default(true),
});

/** A fact the sources give only for a whole program (a national count, a total), never per site. */
export const BundleProgramFactSchema = z.strictObject({
  slug: SlugSchema,
  program: z.string().min(1).max(300),
  date: nullableDate,
  fiscalYear: FiscalYearSchema.nullable().default(null),
  metric: z.string().min(1).max(300),
  value: z.number().nullable().default(null),
  unit: nullableText(50),
  description: nullableText(5000),
  sources: z.array(SourceSchema).default([]),
});

export const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  jurisdictions: z.array(BundleJurisdictionSchema).default([]),
  agencies: z.array(BundleAgencySchema).default([]),
  matters: z.array(BundleMatterSchema).default([]),
  events: z.array(BundleEventSchema).default([]),
  awards: z.array(BundleAwardSchema).default([]),
  conditions: z.array(BundleConditionSchema).default([]),
  programFacts: z.array(BundleProgramFactSchema).default([]),
});

export type Bundle = z.output<typeof BundleSchema>;
export type BundleInput = z.input<typeof BundleSchema>;
export type BundleJurisdiction = z.output<typeof BundleJurisdictionSchema>;
export type BundleAgency = z.output<typeof BundleAgencySchema>;
export type BundleMatter = z.output<typeof BundleMatterSchema>;
export type BundleEvent = z.output<typeof BundleEventSchema>;
export type BundleAward = z.output<typeof BundleAwardSchema>;
export type BundleCondition = z.output<typeof BundleConditionSchema>;
export type BundleProgramFact = z.output<typeof BundleProgramFactSchema>;

/**
 * The flat CSV form of matters for `accord import file.csv`: one row per matter, lists
 * separated by semicolons, jurisdictions and agencies referred to by slug (they must exist).
 */
export const MATTER_CSV_COLUMNS = [
  "slug",
  "kind",
  "status",
  "title",
  "jurisdiction",
  "agencies",
  "authority",
  "court",
  "caseNumber",
  "judge",
  "monitor",
  "openedOn",
  "findingsOn",
  "agreementOn",
  "enteredOn",
  "endedOn",
  "statusNote",
  "summary",
  /** true or false (empty: false). */
  "public",
] as const;

/** The flat CSV form of awards: one row per award; `matters` separated by semicolons. */
export const AWARD_CSV_COLUMNS = [
  "slug",
  "program",
  "programName",
  "fiscalYear",
  "amount",
  "amountMeaning",
  "amountNote",
  "awardNumber",
  "jurisdiction",
  "agency",
  "recipientName",
  "notes",
  "matters",
  "public",
] as const;

/**
 * The flat CSV form of conditions: one row per change of status, oldest first; the rows of one
 * condition share its slug, and its fields are read from its first row.
 */
export const CONDITION_CSV_COLUMNS = [
  "slug",
  "award",
  "jurisdiction",
  "program",
  "fiscalYear",
  "kind",
  "text",
  "matters",
  "status",
  "date",
  "note",
  "public",
] as const;

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sources as stored: keys in one order, empty ones left out, so that equal means equal. */
export function canonicalSources(sources: readonly Source[]): Source[] {
  return sources.map((s) => ({
    citation: s.citation,
    ...(s.url ? { url: s.url } : {}),
    ...(s.note ? { note: s.note } : {}),
  }));
}

/**
 * The one written form of a bundle: every field present in a fixed order, records sorted by
 * slug (code points), relations by slug; lists whose order means something (agencies, sources)
 * kept as they are. Equal registries serialise to the same bytes. `sortRecords: false` keeps the
 * records where they were (so that errors can name them by position).
 */
export function canonicalBundle(b: Bundle, options: { sortRecords?: boolean } = {}): Bundle {
  const sortRecords = options.sortRecords ?? true;
  const bySlug = <T extends { slug: string }>(items: readonly T[]) =>
    sortRecords ? [...items].sort((x, y) => byCodepoint(x.slug, y.slug)) : [...items];
  return {
    format: b.format,
    version: b.version,
    jurisdictions: bySlug(b.jurisdictions).map((j) => ({
      slug: j.slug,
      name: j.name,
      kind: j.kind,
      stateCode: j.stateCode,
      fips: j.fips,
      population: j.population,
      populationYear: j.populationYear,
      sources: canonicalSources(j.sources),
    })),
    agencies: bySlug(b.agencies).map((a) => ({
      slug: a.slug,
      name: a.name,
      kind: a.kind,
      jurisdiction: a.jurisdiction,
      sources: canonicalSources(a.sources),
    })),
    matters: bySlug(b.matters).map((m) => ({
      slug: m.slug,
      kind: m.kind,
      status: m.status,
      title: m.title,
      summary: m.summary,
      jurisdiction: m.jurisdiction,
      agencies: [...new Set(m.agencies)],
      authority: m.authority,
      court: m.court,
      caseNumber: m.caseNumber,
      judge: m.judge,
      monitor: m.monitor,
      openedOn: m.openedOn,
      findingsOn: m.findingsOn,
      agreementOn: m.agreementOn,
      enteredOn: m.enteredOn,
      endedOn: m.endedOn,
      statusNote: m.statusNote,
      sources: canonicalSources(m.sources),
      public: m.public,
      related: [...m.related]
        .sort((x, y) => byCodepoint(x.slug, y.slug))
        .map((r) => ({ slug: r.slug, relation: r.relation })),
      inferred: m.inferred.map((f) => ({ field: f.field, rule: f.rule })),
      disagreements: m.disagreements.map((d) => ({
        field: d.field,
        values: d.values.map((v) => ({ value: v.value, source: canonicalSources([v.source])[0]! })),
        note: d.note,
      })),
    })),
    events: bySlug(b.events).map((e) => ({
      slug: e.slug,
      matter: e.matter,
      jurisdiction: e.jurisdiction,
      kind: e.kind,
      date: e.date,
      time: e.time,
      status: e.status,
      newDate: e.newDate,
      title: e.title,
      description: e.description,
      actor: e.actor,
      outcome: e.outcome,
      favors: e.favors,
      sources: canonicalSources(e.sources),
      public: e.public,
    })),
    awards: bySlug(b.awards).map((a) => ({
      slug: a.slug,
      program: a.program,
      programName: a.programName,
      fiscalYear: a.fiscalYear,
      amount: a.amount,
      amountMeaning: a.amountMeaning,
      amountNote: a.amountNote,
      awardNumber: a.awardNumber,
      jurisdiction: a.jurisdiction,
      agency: a.agency,
      recipientName: a.recipientName,
      notes: a.notes,
      matters: [...new Set(a.matters)].sort(byCodepoint),
      sources: canonicalSources(a.sources),
      public: a.public,
    })),
    conditions: bySlug(b.conditions).map((c) => ({
      slug: c.slug,
      award: c.award,
      jurisdiction: c.jurisdiction,
      program: c.program,
      fiscalYear: c.fiscalYear,
      kind: c.kind,
      text: c.text,
      matters: [...new Set(c.matters)].sort(byCodepoint),
      history: c.history.map((h) => ({
        status: h.status,
        date: h.date,
        note: h.note,
        sources: canonicalSources(h.sources),
      })),
      public: c.public,
    })),
    programFacts: bySlug(b.programFacts).map((f) => ({
      slug: f.slug,
      program: f.program,
      date: f.date,
      fiscalYear: f.fiscalYear,
      metric: f.metric,
      value: f.value,
      unit: f.unit,
      description: f.description,
      sources: canonicalSources(f.sources),
    })),
  };
}

export const serializeBundle = (bundle: Bundle) => `${JSON.stringify(canonicalBundle(bundle), null, 2)}\n`;
