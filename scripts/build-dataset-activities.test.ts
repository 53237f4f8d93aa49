import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Bundle, parseCsvRecords } from "@accord/domain";
import { describe, expect, it } from "vitest";
import { BUNDLE_PATH, DEFAULT_SOURCES_DIR, SHARED_PATHS, SOURCE_FILES } from "./dataset/files.js";

const bundle = JSON.parse(readFileSync(BUNDLE_PATH, "utf8")) as Bundle;
const rows = (key: keyof typeof SOURCE_FILES) =>
  parseCsvRecords(readFileSync(path.join(DEFAULT_SOURCES_DIR, SOURCE_FILES[key]), "utf8"));

const NEW_FILES = [
  "jagAwards",
  "letters1373",
  "jagLitigation",
  "jagTimeline",
  "grantRounds",
  "taskForces",
  "pspSites",
  "psn",
  "criTac",
  "crProgramEvents",
  "ocrReviews",
  "obligations",
] as const;

const matter = (slug: string) => {
  const m = bundle.matters.find((x) => x.slug === slug);
  if (!m) throw new Error(`no matter ${slug}`);
  return m;
};
const eventsOf = (slug: string) => bundle.events.filter((e) => e.matter === slug);
const condition = (slug: string) => {
  const c = bundle.conditions.find((x) => x.slug === slug);
  if (!c) throw new Error(`no condition ${slug}`);
  return c;
};

describe("grants and activities source files", () => {
  it("are in data/sources, byte-identical to ../shared/data when it is present", () => {
    const shared = path.resolve(DEFAULT_SOURCES_DIR, "..", "..", "..", "shared", "data");
    for (const key of NEW_FILES) {
      const mine = path.join(DEFAULT_SOURCES_DIR, SOURCE_FILES[key]);
      expect(existsSync(mine), key).toBe(true);
      const theirs = path.join(shared, SHARED_PATHS[key]);
      if (existsSync(theirs)) expect(readFileSync(mine).equals(readFileSync(theirs)), key).toBe(true);
    }
  });

  it("have the row counts the bundle is built from", () => {
    const counts = Object.fromEntries(NEW_FILES.map((k) => [k, rows(k).length]));
    expect(counts).toEqual({
      jagAwards: 52,
      letters1373: 71,
      jagLitigation: 40,
      jagTimeline: 12,
      grantRounds: 9,
      taskForces: 46,
      pspSites: 68,
      psn: 27,
      criTac: 14,
      crProgramEvents: 9,
      ocrReviews: 6,
      obligations: 9,
    });
  });
});

describe("awards", () => {
  it("turns each awards row into one award, and each PSN district award with a place into one", () => {
    expect(bundle.awards.filter((a) => a.program !== "project_safe_neighborhoods")).toHaveLength(52);
    // 15 district awards; the FY2020 "Kansas City" one names neither recipient nor district.
    expect(bundle.awards.filter((a) => a.program === "project_safe_neighborhoods")).toHaveLength(14);
  });

  it("keeps the program's wording, the amount's meaning and the qualifier", () => {
    const phoenix = bundle.awards.find((a) => a.slug === "phoenix-az-byrne-jag-2021");
    expect(phoenix).toMatchObject({
      program: "byrne_jag",
      programName: "Byrne JAG (local)",
      fiscalYear: 2021,
      amount: 1554900,
      amountMeaning: "total_award",
      amountNote: "Award total, not to exceed this amount",
      recipientName: "City of Phoenix Police Department (fiscal agent)",
      agency: "phoenix-police-department",
    });
    const nyc = bundle.awards.find((a) => a.slug === "new-york-city-ny-cops-hiring-2020");
    expect(nyc?.amountNote).toMatch(/Lower bound/);
    const providence = bundle.awards.find((a) => a.slug === "providence-ri-byrne-jag-2017");
    expect(providence).toMatchObject({
      amount: 212112,
      amountMeaning: "withheld",
      matters: ["providence-v-barr-jag-fy2017"],
    });
    const chicago2020 = bundle.awards.find((a) => a.slug === "chicago-il-cops-hiring-2020");
    expect(chicago2020).toMatchObject({ amount: null, amountMeaning: null });
    expect(bundle.awards.find((a) => a.awardNumber === "2009-DJ-BX-0471")?.jurisdiction).toBe(
      "los-angeles-ca",
    );
  });
});

describe("1373 letters and conditions", () => {
  const letters = rows("letters1373");
  const placeEvents = bundle.events.filter((e) => e.matter === null && e.jurisdiction !== null);

  it("makes each letters row an event of its jurisdiction", () => {
    const fromLetters = placeEvents.filter((e) => e.actor === "U.S. Department of Justice");
    expect(fromLetters).toHaveLength(letters.length);
  });

  it("has the nine letters of 2017-04-21 and the 29 of 2017-11-15", () => {
    const on = (date: string) => placeEvents.filter((e) => e.date === date && e.kind === "letter");
    expect(on("2017-04-21")).toHaveLength(9);
    expect(on("2017-11-15")).toHaveLength(29);
    expect(on("2018-01-24")).toHaveLength(23);
    expect(on("2017-04-21").map((e) => e.jurisdiction)).toContain("chicago-il");
    expect(on("2017-11-15").map((e) => e.jurisdiction)).toContain("jackson-ms");
  });

  it("builds one FY2016 condition per jurisdiction with the statuses the letters state", () => {
    const fy2016 = bundle.conditions.filter((c) => c.fiscalYear === 2016);
    expect(fy2016).toHaveLength(39);
    expect(
      condition("chicago-il-byrne-jag-fy2016-1373-certification").history.map((h) => [h.date, h.status]),
    ).toEqual([
      ["2017-04-21", "documentation_demanded"],
      ["2017-10-12", "found_possibly_non_compliant"],
      ["2018-01-24", "documentation_demanded"],
    ]);
    expect(condition("milwaukee-county-wi-byrne-jag-fy2016-1373-certification").history.at(-1)?.status).toBe(
      "cleared",
    );
    expect(condition("clark-county-nv-byrne-jag-fy2016-1373-certification").history.at(-1)).toMatchObject({
      status: "cleared",
      date: "2017-10",
    });
    expect(condition("connecticut-byrne-jag-fy2016-1373-certification").history).toHaveLength(1);
  });

  it("records an injunction only for the plaintiffs and conditions the ruling names", () => {
    const notice = condition("chicago-il-byrne-jag-fy2017-notice-of-release");
    expect(notice.history.map((h) => h.status)).toEqual(["imposed", "enjoined"]);
    expect(notice.history[1]?.date).toBe("2017-09-15");
    expect(notice.matters).toEqual(["chicago-v-sessions-jag-fy2017"]);
    expect(
      bundle.conditions.some((c) => c.slug === "chicago-il-byrne-jag-fy2017-section-1373-certification"),
    ).toBe(false);
    expect(
      condition("philadelphia-pa-byrne-jag-fy2017-section-1373-certification").history.at(-1)?.date,
    ).toBe("2017-11-15");
  });
});

describe("JAG lawsuits", () => {
  const litigation = rows("jagLitigation");

  it("makes one lawsuit per case_id and one event per row", () => {
    const lawsuits = bundle.matters.filter((m) => m.kind === "lawsuit" && m.court !== "D. Ariz.");
    expect(lawsuits).toHaveLength(new Set(litigation.map((r) => r.case_id)).size);
    expect(lawsuits.flatMap((m) => eventsOf(m.slug))).toHaveLength(litigation.length);
    for (const m of lawsuits) expect(m.status, m.slug).toBe("unknown");
  });

  it("gives Chicago's FY2017 suit its docket, judge and preliminary injunction", () => {
    expect(matter("chicago-v-sessions-jag-fy2017")).toMatchObject({
      court: "N.D. Ill.",
      caseNumber: "1:17-cv-05720",
      judge: "Harry D. Leinenweber",
      openedOn: "2017-08-07",
      jurisdiction: "chicago-il",
    });
    const pi = eventsOf("chicago-v-sessions-jag-fy2017").find((e) => e.date === "2017-09-15");
    expect(pi).toMatchObject({ kind: "ruling", favors: "plaintiff" });
    expect(pi?.outcome).toMatch(/notice and access conditions enjoined/);
  });

  it("maps favors: government → defendant, blank → null", () => {
    const ny = eventsOf("new-york-v-department-of-justice-jag-fy2017").find((e) => e.date === "2020-02-26");
    expect(ny?.favors).toBe("defendant");
    const enBanc = eventsOf("chicago-v-sessions-jag-fy2017").find((e) => e.date === "2018-08-10");
    expect(enBanc?.favors).toBeNull();
  });
});

describe("activities", () => {
  it("makes Operation Legend one task force per city, with its start date", () => {
    const legend = bundle.matters.filter((m) => m.slug.startsWith("operation-legend-"));
    expect(legend.map((m) => m.jurisdiction).sort()).toEqual([
      "albuquerque-nm",
      "chicago-il",
      "cleveland-oh",
      "detroit-mi",
      "indianapolis-in",
      "kansas-city-mo",
      "memphis-tn",
      "milwaukee-wi",
      "st-louis-mo",
    ]);
    expect(matter("operation-legend-kansas-city-mo")).toMatchObject({
      kind: "task_force",
      openedOn: "2020-07-08",
    });
    expect(matter("operation-legend-indianapolis-in").agencies).toEqual([
      "indianapolis-metropolitan-police-department",
    ]);
    expect(bundle.matters.filter((m) => m.slug.startsWith("operation-relentless-pursuit-"))).toHaveLength(7);
  });

  it("keeps national task-force programs as program facts", () => {
    const programs = rows("taskForces").filter((r) => r.kind === "program");
    for (const r of programs)
      expect(
        bundle.programFacts.some((f) => f.program === r.name),
        r.name,
      ).toBe(true);
  });

  it("makes a PSP site a technical-assistance matter with its announcement date", () => {
    expect(matter("birmingham-al-psp-2017")).toMatchObject({
      kind: "technical_assistance",
      status: "unknown",
      openedOn: "2017-06-20",
      jurisdiction: "birmingham-al",
    });
    expect(matter("dekalb-county-ga-psp-2024").openedOn).toBe("2024-12");
    const psp = bundle.matters.filter((m) => /-(psp|vrn)-\d{4}$/.test(m.slug));
    expect(psp).toHaveLength(rows("pspSites").filter((r) => r.state !== "").length);
  });

  it("makes each OCR review a compliance review with its docket", () => {
    const reviews = bundle.matters.filter((m) => m.kind === "compliance_review");
    expect(reviews).toHaveLength(5);
    expect(matter("volusia-county-sheriffs-office-ocr-compliance-review-2011")).toMatchObject({
      caseNumber: "10-OCR-0536",
      openedOn: "2011-06-13",
      findingsOn: "2013-04-11",
      status: "findings_issued",
    });
  });

  it("keeps program obligations as program facts, one per row", () => {
    const facts = bundle.programFacts.filter((f) => f.metric === "Actual obligations (USAspending)");
    expect(facts).toHaveLength(rows("obligations").length);
  });
});

describe("every new record", () => {
  it("cites a source", () => {
    for (const a of bundle.awards) expect(a.sources.length, a.slug).toBeGreaterThan(0);
    for (const c of bundle.conditions)
      for (const h of c.history) expect(h.sources.length, `${c.slug} ${h.date}`).toBeGreaterThan(0);
    for (const f of bundle.programFacts) expect(f.sources.length, f.slug).toBeGreaterThan(0);
    for (const m of bundle.matters) expect(m.sources.length, m.slug).toBeGreaterThan(0);
    for (const e of bundle.events) expect(e.sources.length, e.slug).toBeGreaterThan(0);
  });
});
