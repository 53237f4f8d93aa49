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
  type BundleEvent,
  type BundleInput,
  type BundleJurisdiction,
  type BundleMatter,
  type EventKind,
  type JurisdictionKind,
  type MatterKind,
  type StateCode,
  statusesFor,
  US_STATE_CODES,
} from "@accord/domain";

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
}

/** mulberry32: small, fast and good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
function weighted<T>(r: Rand, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
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

const pad = (n: number) => String(n).padStart(2, "0");

/** A partial date in `year`: mostly to the day, sometimes only the month or the year. */
function partialDate(r: Rand, year: number): string {
  const precision = r();
  if (precision < 0.15) return String(year);
  const month = int(r, 1, 12);
  if (precision < 0.4) return `${year}-${pad(month)}`;
  return `${year}-${pad(month)}-${pad(int(r, 1, 28))}`;
}

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
  }
}

const SOURCE = (what: string) => [{ citation: `Synthetic benchmark record (${what}); not a real document` }];

export function generateBundle(options: GenerateOptions): BundleInput & {
  jurisdictions: BundleJurisdiction[];
  agencies: BundleAgency[];
  matters: BundleMatter[];
  events: BundleEvent[];
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
        kind: ek,
        date,
        time:
          ek === "hearing" && date.length === 10 ? `${pad(int(r, 8, 16))}:${r() < 0.5 ? "00" : "30"}` : null,
        status: ek === "hearing" ? pick(r, ["scheduled", "held", "postponed", "cancelled"] as const) : null,
        newDate: null,
        title: `${EVENT_TITLES[ek] ?? "Other"} (${agencyName})`,
        description: r() < 0.5 ? `Synthetic event ${k} of benchmark matter ${i}.` : null,
        actor: r() < 0.3 ? "Synthetic Civil Rights Division" : null,
        sources: SOURCE("event"),
        public: false,
      });
    });
  }

  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, jurisdictions, agencies, matters, events };
}

// ------------------------------------------------------------------ documents and their pages

/** Words of the trade, most frequent first (their weights fall off as in natural text). */
export const CONTENT_WORDS = (
  "officers department police force use training supervisors review report complaints investigation " +
  "policy community monitor compliance court agreement decree data searches arrests stops detention " +
  "vehicle pursuits cameras crisis intervention mental health de-escalation discipline misconduct " +
  "accountability transparency bias discrimination language access youth schools canine taser firearms " +
  "weapons injuries incidents evidence audit assessment plan implementation deadline paragraph section " +
  "provision requirement recruitment hiring promotion wellness equipment technology system records " +
  "analysis annual semiannual quarterly city county sheriff jail custody medical sexual assault gender " +
  "retaliation protest demonstration crowd chemical spray baton restraint handcuffs transport booking " +
  "warrant probable cause reasonable suspicion consent frisk pedestrian traffic citation fines fees " +
  "residents neighborhood outreach partnership survey trust legitimacy oversight board commission " +
  "civilian inspector general internal affairs allegation finding sustained unfounded exonerated " +
  "corrective action counseling suspension termination arbitration union contract overtime staffing " +
  "patrol district precinct sergeant lieutenant captain commander chief deputy academy curriculum " +
  "instructor lesson scenario simulation certification documentation narrative supervisor's approval " +
  "timeliness backlog deficiency progress substantial partial noncompliance methodology sample " +
  "reviewed files interviews observations ride-alongs footage dispatch calls service response " +
  "homeless encampment disability accommodation interpreter limited english proficiency juvenile " +
  "student resource officer school district arrest-related death in-custody hospital transport"
).split(/\s+/);
const FUNCTION_WORDS =
  "the of and to in a that shall be by for with as on or is its this any all will not from each which have are an at such".split(
    " ",
  );
export const STOCK_PHRASES = [
  "use of force",
  "body-worn cameras",
  "crisis intervention team",
  "community policing",
  "bias-free policing",
  "internal affairs",
  "early intervention system",
  "stop and frisk",
  "probable cause",
  "mental health crisis",
];
const DOCUMENT_KIND_WEIGHTS = [
  ["decree", 8],
  ["agreement", 6],
  ["findings_report", 6],
  ["monitor_report", 14],
  ["motion", 5],
  ["order", 6],
  ["memo", 4],
  ["news", 3],
  ["other", 2],
] as const;

export interface GeneratedDocument {
  /** Index into the bundle's matters, or null for a department-wide document. */
  matter: number | null;
  kind: (typeof DOCUMENT_KIND_WEIGHTS)[number][0];
  title: string;
  date: string;
  public: boolean;
  pages: string[];
}

/** Picks from weighted items in O(log n): the cumulative weights, searched by bisection. */
function weightedPicker<T>(items: readonly (readonly [T, number])[]): (r: Rand) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of items) {
    total += w;
    cumulative.push(total);
  }
  return (r) => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]![0];
  };
}

export interface GenerateDocumentsOptions {
  documents: number;
  pagesPerDocument: number;
  matters: number;
  seed: number;
  wordsPerPage?: number;
}

const SYLLABLES = "ka lo mi ren tor va qui sen dal por bri nu fe gam osh".split(" ");

/**
 * The generated prose's vocabulary, drawing from `r`: the trade's words fall off steeply (police
 * is on most pages, canine on few); made-up words (a long tail of names, places and terms) fill a
 * fifth of the text; stock phrases now and then.
 */
function vocabulary(r: () => number) {
  const trade = CONTENT_WORDS.map((w, k) => [w, 1 / (k + 1) ** 1.1] as const);
  const tail = Array.from({ length: 3000 }, (_, k) => {
    const n = 2 + (k % 3);
    return Array.from(
      { length: n },
      (_, s) => SYLLABLES[(k * 7 + s * 11 + Math.floor(k / (s + 1))) % SYLLABLES.length],
    ).join("");
  }).map((w, k) => [w, 1 / (k + 1)] as const);
  const tradeWord = weightedPicker(trade);
  const tailWord = weightedPicker(tail);
  const kindOf = weightedPicker(DOCUMENT_KIND_WEIGHTS);
  const sentence = () => {
    const words: string[] = [];
    const length = int(r, 8, 22);
    while (words.length < length) {
      const x = r();
      if (x < 0.03) words.push(...pick(r, STOCK_PHRASES).split(" "));
      else if (x < 0.45) words.push(pick(r, FUNCTION_WORDS));
      else if (x < 0.8) words.push(tradeWord(r));
      else words.push(tailWord(r));
    }
    const text = words.join(" ");
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  return { sentence, kindOf, tradeWord, syllables: SYLLABLES };
}

/**
 * Synthetic documents with pages of made-up prose in the registry's vocabulary (a Zipf-like
 * spread of words, stock phrases such as "use of force" here and there, a long tail of made-up
 * words): deterministic for a seed, meant for measuring search, not for reading. One at a time,
 * so that a corpus of hundreds of thousands of pages never sits in memory whole.
 */
export function* documentStream(options: GenerateDocumentsOptions): Generator<GeneratedDocument> {
  const r = prng(options.seed);
  const wordsPerPage = options.wordsPerPage ?? 350;
  const { sentence, kindOf, tradeWord } = vocabulary(r);
  const page = () => {
    const sentences: string[] = [];
    let count = 0;
    while (count < wordsPerPage) {
      const s = sentence();
      count += s.split(" ").length;
      sentences.push(s);
    }
    return sentences.join(" ");
  };
  for (let i = 0; i < options.documents; i++) {
    const kind = kindOf(r);
    const topic = [tradeWord(r), pick(r, FUNCTION_WORDS.slice(0, 3)), tradeWord(r)].join(" ");
    yield {
      matter: r() < 0.1 ? null : int(r, 0, options.matters - 1),
      kind,
      title: `Synthetic ${kind.replace(/_/g, " ")} ${i}: ${topic}`,
      date: partialDate(r, int(r, 1994, 2025)),
      public: r() < 0.5,
      pages: Array.from({ length: options.pagesPerDocument }, page),
    };
  }
}

/** The documents of documentStream, all at once (small corpora). */
export function generateDocuments(options: GenerateDocumentsOptions): GeneratedDocument[] {
  return [...documentStream(options)];
}

// ------------------------------------------------------------------ the large search corpus

export interface SearchCorpusOptions {
  /** Pages in all (default 200,000). */
  pages: number;
  pagesPerDocument: number;
  matters: number;
  seed: number;
  /** Distinct paragraphs the pages are made of (default 30,000). */
  paragraphs?: number;
  wordsPerPage?: number;
}

export interface CorpusDocument extends Omit<GeneratedDocument, "pages"> {
  /** Per page: the paragraphs it is made of, by index into `paragraphs`, then a few rare words. */
  pages: { paragraphs: number[]; rare: string }[];
}

/**
 * A corpus of hundreds of thousands of pages, made cheaply: a pool of distinct paragraphs (three
 * to six sentences) in the same vocabulary as documentStream (a Zipf-like spread of the trade's
 * words, stock phrases, a long tail of made-up words), each page a random draw of them plus three
 * rare words (as names and numbers are: one of 50,625 made-up words, on a dozen pages each), so a
 * loader computes each paragraph's tsvector once and a page's as their concatenation.
 * Deterministic for a seed.
 */
export function searchCorpus(options: SearchCorpusOptions): {
  paragraphs: string[];
  documents: () => Generator<CorpusDocument>;
} {
  const r = prng(options.seed + 101);
  const { sentence, kindOf, tradeWord, syllables } = vocabulary(r);
  const paragraphs = Array.from({ length: options.paragraphs ?? 30_000 }, () =>
    Array.from({ length: int(r, 3, 6) }, sentence).join(" "),
  );
  const lengths = paragraphs.map((s) => s.split(" ").length);
  const wordsPerPage = options.wordsPerPage ?? 350;
  /** Four syllables, 15^4 of them: "kalomiren". */
  const rareWord = () => Array.from({ length: 4 }, () => pick(r, syllables)).join("");
  const documents = options.pages > 0 ? Math.ceil(options.pages / options.pagesPerDocument) : 0;
  function* generate(): Generator<CorpusDocument> {
    let left = options.pages;
    for (let i = 0; i < documents; i++) {
      const kind = kindOf(r);
      const topic = [tradeWord(r), pick(r, FUNCTION_WORDS.slice(0, 3)), tradeWord(r)].join(" ");
      const count = Math.min(options.pagesPerDocument, left);
      left -= count;
      yield {
        matter: r() < 0.1 ? null : int(r, 0, options.matters - 1),
        kind,
        title: `Synthetic ${kind.replace(/_/g, " ")} ${i}: ${topic}`,
        date: partialDate(r, int(r, 1994, 2025)),
        public: r() < 0.5,
        pages: Array.from({ length: count }, () => {
          const picked: number[] = [];
          let words = 0;
          while (words < wordsPerPage) {
            const k = Math.floor(r() * paragraphs.length);
            picked.push(k);
            words += lengths[k]!;
          }
          return { paragraphs: picked, rare: `${rareWord()} ${rareWord()} ${rareWord()}.` };
        }),
      };
    }
  }
  return { paragraphs, documents: generate };
}
