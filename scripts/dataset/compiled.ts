/**
 * The compiled table of police pattern-or-practice cases (compiled_police_pattern_or_practice_cases.csv):
 * one row per case, read and turned into its investigation's events and its agreement.
 */
import {
  type BundleJurisdiction,
  type BundleMatter,
  type EventKind,
  isValidPartialDate,
  type MatterKind,
  type MatterStatus,
  parseCsvRecords,
  type Source,
  type StateCode,
} from "@accord/domain";
import {
  addEvent,
  type Ctx,
  type Draft,
  disagree,
  enforcerLabel,
  eventTitle,
  humanizeCode,
  infer,
  KIND_WORDS,
  newMatter,
  sourcesForDate,
} from "./context.js";
import { DOJ_LIST_CITATION, type DojListEntry } from "./doj-list.js";
import { type MarshallRow, marshallCitation, marshallOutcome } from "./marshall.js";
import { effectiveDate, latestMonitor, type MonitoringFact, monitorSources } from "./monitoring.js";
import {
  AGENCY_NAME_OVERRIDES,
  AUTHORITY_OVERRIDES,
  CHECKED_EVENT_FACTS,
  type CheckedEventFact,
  COURT_FACTS,
  ENTERED_NOTES,
  EXTRA_EVENTS,
  type ExtraEvent,
  FINDINGS_NOTES,
  PARTIAL_OVERRIDES,
  SIGNED_NOTES,
} from "./overrides.js";
import { AUTHORITY_12601, compiledDate, mergeSources, must, stateCode } from "./shared.js";
import { parseSourcesColumn } from "./sources-column.js";

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

/** The compiled file's rows, with dates checked and the Marshall row each one cites. */
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

/**
 * The agency a compiled row concerns: the first its agency cell names, less any parenthesised
 * remark, unless AGENCY_NAME_OVERRIDES names it.
 */
export function compiledAgencyName(c: CompiledRow): string {
  const override = AGENCY_NAME_OVERRIDES[c.id];
  if (override) {
    if (!c.agency.includes(override)) throw new Error(`${c.id}: agency override not in the agency cell`);
    return override;
  }
  const primary = (c.agency.split(" / ")[0] ?? c.agency).split(" - ")[0] ?? c.agency;
  return primary.replace(/\s*\(.*$/, "").trim();
}

/** The matter summary: enforcer, agreement type and the row's notes. */
export function compiledSummary(c: CompiledRow): string {
  const kind = c.agreementType ? `Type: ${humanizeCode(c.agreementType)}.` : "";
  return [`Enforcer: ${enforcerLabel(c.enforcer)}.`, kind, c.notes].filter((s) => s !== "").join(" ");
}

/**
 * Status of an investigation that has no agreement in the compiled file, and the rule when the
 * row does not state it in words. Nothing stated and no dated finding: "unknown".
 */
export function compiledInvestigationStatus(c: CompiledRow): {
  status: MatterStatus;
  endedOn: string | null;
  rule: string | null;
} {
  if (c.endMode === "investigation_closed_findings_retracted")
    return { status: "findings_withdrawn", endedOn: c.ended, rule: null };
  const closed = /closed (\d{4}) without/.exec(c.status);
  if (closed) return { status: "closed_without_agreement", endedOn: closed[1] as string, rule: null };
  if (/^litigation/.test(c.agreementType)) return { status: "in_litigation", endedOn: null, rule: null };
  if (c.findings)
    return {
      status: "findings_issued",
      endedOn: null,
      rule: /findings issued/i.test(c.status)
        ? null
        : `Findings dated ${c.findings} and no later stage stated in the compiled row → findings_issued.`,
    };
  return { status: "unknown", endedOn: null, rule: null };
}

/** The status note of an investigation whose agreement was proposed and then dismissed before entry. */
export function investigationNoteForAgreement(c: CompiledRow): string | null {
  if (/^proposed_/.test(c.agreementType) && c.ended)
    return `Led to a proposed consent decree (filed ${c.signed ?? "date not stated"}) that was dismissed ${c.ended} before entry.`;
  return null;
}

/** Status and end date of a compiled agreement; throws on a status it cannot map. */
export function compiledAgreementStatus(
  c: CompiledRow,
  m: MarshallRow | null,
): { status: MatterStatus; endedOn: string | null; rule: string | null } {
  const s = c.status.toLowerCase();
  if (/^proposed_/.test(c.agreementType) || /^dismissed/.test(c.endMode) || s === "dismissed") {
    if (!/^dismissed/.test(c.endMode)) throw new Error(`${c.id}: proposed decree without dismissal`);
    return { status: "dismissed", endedOn: c.ended, rule: null };
  }
  if (/^(terminated|closed)/.test(c.endMode) || /^(terminated|concluded)/.test(s)) {
    const year = /terminated in (\d{4})/.exec(s);
    return {
      status: "terminated",
      endedOn: c.ended ?? (year ? (year[1] as string) : null) ?? m?.closed ?? null,
      rule: null,
    };
  }
  if (/^active \(partially terminated/.test(s))
    return { status: "partially_terminated", endedOn: null, rule: null };
  if (/^active\b/.test(s)) return { status: "active", endedOn: null, rule: null };
  const entered = /^entered (\d{4}-\d{2}-\d{2}); no termination found/.exec(s);
  if (entered)
    return {
      status: "active",
      endedOn: null,
      rule: `Entered ${entered[1]} and no termination found in the sources the compiled row consulted (up to January 2026) → active.`,
    };
  // "settled 2018": an agreement was reached; whether it is still in force is not stated.
  if (/^settled/.test(s)) return { status: "unknown", endedOn: null, rule: null };
  throw new Error(`${c.id}: cannot map status ${c.status}`);
}

/** The row's status, plus who enforces the agreement when it is not DOJ. */
export function agreementStatusNote(c: CompiledRow): string | null {
  const who = /^US DOJ/.test(c.enforcer) ? "" : `enforced by ${c.enforcer}, not DOJ`;
  return [c.status, who].filter((x) => x !== "").join("; ") || null;
}

function checkStated(c: CompiledRow, x: ExtraEvent): void {
  const text = `${c.notes} ${c.status} ${c.partial}`;
  if (!text.includes(x.stated ?? x.date))
    throw new Error(`${c.id}: event date ${x.date} is not stated in the row`);
}

/** The Marshall row's own dates (start, agreement, closing): the only dates its citation gives. */
export function marshallDates(m: MarshallRow | null | undefined): (string | null)[] {
  return m ? [m.start, m.agreement, m.closed] : [];
}

/** The findings, withdrawal or closing, and stated extra events of a compiled row's investigation. */
export function addCompiledInvestigationEvents(
  ctx: Ctx,
  c: CompiledRow,
  investigation: BundleMatter,
  marshall: MarshallRow | null = null,
): void {
  const actor = enforcerLabel(c.enforcer);
  const at = (date: string) => sourcesForDate(c.sources, date, marshallDates(marshall));
  if (c.findings)
    addEvent(ctx, {
      matter: investigation.slug,
      kind: "findings_issued",
      date: c.findings,
      title: eventTitle(investigation, "findings_issued"),
      description: FINDINGS_NOTES[c.id] ?? null,
      actor,
      sources: at(c.findings),
    });
  if (investigation.status === "findings_withdrawn" && investigation.endedOn)
    addEvent(ctx, {
      matter: investigation.slug,
      kind: "findings_withdrawn",
      date: investigation.endedOn,
      title: eventTitle(investigation, "findings_withdrawn"),
      description: c.status,
      actor,
      sources: at(investigation.endedOn),
    });
  if (investigation.status === "closed_without_agreement" && investigation.endedOn)
    addEvent(ctx, {
      matter: investigation.slug,
      kind: "investigation_closed",
      date: investigation.endedOn,
      title: eventTitle(investigation, "investigation_closed"),
      description: c.status,
      actor,
      sources: at(investigation.endedOn),
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
      sources: at(x.date),
    });
  }
}

/**
 * A compiled row's agreement, with its events: signed, entered, partly terminated, ended, the
 * monitoring file's effective date, and the stated extra events.
 */
export function addCompiledAgreement(
  ctx: Ctx,
  c: CompiledRow,
  jurisdiction: string,
  agencies: string[],
  sources: Source[],
  monitoringRows: MonitoringFact[],
  opts: {
    caption: string | null;
    marshall: MarshallRow | null;
    doj?: DojListEntry | null;
    withInvestigationDates?: boolean;
  },
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
  for (const [act, words] of Object.entries(facts.acts ?? {}))
    if (!`${c.notes} ${c.partial}`.includes(words))
      throw new Error(`${c.id}: ${act} "${words}" is not in the row`);
  const checked = CHECKED_EVENT_FACTS[c.id] ?? {};
  const monitorRow = latestMonitor(monitoringRows, c.id);
  const effective = effectiveDate(monitoringRows, c.id);

  const caption = facts.caption ?? opts.caption;
  const place = ctx.jurisdictions.get(jurisdiction) as BundleJurisdiction;
  const agencyName = compiledAgencyName(c);
  const kindWords = KIND_WORDS[kind];
  const title = caption ? `${place.name} ${kindWords} (${caption})` : `${agencyName} ${kindWords}`;
  const m = opts.marshall;
  const doj = opts.doj ?? null;
  const agreementOn = c.signed ?? m?.agreement ?? null;
  const enteredOn = checked.decree_entered?.date ?? c.entered;
  const { status, endedOn, rule } = compiledAgreementStatus(c, m);
  const federal = /^US DOJ/.test(c.enforcer);
  const agreement = newMatter(ctx, {
    slug: c.id,
    kind,
    status,
    title,
    summary: compiledSummary(c),
    jurisdiction,
    agencies,
    authority: federal ? (AUTHORITY_OVERRIDES[c.id] ?? AUTHORITY_12601) : null,
    court: facts.court ?? null,
    caseNumber: facts.caseNumber ?? null,
    judge: facts.judge ?? null,
    monitor: monitorRow ? (monitorRow.value ?? null) : null,
    openedOn: opts.withInvestigationDates ? c.opened : null,
    findingsOn: opts.withInvestigationDates ? c.findings : null,
    agreementOn,
    enteredOn,
    endedOn,
    statusNote: agreementStatusNote(c),
    sources: mergeSources(sources, monitorSources(monitorRow), checked.decree_entered?.sources ?? []),
  });

  // ---- what a rule set, not a source
  if (rule) infer(agreement, "status", rule);
  if (federal && !AUTHORITY_OVERRIDES[c.id])
    infer(
      agreement,
      "authority",
      "Not named in the sources: an agreement resolving a DOJ pattern-or-practice case is given 34 U.S.C. 12601 (formerly 42 U.S.C. 14141).",
    );
  if (facts.judge && !facts.acts)
    infer(
      agreement,
      "judge",
      `The judge the compiled row's notes name for the case (${facts.judge}); the sources read do not say this judge entered the agreement${
        checked.decree_entered?.actor ? ` (${checked.decree_entered.actor} did: see the entry event)` : ""
      }.`,
    );
  if (monitorRow)
    infer(
      agreement,
      "monitor",
      `The monitor monitoring_facts.csv names most recently${monitorRow.as_of ? ` (as of ${monitorRow.as_of})` : ""}; not stated for any later date.`,
    );

  // ---- where the compiled row, the Marshall Project table and the DOJ list disagree
  const compiledSource = (note: string): Source => ({
    citation: `Compiled table of police pattern-or-practice cases (row: ${c.id})`,
    note,
  });
  const marshallSource = (note: string): Source | null => (m ? { ...marshallCitation(m), note } : null);
  const kindValues: { value: string | null; source: Source }[] = [
    { value: kind, source: compiledSource(`agreement_type: ${c.agreementType}`) },
  ];
  const mOutcome = m ? marshallOutcome(m.status) : null;
  if (m && mOutcome?.investigation === "resolved_by_agreement")
    kindValues.push({
      value: mOutcome.agreementKind,
      source: marshallSource(`status_result: ${m.status}`) as Source,
    });
  const factSheet = c.sources.find((x) =>
    x.citation.startsWith("DOJ Civil Rights Division, Special Litigation Section"),
  );
  if (factSheet && /DOJ fact sheet: consent decree/.test(c.agreementType))
    kindValues.push({
      value: "consent_decree",
      source: {
        ...factSheet,
        note: "Lists it as a consent decree (as the compiled row's agreement_type reports).",
      },
    });
  disagree(
    agreement,
    "kind",
    kindValues,
    "The compiled row's kind is kept: it is the newer source and describes the agreement itself.",
  );
  const differs = (a: string | null, b: string | null) =>
    a !== null && b !== null && !a.startsWith(b) && !b.startsWith(a);
  if (c.signed && m?.agreement && differs(c.signed, m.agreement))
    disagree(
      agreement,
      "agreementOn",
      [
        { value: c.signed, source: compiledSource(`agreement_signed_or_filed: ${c.signed}`) },
        { value: m.agreement, source: marshallSource("agreement_date") as Source },
      ],
      "The compiled row's date is kept (newer; it cites the agreement's own sources).",
    );
  if (c.ended && m?.closed && differs(c.ended, m.closed))
    disagree(
      agreement,
      "endedOn",
      [
        { value: c.ended, source: compiledSource(`ended_date: ${c.ended}`) },
        { value: m.closed, source: marshallSource("closed_date") as Source },
      ],
      "The compiled row's date is kept (newer).",
    );
  if (doj?.closed && endedOn && differs(endedOn, doj.closed))
    disagree(
      agreement,
      "endedOn",
      [
        {
          value: endedOn,
          source: c.ended
            ? compiledSource(`ended_date: ${c.ended}`)
            : (marshallSource("closed_date") as Source),
        },
        { value: doj.closed, source: { citation: DOJ_LIST_CITATION, note: "Closed date as listed." } },
      ],
      "The compiled row's or the Marshall Project's date is kept; the DOJ list is older (2014-07-02).",
    );
  // The DOJ list gives "the year a CD/MOA was entered", which may be the year it was signed or
  // the year a court entered it: it disagrees only when it is neither.
  const year = doj?.yearEntered ? String(doj.yearEntered) : null;
  if (year && agreementOn && !agreementOn.startsWith(year) && !(enteredOn ?? "").startsWith(year))
    disagree(
      agreement,
      "agreementOn",
      [
        {
          value: agreementOn,
          source: c.signed
            ? compiledSource(`agreement_signed_or_filed: ${c.signed}`)
            : (marshallSource("agreement_date") as Source),
        },
        { value: year, source: { citation: DOJ_LIST_CITATION, note: "Year CD/MOA entered, as listed." } },
      ],
      "The compiled row's or the Marshall Project's date is kept; the DOJ list gives only a year and is older (2014-07-02).",
    );

  // ---- events, each citing the sources that can give its date
  const at = (date: string) => sourcesForDate(c.sources, date, marshallDates(m));
  const surname = facts.judge
    ? (facts.judge
        .replace(/,? Jr\.$/, "")
        .split(" ")
        .pop() as string)
    : null;
  const judgeActor = facts.judge ? `Judge ${facts.judge}` : null;
  /** The judge, for an act the row says the judge did; otherwise no actor. */
  const actorFor = (k: EventKind) => (facts.acts?.[k] ? judgeActor : null);
  const ev = (kind: EventKind, date: string, extra: Partial<Draft> = {}) => {
    const fix = checked[kind];
    addEvent(ctx, {
      matter: agreement.slug,
      kind,
      date,
      description: null,
      actor: null,
      sources: at(date),
      ...extra,
      ...(fix
        ? { date: fix.date, actor: fix.actor, description: fix.description, sources: fix.sources }
        : {}),
      title: extra.title ?? eventTitle(agreement, kind),
    });
  };
  if (opts.withInvestigationDates) {
    const by = `Investigation of the ${agencyName} by the ${c.enforcer.replace(/\s*\(.*\)$/, "")}`;
    const actor = enforcerLabel(c.enforcer);
    if (c.opened) ev("investigation_opened", c.opened, { title: `${by}: opened`, actor });
    if (c.findings) ev("findings_issued", c.findings, { title: `${by}: findings issued`, actor });
  }
  if (agreementOn)
    ev("agreement_signed", agreementOn, {
      sources: c.signed ? at(agreementOn) : [marshallCitation(m as MarshallRow)],
      description: SIGNED_NOTES[c.id] ?? null,
    });
  if (c.entered)
    ev("decree_entered", c.entered, {
      actor: actorFor("decree_entered"),
      description: ENTERED_NOTES[c.id] ?? null,
    });
  if (c.partial) {
    const lead = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[:\s(]*(.*)$/.exec(c.partial);
    if (lead && isValidPartialDate(lead[1] as string)) {
      const override = PARTIAL_OVERRIDES[c.id];
      const k = override?.kind ?? "partial_termination";
      ev(k, lead[1] as string, {
        title: override ? override.title : eventTitle(agreement, "partial_termination"),
        description: c.partial,
        actor: actorFor(k),
      });
    }
  }
  if (endedOn && (status === "terminated" || status === "dismissed")) {
    const kind: EventKind = status === "dismissed" ? "dismissal" : "termination";
    ev(kind, endedOn, {
      actor: actorFor(kind),
      description: c.endMode
        ? `${humanizeCode(c.endMode)}.`
        : m?.closed
          ? "Closing date in the Marshall Project table."
          : null,
      sources: mergeSources(
        at(endedOn),
        doj?.closed === endedOn
          ? [{ citation: DOJ_LIST_CITATION, note: `Closed ${doj.closed}, as listed.` }]
          : [],
      ),
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
      // The monitoring row names the judge who appointed the monitor.
      actor: surname && (effective.detail ?? "").includes(`Judge ${surname}`) ? judgeActor : null,
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
      sources: at(x.date),
    });
  }
  // Corrected events the row has no event for (its own date for them is wrong).
  for (const [k, fix] of Object.entries(checked) as [EventKind, CheckedEventFact][]) {
    if (k === "decree_entered" && c.entered) continue;
    addEvent(ctx, {
      matter: agreement.slug,
      kind: k,
      date: fix.date,
      title: must(fix.title, `${c.id} ${k} title`),
      description: fix.description,
      actor: fix.actor,
      sources: fix.sources,
    });
  }
  return agreement;
}
