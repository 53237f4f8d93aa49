/**
 * Builds the bundled public dataset, data/bundle/registry.json, from the source files in
 * data/sources (copies of ../shared/data; see data/SOURCES.md for provenance and the mapping
 * rules). Pure and deterministic: the same sources always give byte-identical output.
 *
 *   npm run dataset              rebuild data/bundle/registry.json from data/sources
 *   npm run dataset -- --refresh re-copy the source files from ../shared/data first
 *   npm run dataset -- --check   fail if the committed bundle is out of date
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  type AgencyKind,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type Bundle,
  type BundleAgency,
  type BundleEvent,
  type BundleJurisdiction,
  type BundleMatter,
  BundleSchema,
  canonicalBundle,
  type EventKind,
  isStatusAllowed,
  isValidPartialDate,
  type JurisdictionKind,
  type MatterKind,
  type MatterRelation,
  type MatterStatus,
  parseCsvRecords,
  type Source,
  type StateCode,
  serializeBundle as serializeCanonical,
  US_STATE_CODES,
} from "@accord/domain";
import { DOJ_LIST_CITATION, matchDojList, parseDojList } from "./dataset/doj-list.js";
import { BUNDLE_PATH, DEFAULT_SOURCES_DIR, ROOT, SHARED_PATHS, SOURCE_FILES } from "./dataset/files.js";
import {
  MARSHALL_AS_OF,
  type MarshallRow,
  marshallCitation,
  marshallOutcome,
  readMarshall,
} from "./dataset/marshall.js";
import {
  AGENCY_NAME_OVERRIDES,
  AUTHORITY_OVERRIDES,
  COURT_FACTS,
  ENTERED_NOTES,
  EXTRA_EVENTS,
  type ExtraEvent,
  FINDINGS_NOTES,
  PARTIAL_OVERRIDES,
  POLICY_ATTACH,
  SIGNED_NOTES,
  TITLE_QUALIFIERS,
} from "./dataset/overrides.js";
import {
  AUTHORITY_12601,
  cmp,
  compiledDate,
  DOJ,
  mergeSources,
  must,
  slugify,
  sourceKey,
  stateCode,
  titleCase,
  yearOf,
} from "./dataset/shared.js";
import { parseSourcesColumn } from "./dataset/sources-column.js";

const US_ATLAS_CITATION = "us-atlas 3.0.1 (U.S. Census Bureau cartographic boundaries)";

// ------------------------------------------------------------------ compiled cases

export interface CompiledRow {
  id: string;
  city: string;
  state: StateCode;
  agency: string;
  enforcer: string;
  agreementType: string;
  opened: string | null;
  findings: string | null;
  signed: string | null;
  entered: string | null;
  partial: string;
  ended: string | null;
  endMode: string;
  status: string;
  notes: string;
  sourcesRaw: string;
  sources: Source[];
  /** The Marshall row this case cites, as "NAME" or "NAME (YEAR)". */
  marshallRef: { name: string; year: number | null } | null;
}

export function readCompiled(text: string): CompiledRow[] {
  return parseCsvRecords(text).map((r) => {
    const id = must(r.id, "compiled id").trim();
    const sourcesRaw = r.sources ?? "";
    const ref =
      /repo:themarshallproject\/doj14141 path:data\/doj_data\.csv \(row: (.+?)\)(?=\s*;\s*(?:https?:|repo:)|\s*$)/.exec(
        sourcesRaw,
      );
    let marshallRef: CompiledRow["marshallRef"] = null;
    if (ref) {
      const inner = (ref[1] as string).trim();
      const y = /^(.*) \((\d{4})\)$/.exec(inner);
      marshallRef = y ? { name: y[1] as string, year: Number(y[2]) } : { name: inner, year: null };
    }
    return {
      id,
      city: (r.city ?? "").trim(),
      state: stateCode(r.state ?? "", id),
      agency: (r.agency ?? "").trim(),
      enforcer: (r.enforcer ?? "").trim(),
      agreementType: (r.agreement_type ?? "").trim(),
      opened: compiledDate(r.investigation_opened, `${id} investigation_opened`),
      findings: compiledDate(r.findings_issued, `${id} findings_issued`),
      signed: compiledDate(r.agreement_signed_or_filed, `${id} agreement_signed_or_filed`),
      entered: compiledDate(r.agreement_entered_by_court, `${id} agreement_entered_by_court`),
      partial: (r.partial_terminations ?? "").trim(),
      ended: compiledDate(r.ended_date, `${id} ended_date`),
      endMode: (r.end_mode ?? "").trim(),
      status: (r.status_as_of_sources ?? "").trim(),
      notes: (r.notes ?? "").trim(),
      sourcesRaw,
      sources: parseSourcesColumn(sourcesRaw),
      marshallRef,
    };
  });
}

/** The matter kind of a compiled agreement_type, or null for findings-only / litigation rows. */
export function compiledAgreementKind(agreementType: string): MatterKind | null {
  const head = agreementType.split(/\s+/)[0] ?? "";
  switch (head) {
    case "consent_decree":
    case "proposed_consent_decree":
      return "consent_decree";
    case "memorandum_of_agreement":
      return "memorandum_of_agreement";
    case "settlement":
    case "settlement_agreement":
    case "court_enforceable_settlement_agreement":
      return /\bMOA\b/.test(agreementType) ? "memorandum_of_agreement" : "settlement_agreement";
    case "findings_only":
    case "litigation":
      return null;
    default:
      throw new Error(`Unknown agreement_type ${agreementType}`);
  }
}

// ------------------------------------------------------------------ policy timeline

const POLICY_KINDS: Record<string, EventKind> = {
  statute: "statute",
  status_snapshot: "status_snapshot",
  memo: "memo",
  memo_release: "motion",
  court_order: "order",
  investigation: "investigation_opened",
  agreement: "agreement_signed",
  executive_order: "executive_order",
  policy_action: "policy_action",
};

// ------------------------------------------------------------------ jurisdictions and agencies

interface AtlasFeature {
  id: string;
  properties: { name: string };
}

function loadAtlas(): { states: AtlasFeature[]; counties: AtlasFeature[] } {
  const require = createRequire(import.meta.url);
  const read = (f: string) =>
    JSON.parse(readFileSync(require.resolve(`us-atlas/${f}`), "utf8")) as {
      objects: Record<string, { geometries: AtlasFeature[] }>;
    };
  return {
    states: must(read("states-10m.json").objects.states, "us-atlas states").geometries,
    counties: must(read("counties-10m.json").objects.counties, "us-atlas counties").geometries,
  };
}

export function agencyKindFor(name: string): AgencyKind {
  if (/Sheriff/i.test(name)) return "sheriff";
  if (/State Police/i.test(name)) return "state_police";
  if (/University.*Public Safety/i.test(name)) return "campus_police";
  if (/County Attorney/i.test(name)) return "prosecutor";
  if (/\bJail\b/i.test(name)) return "jail";
  if (/Police|Marshal/i.test(name)) return "police";
  return "other";
}

interface PlaceSpec {
  name: string;
  kind: JurisdictionKind;
  state: StateCode;
}

/** The jurisdiction of an agency (or, without one, of the city the source names). */
export function placeFor(agencyName: string | null, cityText: string, state: StateCode): PlaceSpec {
  if (state === "PR" || state === "VI" || state === "GU" || state === "AS" || state === "MP")
    return { name: state, kind: "territory", state };
  if (/\(statewide\)/i.test(cityText) || (agencyName && /State Police/i.test(agencyName)))
    return { name: state, kind: "state", state };
  if (agencyName === "New York City Police Department") return { name: "New York City", kind: "city", state };
  const county = agencyName ? /^(.+? (County|Parish))\b/.exec(agencyName) : null;
  if (county) return { name: county[1] as string, kind: "county", state };
  const countyInCity = /\(([^)]+ County)\)/.exec(cityText);
  if (countyInCity) return { name: countyInCity[1] as string, kind: "county", state };
  const city = cityText.replace(/\s*\(.*\)\s*$/, "").trim();
  const named = city === city.toUpperCase() ? titleCase(city) : city;
  return { name: named, kind: "city", state };
}

// ------------------------------------------------------------------ the builder

interface Ctx {
  atlas: { states: AtlasFeature[]; counties: AtlasFeature[] };
  jurisdictions: Map<string, BundleJurisdiction>;
  agencies: Map<string, BundleAgency>;
  matters: Map<string, BundleMatter>;
  events: Draft[];
}

interface Draft {
  matter: string | null;
  kind: EventKind;
  date: string;
  title: string;
  description: string | null;
  actor: string | null;
  sources: Source[];
}

/** State names as us-atlas spells them, to look up each state's FIPS code there. */
const STATE_CODE_NAMES: Record<StateCode, string> = {
  AL: "Alabama",
  AK: "Alaska",
  AZ: "Arizona",
  AR: "Arkansas",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DE: "Delaware",
  DC: "District of Columbia",
  FL: "Florida",
  GA: "Georgia",
  HI: "Hawaii",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  IA: "Iowa",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  ME: "Maine",
  MD: "Maryland",
  MA: "Massachusetts",
  MI: "Michigan",
  MN: "Minnesota",
  MS: "Mississippi",
  MO: "Missouri",
  MT: "Montana",
  NE: "Nebraska",
  NV: "Nevada",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NY: "New York",
  NC: "North Carolina",
  ND: "North Dakota",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VT: "Vermont",
  VA: "Virginia",
  WA: "Washington",
  WV: "West Virginia",
  WI: "Wisconsin",
  WY: "Wyoming",
  PR: "Puerto Rico",
  VI: "United States Virgin Islands",
  GU: "Guam",
  AS: "American Samoa",
  MP: "Commonwealth of the Northern Mariana Islands",
};

function ensureAgency(ctx: Ctx, name: string, jurisdiction: string, sources: Source[]): string {
  const slug = slugify(name);
  const existing = ctx.agencies.get(slug);
  if (existing) {
    if (existing.jurisdiction !== jurisdiction)
      throw new Error(`Agency ${slug} in two jurisdictions: ${existing.jurisdiction}, ${jurisdiction}`);
    existing.sources = mergeSources(existing.sources, sources);
    return slug;
  }
  ctx.agencies.set(slug, { slug, name, kind: agencyKindFor(name), jurisdiction, sources: [...sources] });
  return slug;
}

function newMatter(
  ctx: Ctx,
  m: Omit<BundleMatter, "summary" | "court" | "caseNumber" | "judge" | "monitor" | "related" | "public"> &
    Partial<Pick<BundleMatter, "summary" | "court" | "caseNumber" | "judge" | "monitor" | "related">>,
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
  };
  ctx.matters.set(m.slug, matter);
  return matter;
}

function addEvent(ctx: Ctx, draft: Draft): void {
  if (!isValidPartialDate(draft.date)) throw new Error(`Bad event date ${draft.date}`);
  ctx.events.push(draft);
}

function relate(matter: BundleMatter, slug: string, relation: MatterRelation): void {
  if (!matter.related.some((r) => r.slug === slug)) matter.related.push({ slug, relation });
}

const KIND_WORDS: Record<MatterKind, string> = {
  pattern_or_practice_investigation: "investigation",
  consent_decree: "consent decree",
  settlement_agreement: "settlement agreement",
  memorandum_of_agreement: "memorandum of agreement",
  technical_assistance: "technical assistance",
  grant: "grant",
  task_force: "task force",
  collaborative_investigation: "collaborative investigation",
  compliance_review: "compliance review",
};
const KIND_SHORT: Partial<Record<MatterKind, string>> = {
  consent_decree: "consent-decree",
  settlement_agreement: "settlement",
  memorandum_of_agreement: "moa",
};

/** Event title: "<matter title>: <what happened>". */
function eventTitle(matter: BundleMatter, kind: EventKind): string {
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

function humanizeCode(code: string): string {
  return code.replaceAll("_", " ").replace(/\bdoj\b/gi, "DOJ");
}

function enforcerLabel(enforcer: string): string {
  return enforcer.replace(/^US DOJ/, DOJ);
}

export interface BuildReport {
  dojListEntries: number;
  dojListMatched: number;
  dojListUnmatched: string[];
  marshallRows: number;
  compiledRows: number;
  policyRows: number;
  policyMerged: number;
  collaborativeReformRows: number;
}

export function buildWithReport(sourcesDir: string = DEFAULT_SOURCES_DIR): {
  bundle: Bundle;
  report: BuildReport;
} {
  const read = (f: string) => readFileSync(path.join(sourcesDir, f), "utf8");
  const ctx: Ctx = {
    atlas: loadAtlas(),
    jurisdictions: new Map(),
    agencies: new Map(),
    matters: new Map(),
    events: [],
  };

  // us-atlas state FIPS by code, via the state names.
  const fipsByCode = new Map<StateCode, string>();
  for (const code of US_STATE_CODES) {
    const f = ctx.atlas.states.find((s) => s.properties.name === STATE_CODE_NAMES[code]);
    if (f) fipsByCode.set(code, f.id);
  }

  const marshall = readMarshall(read(SOURCE_FILES.marshall));
  const dojEntries = parseDojList(read(SOURCE_FILES.dojList));
  const dojMatches = matchDojList(dojEntries, marshall);
  const compiled = readCompiled(read(SOURCE_FILES.compiled));
  const policy = parseCsvRecords(read(SOURCE_FILES.policy));
  const monitoring = parseCsvRecords(read(SOURCE_FILES.monitoring));

  // Compiled rows ↔ Marshall rows.
  const compiledByMarshall = new Map<MarshallRow, CompiledRow>();
  for (const c of compiled) {
    if (!c.marshallRef) continue;
    const ref = c.marshallRef;
    const hits = marshall.filter(
      (r) => r.name === ref.name && (ref.year === null || r.startYear === ref.year),
    );
    if (hits.length !== 1) throw new Error(`${c.id}: Marshall reference matches ${hits.length} rows`);
    const row = hits[0] as MarshallRow;
    if (compiledByMarshall.has(row)) throw new Error(`Marshall row ${row.key} cited by two compiled rows`);
    compiledByMarshall.set(row, c);
  }

  const investigationOf = new Map<string, BundleMatter>(); // compiled id → investigation
  const agreementOf = new Map<string, BundleMatter>(); // compiled id → agreement

  const doAgency = (
    agencyName: string | null,
    cityText: string,
    state: StateCode,
    sources: Source[],
  ): { jurisdiction: string; agencies: string[] } => {
    const place = placeFor(agencyName, cityText, state);
    const jurisdiction = ensureJurisdiction(ctx, place, sources, fipsByCode);
    const agencies = agencyName ? [ensureAgency(ctx, agencyName, jurisdiction, sources)] : [];
    return { jurisdiction, agencies };
  };

  // ---- one investigation per Marshall row (merged with its compiled row when there is one)
  for (const row of marshall) {
    const c = compiledByMarshall.get(row);
    const outcome = marshallOutcome(row.status);
    const mSource = marshallCitation(row);
    const caption = row.name.startsWith("U.S. V. ") ? titleCase(row.name) : null;
    const paren = /^(.*?)\s*(\([^)]*\))$/.exec(row.name);
    const baseName = paren ? (paren[1] as string) : row.name;
    const parenText = paren ? (paren[2] as string) : null;
    const marshallAgency = caption ? null : titleCase(baseName);
    const agencyName = c ? compiledAgencyName(c) : marshallAgency;
    const rowSources = c ? mergeSources(c.sources, [mSource]) : [mSource];
    const { jurisdiction, agencies } = doAgency(
      agencyName,
      c ? c.city : row.city,
      c ? c.state : row.state,
      rowSources,
    );
    const qualifier = c
      ? TITLE_QUALIFIERS[c.id]
      : parenText && !/ v\. /i.test(parenText)
        ? titleCase(parenText.slice(1, -1))
        : undefined;
    const subject = agencyName ?? (caption as string).replace(/^U\.S\. v\. /, "");
    const dojEntry = dojMatches.get(row);
    const dojSource: Source[] = dojEntry
      ? [
          {
            citation: DOJ_LIST_CITATION,
            note: `${dojEntry.status}${dojEntry.yearEntered ? `, CD/MOA entered ${dojEntry.yearEntered}` : ""}`,
          },
        ]
      : [];

    // Status of the investigation.
    let status: MatterStatus = outcome.investigation;
    let statusNote: string | null = `${row.status}, ${MARSHALL_AS_OF}`;
    let endedOn: string | null = outcome.investigation === "closed_without_agreement" ? row.closed : null;
    const openedOn = c?.opened ?? row.start;
    const findingsOn = c?.findings ?? null;
    const agreementKind = c
      ? compiledAgreementKind(c.agreementType)
      : outcome.investigation === "resolved_by_agreement"
        ? outcome.agreementKind
        : null;
    if (c && !agreementKind) {
      const inv = compiledInvestigationStatus(c);
      status = inv.status;
      endedOn = inv.endedOn;
      statusNote = c.status || statusNote;
    }
    if (agreementKind) status = "resolved_by_agreement";

    const invSlug = `${slugify(agencyName ?? subject)}-investigation-${row.startYear}`;
    const investigation = newMatter(ctx, {
      slug: invSlug,
      kind: "pattern_or_practice_investigation",
      status,
      title: `Investigation of the ${subject}${qualifier ? ` (${qualifier})` : ""}`,
      summary: c && !agreementKind ? compiledSummary(c) : null,
      jurisdiction,
      agencies,
      authority: (c && AUTHORITY_OVERRIDES[c.id]) ?? AUTHORITY_12601,
      openedOn,
      findingsOn,
      agreementOn: null,
      enteredOn: null,
      endedOn,
      statusNote,
      sources: mergeSources(rowSources, dojSource),
    });
    if (c) investigationOf.set(c.id, investigation);

    // Investigation events.
    const openedSources = c?.opened ? c.sources : [mSource];
    if (openedOn)
      addEvent(ctx, {
        matter: invSlug,
        kind: "investigation_opened",
        date: openedOn,
        title: eventTitle(investigation, "investigation_opened"),
        description: null,
        actor: DOJ,
        sources: mergeSources(openedSources, c?.opened ? [] : dojSource),
      });
    if (c) addCompiledInvestigationEvents(ctx, c, investigation);
    if (!c && outcome.investigation === "closed_without_agreement" && row.closed)
      addEvent(ctx, {
        matter: invSlug,
        kind: "investigation_closed",
        date: row.closed,
        title: eventTitle(investigation, "investigation_closed"),
        description: null,
        actor: DOJ,
        sources: mergeSources([mSource], dojSource),
      });

    // The agreement it led to.
    if (!agreementKind) continue;
    let agreement: BundleMatter;
    if (c) {
      agreement = compiledAgreement(ctx, c, jurisdiction, agencies, rowSources, monitoring, {
        caption,
        marshall: row,
      });
    } else {
      const agreementOn = row.agreement;
      const agreementStatus: MatterStatus = row.closed ? "terminated" : "active";
      const place = ctx.jurisdictions.get(jurisdiction) as BundleJurisdiction;
      const kindWords = KIND_WORDS[agreementKind];
      const caseName = caption ?? (parenText && / v\. /i.test(parenText) ? parenText.slice(1, -1) : null);
      const title = caseName ? `${place.name} ${kindWords} (${caseName})` : `${agencyName} ${kindWords}`;
      const slug = `${slugify(agencyName ?? subject)}-${KIND_SHORT[agreementKind]}-${must(yearOf(agreementOn), `agreement year of ${row.key}`)}`;
      agreement = newMatter(ctx, {
        slug,
        kind: agreementKind,
        status: agreementStatus,
        title,
        jurisdiction,
        agencies,
        authority: AUTHORITY_12601,
        openedOn: null,
        findingsOn: null,
        agreementOn,
        enteredOn: null,
        endedOn: row.closed,
        statusNote: row.closed
          ? `${row.status}; closed ${row.closed}, ${MARSHALL_AS_OF}`
          : `${row.status}; no closing date, ${MARSHALL_AS_OF}`,
        sources: [mSource],
      });
      if (agreementOn)
        addEvent(ctx, {
          matter: slug,
          kind: "agreement_signed",
          date: agreementOn,
          title: eventTitle(agreement, "agreement_signed"),
          description: null,
          actor: null,
          sources: [mSource],
        });
      if (row.closed)
        addEvent(ctx, {
          matter: slug,
          kind: "termination",
          date: row.closed,
          title: eventTitle(agreement, "termination"),
          description: "Closing date in the Marshall Project table.",
          actor: null,
          sources: [mSource],
        });
    }
    relate(investigation, agreement.slug, "led_to");
  }

  // ---- compiled rows with no Marshall row
  for (const c of compiled) {
    if (c.marshallRef) continue;
    const agencyName = compiledAgencyName(c);
    const { jurisdiction, agencies } = doAgency(agencyName, c.city, c.state, c.sources);
    const kind = compiledAgreementKind(c.agreementType);
    const federal = /^US DOJ/.test(c.enforcer);
    let investigation: BundleMatter | null = null;
    if (federal && (c.opened || c.findings)) {
      const inv = kind
        ? { status: "resolved_by_agreement" as MatterStatus, endedOn: null }
        : compiledInvestigationStatus(c);
      const qualifier = TITLE_QUALIFIERS[c.id];
      const startYear = must(yearOf(c.opened ?? c.findings), `${c.id} start year`);
      investigation = newMatter(ctx, {
        slug: `${slugify(agencyName)}-investigation-${startYear}`,
        kind: "pattern_or_practice_investigation",
        status: inv.status,
        title: `Investigation of the ${agencyName}${qualifier ? ` (${qualifier})` : ""}`,
        summary: kind ? null : compiledSummary(c),
        jurisdiction,
        agencies,
        authority: AUTHORITY_OVERRIDES[c.id] ?? AUTHORITY_12601,
        openedOn: c.opened,
        findingsOn: c.findings,
        agreementOn: null,
        enteredOn: null,
        endedOn: inv.endedOn,
        statusNote: kind ? investigationNoteForAgreement(c) : c.status || null,
        sources: c.sources,
      });
      investigationOf.set(c.id, investigation);
      if (c.opened)
        addEvent(ctx, {
          matter: investigation.slug,
          kind: "investigation_opened",
          date: c.opened,
          title: eventTitle(investigation, "investigation_opened"),
          description: null,
          actor: enforcerLabel(c.enforcer),
          sources: c.sources,
        });
      addCompiledInvestigationEvents(ctx, c, investigation);
    }
    if (kind) {
      const agreement = compiledAgreement(ctx, c, jurisdiction, agencies, c.sources, monitoring, {
        caption: null,
        marshall: null,
        withInvestigationDates: !investigation,
      });
      if (investigation) relate(investigation, agreement.slug, "led_to");
    }
  }

  // ---- cross-references stated in the compiled rows
  const chicagoDoj = must(investigationOf.get("chicago-cpd-doj-2017"), "Chicago DOJ investigation");
  relate(chicagoDoj, must(agreementOf.get("chicago-cpd-state-2019"), "Chicago state decree").slug, "related");
  const mplsDoj = must(agreementOf.get("minneapolis-mpd-doj-2025"), "Minneapolis DOJ decree");
  relate(mplsDoj, must(agreementOf.get("minneapolis-mpd-mdhr-2023"), "Minneapolis MDHR").slug, "related");

  // ---- policy timeline
  let policyMerged = 0;
  for (const p of policy) {
    const date = must(compiledDate(p.date, `policy ${p.event}`), "policy date");
    const type = (p.type ?? "").trim();
    const sources = parseSourcesColumn(p.source ?? "");
    const text = (p.event ?? "").trim();
    const actor = (p.actor ?? "").trim() || null;
    const attach = POLICY_ATTACH[date];
    if (attach) {
      const target = must(
        attach.on === "agreement" ? agreementOf.get(attach.id) : investigationOf.get(attach.id),
        `policy target ${attach.id}`,
      );
      const kind = attach.kind ?? must(POLICY_KINDS[type], `policy type ${type}`);
      const existing = ctx.events.find((e) => e.matter === target.slug && e.date === date && e.kind === kind);
      policyMerged++;
      if (existing) {
        existing.sources = mergeSources(existing.sources, sources);
        continue;
      }
      addEvent(ctx, {
        matter: target.slug,
        kind,
        date,
        title: attach.title ?? text,
        description: text,
        actor,
        sources,
      });
      continue;
    }
    const kind = must(POLICY_KINDS[type], `policy type ${type}`);
    addEvent(ctx, { matter: null, kind, date, title: text, description: null, actor, sources });
  }

  // ---- COPS Collaborative Reform sites (technical assistance)
  const crRows = parseCsvRecords(read(SOURCE_FILES.collaborativeReform));
  for (const r of crRows) addCollaborativeReform(ctx, r, doAgency);

  // ---- titles that repeat (an agency investigated twice): add the year each opened
  const byTitle = new Map<string, BundleMatter[]>();
  for (const m of ctx.matters.values()) byTitle.set(m.title, [...(byTitle.get(m.title) ?? []), m]);
  for (const [title, list] of byTitle) {
    if (list.length < 2) continue;
    for (const m of list) {
      const year = must(m.openedOn ?? m.agreementOn, `a date to tell apart ${m.slug}`).slice(0, 4);
      m.title =
        m.kind === "pattern_or_practice_investigation" ? `${title} (opened ${year})` : `${title} (${year})`;
      for (const e of ctx.events)
        if (e.matter === m.slug && e.title.startsWith(`${title}:`))
          e.title = `${m.title}${e.title.slice(title.length)}`;
    }
  }

  // ---- slugs for events: <matter>-<kind>[-n], department-wide: department-<date>-<kind>[-n]
  const events = assignEventSlugs(ctx.events);

  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    jurisdictions: [...ctx.jurisdictions.values()],
    agencies: [...ctx.agencies.values()],
    matters: [...ctx.matters.values()],
    events,
  };
  const normalised = normaliseBundle(bundle);
  const parsed = BundleSchema.safeParse(normalised);
  if (!parsed.success) throw new Error(`Bundle does not validate: ${parsed.error.message}`);
  checkReferences(normalised);

  return {
    bundle: normalised,
    report: {
      dojListEntries: dojEntries.length,
      dojListMatched: dojMatches.size,
      dojListUnmatched: dojEntries
        .filter((e) => ![...dojMatches.values()].includes(e))
        .map((e) => `${e.name} (${e.state})`),
      marshallRows: marshall.length,
      compiledRows: compiled.length,
      policyRows: policy.length,
      policyMerged,
      collaborativeReformRows: crRows.length,
    },
  };

  // ---- helpers that need the context

  function compiledAgreement(
    ctx: Ctx,
    c: CompiledRow,
    jurisdiction: string,
    agencies: string[],
    sources: Source[],
    monitoringRows: Record<string, string>[],
    opts: { caption: string | null; marshall: MarshallRow | null; withInvestigationDates?: boolean },
  ): BundleMatter {
    const kind = must(compiledAgreementKind(c.agreementType), `${c.id} kind`);
    const facts = COURT_FACTS[c.id] ?? {};
    for (const [field, value] of Object.entries({
      caption: facts.caption,
      court: facts.courtStated,
      caseNumber: facts.caseNumber,
      judge: facts.judge,
    })) {
      if (value && !c.notes.includes(value))
        throw new Error(`${c.id}: ${field} "${value}" is not in the notes`);
    }
    const monitorRows = monitoringRows
      .filter((m) => m.case_id === c.id && m.fact_type === "monitor")
      .sort((a, b) => cmp(b.as_of ?? "", a.as_of ?? ""));
    const monitorRow = monitorRows[0];
    const monitorSources: Source[] = monitorRow
      ? parseSourcesColumn(monitorRow.source ?? "").map((s) => ({
          ...s,
          note: `Monitor: ${monitorRow.value}${monitorRow.as_of ? ` (as of ${monitorRow.as_of})` : ""}; ${monitorRow.detail}`,
        }))
      : [];
    const effective = monitoringRows.find((m) => m.case_id === c.id && m.fact_type === "effective_date");

    const caption = facts.caption ?? opts.caption;
    const place = ctx.jurisdictions.get(jurisdiction) as BundleJurisdiction;
    const agencyName = compiledAgencyName(c);
    const kindWords = KIND_WORDS[kind];
    const title = caption ? `${place.name} ${kindWords} (${caption})` : `${agencyName} ${kindWords}`;
    const m = opts.marshall;
    const agreementOn = c.signed ?? m?.agreement ?? null;
    const { status, endedOn } = compiledAgreementStatus(c, m);
    const agreement = newMatter(ctx, {
      slug: c.id,
      kind,
      status,
      title,
      summary: compiledSummary(c),
      jurisdiction,
      agencies,
      authority: /^US DOJ/.test(c.enforcer) ? (AUTHORITY_OVERRIDES[c.id] ?? AUTHORITY_12601) : null,
      court: facts.court ?? null,
      caseNumber: facts.caseNumber ?? null,
      judge: facts.judge ?? null,
      monitor: monitorRow ? (monitorRow.value ?? null) : null,
      openedOn: opts.withInvestigationDates ? c.opened : null,
      findingsOn: opts.withInvestigationDates ? c.findings : null,
      agreementOn,
      enteredOn: c.entered,
      endedOn,
      statusNote: agreementStatusNote(c),
      sources: mergeSources(sources, monitorSources),
    });
    agreementOf.set(c.id, agreement);
    const judgeActor = facts.judge ? `Judge ${facts.judge}` : null;
    const ev = (kind: EventKind, date: string, extra: Partial<Draft> = {}) =>
      addEvent(ctx, {
        matter: agreement.slug,
        kind,
        date,
        description: null,
        actor: null,
        sources: c.sources,
        ...extra,
        title: extra.title ?? eventTitle(agreement, kind),
      });
    if (opts.withInvestigationDates) {
      const by = `Investigation of the ${agencyName} by the ${c.enforcer.replace(/\s*\(.*\)$/, "")}`;
      const actor = enforcerLabel(c.enforcer);
      if (c.opened) ev("investigation_opened", c.opened, { title: `${by}: opened`, actor });
      if (c.findings) ev("findings_issued", c.findings, { title: `${by}: findings issued`, actor });
    }
    if (agreementOn)
      ev("agreement_signed", agreementOn, {
        sources: c.signed ? c.sources : [marshallCitation(m as MarshallRow)],
        description: SIGNED_NOTES[c.id] ?? null,
      });
    if (c.entered)
      ev("decree_entered", c.entered, {
        actor: judgeActor,
        description: ENTERED_NOTES[c.id] ?? null,
      });
    if (c.partial) {
      const lead = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[:\s(]*(.*)$/.exec(c.partial);
      if (lead && isValidPartialDate(lead[1] as string)) {
        const override = PARTIAL_OVERRIDES[c.id];
        ev(override?.kind ?? "partial_termination", lead[1] as string, {
          title: override ? override.title : eventTitle(agreement, "partial_termination"),
          description: c.partial,
        });
      }
    }
    if (endedOn && (status === "terminated" || status === "dismissed")) {
      const kind: EventKind = status === "dismissed" ? "dismissal" : "termination";
      ev(kind, endedOn, {
        actor: judgeActor,
        description: c.endMode
          ? `${humanizeCode(c.endMode)}.`
          : m?.closed
            ? "Closing date in the Marshall Project table."
            : null,
        sources: c.ended || !m ? c.sources : mergeSources(c.sources, [marshallCitation(m)]),
      });
    }
    if (effective?.value) {
      const date = must(compiledDate(effective.value, `${c.id} effective date`), "effective date");
      addEvent(ctx, {
        matter: agreement.slug,
        kind: "order",
        date,
        title: "Independent Monitor appointed; decree takes effect",
        description: effective.detail ?? null,
        actor: judgeActor,
        sources: parseSourcesColumn(effective.source ?? ""),
      });
    }
    for (const x of EXTRA_EVENTS[c.id] ?? []) {
      if (x.on !== "agreement") continue;
      checkStated(c, x);
      addEvent(ctx, {
        matter: agreement.slug,
        kind: x.kind,
        date: x.date,
        title: x.title,
        description: x.description ?? null,
        actor: x.actor ?? null,
        sources: c.sources,
      });
    }
    return agreement;
  }
}

function ensureJurisdiction(
  ctx: Ctx,
  place: PlaceSpec,
  sources: Source[],
  fipsByCode: Map<StateCode, string>,
): string {
  let { name } = place;
  let fips: string | null = null;
  const extra: Source[] = [];
  const stateFips = fipsByCode.get(place.state);
  if (place.kind === "state" || place.kind === "territory") {
    const feature = must(
      ctx.atlas.states.find((f) => f.id === stateFips),
      `us-atlas state ${place.state}`,
    );
    name = feature.properties.name;
    fips = feature.id;
    extra.push({ citation: US_ATLAS_CITATION, note: `Name and FIPS code ${fips}` });
  } else if (place.kind === "county") {
    const prefix = must(stateFips, `FIPS of ${place.state}`);
    const base = name.replace(/ (County|Parish)$/, "");
    const matches = ctx.atlas.counties.filter(
      (f) => f.id.startsWith(prefix) && f.properties.name === base && Number(f.id.slice(2)) < 500,
    );
    if (matches.length !== 1)
      throw new Error(`County FIPS for ${name}, ${place.state}: ${matches.length} matches`);
    fips = (matches[0] as AtlasFeature).id;
    extra.push({ citation: US_ATLAS_CITATION, note: `FIPS code ${fips}` });
  }
  const slug =
    place.kind === "state" || place.kind === "territory"
      ? slugify(name)
      : `${slugify(name)}-${place.state.toLowerCase()}`;
  const existing = ctx.jurisdictions.get(slug);
  if (existing) {
    if (existing.kind !== place.kind || existing.stateCode !== place.state)
      throw new Error(`Jurisdiction slug clash ${slug}`);
    existing.sources = mergeSources(existing.sources, sources);
    return slug;
  }
  ctx.jurisdictions.set(slug, {
    slug,
    name,
    kind: place.kind,
    stateCode: place.state,
    fips,
    population: null,
    populationYear: null,
    sources: mergeSources(extra, sources),
  });
  return slug;
}

function compiledAgencyName(c: CompiledRow): string {
  const override = AGENCY_NAME_OVERRIDES[c.id];
  if (override) {
    if (!c.agency.includes(override)) throw new Error(`${c.id}: agency override not in the agency cell`);
    return override;
  }
  const primary = (c.agency.split(" / ")[0] ?? c.agency).split(" - ")[0] ?? c.agency;
  return primary.replace(/\s*\(.*$/, "").trim();
}

function compiledSummary(c: CompiledRow): string {
  const kind = c.agreementType ? `Type: ${humanizeCode(c.agreementType)}.` : "";
  return [`Enforcer: ${enforcerLabel(c.enforcer)}.`, kind, c.notes].filter((s) => s !== "").join(" ");
}

/** Status of an investigation that has no agreement in the compiled file. */
function compiledInvestigationStatus(c: CompiledRow): { status: MatterStatus; endedOn: string | null } {
  if (c.endMode === "investigation_closed_findings_retracted")
    return { status: "findings_withdrawn", endedOn: c.ended };
  const closed = /closed (\d{4}) without/.exec(c.status);
  if (closed) return { status: "closed_without_agreement", endedOn: closed[1] as string };
  if (/^litigation/.test(c.agreementType)) return { status: "in_litigation", endedOn: null };
  if (c.findings) return { status: "findings_issued", endedOn: null };
  return { status: "open", endedOn: null };
}

function investigationNoteForAgreement(c: CompiledRow): string | null {
  if (/^proposed_/.test(c.agreementType) && c.ended)
    return `Led to a proposed consent decree (filed ${c.signed ?? "date not stated"}) that was dismissed ${c.ended} before entry.`;
  return null;
}

function compiledAgreementStatus(
  c: CompiledRow,
  m: MarshallRow | null,
): { status: MatterStatus; endedOn: string | null } {
  const s = c.status.toLowerCase();
  if (/^proposed_/.test(c.agreementType) || /^dismissed/.test(c.endMode) || s === "dismissed") {
    if (!/^dismissed/.test(c.endMode)) throw new Error(`${c.id}: proposed decree without dismissal`);
    return { status: "dismissed", endedOn: c.ended };
  }
  if (/^(terminated|closed)/.test(c.endMode) || /^(terminated|concluded)/.test(s)) {
    const year = /terminated in (\d{4})/.exec(s);
    return {
      status: "terminated",
      endedOn: c.ended ?? (year ? (year[1] as string) : null) ?? m?.closed ?? null,
    };
  }
  if (/^active \(partially terminated/.test(s)) return { status: "partially_terminated", endedOn: null };
  if (/^(active|entered|settled)/.test(s)) return { status: "active", endedOn: null };
  throw new Error(`${c.id}: cannot map status ${c.status}`);
}

function agreementStatusNote(c: CompiledRow): string | null {
  const who = /^US DOJ/.test(c.enforcer) ? "" : `enforced by ${c.enforcer}, not DOJ`;
  return [c.status, who].filter((x) => x !== "").join("; ") || null;
}

function checkStated(c: CompiledRow, x: ExtraEvent): void {
  const text = `${c.notes} ${c.status} ${c.partial}`;
  if (!text.includes(x.stated ?? x.date))
    throw new Error(`${c.id}: event date ${x.date} is not stated in the row`);
}

function addCompiledInvestigationEvents(ctx: Ctx, c: CompiledRow, investigation: BundleMatter): void {
  const actor = enforcerLabel(c.enforcer);
  if (c.findings)
    addEvent(ctx, {
      matter: investigation.slug,
      kind: "findings_issued",
      date: c.findings,
      title: eventTitle(investigation, "findings_issued"),
      description: FINDINGS_NOTES[c.id] ?? null,
      actor,
      sources: c.sources,
    });
  if (investigation.status === "findings_withdrawn" && investigation.endedOn)
    addEvent(ctx, {
      matter: investigation.slug,
      kind: "findings_withdrawn",
      date: investigation.endedOn,
      title: eventTitle(investigation, "findings_withdrawn"),
      description: c.status,
      actor,
      sources: c.sources,
    });
  if (investigation.status === "closed_without_agreement" && investigation.endedOn)
    addEvent(ctx, {
      matter: investigation.slug,
      kind: "investigation_closed",
      date: investigation.endedOn,
      title: eventTitle(investigation, "investigation_closed"),
      description: c.status,
      actor,
      sources: c.sources,
    });
  for (const x of EXTRA_EVENTS[c.id] ?? []) {
    if (x.on !== "investigation") continue;
    checkStated(c, x);
    addEvent(ctx, {
      matter: investigation.slug,
      kind: x.kind,
      date: x.date,
      title: x.title,
      description: x.description ?? null,
      actor: x.actor ?? null,
      sources: c.sources,
    });
  }
}

// ------------------------------------------------------------------ COPS Collaborative Reform

type DoAgency = (
  agencyName: string | null,
  cityText: string,
  state: StateCode,
  sources: Source[],
) => { jurisdiction: string; agencies: string[] };

function addCollaborativeReform(ctx: Ctx, r: Record<string, string>, doAgency: DoAgency): void {
  const raw = (r.agency ?? "").trim();
  const sources = parseSourcesColumn(r.sources ?? "");
  const state = stateCode(r.state ?? "", raw);
  const isAgency = !/\(/.test(raw);
  const agencyName = isAgency ? raw : null;
  const { jurisdiction, agencies } = doAgency(agencyName, (r.city ?? "").trim(), state, sources);
  const program = (r.program ?? "").trim();
  const d = (k: string) => compiledDate(r[k], `${raw} ${k}`);
  const requested = d("requested");
  const launched = d("launched_or_announced");
  const initial = d("initial_assessment_report");
  const progress = d("six_month_progress_report");
  const final = d("final_or_interim_final_report");
  const ended = d("end_date");
  const change = (r.status_after_2017_09_15_change ?? "").trim();

  const notes = (r.notes ?? "").trim();
  let status: MatterStatus;
  if (/^completed/.test(change)) status = "completed";
  else if (/^(superseded|ended|halted|disbanded)|withdrew/.test(change)) status = "discontinued";
  else if (/about to begin/.test(change)) status = "requested";
  else if (launched || initial || progress || final) status = "active";
  else if (requested) status = "requested";
  else if (/\breport\b/i.test(notes)) status = "active";
  else throw new Error(`No status for technical assistance to ${raw}`);
  const statusNote = change
    ? `After the 2017-09-15 program change: ${change}`
    : status === "active"
      ? "No later status stated in the sources consulted."
      : null;

  const subject = agencyName ?? raw;
  const startYear = yearOf(launched ?? requested ?? initial);
  const cri = /^Collaborative Reform Initiative\b/.test(program);
  const slug = `${slugify(subject.replace(/\s*\(.*\)$/, ""))}-${cri ? "collaborative-reform" : "technical-assistance"}${startYear ? `-${startYear}` : ""}`;
  const programLabel = program || "COPS technical assistance (program type not verified)";
  const summaryParts = [
    `Program: ${programLabel}.`,
    r.assessment_provider ? `Assessment provider: ${r.assessment_provider}.` : "",
    r.cooperative_agreement ? `Cooperative agreement: ${r.cooperative_agreement}.` : "",
    r.findings ? `Initial assessment: ${r.findings} findings, ${r.recommendations} recommendations.` : "",
    notes,
  ];
  const matter = newMatter(ctx, {
    slug,
    kind: "technical_assistance",
    status,
    title: `${cri ? "Collaborative Reform" : "Technical assistance"}: ${subject}`,
    summary: summaryParts.filter((s) => s !== "").join(" "),
    jurisdiction,
    agencies,
    authority: null,
    openedOn: launched ?? requested,
    findingsOn: cri ? initial : null,
    agreementOn: null,
    enteredOn: null,
    endedOn: status === "completed" || status === "discontinued" ? ended : null,
    statusNote,
    sources,
  });
  const ev = (kind: EventKind, date: string | null, title: string) => {
    if (date) addEvent(ctx, { matter: slug, kind, date, title, description: null, actor: null, sources });
  };
  ev("other", requested, `${subject}: technical assistance requested`);
  ev(
    "other",
    launched,
    `${subject}: ${cri ? "collaborative reform" : "technical assistance"} launched or announced`,
  );
  if (cri) ev("findings_issued", initial, `${subject}: initial assessment report released`);
  else ev("other", initial, `${subject}: report released`);
  ev("other", progress, `${subject}: six-month progress report released`);
  ev("other", final, `${subject}: final (or interim final) report released`);
  if (ended && ended !== final && (status === "completed" || status === "discontinued"))
    ev("other", ended, `${subject}: ${status === "completed" ? "completed" : "ended"}`);
  if (raw === "Baltimore Police Department" && /pattern-or-practice/.test(change)) {
    const inv = [...ctx.matters.values()].find(
      (m) => m.kind === "pattern_or_practice_investigation" && m.agencies.includes(agencies[0] ?? ""),
    );
    if (inv) relate(matter, inv.slug, "related");
  }
}

// ------------------------------------------------------------------ events, ordering, output

function assignEventSlugs(drafts: Draft[]): BundleEvent[] {
  const sorted = [...drafts].sort(
    (a, b) =>
      cmp(a.matter ?? "", b.matter ?? "") ||
      cmp(a.kind, b.kind) ||
      cmp(a.date, b.date) ||
      cmp(a.title, b.title),
  );
  const counts = new Map<string, number>();
  return sorted.map((d) => {
    const base = d.matter
      ? `${d.matter}-${d.kind.replaceAll("_", "-")}`
      : `department-${d.date}-${d.kind.replaceAll("_", "-")}`;
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return {
      slug: n === 1 ? base : `${base}-${n}`,
      matter: d.matter,
      kind: d.kind,
      date: d.date,
      time: null,
      status: null,
      newDate: null,
      title: d.title,
      description: d.description,
      actor: d.actor,
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
  for (const e of b.events)
    if (e.matter && !m.has(e.matter)) throw new Error(`${e.slug}: no matter ${e.matter}`);
}

export function buildRegistry(sourcesDir: string = DEFAULT_SOURCES_DIR): Bundle {
  return buildWithReport(sourcesDir).bundle;
}

// ------------------------------------------------------------------ CLI

function refreshSources(sourcesDir: string, force: boolean): void {
  const shared = path.resolve(ROOT, "..", "shared", "data");
  mkdirSync(sourcesDir, { recursive: true });
  for (const [key, file] of Object.entries(SOURCE_FILES) as [keyof typeof SOURCE_FILES, string][]) {
    const target = path.join(sourcesDir, file);
    if (!force && existsSync(target)) continue;
    const from = path.join(shared, SHARED_PATHS[key]);
    if (!existsSync(from)) throw new Error(`${file} is missing from data/sources and ${from} does not exist`);
    copyFileSync(from, target);
    chmodSync(target, 0o644);
    console.log(`copied ${SHARED_PATHS[key]} → data/sources/${file}`);
  }
}

function main(argv: string[]): void {
  const refresh = argv.includes("--refresh");
  const check = argv.includes("--check");
  refreshSources(DEFAULT_SOURCES_DIR, refresh);
  const { bundle, report } = buildWithReport(DEFAULT_SOURCES_DIR);
  const text = serializeBundle(bundle);
  if (check) {
    const current = existsSync(BUNDLE_PATH) ? readFileSync(BUNDLE_PATH, "utf8") : "";
    if (current !== text) {
      console.error("data/bundle/registry.json is out of date: run npm run dataset");
      process.exit(1);
    }
  } else {
    mkdirSync(path.dirname(BUNDLE_PATH), { recursive: true });
    writeFileSync(BUNDLE_PATH, text);
  }
  const byKind = new Map<string, number>();
  for (const m of bundle.matters) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
  const deptWide = bundle.events.filter((e) => e.matter === null).length;
  console.log(`${check ? "checked" : "wrote"} ${path.relative(ROOT, BUNDLE_PATH)}`);
  console.log(`  jurisdictions ${bundle.jurisdictions.length}, agencies ${bundle.agencies.length}`);
  console.log(
    `  matters ${bundle.matters.length}: ${[...byKind.entries()]
      .sort((a, b) => cmp(a[0], b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  console.log(`  events ${bundle.events.length} (department-wide ${deptWide})`);
  console.log(
    `  sources: Marshall rows ${report.marshallRows}, compiled rows ${report.compiledRows}, policy rows ${report.policyRows} (${report.policyMerged} attached to matters), Collaborative Reform rows ${report.collaborativeReformRows}`,
  );
  console.log(
    `  DOJ 2014 list: ${report.dojListEntries} entries, ${report.dojListMatched} matched to Marshall investigations${
      report.dojListUnmatched.length ? `; unmatched: ${report.dojListUnmatched.join("; ")}` : ""
    }`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
