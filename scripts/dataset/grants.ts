/**
 * Grants (grants/ in ../shared/data): DOJ awards to cities and counties, the 8 U.S.C. 1373 letters
 * of 2017-2018 and the conditions they concern, the lawsuits over the JAG immigration conditions,
 * the department-side timeline and the national totals of each grant round. See data/SOURCES.md.
 */
import type {
  AmountMeaning,
  BundleAward,
  BundleCondition,
  BundleMatter,
  ConditionKind,
  ConditionStatus,
  EventKind,
  GrantProgram,
  RulingFavors,
} from "@accord/domain";
import { addEvent, type Ctx, newMatter, relate } from "./context.js";
import {
  addProgramFact,
  addSharedEvent,
  dateOf,
  dateOrNull,
  type GrantRecords,
  numberOrNull,
  type Place,
  placeSlug,
  sentences,
  textOrNull,
} from "./federal.js";
import { DOJ, mergeSources, must, stateCode } from "./shared.js";
import { parseSourcesColumn } from "./sources-column.js";

type Row = Record<string, string>;
type Change = BundleCondition["history"][number];

const sourcesOf = (r: Row, column = "sources") => {
  const list = parseSourcesColumn(r[column] ?? "");
  if (list.length === 0) throw new Error(`Row without sources: ${JSON.stringify(r).slice(0, 120)}`);
  return list;
};

// ---------------------------------------------------------------- awards

/** The grant program of the awards file's program column (its wording is kept as programName). */
export function grantProgramOf(program: string): GrantProgram {
  if (/^Crime Gun Intelligence Center/.test(program)) return "cgic";
  if (/^Byrne JAG/.test(program)) return "byrne_jag";
  if (/^COPS Hiring/.test(program)) return "cops_hiring";
  if (/^Project Safe Neighborhoods/.test(program)) return "project_safe_neighborhoods";
  throw new Error(`Unknown grant program ${program}`);
}

const PROGRAM_SHORT: Record<GrantProgram, string> = {
  byrne_jag: "byrne-jag",
  cops_hiring: "cops-hiring",
  project_safe_neighborhoods: "psn",
  cgic: "cgic",
  other: "grant",
};

/** What each amount_type of the awards file means, and the qualifier in plain words. */
export const AMOUNT_TYPES: Record<string, { meaning: AmountMeaning | null; note: string | null }> = {
  award_total: { meaning: "total_award", note: null },
  allocation_total: {
    meaning: "total_award",
    note: "Allocation total for all the jurisdictions sharing the award",
  },
  allocation_total_proposed: {
    meaning: "total_award",
    note: "Proposed allocation total for all the jurisdictions sharing the award",
  },
  award_total_not_to_exceed: { meaning: "total_award", note: "Award total, not to exceed this amount" },
  award_announced: { meaning: "total_award", note: "Amount as announced" },
  award_announced_rounded: { meaning: "total_award", note: "Amount as announced, rounded" },
  award_announced_lower_bound: {
    meaning: "total_award",
    note: "Lower bound: the announcement says more than this amount",
  },
  total_funding_to_date: { meaning: "total_award", note: "Total funding to date, not the original award" },
  cumulative_since_2012_city_statement: {
    meaning: "total_award",
    note: "Cumulative total of several years' awards since 2012, as the city stated it",
  },
  appropriated_per_complaint: {
    meaning: "total_award",
    note: "Appropriated to the State and its political subdivisions together, as the State's complaint states it",
  },
  annual_amount_at_stake_city_statement: {
    meaning: "at_stake",
    note: "Approximate yearly amount at stake, as the city stated it",
  },
  annual_amount_at_risk_city_statement: {
    meaning: "at_stake",
    note: "Yearly amount at risk, as the city stated it",
  },
  award_withheld: { meaning: "withheld", note: "Award withheld by the department" },
  withheld_lower_bound_per_complaint: {
    meaning: "withheld",
    note: "Lower bound: the plaintiffs say more than this amount was withheld",
  },
  award_conditions_challenged: {
    meaning: null,
    note: "Conditions of the award challenged in court; amount not stated",
  },
  "": { meaning: null, note: null },
};

/** Awards the source ties to one of the lawsuits (by recipient, fiscal year and amount type). */
const AWARD_LAWSUITS: { recipient: RegExp; amountType: string; caseId: string }[] = [
  { recipient: /^City of (Providence|Central Falls)$/, amountType: "award_withheld", caseId: "providence" },
  {
    recipient: /^State of Oregon and City of Portland$/,
    amountType: "withheld_lower_bound_per_complaint",
    caseId: "oregon",
  },
  {
    recipient: /^State of California and its political subdivisions$/,
    amountType: "appropriated_per_complaint",
    caseId: "sf_ca_fy2017",
  },
  {
    recipient: /^City and County of San Francisco$/,
    amountType: "annual_amount_at_stake_city_statement",
    caseId: "sf_ca_fy2017",
  },
  {
    recipient: /^City of Albuquerque$/,
    amountType: "award_conditions_challenged",
    caseId: "albuquerque_cgic",
  },
];

/** The jurisdiction of an award row: its city, or the state when no city is given. */
function awardPlace(r: Row): Place {
  const state = stateCode(r.state ?? "", r.recipient_as_stated ?? "");
  const city = (r.city ?? "").trim();
  if (city === "") return [state, "state", state];
  return [city === "New York" ? "New York City" : city, "city", state];
}

function readAwards(ctx: Ctx, rows: Row[], out: GrantRecords, lawsuitOf: Map<string, BundleMatter>): void {
  const agencies = [...ctx.agencies.values()];
  for (const r of rows) {
    const sources = sourcesOf(r);
    const programName = (r.program ?? "").trim();
    const program = grantProgramOf(programName);
    const jurisdiction = placeSlug(ctx, awardPlace(r), sources);
    const fyText = (r.fiscal_year ?? "").trim();
    const fiscalYear = /^\d{4}$/.test(fyText) ? Number(fyText) : null;
    const amountType = (r.amount_type ?? "").trim();
    const type = must(AMOUNT_TYPES[amountType], `amount type ${amountType}`);
    const amount = numberOrNull(r.amount_usd, `amount of ${programName} ${fyText}`);
    const recipient = (r.recipient_as_stated ?? "").trim();
    const agency =
      agencies.find(
        (a) => a.jurisdiction === jurisdiction && recipient.toLowerCase().includes(a.name.toLowerCase()),
      )?.slug ?? null;
    const base = `${jurisdiction}-${PROGRAM_SHORT[program]}-${fiscalYear ?? "no-fiscal-year"}`;
    let slug = base;
    for (let n = 2; out.awards.some((a) => a.slug === slug); n++) slug = `${base}-${n}`;
    const link = AWARD_LAWSUITS.find((l) => l.recipient.test(recipient) && l.amountType === amountType);
    const notes = sentences(
      fiscalYear === null && fyText !== "" ? `Years as the source gives them: ${fyText}` : null,
      r.fiscal_year_basis ? `Fiscal year established from: ${r.fiscal_year_basis}` : null,
      r.officers_funded ? `Officer positions funded: ${r.officers_funded}` : null,
      r.disparate_or_shared_with ? `Shared with: ${r.disparate_or_shared_with}` : null,
      r.notes,
    );
    const award: BundleAward = {
      slug,
      program,
      programName,
      fiscalYear,
      amount,
      amountMeaning: amount === null ? null : type.meaning,
      amountNote:
        amount === null && amountType === "award_announced"
          ? "Announced; amount not stated in the source"
          : type.note,
      awardNumber: textOrNull(r.award_number),
      jurisdiction,
      agency,
      recipientName: recipient || null,
      notes,
      matters: link ? [must(lawsuitOf.get(link.caseId), `lawsuit ${link.caseId}`).slug] : [],
      sources,
      public: true,
    };
    out.awards.push(award);
  }
}

// ---------------------------------------------------------------- lawsuits

/** Each lawsuit: its slug and the jurisdiction of its first-named plaintiff. */
const LAWSUITS: Record<string, { slug: string; place: Place }> = {
  chicago_fy2017: { slug: "chicago-v-sessions-jag-fy2017", place: ["Chicago", "city", "IL"] },
  chicago_fy2018: { slug: "chicago-v-sessions-jag-fy2018", place: ["Chicago", "city", "IL"] },
  philadelphia_fy2017: { slug: "philadelphia-v-sessions-jag-fy2017", place: ["Philadelphia", "city", "PA"] },
  sf_ca_fy2017: {
    slug: "san-francisco-and-california-v-sessions-jag-fy2017",
    place: ["San Francisco", "city", "CA"],
  },
  sf_fy2018: { slug: "san-francisco-v-sessions-jag-fy2018", place: ["San Francisco", "city", "CA"] },
  la_cops_jag: { slug: "los-angeles-v-sessions-cops-jag-fy2017", place: ["Los Angeles", "city", "CA"] },
  evanston_uscm: { slug: "evanston-and-conference-of-mayors-v-sessions", place: ["Evanston", "city", "IL"] },
  ny_states_nyc: { slug: "new-york-v-department-of-justice-jag-fy2017", place: ["NY", "state", "NY"] },
  providence: { slug: "providence-v-barr-jag-fy2017", place: ["Providence", "city", "RI"] },
  oregon: { slug: "oregon-v-trump-jag", place: ["OR", "state", "OR"] },
  albuquerque_cgic: { slug: "albuquerque-v-barr-cgic-fy2018", place: ["Albuquerque", "city", "NM"] },
  sf_santa_clara_eo13768: { slug: "san-francisco-v-trump-eo-13768", place: ["San Francisco", "city", "CA"] },
};

/** Whom a ruling favoured, from the litigation file's favors column. */
export function favorsOf(raw: string): RulingFavors | null {
  const v = raw.trim();
  if (v === "") return null;
  if (v === "plaintiff") return "plaintiff";
  if (v === "government") return "defendant";
  if (v === "plaintiff (in part)") return "mixed";
  throw new Error(`Unknown favors value ${raw}`);
}

/** The event kind of a litigation row. */
export function litigationKind(event: string): EventKind {
  if (/^(complaint|petition) filed/.test(event)) return "complaint_filed";
  if (/^certiorari petition filed/.test(event)) return "other";
  if (event === "dismissed") return "order";
  if (
    /^(preliminary injunction|summary judgment|partial summary judgment|appellate decision|en banc order|stay lifted|rehearing en banc denied)/.test(
      event,
    )
  )
    return "ruling";
  throw new Error(`Unknown litigation event ${event}`);
}

function readLawsuits(ctx: Ctx, rows: Row[]): Map<string, BundleMatter> {
  const byCase = new Map<string, Row[]>();
  for (const r of rows) byCase.set(r.case_id ?? "", [...(byCase.get(r.case_id ?? "") ?? []), r]);
  const out = new Map<string, BundleMatter>();
  for (const [caseId, list] of byCase) {
    const spec = must(LAWSUITS[caseId], `lawsuit ${caseId}`);
    const first = list[0] as Row;
    const court = (first.court ?? "").trim();
    const allSources = mergeSources(...list.map((r) => sourcesOf(r)));
    const jurisdiction = placeSlug(ctx, spec.place, sourcesOf(first));
    const dockets = [
      ...new Set(
        list
          .filter((r) => r.court === court)
          .flatMap((r) => (r.docket ?? "").split(";"))
          .map((d) => d.trim())
          .filter((d) => d !== ""),
      ),
    ];
    const complaint = list.find((r) => litigationKind(r.event ?? "") === "complaint_filed");
    const last = list.reduce((a, b) => ((b.event_date ?? "") > (a.event_date ?? "") ? b : a));
    const programs = [...new Set(list.map((r) => r.grant_program ?? ""))].filter((p) => p !== "");
    const matter = newMatter(ctx, {
      slug: spec.slug,
      kind: "lawsuit",
      status: "unknown",
      title: (first.case_name ?? "").trim(),
      summary: sentences(
        `Plaintiffs: ${first.plaintiffs}`,
        `Grant program: ${programs.join("; ")}`,
        `Court: ${court}${dockets.length ? `, ${dockets.join("; ")}` : ""}`,
      ),
      jurisdiction,
      agencies: [],
      authority: null,
      court: court || null,
      caseNumber: dockets.length ? dockets.join("; ") : null,
      judge: textOrNull(first.judge_or_panel),
      openedOn: complaint ? dateOf(complaint.event_date, `${caseId} complaint`) : null,
      findingsOn: null,
      agreementOn: null,
      enteredOn: null,
      endedOn: null,
      statusNote: `The sources do not state the case's status; the last event recorded is ${last.event} on ${last.event_date} (${last.court}).`,
      sources: allSources,
    });
    out.set(caseId, matter);
    for (const r of list) {
      const event = (r.event ?? "").trim();
      const kind = litigationKind(event);
      const rowCourt = (r.court ?? "").trim();
      addEvent(ctx, {
        matter: matter.slug,
        kind,
        date: dateOf(r.event_date, `${caseId} ${event}`),
        title: `${matter.title}: ${event === "dismissed" ? "certiorari petition dismissed" : event} (${rowCourt})`,
        description: sentences(
          r.case_name !== first.case_name ? `Caption: ${r.case_name}` : null,
          r.plaintiffs !== first.plaintiffs && r.plaintiffs !== "same" ? `Parties: ${r.plaintiffs}` : null,
          rowCourt !== court || r.docket !== first.docket
            ? `${rowCourt} No. ${r.docket || "not stated"}`
            : null,
          r.judge_or_panel && r.judge_or_panel !== first.judge_or_panel
            ? `Judges: ${r.judge_or_panel}`
            : null,
          r.citation ? `Cited as ${r.citation}` : null,
          r.favors === "plaintiff (in part)"
            ? "The source says the ruling favoured the plaintiffs in part"
            : null,
          r.notes,
        ),
        actor: rowCourt || null,
        outcome: textOrNull(r.outcome),
        favors: favorsOf(r.favors ?? ""),
        sources: sourcesOf(r),
      });
    }
  }
  // The consolidated appeal row joins Chicago's two suits.
  relate(
    must(out.get("chicago_fy2017"), "Chicago FY2017 suit"),
    must(out.get("chicago_fy2018"), "Chicago FY2018 suit").slug,
    "related",
  );
  relate(
    must(out.get("chicago_fy2018"), "Chicago FY2018 suit"),
    must(out.get("chicago_fy2017"), "Chicago FY2017 suit").slug,
    "related",
  );
  return out;
}

// ---------------------------------------------------------------- 1373 letters and conditions

/** The registry's place for a letter's addressee. */
export function letterPlace(r: Row): Place {
  const name = (r.jurisdiction ?? "").trim();
  const state = stateCode(r.state ?? "", name);
  switch (r.jurisdiction_type) {
    case "city": {
      const city = name.replace(/^City of /, "");
      return [city === "New York" ? "New York City" : city, "city", state];
    }
    case "county":
      return [name.replace(/\s*\(.*\)$/, ""), "county", state];
    case "state":
    case "state_agency":
      return [state, "state", state];
    case "city_county":
      return [name.replace(/^City and County of /, "").replace(/ Metro$/, ""), "city", state];
    case "city_district":
      if (state !== "DC") throw new Error(`city_district outside DC: ${name}`);
      return ["Washington", "city", "DC"];
    default:
      throw new Error(`Unknown jurisdiction type ${r.jurisdiction_type} for ${name}`);
  }
}

/** The condition status a letter row states, or null when it states none (California "not named"). */
export function letterStatus(r: Row): ConditionStatus | null {
  const position = (r.doj_position ?? "").trim();
  switch (r.action) {
    case "letter_fy2016_1373_documentation_demand":
    case "document_demand_subpoena_warning":
      return "documentation_demanded";
    case "letter_preliminary_1373_finding":
      return "found_possibly_non_compliant";
    case "preliminary_1373_assessment":
    case "earlier_1373_clearance":
      if (/^preliminarily found/.test(position)) return "found_possibly_non_compliant";
      if (/no evidence (found )?of current non-compliance/.test(position)) return "cleared";
      if (/^not named/.test(position)) return null;
      throw new Error(`Unknown position ${position}`);
    default:
      throw new Error(`Unknown letter action ${r.action}`);
  }
}

const LETTER_TITLES: Record<string, string> = {
  letter_fy2016_1373_documentation_demand:
    "DOJ letter: FY2016 Byrne JAG requires documentation and a legal opinion of 8 U.S.C. 1373 compliance",
  letter_preliminary_1373_finding:
    "DOJ letter: preliminary finding that laws, policies or practices may violate 8 U.S.C. 1373",
  document_demand_subpoena_warning:
    "DOJ demand for records on information-sharing restrictions, or a subpoena",
  earlier_1373_clearance:
    "DOJ letter: no evidence of current non-compliance with 8 U.S.C. 1373 (reported in October 2017)",
};

function letterTitle(r: Row, status: ConditionStatus | null): string {
  const name = (r.jurisdiction ?? "").trim();
  if (r.action === "preliminary_1373_assessment")
    return `${name}: ${
      status === "found_possibly_non_compliant"
        ? "DOJ preliminary assessment: laws, policies or practices may violate 8 U.S.C. 1373"
        : status === "cleared"
          ? "DOJ preliminary assessment: no evidence of current non-compliance with 8 U.S.C. 1373"
          : "not named in the DOJ's preliminary 8 U.S.C. 1373 assessments"
    }`;
  return `${name}: ${must(LETTER_TITLES[r.action ?? ""], `title for ${r.action}`)}`;
}

const FY2016_TEXT =
  "Byrne JAG FY2016: the recipient must document compliance with 8 U.S.C. 1373 (with a legal opinion validating it); the letters of 2017-2018 ask for that documentation and assess compliance.";

const STATUS_NOTES: Partial<Record<string, string>> = {
  document_demand_subpoena_warning:
    'A demand for documents under threat of subpoena, so "documentation demanded"; no source found says an earlier preliminary finding was withdrawn.',
};

function readLetters(ctx: Ctx, rows: Row[], out: GrantRecords): number {
  const conditions = new Map<string, BundleCondition>();
  for (const r of rows) {
    const sources = sourcesOf(r);
    const jurisdiction = placeSlug(ctx, letterPlace(r), sources);
    const status = letterStatus(r);
    const date = dateOf(r.action_date, `letter to ${r.jurisdiction}`);
    addEvent(ctx, {
      matter: null,
      jurisdiction,
      kind: status === null ? "other" : "letter",
      date,
      title: letterTitle(r, status),
      description: sentences(`DOJ position: ${r.doj_position}`, r.notes),
      actor: DOJ,
      sources,
    });
    if (status === null) continue;
    const slug = `${jurisdiction}-byrne-jag-fy2016-1373-certification`;
    let condition = conditions.get(slug);
    if (!condition) {
      condition = {
        slug,
        award: null,
        jurisdiction,
        program: "byrne_jag",
        fiscalYear: 2016,
        kind: "section_1373_certification",
        text: FY2016_TEXT,
        matters: [],
        history: [],
        public: true,
      };
      conditions.set(slug, condition);
      out.conditions.push(condition);
    }
    const change: Change = {
      status,
      date,
      note: sentences(`${r.jurisdiction}: ${r.doj_position}`, STATUS_NOTES[r.action ?? ""]),
      sources,
    };
    condition.history.push(change);
  }
  return conditions.size;
}

/**
 * FY2017 and FY2018 conditions whose injunction the litigation file states, for the plaintiffs
 * it applies to. `mustSay` is checked against the ruling's outcome so that a changed source fails
 * the build instead of silently keeping a status the source no longer gives.
 */
const INJUNCTIONS: {
  caseId: string;
  date: string;
  mustSay: RegExp;
  places: Place[];
  kinds: ConditionKind[];
  fiscalYear: number;
  program: GrantProgram;
}[] = [
  {
    caseId: "chicago_fy2017",
    date: "2017-09-15",
    mustSay: /^notice and access conditions enjoined/,
    places: [["Chicago", "city", "IL"]],
    kinds: ["notice_of_release", "jail_access"],
    fiscalYear: 2017,
    program: "byrne_jag",
  },
  {
    caseId: "philadelphia_fy2017",
    date: "2017-11-15",
    mustSay: /enjoined from .*withholding FY2017 funds based on its 1373 certification/,
    places: [["Philadelphia", "city", "PA"]],
    kinds: ["section_1373_certification"],
    fiscalYear: 2017,
    program: "byrne_jag",
  },
  {
    caseId: "sf_ca_fy2017",
    date: "2018-10-05",
    mustSay: /against the access, notice and 1373-certification conditions; injunction issued/,
    places: [
      ["San Francisco", "city", "CA"],
      ["CA", "state", "CA"],
    ],
    kinds: ["section_1373_certification", "notice_of_release", "jail_access"],
    fiscalYear: 2017,
    program: "byrne_jag",
  },
  {
    caseId: "albuquerque_cgic",
    date: "2021-01-28",
    mustSay:
      /^three immigration-related conditions on the FY2018 CGIC award likely unlawful; preliminary injunction granted/,
    places: [["Albuquerque", "city", "NM"]],
    kinds: ["other"],
    fiscalYear: 2018,
    program: "cgic",
  },
];

/** The FY2017 JAG conditions as the timeline's 2017-07-25 row states them. */
const FY2017_TEXTS: Partial<Record<ConditionKind, { text: string; mustSay: RegExp }>> = {
  section_1373_certification: {
    text: "Byrne JAG FY2017: applicants must certify compliance with 8 U.S.C. 1373.",
    mustSay: /certify 1373 compliance/,
  },
  jail_access: {
    text: "Byrne JAG FY2017: applicants must allow federal immigration access to detention facilities.",
    mustSay: /allow federal immigration access to detention facilities/,
  },
  notice_of_release: {
    text: "Byrne JAG FY2017: applicants must give DHS 48 hours' notice before releasing a noncitizen wanted for removal (the Supreme Court petition in No. 20-666 describes it as advance notice upon a request by DHS).",
    mustSay: /give DHS 48 hours' notice before releasing/,
  },
};

function readInjunctions(
  ctx: Ctx,
  litigation: Row[],
  timeline: Row[],
  out: GrantRecords,
  lawsuitOf: Map<string, BundleMatter>,
): void {
  const announced = must(
    timeline.find((t) => t.date === "2017-07-25"),
    "timeline row announcing the FY2017 conditions",
  );
  for (const inj of INJUNCTIONS) {
    const row = must(
      litigation.find((r) => r.case_id === inj.caseId && r.event_date === inj.date),
      `ruling ${inj.caseId} ${inj.date}`,
    );
    if (!inj.mustSay.test(row.outcome ?? "")) throw new Error(`${inj.caseId} ${inj.date}: outcome changed`);
    const lawsuit = must(lawsuitOf.get(inj.caseId), inj.caseId).slug;
    for (const place of inj.places) {
      const jurisdiction = placeSlug(ctx, place, sourcesOf(row));
      for (const kind of inj.kinds) {
        const history: Change[] = [];
        let text: string;
        let award: string | null = null;
        if (inj.fiscalYear === 2017) {
          const t = must(FY2017_TEXTS[kind], `FY2017 text for ${kind}`);
          if (!t.mustSay.test(announced.detail ?? "")) throw new Error(`FY2017 ${kind}: timeline changed`);
          text = t.text;
          history.push({
            status: "imposed",
            date: "2017-07-25",
            note: "FY2017 Byrne JAG immigration conditions announced for all applicants.",
            sources: sourcesOf(announced),
          });
        } else {
          text =
            "Three immigration-related conditions on the FY2018 Crime Gun Intelligence Center Integration Initiative award (the source does not list them one by one).";
          award = must(
            out.awards.find((a) => a.jurisdiction === jurisdiction && a.program === "cgic"),
            "Albuquerque CGIC award",
          ).slug;
        }
        history.push({
          status: "enjoined",
          date: inj.date,
          note: sentences(`${row.event} (${row.court} ${row.docket})`, row.outcome),
          sources: sourcesOf(row),
        });
        out.conditions.push({
          slug: `${jurisdiction}-${PROGRAM_SHORT[inj.program]}-fy${inj.fiscalYear}-${kind.replaceAll("_", "-")}`,
          award,
          jurisdiction,
          program: inj.program,
          fiscalYear: inj.fiscalYear,
          kind,
          text,
          matters: [lawsuit],
          history,
          public: true,
        });
      }
    }
  }
}

// ---------------------------------------------------------------- timeline and national rounds

const TIMELINE_KINDS: Record<string, EventKind> = {
  "2016-05": "other",
  "2017-01-25": "executive_order",
  "2017-04-21": "letter",
  "2017-07-25": "policy_action",
  "2017-09-12": "policy_action",
  "2017-10-12": "letter",
  "2017-11-15": "letter",
  "2017-11-20": "grant_action",
  "2018-01-24": "letter",
  "2018-06-28": "policy_action",
  "2019-02-12": "grant_action",
  "2021-03-04": "order",
};

function readTimeline(ctx: Ctx, rows: Row[]): void {
  for (const r of rows) {
    const date = dateOf(r.date, `timeline ${r.event}`);
    const sources = sourcesOf(r);
    // The Downey memo is about one city's grant: it is that city's event.
    const jurisdiction = /^City of Downey, CA/.test(r.actor ?? "")
      ? placeSlug(ctx, ["Downey", "city", "CA"], sources)
      : null;
    addSharedEvent(ctx, {
      kind: must(TIMELINE_KINDS[date], `timeline kind for ${date}`),
      date,
      title: (r.event ?? "").trim(),
      description: sentences(
        r.detail,
        r.jurisdictions_count ? `Jurisdictions: ${r.jurisdictions_count}` : null,
        r.notes,
      ),
      actor: textOrNull(r.actor),
      sources,
      jurisdiction,
    });
  }
}

function readNationalRounds(rows: Row[], out: GrantRecords): void {
  for (const r of rows) {
    const program = (r.program ?? "").trim();
    const fiscalYear = Number(must(textOrNull(r.fiscal_year), `${program} fiscal year`));
    const date = dateOrNull(r.announced, `${program} announced`);
    const sources = sourcesOf(r);
    const description = textOrNull(r.notes);
    const metrics: [string, string, string | null][] = [
      ["total_usd", "Total awarded", "USD"],
      ["recipients", "Recipients", "recipients"],
      ["officers_or_positions", "Officer positions funded", "positions"],
    ];
    for (const [column, metric, unit] of metrics) {
      const value = numberOrNull(r[column], `${program} ${column}`);
      if (value === null) continue;
      addProgramFact(out, { program, date, fiscalYear, metric, value, unit, description, sources });
    }
  }
}

// ---------------------------------------------------------------- entry point

export interface GrantFiles {
  awards: Row[];
  letters: Row[];
  litigation: Row[];
  timeline: Row[];
  rounds: Row[];
}

/** Adds everything in the grants files; returns how many 1373 conditions the letters gave. */
export function addGrants(ctx: Ctx, files: GrantFiles, out: GrantRecords): { letterConditions: number } {
  const lawsuitOf = readLawsuits(ctx, files.litigation);
  readAwards(ctx, files.awards, out, lawsuitOf);
  const letterConditions = readLetters(ctx, files.letters, out);
  readInjunctions(ctx, files.litigation, files.timeline, out, lawsuitOf);
  readTimeline(ctx, files.timeline);
  readNationalRounds(files.rounds, out);
  return { letterConditions };
}
