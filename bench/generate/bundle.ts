/**
 * A deterministic synthetic bundle for the benchmarks: the same options always give the same
 * bundle. Every name is made up ("Springfield 123 Police Department") and every source says it
 * is synthetic: nothing here is a fact about a real place or agency.
 */
import {
  type AgencyKind,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleAgency,
  type BundleAward,
  type BundleCondition,
  type BundleEvent,
  type BundleInput,
  type BundleJurisdiction,
  type BundleMatter,
  CONDITION_STATUSES,
  type ConditionStatus,
  type EventKind,
  GRANT_PROGRAMS,
  type JurisdictionKind,
  type MatterKind,
  type StateCode,
  statusesFor,
  US_STATE_CODES,
} from "@accord/domain";
import { int, pad, partialDate, pick, prng, type Rand, weighted } from "./random.js";

export interface GenerateOptions {
  matters: number;
  eventsPerMatter: number;
  seed: number;
  /** Prefix of every slug, so that a second bundle does not collide with the first. */
  prefix?: string;
  /** Defaults to one per ten matters. */
  jurisdictions?: number;
  /** Defaults to one and a half per jurisdiction. */
  agencies?: number;
  /** Grant awards spread over the jurisdictions, each with a condition and its history (default 0). */
  awards?: number;
}

/** Made-up town names; a number is appended to each, so none is a real place. */
export const BASE_NAMES = [
  "Springfield",
  "Riverton",
  "Oakdale",
  "Fairview",
  "Maplewood",
  "Cedar Falls",
  "Lakeport",
  "Greenville",
  "Clearwater",
  "Stonebridge",
  "Millbrook",
  "Northfield",
  "Westhaven",
  "Pinecrest",
  "Ashford",
  "Elmwood",
  "Brookside",
  "Glendale",
  "Redmont",
  "Harborview",
  "Silver Lake",
  "Kingsport",
  "Bayside",
  "Hillcrest",
  "Sunnyvale",
] as const;

/** More jurisdictions in the populous states, as in the real registry. */
const STATE_WEIGHTS: Partial<Record<StateCode, number>> = {
  CA: 10,
  TX: 8,
  FL: 6,
  NY: 6,
  IL: 5,
  PA: 5,
  OH: 4,
  GA: 4,
  MI: 4,
  NC: 4,
  NJ: 3,
  VA: 3,
  WA: 3,
  MD: 3,
  LA: 3,
  AZ: 3,
  MO: 2,
  TN: 2,
  MA: 2,
  IN: 2,
  CO: 2,
  MN: 2,
  WI: 2,
  AL: 2,
  SC: 2,
};
const STATES = US_STATE_CODES.map((s) => [s, STATE_WEIGHTS[s] ?? 1] as const);

const JURISDICTION_KINDS: readonly (readonly [JurisdictionKind, number])[] = [
  ["city", 70],
  ["county", 24],
  ["tribal", 3],
  ["other", 3],
];

const MATTER_KINDS: readonly (readonly [MatterKind, number])[] = [
  ["pattern_or_practice_investigation", 20],
  ["consent_decree", 12],
  ["settlement_agreement", 10],
  ["memorandum_of_agreement", 10],
  ["technical_assistance", 14],
  ["grant", 14],
  ["task_force", 8],
  ["collaborative_investigation", 6],
  ["compliance_review", 6],
];

const COURT_KINDS = new Set<MatterKind>(["consent_decree", "settlement_agreement"]);

const EVENT_KINDS_FOR: Record<MatterKind, readonly EventKind[]> = {
  pattern_or_practice_investigation: [
    "investigation_opened",
    "memo",
    "findings_issued",
    "complaint_filed",
    "motion",
    "hearing",
    "status_snapshot",
    "investigation_closed",
  ],
  consent_decree: ["complaint_filed", "decree_entered", "hearing", "monitor_report", "order", "modification"],
  settlement_agreement: ["agreement_signed", "hearing", "monitor_report", "order", "partial_termination"],
  memorandum_of_agreement: ["agreement_signed", "monitor_report", "modification", "termination"],
  technical_assistance: ["memo", "policy_action", "status_snapshot", "other"],
  grant: ["memo", "policy_action", "status_snapshot", "other"],
  task_force: ["memo", "policy_action", "executive_order", "status_snapshot"],
  collaborative_investigation: ["investigation_opened", "memo", "complaint_filed", "status_snapshot"],
  compliance_review: ["investigation_opened", "findings_issued", "memo", "investigation_closed"],
  lawsuit: ["complaint_filed", "motion", "ruling", "hearing"],
};

const EVENT_TITLES: Partial<Record<EventKind, string>> = {
  investigation_opened: "Investigation opened",
  findings_issued: "Findings letter issued",
  complaint_filed: "Complaint filed",
  agreement_signed: "Agreement signed",
  decree_entered: "Decree entered by the court",
  hearing: "Status hearing",
  motion: "Motion filed",
  order: "Order of the court",
  monitor_report: "Monitor's semiannual report",
  modification: "Agreement modified",
  partial_termination: "Partial termination of obligations",
  termination: "Agreement terminated",
  investigation_closed: "Investigation closed",
  memo: "Internal memo",
  executive_order: "Executive order",
  policy_action: "Policy revised",
  status_snapshot: "Status update",
};

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function agencyKindFor(r: Rand, jk: JurisdictionKind, first: boolean): AgencyKind {
  if (first) return jk === "county" ? "sheriff" : "police";
  return weighted(r, [
    ["jail", 3],
    ["prosecutor", 3],
    ["campus_police", 2],
    ["state_police", 1],
    ["other", 1],
  ] as const);
}

const AGENCY_NAME: Record<AgencyKind, (place: string) => string> = {
  police: (p) => `${p} Police Department`,
  sheriff: (p) => `${p} Sheriff's Office`,
  state_police: (p) => `${p} Area State Police Barracks`,
  campus_police: (p) => `${p} Community College Campus Police`,
  jail: (p) => `${p} Detention Center`,
  prosecutor: (p) => `${p} District Attorney's Office`,
  other: (p) => `${p} Public Safety Commission`,
};

function matterTitle(kind: MatterKind, agency: string, place: string): string {
  switch (kind) {
    case "pattern_or_practice_investigation":
      return `Investigation of the ${agency}`;
    case "consent_decree":
      return `United States v. ${place}: consent decree on the ${agency}`;
    case "settlement_agreement":
      return `Settlement agreement with the ${agency}`;
    case "memorandum_of_agreement":
      return `Memorandum of agreement with the ${agency}`;
    case "technical_assistance":
      return `Technical assistance to the ${agency}`;
    case "grant":
      return `Community policing grant to the ${agency}`;
    case "task_force":
      return `${place} violent crime task force`;
    case "collaborative_investigation":
      return `Joint investigation with the ${agency}`;
    case "compliance_review":
      return `Civil rights compliance review of the ${agency}`;
    case "lawsuit":
      return `${place} v. United States Department of Justice`;
  }
}

const SOURCE = (what: string) => [{ citation: `Synthetic benchmark record (${what}); not a real document` }];

export function generateBundle(options: GenerateOptions): BundleInput & {
  jurisdictions: BundleJurisdiction[];
  agencies: BundleAgency[];
  matters: BundleMatter[];
  events: BundleEvent[];
  awards: BundleAward[];
  conditions: BundleCondition[];
} {
  const r = prng(options.seed);
  const prefix = options.prefix ?? "bench";
  const nJ = options.jurisdictions ?? Math.max(1, Math.round(options.matters / 10));
  const nA = Math.max(nJ, options.agencies ?? Math.round(nJ * 1.5));

  const jurisdictions: BundleJurisdiction[] = [];
  const places: string[] = [];
  for (let i = 0; i < nJ; i++) {
    const kind = weighted(r, JURISDICTION_KINDS);
    const state = weighted(r, STATES);
    const place = `${pick(r, BASE_NAMES)} ${int(r, 1, 999)}`;
    const name = kind === "county" ? `${place} County` : kind === "tribal" ? `${place} Nation` : place;
    places.push(name);
    jurisdictions.push({
      slug: `${prefix}-${slugify(name)}-${state.toLowerCase()}-${i}`,
      name,
      kind,
      stateCode: state,
      fips: null,
      population: int(r, 2_000, 900_000),
      populationYear: 2020,
      sources: SOURCE("jurisdiction"),
    });
  }

  // Every jurisdiction has a police department or sheriff's office; the rest are spread over them.
  const agencies: BundleAgency[] = [];
  const agenciesOf: number[][] = jurisdictions.map(() => []);
  for (let i = 0; i < nA; i++) {
    const ji = i < nJ ? i : int(r, 0, nJ - 1);
    const j = jurisdictions[ji]!;
    const kind = agencyKindFor(r, j.kind, i < nJ);
    agenciesOf[ji]!.push(i);
    agencies.push({
      slug: `${prefix}-a${i}-${slugify(AGENCY_NAME[kind](places[ji]!))}`.slice(0, 120).replace(/-$/, ""),
      name: AGENCY_NAME[kind](places[ji]!),
      kind,
      jurisdiction: j.slug,
      sources: SOURCE("agency"),
    });
  }

  const matters: BundleMatter[] = [];
  const events: BundleEvent[] = [];
  const lastInvestigation = new Map<number, number>();
  for (let i = 0; i < options.matters; i++) {
    const ji = int(r, 0, nJ - 1);
    const j = jurisdictions[ji]!;
    const kind = weighted(r, MATTER_KINDS);
    const status = pick(r, statusesFor(kind));
    const own = agenciesOf[ji]!;
    const primary = own[0]!;
    const linked = [primary, ...(own.length > 1 && r() < 0.3 ? [pick(r, own.slice(1))] : [])];
    const agencyName = agencies[primary]!.name;
    const year = int(r, 1994, 2025);
    const endYear = Math.min(2025, year + int(r, 0, 8));
    const isAgreement = ["consent_decree", "settlement_agreement", "memorandum_of_agreement"].includes(kind);
    const ended = ["terminated", "dismissed", "closed", "completed", "discontinued"].includes(status);
    const slug = `${prefix}-m${i}-${slugify(places[ji]!)}-${kind.replace(/_/g, "-")}`;
    const related: BundleMatter["related"] = [];
    const prior = lastInvestigation.get(ji);
    if (isAgreement && prior !== undefined && r() < 0.6)
      related.push({ slug: matters[prior]!.slug, relation: "led_to" });
    if (kind === "pattern_or_practice_investigation") lastInvestigation.set(ji, i);
    matters.push({
      slug,
      kind,
      status,
      title: matterTitle(kind, agencyName, places[ji]!),
      summary: `Synthetic benchmark matter ${i} about the ${agencyName} in ${j.name}, ${j.stateCode}. It exists only to give the registry a realistic volume of records.`,
      jurisdiction: j.slug,
      agencies: linked.map((a) => agencies[a]!.slug),
      authority: kind === "pattern_or_practice_investigation" ? "34 U.S.C. 12601" : null,
      court: COURT_KINDS.has(kind) ? `U.S. District Court for the District of ${j.stateCode}` : null,
      caseNumber: COURT_KINDS.has(kind)
        ? `${year % 100}-cv-${String(int(r, 1, 9999)).padStart(5, "0")}`
        : null,
      judge: null,
      monitor: isAgreement && r() < 0.5 ? `Synthetic Monitoring Team ${int(r, 1, 99)}` : null,
      openedOn: kind === "grant" && r() < 0.3 ? null : partialDate(r, year),
      findingsOn: kind === "pattern_or_practice_investigation" && r() < 0.5 ? partialDate(r, endYear) : null,
      agreementOn: isAgreement ? partialDate(r, Math.min(2025, year + 1)) : null,
      enteredOn: COURT_KINDS.has(kind) && r() < 0.7 ? partialDate(r, Math.min(2025, year + 1)) : null,
      endedOn: ended ? partialDate(r, endYear) : null,
      statusNote: null,
      sources: SOURCE("matter"),
      public: false,
      related,
      inferred: [],
      disagreements: [],
    });
    const kinds = EVENT_KINDS_FOR[kind];
    const dates: string[] = [];
    for (let k = 0; k < options.eventsPerMatter; k++)
      dates.push(partialDate(r, Math.min(2025, year + Math.floor((k * 12) / options.eventsPerMatter))));
    dates.sort();
    dates.forEach((date, k) => {
      const ek = k === 0 ? kinds[0]! : pick(r, kinds);
      events.push({
        slug: `${prefix}-m${i}-e${k}`,
        matter: slug,
        jurisdiction: null,
        kind: ek,
        date,
        time:
          ek === "hearing" && date.length === 10 ? `${pad(int(r, 8, 16))}:${r() < 0.5 ? "00" : "30"}` : null,
        status: ek === "hearing" ? pick(r, ["scheduled", "held", "postponed", "cancelled"] as const) : null,
        newDate: null,
        title: `${EVENT_TITLES[ek] ?? "Other"} (${agencyName})`,
        description: r() < 0.5 ? `Synthetic event ${k} of benchmark matter ${i}.` : null,
        actor: r() < 0.3 ? "Synthetic Civil Rights Division" : null,
        outcome: null,
        favors: null,
        sources: SOURCE("event"),
        public: false,
      });
    });
  }

  // Awards over the jurisdictions, each with one condition whose history moves one to three times.
  const awards: BundleAward[] = [];
  const conditions: BundleCondition[] = [];
  const MEANINGS = [
    "total_award",
    "total_award",
    "total_award",
    "city_share",
    "at_stake",
    "withheld",
  ] as const;
  for (let i = 0; i < (options.awards ?? 0); i++) {
    const ji = int(r, 0, nJ - 1);
    const j = jurisdictions[ji]!;
    const program = pick(r, GRANT_PROGRAMS);
    const fiscalYear = int(r, 2005, 2025);
    const slug = `${prefix}-award-${i}`;
    awards.push({
      slug,
      program,
      programName: null,
      fiscalYear,
      amount: r() < 0.1 ? null : int(r, 10_000, 5_000_000),
      amountMeaning: pick(r, MEANINGS),
      amountNote: null,
      awardNumber: `${fiscalYear}-SY-BX-${String(i).padStart(5, "0")}`,
      jurisdiction: j.slug,
      agency: agencies[agenciesOf[ji]![0]!]!.slug,
      recipientName: null,
      notes: null,
      matters: [],
      sources: SOURCE("award"),
      public: false,
    });
    const history: BundleCondition["history"] = [];
    let year = fiscalYear;
    for (let k = int(r, 1, 3); k > 0; k--) {
      const status: ConditionStatus =
        history.length === 0 ? "imposed" : pick(r, CONDITION_STATUSES.slice(1, -1));
      history.push({
        status,
        date: partialDate(r, Math.min(2025, year)),
        note: null,
        sources: SOURCE("condition"),
      });
      year += int(r, 0, 2);
    }
    history.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    conditions.push({
      slug: `${slug}-condition`,
      award: slug,
      jurisdiction: j.slug,
      program,
      fiscalYear,
      kind: "section_1373_certification",
      text: null,
      matters: [],
      history,
      public: false,
    });
  }

  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    jurisdictions,
    agencies,
    matters,
    events,
    awards,
    conditions,
  };
}
