import { z } from "zod";
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
});

export const BundleEventSchema = z.strictObject({
  slug: SlugSchema,
  matter: SlugSchema.nullable().default(null),
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
  sources: z.array(SourceSchema).default([]),
  public: z.boolean().default(false),
});

export const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  jurisdictions: z.array(BundleJurisdictionSchema).default([]),
  agencies: z.array(BundleAgencySchema).default([]),
  matters: z.array(BundleMatterSchema).default([]),
  events: z.array(BundleEventSchema).default([]),
});

export type Bundle = z.output<typeof BundleSchema>;
export type BundleInput = z.input<typeof BundleSchema>;
export type BundleJurisdiction = z.output<typeof BundleJurisdictionSchema>;
export type BundleAgency = z.output<typeof BundleAgencySchema>;
export type BundleMatter = z.output<typeof BundleMatterSchema>;
export type BundleEvent = z.output<typeof BundleEventSchema>;

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
    })),
    events: bySlug(b.events).map((e) => ({
      slug: e.slug,
      matter: e.matter,
      kind: e.kind,
      date: e.date,
      time: e.time,
      status: e.status,
      newDate: e.newDate,
      title: e.title,
      description: e.description,
      actor: e.actor,
      sources: canonicalSources(e.sources),
      public: e.public,
    })),
  };
}

export const serializeBundle = (bundle: Bundle) => `${JSON.stringify(canonicalBundle(bundle), null, 2)}\n`;
