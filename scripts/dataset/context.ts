/**
 * The registry while it is being built (jurisdictions, agencies, matters and draft events by
 * slug) and the few ways to add to it, shared by every source's builder.
 */
import type {
  BundleAgency,
  BundleJurisdiction,
  BundleMatter,
  EventKind,
  MatterKind,
  MatterRelation,
  RulingFavors,
  Source,
} from "@accord/domain";
import { isStatusAllowed, isValidPartialDate } from "@accord/domain";
import type { Atlas } from "./atlas.js";
import { DOJ, must } from "./shared.js";

/** The registry being built, keyed by slug; events are drafts until assignEventSlugs names them. */
export interface Ctx {
  atlas: Atlas;
  jurisdictions: Map<string, BundleJurisdiction>;
  agencies: Map<string, BundleAgency>;
  matters: Map<string, BundleMatter>;
  events: Draft[];
}

/** An event before it has a slug. */
export interface Draft {
  matter: string | null;
  kind: EventKind;
  date: string;
  title: string;
  description: string | null;
  actor: string | null;
  sources: Source[];
  /** An event of a place rather than of a matter (a letter to a city): its jurisdiction. */
  jurisdiction?: string | null;
  /** A ruling's outcome in words, and whom it favoured. */
  outcome?: string | null;
  favors?: RulingFavors | null;
}

/** Adds a matter; throws on a duplicate slug or a status its kind does not allow. */
export function newMatter(
  ctx: Ctx,
  m: Omit<
    BundleMatter,
    | "summary"
    | "court"
    | "caseNumber"
    | "judge"
    | "monitor"
    | "related"
    | "public"
    | "inferred"
    | "disagreements"
  > &
    Partial<
      Pick<
        BundleMatter,
        "summary" | "court" | "caseNumber" | "judge" | "monitor" | "related" | "inferred" | "disagreements"
      >
    >,
): BundleMatter {
  if (!isStatusAllowed(m.kind, m.status))
    throw new Error(`${m.slug}: status ${m.status} not allowed for ${m.kind}`);
  if (ctx.matters.has(m.slug)) throw new Error(`Duplicate matter slug ${m.slug}`);
  const matter: BundleMatter = {
    slug: m.slug,
    kind: m.kind,
    status: m.status,
    title: m.title,
    summary: m.summary ?? null,
    jurisdiction: m.jurisdiction,
    agencies: m.agencies,
    authority: m.authority,
    court: m.court ?? null,
    caseNumber: m.caseNumber ?? null,
    judge: m.judge ?? null,
    monitor: m.monitor ?? null,
    // Every bundled record comes from public sources: anonymous visitors may read it (ACCORD_PUBLIC_READ=1).
    public: true,
    openedOn: m.openedOn,
    findingsOn: m.findingsOn,
    agreementOn: m.agreementOn,
    enteredOn: m.enteredOn,
    endedOn: m.endedOn,
    statusNote: m.statusNote,
    sources: m.sources,
    related: m.related ?? [],
    inferred: m.inferred ?? [],
    disagreements: m.disagreements ?? [],
  };
  ctx.matters.set(m.slug, matter);
  return matter;
}

/** Adds a draft event; throws on a date that is not a valid partial date. */
export function addEvent(ctx: Ctx, draft: Draft): void {
  if (!isValidPartialDate(draft.date)) throw new Error(`Bad event date ${draft.date}`);
  if (draft.sources.length === 0)
    throw new Error(`No source gives ${draft.kind} ${draft.date} of ${draft.matter}`);
  ctx.events.push(draft);
}

/** Adds a related matter once. */
export function relate(matter: BundleMatter, slug: string, relation: MatterRelation): void {
  if (!matter.related.some((r) => r.slug === slug)) matter.related.push({ slug, relation });
}

export const KIND_WORDS: Record<MatterKind, string> = {
  pattern_or_practice_investigation: "investigation",
  consent_decree: "consent decree",
  settlement_agreement: "settlement agreement",
  memorandum_of_agreement: "memorandum of agreement",
  technical_assistance: "technical assistance",
  grant: "grant",
  task_force: "task force",
  collaborative_investigation: "collaborative investigation",
  compliance_review: "compliance review",
  lawsuit: "lawsuit",
};
export const KIND_SHORT: Partial<Record<MatterKind, string>> = {
  consent_decree: "consent-decree",
  settlement_agreement: "settlement",
  memorandum_of_agreement: "moa",
};

/** Event title: "<matter title>: <what happened>". */
export function eventTitle(matter: BundleMatter, kind: EventKind): string {
  const what: Partial<Record<EventKind, string>> = {
    investigation_opened: "opened",
    findings_issued: "findings issued",
    findings_withdrawn: "findings withdrawn and investigation closed",
    investigation_closed: "closed without agreement",
    agreement_signed: "signed or filed",
    decree_entered: matter.kind === "consent_decree" ? "entered by the court" : "approved by the court",
    partial_termination: "partially terminated",
    termination: "terminated",
    dismissal: "dismissed",
  };
  return `${matter.title}: ${must(what[kind], `title for ${kind}`)}`;
}

/** "dismissed_on_doj_motion" → "dismissed on DOJ motion". */
export function humanizeCode(code: string): string {
  return code.replaceAll("_", " ").replace(/\bdoj\b/gi, "DOJ");
}

/** The enforcer as an event actor ("US DOJ …" spelled out). */
export function enforcerLabel(enforcer: string): string {
  return enforcer.replace(/^US DOJ/, DOJ);
}

/** Records that a matter field was set by a rule rather than read from a source (once per field). */
export function infer(matter: BundleMatter, field: string, rule: string): void {
  if (!matter.inferred.some((f) => f.field === field)) matter.inferred.push({ field, rule });
}

/**
 * Records that sources disagree on a matter field: every value with its source. The matter keeps
 * the value the build prefers (the first value given here). Nothing is recorded when they agree.
 */
export function disagree(
  matter: BundleMatter,
  field: string,
  values: { value: string | null; source: Source }[],
  note: string,
): void {
  if (new Set(values.map((v) => v.value)).size < 2) return;
  matter.disagreements.push({ field, values, note });
}

/** The latest day a partial date can mean ("2018-06" → "2018-06-99"), for comparing. */
function latest(date: string): string {
  return date.length === 4 ? `${date}-99-99` : date.length === 7 ? `${date}-99` : date;
}
/** The earliest day a partial date can mean ("2025" → "2025-00-00"). */
function earliest(date: string): string {
  return date.length === 4 ? `${date}-00-00` : date.length === 7 ? `${date}-00` : date;
}

/**
 * When a source was published, where its citation or address says: the Marshall Project table
 * (June 2018), the DOJ list (2014-07-02), the DOJ fact sheet (2017-01-13), and addresses that
 * carry their date (/2023/09/08/, /2025-04-17/, -20170407-).
 */
export function publishedOn(s: Source): string | null {
  if (s.citation.startsWith("The Marshall Project, doj14141")) return "2018-06";
  const inCitation = /\b(\d{4}-\d{2}-\d{2})\b/.exec(s.citation);
  if (inCitation) return inCitation[1] as string;
  const url = s.url ?? "";
  const slashed = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(url);
  if (slashed) return `${slashed[1]}-${slashed[2]}-${slashed[3]}`;
  const dashed = /\/(\d{4}-\d{2}-\d{2})\//.exec(url);
  if (dashed) return dashed[1] as string;
  const packed = /-((?:19|20)\d{2})(\d{2})(\d{2})-story/.exec(url);
  if (packed) return `${packed[1]}-${packed[2]}-${packed[3]}`;
  const scribd = /-(\d{2})-(\d{2})-(\d{2})$/.exec(url);
  if (scribd) return `20${scribd[3]}-${scribd[1]}-${scribd[2]}`;
  return null;
}

/**
 * The sources of a row that can give an event's date: not one published before the date, and
 * the Marshall Project row only when one of its own dates is that date. The others cannot be
 * told apart per field and are all kept.
 */
export function sourcesForDate(
  sources: readonly Source[],
  date: string,
  marshallDates: readonly (string | null)[] = [],
): Source[] {
  return sources.filter((s) => {
    if (s.citation.startsWith("The Marshall Project, doj14141, data/doj_data.csv"))
      return marshallDates.includes(date);
    const pub = publishedOn(s);
    return pub === null || latest(pub) >= earliest(date);
  });
}
