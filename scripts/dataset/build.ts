/**
 * Assembles the bundle from the sources: one investigation per Marshall Project row (merged with
 * its compiled row), the agreements they led to, the compiled rows with no Marshall row, the
 * policy timeline and the Collaborative Reform sites; then titles told apart, event slugs, the
 * fixed order, and the schema and reference checks.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type Bundle,
  type BundleJurisdiction,
  type BundleMatter,
  BundleSchema,
  type MatterStatus,
  parseCsvRecords,
  type Source,
  type StateCode,
} from "@accord/domain";
import { addActivities } from "./activities.js";
import { loadAtlas, stateFipsByCode } from "./atlas.js";
import { addCollaborativeReform } from "./collaborative-reform.js";
import {
  addCompiledAgreement,
  addCompiledInvestigationEvents,
  type CompiledRow,
  compiledAgencyName,
  compiledAgreementKind,
  compiledInvestigationStatus,
  compiledSummary,
  investigationNoteForAgreement,
  marshallDates,
  readCompiled,
} from "./compiled.js";
import {
  addEvent,
  type Ctx,
  disagree,
  enforcerLabel,
  eventTitle,
  infer,
  KIND_SHORT,
  KIND_WORDS,
  newMatter,
  relate,
  sourcesForDate,
} from "./context.js";
import { addCourtSettlements } from "./court-settlements.js";
import { DOJ_LIST_CITATION, matchDojList, parseDojList } from "./doj-list.js";
import type { GrantRecords } from "./federal.js";
import { DEFAULT_SOURCES_DIR, SOURCE_FILES } from "./files.js";
import { addGrants } from "./grants.js";
import { ensureAgency, ensureJurisdiction, placeFor } from "./jurisdictions.js";
import {
  MARSHALL_AS_OF,
  type MarshallRow,
  marshallCitation,
  marshallOutcome,
  readMarshall,
} from "./marshall.js";
import { assignEventSlugs, checkReferences, normaliseBundle } from "./output.js";
import { AUTHORITY_OVERRIDES, TITLE_QUALIFIERS } from "./overrides.js";
import { addPolicyTimeline } from "./policy.js";
import { AUTHORITY_12601, DOJ, mergeSources, must, slugify, titleCase, yearOf } from "./shared.js";

/** What the build read and matched, for the CLI to print. */
export interface BuildReport {
  dojListEntries: number;
  dojListMatched: number;
  dojListUnmatched: string[];
  marshallRows: number;
  compiledRows: number;
  policyRows: number;
  policyMerged: number;
  collaborativeReformRows: number;
  /** Rows read from each of the grants and activities files, by SOURCE_FILES key. */
  federalRows: Record<string, number>;
}

/** The bundle built from the files in `sourcesDir`, normalised, validated and reference-checked; throws on anything it cannot map. */
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

  const fipsByCode = stateFipsByCode(ctx.atlas);

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

    // Status of the investigation: as the Marshall table states it, unless the compiled row says more.
    let status: MatterStatus = outcome.investigation;
    let statusRule: string | null = null;
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
      statusRule = inv.rule;
      endedOn = inv.endedOn;
      statusNote = c.status || statusNote;
    }
    if (agreementKind && outcome.investigation !== "resolved_by_agreement") {
      status = "resolved_by_agreement";
      statusRule = `The compiled row records an agreement (${c?.agreementType}) that the Marshall table (June 2018) does not → resolved_by_agreement.`;
    }

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
    if (statusRule) infer(investigation, "status", statusRule);
    // The DOJ list against the Marshall table, on an investigation closed without agreement.
    if (
      dojEntry?.closed &&
      outcome.investigation === "closed_without_agreement" &&
      dojEntry.closed !== row.closed
    )
      disagree(
        investigation,
        "endedOn",
        [
          { value: row.closed, source: { ...mSource, note: "closed_date" } },
          { value: dojEntry.closed, source: { citation: DOJ_LIST_CITATION, note: "Closed date as listed." } },
        ],
        "The Marshall Project's date is kept; the DOJ list is older (2014-07-02).",
      );

    // Investigation events. The DOJ list gives closing dates only; Marshall gives the start date.
    const dojClosed = (date: string): Source[] =>
      dojEntry?.closed === date ? [{ citation: DOJ_LIST_CITATION, note: `Closed ${date}, as listed.` }] : [];
    if (openedOn)
      addEvent(ctx, {
        matter: invSlug,
        kind: "investigation_opened",
        date: openedOn,
        title: eventTitle(investigation, "investigation_opened"),
        description: null,
        actor: DOJ,
        sources: c?.opened ? sourcesForDate(c.sources, openedOn, marshallDates(row)) : [mSource],
      });
    if (c) addCompiledInvestigationEvents(ctx, c, investigation, row);
    if (!c && outcome.investigation === "closed_without_agreement" && row.closed)
      addEvent(ctx, {
        matter: invSlug,
        kind: "investigation_closed",
        date: row.closed,
        title: eventTitle(investigation, "investigation_closed"),
        description: null,
        actor: DOJ,
        sources: mergeSources([mSource], dojClosed(row.closed)),
      });

    // The agreement it led to.
    if (!agreementKind) continue;
    let agreement: BundleMatter;
    if (c) {
      agreement = addCompiledAgreement(ctx, c, jurisdiction, agencies, rowSources, monitoring, {
        caption,
        marshall: row,
        doj: dojEntry ?? null,
      });
      agreementOf.set(c.id, agreement);
    } else {
      const agreementOn = row.agreement;
      // The Marshall table states the agreement, not whether it is still in force: a closing
      // date means it ended; without one its status is not stated.
      const agreementStatus: MatterStatus = row.closed ? "terminated" : "unknown";
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
      if (row.closed)
        infer(agreement, "status", `The Marshall table gives a closing date (${row.closed}) → terminated.`);
      infer(
        agreement,
        "authority",
        "Not named in the sources: an agreement resolving an investigation in the Marshall table of 14141 investigations is given 34 U.S.C. 12601 (formerly 42 U.S.C. 14141).",
      );
      if (dojEntry?.closed && row.closed && dojEntry.closed !== row.closed)
        disagree(
          agreement,
          "endedOn",
          [
            { value: row.closed, source: { ...mSource, note: "closed_date" } },
            {
              value: dojEntry.closed,
              source: { citation: DOJ_LIST_CITATION, note: "Closed date as listed." },
            },
          ],
          "The Marshall Project's date is kept (a date on the 1st of a month there means the month only); the DOJ list is older (2014-07-02).",
        );
      if (dojEntry?.yearEntered && agreementOn && !agreementOn.startsWith(String(dojEntry.yearEntered)))
        disagree(
          agreement,
          "agreementOn",
          [
            { value: agreementOn, source: { ...mSource, note: "agreement_date" } },
            {
              value: String(dojEntry.yearEntered),
              source: { citation: DOJ_LIST_CITATION, note: "Year CD/MOA entered, as listed." },
            },
          ],
          "The Marshall Project's date is kept; the DOJ list gives only a year.",
        );
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
          sources: mergeSources([mSource], dojClosed(row.closed)),
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
        ? {
            status: "resolved_by_agreement" as MatterStatus,
            endedOn: null,
            rule: `The compiled row records an agreement (${c.agreementType}, signed or filed ${c.signed ?? "on a date not stated"}) → resolved_by_agreement.`,
          }
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
      if (inv.rule) infer(investigation, "status", inv.rule);
      if (!AUTHORITY_OVERRIDES[c.id])
        infer(
          investigation,
          "authority",
          "Not named in the sources: a DOJ pattern-or-practice investigation of a police agency is given 34 U.S.C. 12601 (formerly 42 U.S.C. 14141).",
        );
      if (c.opened)
        addEvent(ctx, {
          matter: investigation.slug,
          kind: "investigation_opened",
          date: c.opened,
          title: eventTitle(investigation, "investigation_opened"),
          description: null,
          actor: enforcerLabel(c.enforcer),
          sources: sourcesForDate(c.sources, c.opened),
        });
      addCompiledInvestigationEvents(ctx, c, investigation);
    }
    if (kind) {
      const agreement = addCompiledAgreement(ctx, c, jurisdiction, agencies, c.sources, monitoring, {
        caption: null,
        marshall: null,
        withInvestigationDates: !investigation,
      });
      agreementOf.set(c.id, agreement);
      if (investigation) relate(investigation, agreement.slug, "led_to");
    }
  }

  // ---- cross-references stated in the compiled rows
  const chicagoDoj = must(investigationOf.get("chicago-cpd-doj-2017"), "Chicago DOJ investigation");
  relate(chicagoDoj, must(agreementOf.get("chicago-cpd-state-2019"), "Chicago state decree").slug, "related");
  const mplsDoj = must(agreementOf.get("minneapolis-mpd-doj-2025"), "Minneapolis DOJ decree");
  relate(mplsDoj, must(agreementOf.get("minneapolis-mpd-mdhr-2023"), "Minneapolis MDHR").slug, "related");

  // ---- policy timeline
  const policyMerged = addPolicyTimeline(ctx, policy, investigationOf, agreementOf);

  // ---- COPS Collaborative Reform sites (technical assistance)
  const crRows = parseCsvRecords(read(SOURCE_FILES.collaborativeReform));
  for (const r of crRows) addCollaborativeReform(ctx, r, doAgency);

  // ---- private suits settled with court enforcement, bundled with their agreements (not federal actions)
  addCourtSettlements(ctx, fipsByCode);

  // ---- grants, 1373 letters and conditions, lawsuits (see grants.ts)
  const federal: GrantRecords = { awards: [], conditions: [], programFacts: [] };
  const csv = (key: keyof typeof SOURCE_FILES) => parseCsvRecords(read(SOURCE_FILES[key]));
  const grantFiles = {
    awards: csv("jagAwards"),
    letters: csv("letters1373"),
    litigation: csv("jagLitigation"),
    timeline: csv("jagTimeline"),
    rounds: csv("grantRounds"),
  };
  addGrants(ctx, grantFiles, federal);

  // ---- task forces, PSP sites, PSN, CRI-TAC, compliance reviews, obligations (see activities.ts)
  const activityFiles = {
    taskForces: csv("taskForces"),
    pspSites: csv("pspSites"),
    psn: csv("psn"),
    criTac: csv("criTac"),
    crProgramEvents: csv("crProgramEvents"),
    ocrReviews: csv("ocrReviews"),
    obligations: csv("obligations"),
  };
  addActivities(ctx, activityFiles, federal);
  const federalRows: Record<string, number> = {
    jagAwards: grantFiles.awards.length,
    letters1373: grantFiles.letters.length,
    jagLitigation: grantFiles.litigation.length,
    jagTimeline: grantFiles.timeline.length,
    grantRounds: grantFiles.rounds.length,
    ...Object.fromEntries(Object.entries(activityFiles).map(([k, rows]) => [k, rows.length])),
  };

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
    awards: federal.awards,
    conditions: federal.conditions,
    programFacts: federal.programFacts,
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
      federalRows,
    },
  };
}

/** The bundle alone (see buildWithReport). */
export function buildRegistry(sourcesDir: string = DEFAULT_SOURCES_DIR): Bundle {
  return buildWithReport(sourcesDir).bundle;
}
