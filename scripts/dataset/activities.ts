/**
 * Every other kind of federal activity with local police (activities/ and technical_assistance/
 * in ../shared/data): task forces and surges, Public Safety Partnership sites, Project Safe
 * Neighborhoods, the Collaborative Reform technical-assistance center, OJP civil-rights compliance
 * reviews and program obligations. What the sources give only for a whole program stays a
 * program fact. See data/SOURCES.md for the mapping rules.
 */
import type { BundleAward, InferredField, MatterKind, Source } from "@accord/domain";
import { addEvent, type Ctx, newMatter } from "./context.js";
import {
  addProgramFact,
  addSharedEvent,
  agencySlug,
  dateOf,
  dateOrNull,
  type GrantRecords,
  numberOrNull,
  type Place,
  placeSlug,
  sentences,
  textOrNull,
} from "./federal.js";
import { DOJ, must, slugify, stateCode } from "./shared.js";
import { parseSourcesColumn } from "./sources-column.js";

type Row = Record<string, string>;

const sourcesOf = (r: Row, column = "sources") => {
  const list = parseSourcesColumn(r[column] ?? "");
  if (list.length === 0) throw new Error(`Row without sources: ${JSON.stringify(r).slice(0, 120)}`);
  return list;
};

/** A matter of the activities files: unknown status unless stated, public, no agreement dates. */
function activityMatter(
  ctx: Ctx,
  m: {
    slug: string;
    kind: MatterKind;
    title: string;
    summary: string | null;
    jurisdiction: string;
    agencies: string[];
    openedOn: string | null;
    sources: Source[];
    status?: "unknown" | "findings_issued";
    findingsOn?: string | null;
    caseNumber?: string | null;
    court?: string | null;
    authority?: string | null;
    statusNote?: string | null;
    inferred?: InferredField[];
  },
) {
  return newMatter(ctx, {
    slug: m.slug,
    kind: m.kind,
    status: m.status ?? "unknown",
    title: m.title,
    summary: m.summary,
    jurisdiction: m.jurisdiction,
    agencies: m.agencies,
    authority: m.authority ?? null,
    court: m.court ?? null,
    caseNumber: m.caseNumber ?? null,
    openedOn: m.openedOn,
    findingsOn: m.findingsOn ?? null,
    agreementOn: null,
    enteredOn: null,
    endedOn: null,
    statusNote: m.statusNote ?? "The sources consulted do not state a status.",
    sources: m.sources,
    inferred: m.inferred ?? [],
  });
}

// ---------------------------------------------------------------- task forces

/**
 * Named task forces: the place each is recorded under (its city, or the state or place the source
 * names as its base) and the local agencies the file names as participants, spelled out in full
 * ("Phoenix PD" → "Phoenix Police Department"). Agencies described only as a group ("Bibb County
 * deputies", ">60 agencies") are not created.
 */
const TASK_FORCES: Record<string, { place: Place; agencies: [string, Place][] }> = {
  "Triad Safe Streets Task Force": { place: ["Greensboro", "city", "NC"], agencies: [] },
  "Central Alabama Violent Gang Safe Streets Task Force": { place: ["AL", "state", "AL"], agencies: [] },
  "Northeastern Alabama Safe Streets Task Force": { place: ["AL", "state", "AL"], agencies: [] },
  "FBI Phoenix Violent Crimes Task Force (VCTF)": {
    place: ["Phoenix", "city", "AZ"],
    agencies: [
      ["Phoenix Police Department", ["Phoenix", "city", "AZ"]],
      ["Peoria Police Department", ["Peoria", "city", "AZ"]],
      ["Scottsdale Police Department", ["Scottsdale", "city", "AZ"]],
      ["Maricopa County Sheriff's Office", ["Maricopa County", "county", "AZ"]],
      ["Maricopa County Attorney's Office", ["Maricopa County", "county", "AZ"]],
    ],
  },
  "Chicago FBI Joint Task Force on Gangs (JTFG)": {
    place: ["Chicago", "city", "IL"],
    agencies: [["Chicago Police Department", ["Chicago", "city", "IL"]]],
  },
  "Los Angeles Fugitive Task Force": {
    place: ["Los Angeles", "city", "CA"],
    agencies: [["Los Angeles Police Department", ["Los Angeles", "city", "CA"]]],
  },
  "New York/New Jersey Regional Fugitive Task Force (NY/NJ RFTF)": {
    place: ["New York City", "city", "NY"],
    agencies: [
      ["New York City Police Department", ["New York City", "city", "NY"]],
      ["Nassau County Police Department", ["Nassau County", "county", "NY"]],
    ],
  },
  "Capital Area Regional Fugitive Task Force (CARFTF)": { place: ["Washington", "city", "DC"], agencies: [] },
  "Great Lakes Regional Fugitive Task Force (S.D. Ill. component)": {
    place: ["IL", "state", "IL"],
    agencies: [
      ["Illinois State Police", ["IL", "state", "IL"]],
      ["Effingham County Sheriff's Office", ["Effingham County", "county", "IL"]],
      ["St. Clair County Sheriff's Department", ["St. Clair County", "county", "IL"]],
      ["Belleville Police Department", ["Belleville", "city", "IL"]],
      ["East St. Louis Police Department", ["East St. Louis", "city", "IL"]],
      ["Fairmont City Police Department", ["Fairmont City", "city", "IL"]],
    ],
  },
  "Gulf Coast Regional Fugitive Task Force": {
    place: ["Birmingham", "city", "AL"],
    agencies: [
      ["Birmingham Police Department", ["Birmingham", "city", "AL"]],
      ["Alabaster Police Department", ["Alabaster", "city", "AL"]],
      ["Hoover Police Department", ["Hoover", "city", "AL"]],
    ],
  },
  "Southeast Regional Fugitive Task Force": {
    place: ["GA", "state", "GA"],
    agencies: [
      ["Macon Police Department", ["Macon", "city", "GA"]],
      ["Warner Robins Police Department", ["Warner Robins", "city", "GA"]],
    ],
  },
  "Florida/Caribbean Regional Fugitive Task Force": { place: ["FL", "state", "FL"], agencies: [] },
  "Pacific Southwest Regional Fugitive Task Force (PSWRFTF)": {
    place: ["Los Angeles", "city", "CA"],
    agencies: [["Los Angeles Police Department", ["Los Angeles", "city", "CA"]]],
  },
  "USMS Regional Fugitive Task Force MOU - Santa Ana PD": {
    place: ["Santa Ana", "city", "CA"],
    agencies: [["Santa Ana Police Department", ["Santa Ana", "city", "CA"]]],
  },
  "USMS Fugitive Task Force MOU - Port Arthur PD": {
    place: ["Port Arthur", "city", "TX"],
    agencies: [["Port Arthur Police Department", ["Port Arthur", "city", "TX"]]],
  },
  "Cleveland OCDETF Strike Force": {
    place: ["Cleveland", "city", "OH"],
    agencies: [["Cleveland Division of Police", ["Cleveland", "city", "OH"]]],
  },
  "Baltimore OCDETF Strike Force": {
    place: ["Baltimore", "city", "MD"],
    agencies: [["Maryland State Police", ["MD", "state", "MD"]]],
  },
  "Denver Crime Gun Intelligence Center": {
    place: ["Denver", "city", "CO"],
    agencies: [["Denver Police Department", ["Denver", "city", "CO"]]],
  },
  "D.C. Safe and Beautiful Task Force": {
    place: ["Washington", "city", "DC"],
    agencies: [["District of Columbia Metropolitan Police Department", ["Washington", "city", "DC"]]],
  },
  "D.C. crime emergency / federal direction of MPD (Home Rule Act sec. 740)": {
    place: ["Washington", "city", "DC"],
    agencies: [["District of Columbia Metropolitan Police Department", ["Washington", "city", "DC"]]],
  },
  "Memphis Safe Task Force": {
    place: ["Memphis", "city", "TN"],
    agencies: [
      ["Memphis Police Department", ["Memphis", "city", "TN"]],
      ["Tennessee Highway Patrol", ["TN", "state", "TN"]],
    ],
  },
};

/** Surges run city by city: one matter per city row, with the agencies the row names. */
const SURGES: Record<string, Record<string, [string, Place][]>> = {
  "Operation Relentless Pursuit": {
    "Memphis, TN": [
      ["Memphis Police Department", ["Memphis", "city", "TN"]],
      ["Shelby County Sheriff's Office", ["Shelby County", "county", "TN"]],
      ["Shelby County District Attorney's Office", ["Shelby County", "county", "TN"]],
    ],
  },
  "Operation Legend": {
    "Indianapolis, IN": [["Indianapolis Metropolitan Police Department", ["Indianapolis", "city", "IN"]]],
  },
};

/** Rows that describe a whole program or a multi-city list without per-site facts: program facts. */
const AGGREGATE_TASK_FORCES = new Set([
  "Operation North Star",
  "DEA Operation Overdrive (Phase I)",
  "BJA/ATF Local Law Enforcement CGIC Integration Initiative (grant sites)",
  "DOJ cross-jurisdictional Firearms Trafficking Strike Forces",
]);

function readTaskForces(ctx: Ctx, rows: Row[], out: GrantRecords): void {
  for (const r of rows) {
    const name = (r.name ?? "").trim();
    const sources = sourcesOf(r);
    const start = dateOrNull(r.start_date, `${name} start`);
    if ((r.end_date ?? "").trim() !== "") throw new Error(`${name}: end date not mapped`);
    const describe = sentences(
      `Led by: ${r.agency}`,
      `Kind in the source: ${r.kind}`,
      `Area: ${r.cities_or_region}`,
      r.participating_local_agencies
        ? `Participating agencies as the source names them: ${r.participating_local_agencies}`
        : null,
      r.notes,
    );
    if (r.kind === "program" || AGGREGATE_TASK_FORCES.has(name)) {
      addProgramFact(out, {
        program: name,
        date: start,
        fiscalYear: null,
        metric: "Program description, counts and sites as the source gives them",
        value: null,
        unit: null,
        description: describe,
        sources,
      });
      continue;
    }
    const surge = SURGES[name] ?? (/^Operation (Relentless Pursuit|Legend)$/.test(name) ? {} : undefined);
    let place: Place;
    let agencyList: [string, Place][];
    let slug: string;
    let title: string;
    if (surge) {
      const where = (r.cities_or_region ?? "").trim();
      const m = must(/^(.+), ([A-Z]{2})$/.exec(where), `${name} city ${where}`);
      place = [m[1] as string, "city", stateCode(m[2] as string, where)];
      agencyList = surge[where] ?? [];
      if (!surge[where] && r.participating_local_agencies)
        throw new Error(`${name} ${where}: agencies not mapped`);
      slug = `${slugify(name)}-${slugify(where)}`;
      title = `${name}: ${where}`;
    } else {
      const spec = must(TASK_FORCES[name], `task force ${name}`);
      place = spec.place;
      agencyList = spec.agencies;
      slug = slugify(name.replace(/\s*\([^)]*\)\s*$/, ""));
      title = name;
    }
    const jurisdiction = placeSlug(ctx, place, sources);
    const agencies = agencyList.map(([agency, at]) => agencySlug(ctx, agency, at, sources));
    const matter = activityMatter(ctx, {
      slug,
      kind: "task_force",
      title,
      summary: describe,
      jurisdiction,
      agencies,
      openedOn: start,
      sources,
    });
    if (start)
      addEvent(ctx, {
        matter: matter.slug,
        kind: "other",
        date: start,
        title: `${title}: began or announced`,
        description: null,
        actor: textOrNull(r.agency),
        sources,
      });
  }
}

// ---------------------------------------------------------------- Public Safety Partnership

function readPspSites(ctx: Ctx, rows: Row[], out: GrantRecords): void {
  const withoutState: Row[] = [];
  for (const r of rows) {
    const site = (r.site ?? "").trim();
    if ((r.state ?? "").trim() === "") {
      withoutState.push(r);
      continue;
    }
    const state = stateCode(r.state ?? "", site);
    const sources = sourcesOf(r);
    const date = dateOf(r.announcement_date, `${site} announced`);
    if ((r.end_date ?? "").trim() !== "") throw new Error(`${site}: end date not mapped`);
    const vrn = /^Violence Reduction Network/.test(r.program ?? "");
    // Two-city sites ("Oakland/Richmond") are recorded under the first city named; the title keeps both.
    const first = site.split("/")[0] as string;
    const place: Place = / County$/.test(first) ? [first, "county", state] : [first, "city", state];
    const jurisdiction = placeSlug(ctx, place, sources);
    const cohort = (r.cohort ?? "").trim();
    const slug = `${slugify(site)}-${state.toLowerCase()}-${vrn ? "vrn" : "psp"}-${date.slice(0, 4)}`;
    const title = `${vrn ? "Violence Reduction Network" : "Public Safety Partnership"}: ${site}, ${state} (${cohort})`;
    const matter = activityMatter(ctx, {
      slug,
      kind: "technical_assistance",
      title,
      summary: sentences(
        `Program: ${r.program}`,
        `Cohort: ${cohort}`,
        r.engagement_type ? `Engagement type: ${r.engagement_type}` : null,
        r.stated_engagement_length ? `Stated length: ${r.stated_engagement_length}` : null,
        r.notes,
      ),
      jurisdiction,
      agencies: [],
      openedOn: date,
      sources,
    });
    addEvent(ctx, {
      matter: matter.slug,
      kind: "other",
      date,
      title: `${title}: site announced`,
      description: null,
      actor: textOrNull(r.announced_by),
      sources,
    });
  }
  // Sites the file gives without a state cannot be placed: they stay a fact of their cohort.
  const cohorts = [...new Set(withoutState.map((r) => r.cohort ?? ""))];
  for (const cohort of cohorts) {
    const list = withoutState.filter((r) => r.cohort === cohort);
    const all = rows.filter((r) => r.cohort === cohort);
    addProgramFact(out, {
      program: "National Public Safety Partnership",
      date: dateOrNull(list[0]?.announcement_date, cohort),
      fiscalYear: null,
      metric: `Sites announced (${cohort})`,
      value: all.length,
      unit: "sites",
      description: sentences(
        `Sites: ${all.map((r) => (r.state ? `${r.site}, ${r.state}` : r.site)).join("; ")}`,
        `The source does not give the state of ${list.map((r) => r.site).join(", ")}, so those sites are not recorded as matters`,
      ),
      sources: [...new Map(list.flatMap((r) => sourcesOf(r)).map((s) => [s.url ?? s.citation, s])).values()],
    });
  }
}

// ---------------------------------------------------------------- Project Safe Neighborhoods

/** Where each PSN district award is recorded (the recipient's place; the district's state when none). */
const PSN_PLACES: { match: RegExp; place: Place }[] = [
  { match: /^W\.D\. La\.$/, place: ["LA", "state", "LA"] },
  { match: /^Safe City Commission \(One Safe Place\), Fort Worth$/, place: ["Fort Worth", "city", "TX"] },
  { match: /^District of Columbia Office of Victim Services/, place: ["Washington", "city", "DC"] },
  { match: /^New Mexico Department of Public Safety$/, place: ["NM", "state", "NM"] },
  { match: /, Arizona$/, place: ["AZ", "state", "AZ"] },
  { match: /State Of Indiana$/, place: ["IN", "state", "IN"] },
  { match: /State Of Iowa$/, place: ["IA", "state", "IA"] },
  { match: /Tennessee Department Of$/, place: ["TN", "state", "TN"] },
  { match: /^Public Safety, Massachusetts/, place: ["MA", "state", "MA"] },
  { match: /^Montana Department/, place: ["MT", "state", "MT"] },
  { match: /New Hampshire Department Of$/, place: ["NH", "state", "NH"] },
];

/** Counts stated in words in the PSN program_stat rows. */
const PSN_COUNTS: Record<string, [string, number, string, RegExp]> = {
  FY2016: ["New sites awarded", 16, "sites", /Made awards to 16 new sites/],
  FY2017: ["Competitive awards", 14, "sites", /Made competitive awards to 14 sites/],
  FY2018: ["Formula awards", 83, "sites", /Made formula awards to 83 sites/],
};

function readPsn(ctx: Ctx, rows: Row[], out: GrantRecords): { awards: number; skipped: number } {
  let awards = 0;
  let skipped = 0;
  for (const r of rows) {
    const sources = sourcesOf(r);
    const when = (r.date_or_fiscal_year ?? "").trim();
    const description = (r.description ?? "").trim();
    const amount = numberOrNull(r.amount_usd, `PSN ${when}`);
    const fy = /^FY(\d{4})$/.exec(when);
    const fiscalYear = fy ? Number(fy[1]) : null;
    if (r.record_type === "announcement") {
      if (when === "" || amount !== null) {
        addProgramFact(out, {
          program: "Project Safe Neighborhoods",
          date: dateOrNull(when, "PSN announcement"),
          fiscalYear: null,
          metric: amount !== null ? "Funding announced with the relaunch (approximate)" : "Announcement",
          value: amount,
          unit: amount !== null ? "USD" : null,
          description,
          sources,
        });
        continue;
      }
      addSharedEvent(ctx, {
        kind: /memo/.test(description) && r.district === "all 94 districts" ? "memo" : "other",
        date: dateOf(when, "PSN announcement"),
        title: /^AG Sessions memo/.test(description)
          ? "Project Safe Neighborhoods relaunched: Attorney General's memo to all U.S. Attorneys"
          : /^AP:/.test(description)
            ? "Project Safe Neighborhoods relaunch: the memo's measures as AP reported them"
            : "Project Safe Neighborhoods reinvigorated (as Police Chief magazine reported it)",
        description,
        actor: DOJ,
        sources,
      });
      continue;
    }
    if (r.record_type === "program_stat") {
      const counted = PSN_COUNTS[when];
      if (counted && !counted[3].test(description)) throw new Error(`PSN ${when}: text changed`);
      addProgramFact(out, {
        program: "Project Safe Neighborhoods",
        date: null,
        fiscalYear,
        metric: counted ? counted[0] : r.district ? `Funding (${r.district})` : "Funding",
        value: counted ? counted[1] : amount,
        unit: counted ? counted[2] : amount !== null ? "USD" : null,
        description,
        sources,
      });
      continue;
    }
    if (r.record_type !== "district_award") throw new Error(`PSN record type ${r.record_type}`);
    const recipient = textOrNull(r.fiscal_agent_or_recipient);
    const key = recipient ?? (r.district ?? "").trim();
    const spec = PSN_PLACES.find((p) => p.match.test(key));
    if (!spec) {
      // The FY2020 "Kansas City" award: the source gives neither recipient nor district, so no place.
      skipped++;
      continue;
    }
    const jurisdiction = placeSlug(ctx, spec.place, sources);
    const base = `${jurisdiction}-psn-${fiscalYear ?? "no-fiscal-year"}`;
    let slug = base;
    for (let n = 2; out.awards.some((a) => a.slug === slug); n++) slug = `${base}-${n}`;
    const award: BundleAward = {
      slug,
      program: "project_safe_neighborhoods",
      programName: "Project Safe Neighborhoods",
      fiscalYear,
      amount,
      amountMeaning: amount === null ? null : "total_award",
      amountNote:
        amount === null
          ? "Amount not stated as an award (see notes)"
          : /Third-party listing/.test(description)
            ? "Amount in a third-party listing of CFDA 16.609 recipients"
            : null,
      awardNumber: textOrNull(r.award_number),
      jurisdiction,
      agency: null,
      recipientName: recipient,
      notes: sentences(
        r.district ? `District: ${r.district}` : null,
        fiscalYear === null ? `Period as the source gives it: ${when}` : null,
        description,
      ),
      matters: [],
      sources,
      public: true,
    };
    out.awards.push(award);
    awards++;
  }
  return { awards, skipped };
}

// ---------------------------------------------------------------- CRI-TAC and Collaborative Reform program events

const CRI_TAC = "Collaborative Reform Initiative Technical Assistance Center (CRI-TAC)";

function readCriTac(ctx: Ctx, rows: Row[], out: GrantRecords): void {
  for (const r of rows) {
    const sources = sourcesOf(r);
    const what = (r.agency_or_metric ?? "").trim();
    const description = textOrNull(r.description);
    switch (r.record_type) {
      case "event":
      case "report": {
        const date = dateOf(r.date, `CRI-TAC ${what}`);
        addSharedEvent(ctx, {
          kind: "other",
          date,
          title: r.record_type === "report" ? `${what} published` : what,
          description: sentences(
            description,
            r.value ? `Amount: $${Number(r.value).toLocaleString("en-US")}` : null,
          ),
          actor: "U.S. Department of Justice, COPS Office",
          sources,
        });
        if (r.value)
          addProgramFact(out, {
            program: CRI_TAC,
            date,
            fiscalYear: null,
            metric: "Award to create the center",
            value: must(numberOrNull(r.value, what), what),
            unit: "USD",
            description: sentences(what, description),
            sources,
          });
        break;
      }
      case "aggregate": {
        const lowerBound = /\+$/.test(r.value ?? "");
        addProgramFact(out, {
          program: CRI_TAC,
          date: dateOf(r.date, `CRI-TAC ${what}`),
          fiscalYear: null,
          metric: what.charAt(0).toUpperCase() + what.slice(1),
          value: must(numberOrNull((r.value ?? "").replace(/\+$/, ""), what), what),
          unit: null,
          description: sentences(
            lowerBound ? `At least this many (the source says "${r.value}")` : null,
            description,
          ),
          sources,
        });
        break;
      }
      case "recipient": {
        const state = stateCode(r.state ?? "", what);
        // A city police department is placed in its city; the university's (no city given) in its state.
        const city = /University/.test(what) ? null : must(/^(.+?) Police Department$/.exec(what), what)[1];
        const place: Place = city ? [city, "city", state] : [state, "state", state];
        const jurisdiction = placeSlug(ctx, place, sources);
        const agency = agencySlug(ctx, what, place, sources);
        const opened = /^(\d{4}) \(planning under way by (\d{4}-\d{2}-\d{2})\)$/.exec((r.date ?? "").trim());
        activityMatter(ctx, {
          slug: `${slugify(what)}-cri-tac`,
          kind: "technical_assistance",
          title: `CRI-TAC technical assistance: ${what}`,
          summary: sentences(`Program: ${CRI_TAC}`, `When: ${r.date}`, description),
          jurisdiction,
          agencies: [agency],
          openedOn: opened ? (opened[1] as string) : null,
          sources,
        });
        break;
      }
      default:
        throw new Error(`CRI-TAC record type ${r.record_type}`);
    }
  }
}

const CR_EVENT_KINDS: Record<string, "memo" | "other"> = { "Attorney General review memo": "memo" };

function readCrProgramEvents(ctx: Ctx, rows: Row[]): void {
  for (const r of rows) {
    addSharedEvent(ctx, {
      kind: CR_EVENT_KINDS[(r.event ?? "").trim()] ?? "other",
      date: dateOf(r.date, `Collaborative Reform ${r.event}`),
      title: `Collaborative Reform: ${(r.event ?? "").trim()}`,
      description: textOrNull(r.detail),
      actor: "U.S. Department of Justice, COPS Office",
      sources: sourcesOf(r),
    });
  }
}

// ---------------------------------------------------------------- OCR compliance reviews

/** Each review's recipients and their places. */
const OCR_AGENCIES: Record<string, { place: Place; agencies: [string, Place][]; kind: MatterKind }> = {
  "10-OCR-0197": {
    place: ["Tucson", "city", "AZ"],
    agencies: [["Tucson Police Department", ["Tucson", "city", "AZ"]]],
    kind: "compliance_review",
  },
  "10-OCR-0536": {
    place: ["Volusia County", "county", "FL"],
    agencies: [["Volusia County Sheriff's Office", ["Volusia County", "county", "FL"]]],
    kind: "compliance_review",
  },
  "08-OCR-0030": {
    place: ["Omaha", "city", "NE"],
    agencies: [
      ["Omaha Police Department", ["Omaha", "city", "NE"]],
      ["Douglas County Department of Corrections", ["Douglas County", "county", "NE"]],
    ],
    kind: "compliance_review",
  },
  "09-OCR-0224": {
    place: ["Hennepin County", "county", "MN"],
    agencies: [["Hennepin County Sheriff's Office", ["Hennepin County", "county", "MN"]]],
    kind: "compliance_review",
  },
  "09-OCR-0062": {
    place: ["IL", "state", "IL"],
    agencies: [["Illinois Criminal Justice Information Authority", ["IL", "state", "IL"]]],
    kind: "compliance_review",
  },
  // Not an OCR review: the Civil Rights Division's Title VI suit to compel access (the file says so).
  "D. Ariz. 2:10-cv-01878": {
    place: ["Maricopa County", "county", "AZ"],
    agencies: [["Maricopa County Sheriff's Office", ["Maricopa County", "county", "AZ"]]],
    kind: "lawsuit",
  },
};

/** The dated parts of a cell such as "2007-11-15 (OPD); 2008-04-21 (DCDC)" or "2010-04-29/30". */
function datesIn(cell: string): { date: string; label: string | null; text: string }[] {
  return cell
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const m = must(/^(\d{4}-\d{2}-\d{2})(\/\d{2})?\s*(?:\((.*)\))?$/.exec(part), `date in ${cell}`);
      return { date: m[1] as string, label: m[3] ?? null, text: part };
    });
}

function readOcrReviews(ctx: Ctx, rows: Row[]): void {
  for (const r of rows) {
    const docket = (r.docket_no ?? "").trim();
    const spec = must(OCR_AGENCIES[docket], `OCR review ${docket}`);
    const sources = sourcesOf(r);
    const jurisdiction = placeSlug(ctx, spec.place, sources);
    const agencies = spec.agencies.map(([name, at]) => agencySlug(ctx, name, at, sources));
    const recipient = (r.recipient ?? "").trim();
    const lawsuit = spec.kind === "lawsuit";
    const selection = datesIn(r.selection_letter_date ?? "");
    const onsite = datesIn(r.onsite_visit ?? "");
    const report = dateOrNull(r.report_date, `${docket} report`);
    const outcome = (r.outcome_notes ?? "").trim();
    // A findings letter or a "final" report is stated for these; the others state none.
    const findings = !lawsuit && /findings letter|final/i.test(outcome);
    const slug = lawsuit
      ? "united-states-v-maricopa-county-title-vi-access-2010"
      : `${slugify(recipient.replace(/\s*\(.*\)$/, ""))}-ocr-compliance-review-${(selection[0]?.date ?? "").slice(0, 4)}`;
    const title = lawsuit
      ? "United States v. Maricopa County (Title VI access suit)"
      : `OJP civil rights compliance review: ${recipient.replace(/\s*\(.*\)$/, "")}`;
    const matter = activityMatter(ctx, {
      slug,
      kind: spec.kind,
      title,
      summary: sentences(
        `Recipient: ${recipient}`,
        `Enforcing office: ${r.enforcing_office}`,
        `Statutes: ${r.statutes}`,
        `Scope: ${r.scope}`,
        outcome,
      ),
      jurisdiction,
      agencies,
      openedOn: selection[0]?.date ?? (lawsuit ? "2010" : null),
      status: findings ? "findings_issued" : "unknown",
      findingsOn: findings ? report : null,
      caseNumber: lawsuit ? "2:10-cv-01878" : docket,
      court: lawsuit ? "D. Ariz." : null,
      authority: textOrNull(r.statutes),
      statusNote: findings ? `The source states: ${outcome}` : "The sources consulted do not state a status.",
      inferred: findings
        ? [
            {
              field: "status",
              rule: "A compliance review whose findings report the source dates has issued its findings",
            },
          ]
        : [],
      sources,
    });
    for (const s of selection)
      addEvent(ctx, {
        matter: matter.slug,
        kind: "letter",
        date: s.date,
        title: `${title}: selection letter${s.label ? ` (${s.label})` : ""}`,
        description: s.text !== s.date ? `As the source gives it: ${s.text}` : null,
        actor: textOrNull(r.enforcing_office),
        sources,
      });
    for (const s of onsite)
      addEvent(ctx, {
        matter: matter.slug,
        kind: "other",
        date: s.date,
        title: `${title}: on-site visit`,
        description: s.text !== s.date ? `As the source gives it: ${s.text}` : null,
        actor: textOrNull(r.enforcing_office),
        sources,
      });
    if (report)
      addEvent(ctx, {
        matter: matter.slug,
        kind: "findings_issued",
        date: report,
        title: `${title}: report or letter issued`,
        description: outcome || null,
        actor: textOrNull(r.enforcing_office),
        sources,
      });
    if (lawsuit) {
      const letters: [RegExp, string][] = [
        [/CRT letter (\d{4}-\d{2}-\d{2})/, "Civil Rights Division letter"],
        [/MCSO response (\d{4}-\d{2}-\d{2})/, "Sheriff's Office response"],
      ];
      for (const [re, what] of letters) {
        const m = must(re.exec(outcome), `${what} date`);
        addEvent(ctx, {
          matter: matter.slug,
          kind: "letter",
          date: m[1] as string,
          title: `${title}: ${what}`,
          description: null,
          actor: null,
          sources,
        });
      }
      if (!/suit filed 2010/.test(outcome)) throw new Error("Maricopa suit year changed");
      addEvent(ctx, {
        matter: matter.slug,
        kind: "complaint_filed",
        date: "2010",
        title: `${title}: suit filed`,
        description: "Year only in the source.",
        actor: DOJ,
        sources,
      });
    }
  }
}

// ---------------------------------------------------------------- program obligations

function readObligations(rows: Row[], out: GrantRecords): void {
  for (const r of rows) {
    const program = `${(r.program ?? "").trim()} (CFDA ${r.cfda})`;
    const fiscalYear = Number(must(textOrNull(r.fiscal_year), `${program} fiscal year`));
    const source: Source = {
      citation: `${r.source_repo}, ${r.source_path} @ ${(r.source_commit ?? "").slice(0, 12)}`,
      url: `https://github.com/${r.source_repo}/blob/${r.source_commit}/${r.source_path}`,
    };
    // The USAspending column is the figure; the file's other columns are quoted, not read as totals.
    const others = ["sam_actual", "sam_estimate", "outlay", "obligation_outlays_table"]
      .filter((c) => (r[c] ?? "").trim() !== "")
      .map((c) => `${c} ${r[c]}`);
    const value = must(numberOrNull(r.usa_spending_actual_obligations, program), `${program} obligations`);
    addProgramFact(out, {
      program,
      date: null,
      fiscalYear,
      metric: "Actual obligations (USAspending)",
      value,
      unit: "USD",
      description: sentences(
        value < 0 ? "Negative as USAspending reports it (de-obligations exceeded new obligations)" : null,
        others.length ? `Other columns of the inventory: ${others.join("; ")}` : null,
      ),
      sources: [source],
    });
  }
}

// ---------------------------------------------------------------- entry point

export interface ActivityFiles {
  taskForces: Row[];
  pspSites: Row[];
  psn: Row[];
  criTac: Row[];
  crProgramEvents: Row[];
  ocrReviews: Row[];
  obligations: Row[];
}

/** Adds everything in the activities files. */
export function addActivities(ctx: Ctx, files: ActivityFiles, out: GrantRecords): void {
  readTaskForces(ctx, files.taskForces, out);
  readPspSites(ctx, files.pspSites, out);
  readPsn(ctx, files.psn, out);
  readCriTac(ctx, files.criTac, out);
  readCrProgramEvents(ctx, files.crProgramEvents);
  readOcrReviews(ctx, files.ocrReviews);
  readObligations(files.obligations, out);
}
