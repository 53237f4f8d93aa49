/** The bundle's final form: event slugs, a fixed order, and the reference checks. */
import {
  type Bundle,
  type BundleEvent,
  canonicalBundle,
  type Source,
  serializeBundle as serializeCanonical,
} from "@accord/domain";
import type { Draft } from "./context.js";
import { cmp, sourceKey } from "./shared.js";

/** Slugs for events: <matter>-<kind>[-n], department-wide: department-<date>-<kind>[-n]. */
export function assignEventSlugs(drafts: Draft[]): BundleEvent[] {
  const sorted = [...drafts].sort(
    (a, b) =>
      cmp(a.matter ?? "", b.matter ?? "") ||
      cmp(a.jurisdiction ?? "", b.jurisdiction ?? "") ||
      cmp(a.kind, b.kind) ||
      cmp(a.date, b.date) ||
      cmp(a.title, b.title),
  );
  const counts = new Map<string, number>();
  return sorted.map((d) => {
    const kind = d.kind.replaceAll("_", "-");
    const base = d.matter
      ? `${d.matter}-${kind}`
      : d.jurisdiction
        ? `${d.jurisdiction}-${d.date}-${kind}`
        : `department-${d.date}-${kind}`;
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return {
      slug: n === 1 ? base : `${base}-${n}`,
      matter: d.matter,
      jurisdiction: d.jurisdiction ?? null,
      kind: d.kind,
      date: d.date,
      time: null,
      status: null,
      newDate: null,
      title: d.title,
      description: d.description,
      actor: d.actor,
      outcome: d.outcome ?? null,
      favors: d.favors ?? null,
      sources: d.sources,
      public: true,
    };
  });
}

function sortSources(list: readonly Source[]): Source[] {
  return [...list]
    .map((s) => {
      const out: Source = { citation: s.citation };
      if (s.url) out.url = s.url;
      if (s.note) out.note = s.note;
      return out;
    })
    .sort((a, b) => cmp(sourceKey(a), sourceKey(b)));
}

/** Sources and agencies in a fixed order (the dataset's choice), then the bundle's one written form. */
export function normaliseBundle(b: Bundle): Bundle {
  return canonicalBundle({
    ...b,
    jurisdictions: b.jurisdictions.map((j) => ({ ...j, sources: sortSources(j.sources) })),
    agencies: b.agencies.map((a) => ({ ...a, sources: sortSources(a.sources) })),
    matters: b.matters.map((m) => ({
      ...m,
      agencies: [...m.agencies].sort(cmp),
      sources: sortSources(m.sources),
    })),
    events: b.events.map((e) => ({ ...e, sources: sortSources(e.sources) })),
  });
}

/** The bundle's written form, as data/bundle/registry.json holds it. */
export function serializeBundle(bundle: Bundle): string {
  return serializeCanonical(normaliseBundle(bundle));
}

/** Every slug unique and every reference resolvable; throws otherwise. */
export function checkReferences(b: Bundle): void {
  const unique = (what: string, slugs: string[]) => {
    const seen = new Set<string>();
    for (const s of slugs) {
      if (seen.has(s)) throw new Error(`Duplicate ${what} slug ${s}`);
      seen.add(s);
    }
    return seen;
  };
  const j = unique(
    "jurisdiction",
    b.jurisdictions.map((x) => x.slug),
  );
  const a = unique(
    "agency",
    b.agencies.map((x) => x.slug),
  );
  const m = unique(
    "matter",
    b.matters.map((x) => x.slug),
  );
  unique(
    "event",
    b.events.map((x) => x.slug),
  );
  for (const x of b.agencies)
    if (!j.has(x.jurisdiction)) throw new Error(`${x.slug}: no jurisdiction ${x.jurisdiction}`);
  for (const x of b.matters) {
    if (!j.has(x.jurisdiction)) throw new Error(`${x.slug}: no jurisdiction ${x.jurisdiction}`);
    for (const s of x.agencies) if (!a.has(s)) throw new Error(`${x.slug}: no agency ${s}`);
    for (const r of x.related) if (!m.has(r.slug)) throw new Error(`${x.slug}: no related matter ${r.slug}`);
  }
  for (const e of b.events) {
    if (e.matter && !m.has(e.matter)) throw new Error(`${e.slug}: no matter ${e.matter}`);
    if (e.jurisdiction && !j.has(e.jurisdiction))
      throw new Error(`${e.slug}: no jurisdiction ${e.jurisdiction}`);
  }
  const aw = unique(
    "award",
    b.awards.map((x) => x.slug),
  );
  unique(
    "condition",
    b.conditions.map((x) => x.slug),
  );
  unique(
    "program fact",
    b.programFacts.map((x) => x.slug),
  );
  for (const x of [...b.awards, ...b.conditions]) {
    if (!j.has(x.jurisdiction)) throw new Error(`${x.slug}: no jurisdiction ${x.jurisdiction}`);
    for (const s of x.matters) if (!m.has(s)) throw new Error(`${x.slug}: no matter ${s}`);
  }
  for (const x of b.awards)
    if (x.agency && !a.has(x.agency)) throw new Error(`${x.slug}: no agency ${x.agency}`);
  for (const x of b.conditions)
    if (x.award && !aw.has(x.award)) throw new Error(`${x.slug}: no award ${x.award}`);
}
