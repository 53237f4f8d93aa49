import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Bundle, BundleSchema, isStatusAllowed, parseCsvRecords } from "@accord/domain";
import { describe, expect, it } from "vitest";
import { buildRegistry, buildWithReport } from "./dataset/build.js";
import { COURT_SETTLEMENTS } from "./dataset/court-settlements.js";
import { DOJ_LIST_CITATION, parseDojList } from "./dataset/doj-list.js";
import { BUNDLE_PATH, DEFAULT_SOURCES_DIR, SOURCE_FILES } from "./dataset/files.js";
import { marshallCitation, parseMarshallDate, readMarshall } from "./dataset/marshall.js";
import { serializeBundle } from "./dataset/output.js";
import { parseSourcesColumn } from "./dataset/sources-column.js";

const src = (file: string) => readFileSync(path.join(DEFAULT_SOURCES_DIR, file), "utf8");
const committedText = readFileSync(BUNDLE_PATH, "utf8");
const bundle = JSON.parse(committedText) as Bundle;
const marshallRaw = src(SOURCE_FILES.marshall);
const marshall = readMarshall(marshallRaw);
const marshallRecords = parseCsvRecords(marshallRaw);
const compiled = parseCsvRecords(src(SOURCE_FILES.compiled));
const policy = parseCsvRecords(src(SOURCE_FILES.policy));

const matter = (slug: string) => {
  const m = bundle.matters.find((x) => x.slug === slug);
  if (!m) throw new Error(`no matter ${slug}`);
  return m;
};
const eventsOf = (slug: string) => bundle.events.filter((e) => e.matter === slug);
const eventOf = (slug: string, kind: string, date: string) => {
  const e = eventsOf(slug).find((x) => x.kind === kind && x.date === date);
  if (!e) throw new Error(`no ${kind} event on ${date} for ${slug}`);
  return e;
};
const urls = (sources: { url?: string | null }[]) => sources.map((s) => s.url).filter(Boolean);
const marshallRow = (name: string) => {
  const r = marshallRecords.find((x) => x.matter_case_name === name);
  if (!r) throw new Error(`no Marshall row ${name}`);
  return r;
};

describe("source files", () => {
  it("are all present in data/sources, including the PDF", () => {
    for (const f of Object.values(SOURCE_FILES))
      expect(existsSync(path.join(DEFAULT_SOURCES_DIR, f)), f).toBe(true);
    expect(
      readFileSync(path.join(DEFAULT_SOURCES_DIR, SOURCE_FILES.dojListPdf)).subarray(0, 5).toString(),
    ).toBe("%PDF-");
  });

  it("are byte-identical to ../shared/data when it is present", () => {
    const shared = path.resolve(DEFAULT_SOURCES_DIR, "..", "..", "..", "shared", "data");
    if (!existsSync(shared)) return;
    const pairs: [string, string][] = [
      [SOURCE_FILES.marshall, "agreements/marshallproject_doj14141_doj_data.csv"],
      [SOURCE_FILES.compiled, "agreements/compiled_police_pattern_or_practice_cases.csv"],
      [SOURCE_FILES.dojList, "agreements/doj_all_authorized_14141_LEA_investigations_2014-07-02.txt"],
      [SOURCE_FILES.dojListPdf, "agreements/doj_all_authorized_14141_LEA_investigations_2014-07-02.pdf"],
      [SOURCE_FILES.policy, "policy/policy_timeline.csv"],
      [SOURCE_FILES.monitoring, "monitoring/monitoring_facts.csv"],
      [SOURCE_FILES.collaborativeReform, "technical_assistance/cops_collaborative_reform_sites.csv"],
    ];
    for (const [mine, theirs] of pairs) {
      const a = readFileSync(path.join(DEFAULT_SOURCES_DIR, mine));
      const b = readFileSync(path.join(shared, theirs));
      expect(a.equals(b), mine).toBe(true);
    }
  });

  it("have the row counts the bundle is built from", () => {
    expect(marshallRaw.includes("\n")).toBe(false); // old-Mac CR line endings
    expect(marshall).toHaveLength(68);
    expect(compiled).toHaveLength(50);
    expect(policy).toHaveLength(13);
  });
});

describe("the committed bundle", () => {
  it("validates against BundleSchema with nothing left to default", () => {
    const parsed = BundleSchema.safeParse(bundle);
    expect(parsed.success, parsed.success ? "" : parsed.error.message).toBe(true);
    expect(parsed.data).toEqual(bundle);
  });

  it("is exactly what the builder produces (deterministic, 2-space JSON, trailing newline)", () => {
    const rebuilt = serializeBundle(buildRegistry(DEFAULT_SOURCES_DIR));
    expect(rebuilt).toBe(committedText);
    expect(serializeBundle(buildRegistry(DEFAULT_SOURCES_DIR))).toBe(rebuilt);
    expect(committedText.endsWith("}\n")).toBe(true);
    expect(committedText.split("\n")[1]).toBe('  "format": "accord-bundle",');
  });

  it("has unique slugs and every reference resolves", () => {
    for (const list of [bundle.jurisdictions, bundle.agencies, bundle.matters, bundle.events]) {
      const slugs = list.map((x) => x.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
    }
    const j = new Set(bundle.jurisdictions.map((x) => x.slug));
    const a = new Set(bundle.agencies.map((x) => x.slug));
    const m = new Set(bundle.matters.map((x) => x.slug));
    for (const x of bundle.agencies) expect(j.has(x.jurisdiction), x.slug).toBe(true);
    for (const x of bundle.matters) {
      expect(j.has(x.jurisdiction), x.slug).toBe(true);
      for (const s of x.agencies) expect(a.has(s), `${x.slug} → ${s}`).toBe(true);
      for (const r of x.related) expect(m.has(r.slug), `${x.slug} → ${r.slug}`).toBe(true);
    }
    for (const e of bundle.events) if (e.matter !== null) expect(m.has(e.matter), e.slug).toBe(true);
  });

  it("gives each matter a status its kind allows", () => {
    for (const x of bundle.matters)
      expect(isStatusAllowed(x.kind, x.status), `${x.slug} ${x.status}`).toBe(true);
  });

  it("cites at least one source on every matter and event, with http(s) addresses only", () => {
    for (const x of bundle.matters) expect(x.sources.length, x.slug).toBeGreaterThan(0);
    for (const e of bundle.events) expect(e.sources.length, e.slug).toBeGreaterThan(0);
    const all = [...bundle.jurisdictions, ...bundle.agencies, ...bundle.matters, ...bundle.events].flatMap(
      (x) => x.sources,
    );
    for (const s of all) {
      if (s.url) expect(s.url).toMatch(/^https?:\/\/[^\s<>"]+$/);
      expect(s.url ?? "").not.toContain("&amp;");
    }
  });

  it("names event slugs <matter>-<kind>[-n], <jurisdiction>-<date>-<kind>[-n] or department-<date>-<kind>[-n]", () => {
    for (const e of bundle.events) {
      const base = e.matter
        ? `${e.matter}-${e.kind.replaceAll("_", "-")}`
        : `${e.jurisdiction ?? "department"}-${e.date}-${e.kind.replaceAll("_", "-")}`;
      expect(e.slug === base || new RegExp(`^${base}-\\d+$`).test(e.slug), e.slug).toBe(true);
    }
  });
});

describe("Marshall Project table → investigations", () => {
  const investigations = bundle.matters.filter((x) => x.kind === "pattern_or_practice_investigation");

  it("turns each of the 68 rows into exactly one investigation (merged with its compiled row)", () => {
    for (const row of marshall) {
      const citation = marshallCitation(row).citation;
      const hits = investigations.filter((x) => x.sources.some((s) => s.citation === citation));
      expect(hits.length, row.key).toBe(1);
      expect(hits[0]?.authority, row.key).toMatch(/12601/);
    }
    const withMarshall = investigations.filter((x) =>
      x.sources.some((s) => s.citation.startsWith("The Marshall Project, doj14141, data/doj_data.csv")),
    );
    expect(withMarshall).toHaveLength(68);
  });

  it("parses M/D/YY dates, month-coded 1sts and the garbled cell", () => {
    expect(parseMarshallDate("5/8/15")).toBe("2015-05-08");
    expect(parseMarshallDate("12/1/94")).toBe("1994-12");
    expect(parseMarshallDate("12/30/99")).toBe("1999-12-30");
    expect(parseMarshallDate("1/1/00")).toBe("2000-01");
    expect(parseMarshallDate("6/4/18")).toBe("2018-06-04");
    expect(parseMarshallDate("4-Jun")).toBeNull();
    expect(parseMarshallDate("")).toBeNull();
  });

  it("keeps month precision for 12/1/94 (New Jersey State Police)", () => {
    expect(marshallRow("U.S. V. STATE OF NEW JERSEY").start_date).toBe("12/1/94");
    expect(matter("new-jersey-state-police-investigation-1994").openedOn).toBe("1994-12");
  });

  it("leaves Evangeline Parish's garbled agreement date empty", () => {
    expect(marshallRow("EVANGELINE PARISH SHERIFF'S OFFICE").agreement_date).toBe("4-Jun");
    const agreement = matter("evangeline-parish-epso-2018");
    expect(agreement.agreementOn).toBeNull();
    expect(eventsOf(agreement.slug)).toHaveLength(0);
  });

  it("closes 'Closed without Agreement' rows on the closing date without an agreement", () => {
    const rows = marshall.filter((r) => r.status === "Closed without Agreement");
    expect(rows.length).toBe(22);
    for (const row of rows) {
      const m = investigations.find((x) =>
        x.sources.some((s) => s.citation === marshallCitation(row).citation),
      );
      expect(m?.status, row.key).toBe("closed_without_agreement");
      expect(m?.endedOn, row.key).toBe(row.closed);
      expect(m?.related, row.key).toEqual([]);
    }
  });

  it("links agreement rows to a separate agreement matter with led_to", () => {
    const rows = marshall.filter((r) => /consent decree|moa|settlement/i.test(r.status));
    expect(rows.length).toBe(43);
    for (const row of rows) {
      const m = investigations.find((x) =>
        x.sources.some((s) => s.citation === marshallCitation(row).citation),
      );
      expect(m?.status, row.key).toBe("resolved_by_agreement");
      const led = m?.related.filter((r) => r.relation === "led_to") ?? [];
      expect(led, row.key).toHaveLength(1);
      expect(["consent_decree", "memorandum_of_agreement", "settlement_agreement"]).toContain(
        matter(led[0]?.slug as string).kind,
      );
    }
  });

  it("maps open and litigation rows", () => {
    expect(matter("inglewood-police-department-investigation-2009").status).toBe("open");
    expect(matter("inglewood-police-department-investigation-2009").statusNote).toMatch(/June 2018/);
    expect(matter("colorado-city-marshals-office-investigation-2012").status).toBe("in_litigation");
  });
});

describe("DOJ 2014 list", () => {
  it("parses every record (multi-line names included) and cites it on the matched investigations", () => {
    const entries = parseDojList(src(SOURCE_FILES.dojList));
    expect(entries).toHaveLength(64);
    expect(entries.map((e) => e.name)).toContain("UNIVERSITY OF MONTANA OFFICE OF PUBLIC SAFETY");
    expect(entries.map((e) => e.name)).toContain("NEW YORK CITY POLICE DEPARTMENT (SOUTHERN DISTRICT)");
    const columbus = entries.find((e) => e.name === "U.S. V. CITY OF COLUMBUS, OHIO");
    expect(columbus?.status).toBe("MOA/LETTER AGREEMENT RESOLVING LITIGATION");
    expect(columbus?.yearEntered).toBe(2002);

    const { report } = buildWithReport(DEFAULT_SOURCES_DIR);
    const cited = bundle.matters.filter((m) => m.sources.some((s) => s.citation === DOJ_LIST_CITATION));
    expect(cited.length).toBe(report.dojListMatched);
    expect(cited.every((m) => m.kind === "pattern_or_practice_investigation")).toBe(true);
    const note = (slug: string) => matter(slug).sources.find((s) => s.citation === DOJ_LIST_CITATION)?.note;
    expect(note("adelanto-police-department-investigation-1995")).toBe("Closed without Agreement");
    expect(note("steubenville-police-department-investigation-1995")).toBe(
      "Consent Decree, CD/MOA entered 1997",
    );
    expect(note("cleveland-division-of-police-investigation-2013")).toBe("Findings Letter Issued");
    expect(note("cleveland-division-of-police-investigation-1999")).toBe(
      "MOA/LETTER AGREEMENT, CD/MOA entered 2004",
    );
    expect(note("baltimore-police-department-investigation-2015")).toBeUndefined();
  });
});

describe("compiled cases", () => {
  it("represents all 50 rows without duplicating Marshall investigations", () => {
    for (const row of compiled) {
      const type = row.agreement_type ?? "";
      const rowUrls = urls(parseSourcesColumn(row.sources ?? ""));
      if (/^(findings_only|litigation)/.test(type)) {
        const hits = bundle.matters.filter(
          (m) =>
            m.kind === "pattern_or_practice_investigation" &&
            m.openedOn === (row.investigation_opened || m.openedOn) &&
            rowUrls.every((u) => urls(m.sources).includes(u)) &&
            m.agencies.length === 1,
        );
        expect(hits.length, row.id).toBeGreaterThanOrEqual(1);
        expect(
          hits.some((m) => m.findingsOn === (row.findings_issued || null)),
          row.id,
        ).toBe(true);
      } else {
        const m = matter(row.id as string);
        expect(["consent_decree", "memorandum_of_agreement", "settlement_agreement"]).toContain(m.kind);
        for (const u of rowUrls) expect(urls(m.sources), row.id).toContain(u);
        if (row.agreement_signed_or_filed) expect(m.agreementOn, row.id).toBe(row.agreement_signed_or_filed);
        // A checked correction may make the entry date more precise (Albuquerque: 2015 → 2015-06-02).
        if (row.agreement_entered_by_court)
          expect(m.enteredOn?.startsWith(row.agreement_entered_by_court), row.id).toBe(true);
        if (row.ended_date) expect(m.endedOn, row.id).toBe(row.ended_date);
      }
    }
  });

  it("maps findings-only, retracted and proposed-decree rows", () => {
    expect(matter("phoenix-police-department-investigation-2021").status).toBe("findings_withdrawn");
    expect(matter("phoenix-police-department-investigation-2021").endedOn).toBe("2025-05-21");
    expect(
      eventOf("memphis-police-department-investigation-2023", "findings_withdrawn", "2025-05-21"),
    ).toBeTruthy();
    expect(matter("worcester-police-department-investigation-2022").status).toBe("findings_issued");
    const chicago = matter("chicago-police-department-investigation-2015");
    expect(chicago.status).toBe("closed_without_agreement");
    expect(chicago.related).toEqual([{ slug: "chicago-cpd-state-2019", relation: "related" }]);
    expect(matter("chicago-cpd-state-2019").statusNote).toMatch(/Illinois/);
    expect(matter("minneapolis-mpd-doj-2025")).toMatchObject({
      kind: "consent_decree",
      status: "dismissed",
      endedOn: "2025-05-27",
    });
    expect(matter("louisville-lmpd-doj-2024")).toMatchObject({
      kind: "consent_decree",
      status: "dismissed",
      endedOn: "2025-12-31",
    });
    expect(matter("minneapolis-mpd-mdhr-2023").summary).toMatch(/Minnesota Department of Human Rights/);
  });

  it("takes court, case number and judge only from the row's notes", () => {
    const cleveland = matter("cleveland-cdp-2015");
    expect(cleveland).toMatchObject({
      court: "U.S. District Court for the Northern District of Ohio",
      caseNumber: "1:15-cv-01046",
      judge: "Solomon Oliver Jr.",
      title: "Cleveland consent decree (United States v. City of Cleveland)",
    });
    // Lawsuits and compliance reviews of the grants and activities files take theirs from those
    // files, the private settlements theirs from their filings (court-settlements.ts).
    for (const m of bundle.matters.filter(
      (x) => x.kind !== "lawsuit" && x.kind !== "compliance_review" && !COURT_SETTLEMENTS.includes(x.slug),
    )) {
      const row = compiled.find((r) => r.id === m.slug);
      if (m.caseNumber) expect(row?.notes, m.slug).toContain(m.caseNumber);
      if (m.judge) expect(row?.notes, m.slug).toContain(m.judge);
    }
  });

  it("uses agency kind jail for the Fulton County jail and territories for PR and VI", () => {
    expect(bundle.agencies.find((a) => a.slug === "fulton-county-jail")?.kind).toBe("jail");
    expect(bundle.jurisdictions.find((j) => j.slug === "fulton-county-ga")).toMatchObject({
      kind: "county",
      fips: "13121",
    });
    expect(bundle.jurisdictions.find((j) => j.slug === "puerto-rico")).toMatchObject({
      kind: "territory",
      fips: "72",
    });
    expect(bundle.jurisdictions.find((j) => j.stateCode === "VI")?.kind).toBe("territory");
    expect(bundle.jurisdictions.find((j) => j.slug === "new-jersey")).toMatchObject({
      kind: "state",
      fips: "34",
    });
    expect(matter("new-jersey-state-police-1999").jurisdiction).toBe("new-jersey");
  });
});

describe("dates checked against the raw sources", () => {
  it("Baltimore: investigation, decree filed, postponement request, entry, partial termination", () => {
    expect(marshallRow("BALTIMORE POLICE DEPARTMENT").start_date).toBe("5/8/15");
    expect(marshallRow("BALTIMORE POLICE DEPARTMENT").agreement_date).toBe("1/12/17");
    const inv = matter("baltimore-police-department-investigation-2015");
    expect(inv.title).toBe("Investigation of the Baltimore Police Department");
    expect(inv.openedOn).toBe("2015-05-08");
    expect(inv.related).toEqual([{ slug: "baltimore-bpd-2017", relation: "led_to" }]);
    const decree = matter("baltimore-bpd-2017");
    expect(decree.agreementOn).toBe("2017-01-12");
    expect(decree.enteredOn).toBe("2017-04-07");
    expect(eventOf(decree.slug, "agreement_signed", "2017-01-12")).toBeTruthy();

    const policyRow = (date: string) => policy.find((p) => p.date === date) as Record<string, string>;
    const motion = eventOf(decree.slug, "motion", "2017-04-03");
    expect(urls(motion.sources)).toEqual(urls(parseSourcesColumn(policyRow("2017-04-03").source as string)));
    const entered = eventOf(decree.slug, "decree_entered", "2017-04-07");
    expect(entered.description).not.toMatch(/denied/);
    const denied = eventOf(decree.slug, "ruling", "2017-04-07");
    expect(denied.title).toMatch(/30-day/);
    const compiledRow = compiled.find((r) => r.id === "baltimore-bpd-2017") as Record<string, string>;
    for (const u of urls(parseSourcesColumn(policyRow("2017-04-07").source as string))) {
      expect(urls(entered.sources)).toContain(u);
      expect(urls(denied.sources)).toContain(u);
    }
    // The Marshall table gives the agreement date (2017-01-12), not the entry: it is not cited for it.
    expect(entered.sources.map((s) => s.citation)).not.toContain(
      "The Marshall Project, doj14141, data/doj_data.csv (row: BALTIMORE POLICE DEPARTMENT)",
    );
    expect(compiledRow.agreement_entered_by_court).toBe("2017-04-07");
    expect(eventsOf(decree.slug).filter((e) => e.date === "2017-04-07")).toHaveLength(2);
    expect(eventOf(decree.slug, "partial_termination", "2025-04-17")).toBeTruthy();
    expect(decree.status).toBe("partially_terminated");
  });

  it("Albuquerque ended 2025-05-12; Seattle partial termination 2023-09", () => {
    expect(compiled.find((r) => r.id === "albuquerque-apd-2014")?.ended_date).toBe("2025-05-12");
    expect(matter("albuquerque-apd-2014")).toMatchObject({ status: "terminated", endedOn: "2025-05-12" });
    expect(eventOf("albuquerque-apd-2014", "termination", "2025-05-12")).toBeTruthy();
    expect(eventOf("seattle-spd-2012", "partial_termination", "2023-09")).toBeTruthy();
  });

  it("Ferguson, Minneapolis, Louisville, New Orleans and Chicago dates from the notes", () => {
    expect(eventOf("ferguson-fpd-2016", "other", "2016-02-09").title).toMatch(/rejects/);
    expect(eventOf("ferguson-fpd-2016", "complaint_filed", "2016-02-10")).toBeTruthy();
    expect(eventOf("ferguson-fpd-2016", "other", "2016-03-15").title).toMatch(/approves/);
    expect(eventOf("minneapolis-mpd-doj-2025", "motion", "2025-05-21")).toBeTruthy();
    expect(eventOf("minneapolis-mpd-doj-2025", "dismissal", "2025-05-27")).toBeTruthy();
    expect(
      eventOf("minneapolis-police-department-investigation-2021", "investigation_opened", "2021-04-21"),
    ).toBeTruthy();
    expect(eventOf("louisville-lmpd-doj-2024", "motion", "2025-05-21")).toBeTruthy();
    expect(eventOf("louisville-lmpd-doj-2024", "dismissal", "2025-12-31")).toBeTruthy();
    expect(eventOf("new-orleans-nopd-2013", "order", "2025-01").title).toMatch(/sustainment/);
    expect(eventOf("chicago-cpd-state-2019", "complaint_filed", "2017-08-29")).toBeTruthy();
    expect(eventOf("chicago-cpd-state-2019", "other", "2018-07-27")).toBeTruthy();
  });

  it("Marshall month-coded and ordinary dates on merged and unmerged rows", () => {
    expect(marshallRow("CLEVELAND DIVISION OF POLICE").start_date).toBe("10/1/99");
    expect(matter("cleveland-division-of-police-investigation-1999").openedOn).toBe("1999-10");
    expect(matter("cleveland-division-of-police-moa-2004").agreementOn).toBe("2004-02");
    expect(matter("torrance-police-department-investigation-1995")).toMatchObject({
      openedOn: "1995-05",
      endedOn: "1998-09-14",
    });
  });
});

describe("policy timeline", () => {
  it("accounts for all 13 rows: department-wide events or merged into a matter's event", () => {
    // Department-wide events of the policy file (the grants and activities files add their own).
    const deptWide = bundle.events.filter(
      (e) => e.matter === null && policy.some((p) => p.date === e.date && p.event === e.title),
    );
    let merged = 0;
    for (const row of policy) {
      const rowUrls = urls(parseSourcesColumn(row.source ?? ""));
      const dept = deptWide.filter((e) => e.date === row.date && e.title === row.event);
      const onMatter = bundle.events.filter(
        (e) => e.matter !== null && e.date === row.date && rowUrls.every((u) => urls(e.sources).includes(u)),
      );
      expect(dept.length + (onMatter.length > 0 ? 1 : 0), `${row.date} ${row.event}`).toBe(1);
      if (dept.length === 0) merged++;
    }
    expect(deptWide).toHaveLength(13 - merged);
    expect(merged).toBe(6);
    for (const e of deptWide)
      expect(["memo", "statute", "executive_order", "policy_action", "status_snapshot", "order"]).toContain(
        e.kind,
      );
  });
});
