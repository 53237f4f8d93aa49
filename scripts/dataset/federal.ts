/**
 * Shared by the grants and activities builders: the award, condition and program-fact records
 * (which the registry context does not hold), places and agencies named by hand, and
 * department-wide events merged when two files report the same one.
 */
import type {
  BundleAward,
  BundleCondition,
  BundleProgramFact,
  EventKind,
  JurisdictionKind,
  Source,
  StateCode,
} from "@accord/domain";
import { stateFipsByCode } from "./atlas.js";
import { addEvent, type Ctx } from "./context.js";
import { ensureAgency, ensureJurisdiction } from "./jurisdictions.js";
import { compiledDate, mergeSources, must, slugify } from "./shared.js";

/** The records of the bundle that are not matters or events. */
export interface GrantRecords {
  awards: BundleAward[];
  conditions: BundleCondition[];
  programFacts: BundleProgramFact[];
}

/** A place as the builders name it by hand: [name, kind, state]. */
export type Place = readonly [string, JurisdictionKind, StateCode];

const fipsCache = new WeakMap<Ctx, Map<StateCode, string>>();

/** The jurisdiction's slug, adding it (or merging the sources) as the other builders do. */
export function placeSlug(ctx: Ctx, place: Place, sources: Source[]): string {
  let fips = fipsCache.get(ctx);
  if (!fips) {
    fips = stateFipsByCode(ctx.atlas);
    fipsCache.set(ctx, fips);
  }
  const [name, kind, state] = place;
  return ensureJurisdiction(ctx, { name, kind, state }, sources, fips);
}

/** The agency's slug in that place, adding either when missing. */
export function agencySlug(ctx: Ctx, name: string, place: Place, sources: Source[]): string {
  return ensureAgency(ctx, name, placeSlug(ctx, place, sources), sources);
}

/** A partial date of a source file, or null when blank; throws on anything else. */
export const dateOrNull = (raw: string | undefined, what: string) => compiledDate(raw, what);

/** A partial date that must be there. */
export const dateOf = (raw: string | undefined, what: string) => must(compiledDate(raw, what), what);

/** A department-wide (or place) event; when one of the same date, kind and place exists, its sources grow instead. */
export function addSharedEvent(
  ctx: Ctx,
  e: {
    kind: EventKind;
    date: string;
    title: string;
    description: string | null;
    actor: string | null;
    sources: Source[];
    jurisdiction?: string | null;
  },
): void {
  const existing = ctx.events.find(
    (x) =>
      x.matter === null &&
      (x.jurisdiction ?? null) === (e.jurisdiction ?? null) &&
      x.date === e.date &&
      x.kind === e.kind,
  );
  if (existing) {
    existing.sources = mergeSources(existing.sources, e.sources);
    return;
  }
  addEvent(ctx, { matter: null, ...e, jurisdiction: e.jurisdiction ?? null });
}

/** Adds a program fact; its slug is <program>-<metric>[-fy<year>|-<date>], made unique with -2, -3 … */
export function addProgramFact(
  out: GrantRecords,
  f: Omit<BundleProgramFact, "slug"> & { slugHint?: string },
): BundleProgramFact {
  const { slugHint, ...fact } = f;
  const when = fact.fiscalYear !== null ? `fy${fact.fiscalYear}` : (fact.date ?? "undated");
  const base = slugify(slugHint ?? `${fact.program} ${fact.metric} ${when}`)
    .slice(0, 90)
    .replace(/-+$/, "");
  let slug = base;
  for (let n = 2; out.programFacts.some((x) => x.slug === slug); n++) slug = `${base}-${n}`;
  const record = { slug, ...fact };
  out.programFacts.push(record);
  return record;
}

/** A whole-number or decimal amount of a CSV cell, or null when blank. */
export function numberOrNull(raw: string | undefined, what: string): number | null {
  const v = (raw ?? "").trim();
  if (v === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`Not a number for ${what}: ${JSON.stringify(v)}`);
  return n;
}

/** The text, or null when it is blank. */
export const textOrNull = (raw: string | undefined) => {
  const v = (raw ?? "").trim();
  return v === "" ? null : v;
};

/** Sentences joined, blanks left out. */
export const sentences = (...parts: (string | null | undefined)[]) =>
  parts
    .map((p) => (p ?? "").trim())
    .filter((p) => p !== "")
    .map((p) => (/[.!?)"']$/.test(p) ? p : `${p}.`))
    .join(" ") || null;
