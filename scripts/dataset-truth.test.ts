/**
 * The dataset tells the truth about itself (issue 13, item 7): a status no source states is
 * "unknown", a value a rule set is listed in `inferred`, each event cites the sources that give
 * its date, and disagreeing sources are all kept.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Bundle, type BundleMatter, type MatterStatus, parseCsvRecords } from "@accord/domain";
import { describe, expect, it } from "vitest";
import { publishedOn } from "./dataset/context.js";
import { DOJ_LIST_CITATION, matchDojList, parseDojList } from "./dataset/doj-list.js";
import { BUNDLE_PATH, DEFAULT_SOURCES_DIR, SOURCE_FILES } from "./dataset/files.js";
import { marshallCitation, readMarshall } from "./dataset/marshall.js";
import { parseSourcesColumn } from "./dataset/sources-column.js";

const src = (file: string) => readFileSync(path.join(DEFAULT_SOURCES_DIR, file), "utf8");
const bundle = JSON.parse(readFileSync(BUNDLE_PATH, "utf8")) as Bundle;
const marshall = readMarshall(src(SOURCE_FILES.marshall));
const dojList = parseDojList(src(SOURCE_FILES.dojList));
const dojMatches = matchDojList(dojList, marshall);
const policy = parseCsvRecords(src(SOURCE_FILES.policy));

const matter = (slug: string) => {
  const m = bundle.matters.find((x) => x.slug === slug);
  if (!m) throw new Error(`no matter ${slug}`);
  return m;
};
const eventsOf = (slug: string) => bundle.events.filter((e) => e.matter === slug);
const urls = (sources: { url?: string | null }[]) => sources.map((s) => s.url).filter(Boolean);

/** The words of a source's status (kept in statusNote) that state each status. */
const STATED: Partial<Record<MatterStatus, RegExp>> = {
  open: /investigation|announced/i,
  findings_issued: /findings issued/i,
  in_litigation: /litigation/i,
  resolved_by_agreement: /consent decree|moa|settlement/i,
  closed_without_agreement: /closed/i,
  findings_withdrawn: /retracted/i,
  active: /\bactive\b/i,
  partially_terminated: /partially terminated/i,
  terminated: /terminated|concluded|closed/i,
  dismissed: /dismissed/i,
  completed: /completed/i,
  discontinued: /superseded|ended|halted|disbanded|withdrew/i,
  requested: /about to begin/i,
};

describe("statuses", () => {
  it("every status is stated by a source (in its words, kept in statusNote), inferred by a stated rule, or unknown", () => {
    for (const m of bundle.matters) {
      if (m.status === "unknown") continue;
      if (m.inferred.some((f) => f.field === "status")) continue;
      const words = STATED[m.status];
      expect(words, `${m.slug}: no source wording for ${m.status}`).toBeDefined();
      expect(m.statusNote ?? "", `${m.slug} (${m.status}) is neither stated nor inferred`).toMatch(
        words as RegExp,
      );
    }
  });

  it("no longer defaults to active: agreements without a stated status and sites with only a launch are unknown", () => {
    // Marshall-only agreement without a closing date: the table does not say whether it is in force.
    expect(matter("missoula-county-attorneys-office-moa-2014").status).toBe("unknown");
    // "settled 2018" says an agreement was reached, not that it is in force.
    expect(matter("ville-platte-vppd-2018").status).toBe("unknown");
    expect(matter("evangeline-parish-epso-2018").status).toBe("unknown");
    // Collaborative Reform: a launch or a report is not a status; "uncertain" is not one either.
    expect(matter("spokane-police-department-collaborative-reform-2013").status).toBe("unknown");
    expect(matter("fort-pierce-police-department-collaborative-reform-2016").status).toBe("unknown");
    expect(matter("tampa-police-department-technical-assistance").status).toBe("unknown");
    expect(bundle.matters.filter((m) => m.status === "unknown").length).toBeGreaterThanOrEqual(14);
  });

  it("records the rule when a status is derived from dated facts", () => {
    const highlandPark = matter("highland-park-police-department-moa-2001");
    expect(highlandPark.status).toBe("terminated");
    expect(highlandPark.inferred.find((f) => f.field === "status")?.rule).toMatch(
      /closing date \(2004-12-07\)/,
    );
    const chicago = matter("chicago-cpd-state-2019");
    expect(chicago.status).toBe("active");
    expect(chicago.inferred.find((f) => f.field === "status")?.rule).toMatch(/no termination found/);
    const mpls = matter("minneapolis-police-department-investigation-2021");
    expect(mpls.inferred.find((f) => f.field === "status")?.rule).toMatch(/records an agreement/);
  });
});

describe("inferred fields", () => {
  const fields = new Set(Object.keys(matter("baltimore-bpd-2017")));

  it("name real matter fields, once each, with the rule in words", () => {
    for (const m of bundle.matters) {
      const names = m.inferred.map((f) => f.field);
      expect(new Set(names).size, m.slug).toBe(names.length);
      for (const f of m.inferred) {
        expect(fields.has(f.field), `${m.slug}: ${f.field}`).toBe(true);
        expect(m[f.field as keyof BundleMatter], `${m.slug}: inferred ${f.field} is empty`).not.toBeNull();
        expect(f.rule.length, m.slug).toBeGreaterThan(20);
      }
    }
  });

  it("list the authority filled by kind, the case's judge and the latest named monitor", () => {
    const abq = matter("albuquerque-apd-2014");
    expect(abq.inferred.map((f) => f.field).sort()).toEqual(["authority", "judge", "monitor"]);
    expect(abq.inferred.find((f) => f.field === "judge")?.rule).toMatch(/Robert C\. Brack/);
    expect(abq.inferred.find((f) => f.field === "monitor")?.rule).toMatch(/as of 2023-11/);
    // Stated: the notes say Bredar entered the Baltimore decree.
    expect(matter("baltimore-bpd-2017").inferred.map((f) => f.field)).not.toContain("judge");
    // The Fulton County authority is stated in its row.
    expect(matter("fulton-county-jail-2025").inferred.map((f) => f.field)).not.toContain("authority");
  });
});

describe("event sources", () => {
  const marshallByCitation = new Map(marshall.map((r) => [marshallCitation(r).citation, r]));

  it("cite a Marshall row only for that row's own dates", () => {
    for (const e of bundle.events)
      for (const s of e.sources) {
        const row = marshallByCitation.get(s.citation);
        if (row) expect([row.start, row.agreement, row.closed], `${e.slug} ${s.citation}`).toContain(e.date);
      }
  });

  it("cite the DOJ 2014 list only for a closing date it lists", () => {
    const listed = new Set([...dojMatches.values()].map((d) => d.closed));
    for (const e of bundle.events)
      if (e.sources.some((s) => s.citation === DOJ_LIST_CITATION))
        expect(listed.has(e.date), `${e.slug} ${e.date}`).toBe(true);
  });

  it("never cite a source published before the event", () => {
    for (const e of bundle.events)
      for (const s of e.sources) {
        const pub = publishedOn(s);
        if (pub && pub.length === 10 && e.date.length === 10)
          expect(pub >= e.date, `${e.slug} ← ${s.url ?? s.citation}`).toBe(true);
        if (pub)
          expect(pub.slice(0, 4) >= e.date.slice(0, 4), `${e.slug} ← ${s.url ?? s.citation}`).toBe(true);
      }
  });

  it("give the opening of a Marshall-only investigation from Marshall alone, and its closing from Marshall and the DOJ list", () => {
    const opened = eventsOf("torrance-police-department-investigation-1995").find(
      (e) => e.kind === "investigation_opened",
    );
    expect(opened?.sources.map((s) => s.citation)).toEqual([
      "The Marshall Project, doj14141, data/doj_data.csv (row: TORRANCE POLICE DEPARTMENT)",
    ]);
    const closed = eventsOf("torrance-police-department-investigation-1995").find(
      (e) => e.kind === "investigation_closed",
    );
    expect(closed?.sources.map((s) => s.citation).sort()).toEqual(
      [
        DOJ_LIST_CITATION,
        "The Marshall Project, doj14141, data/doj_data.csv (row: TORRANCE POLICE DEPARTMENT)",
      ].sort(),
    );
  });

  it("drop the row's older sources from a later event (Baltimore's 2025 partial termination)", () => {
    const e = eventsOf("baltimore-bpd-2017").find((x) => x.kind === "partial_termination");
    const cited = urls(e?.sources ?? []);
    expect(cited).toContain(
      "https://wypr.org/wypr-news/2025-04-17/baltimore-police-released-from-two-sections-of-consent-decree-near-anniversary-of-freddie-grays-death",
    );
    expect(cited.some((u) => /20170112|20170407|01-13-17/.test(u as string))).toBe(false);
  });
});

describe("disagreements", () => {
  it("keep every value with its source; the matter keeps the first (the build's preference)", () => {
    const all = bundle.matters.flatMap((m) => m.disagreements.map((d) => ({ m, d })));
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const { m, d } of all) {
      expect(d.values.length, m.slug).toBeGreaterThanOrEqual(2);
      expect(new Set(d.values.map((v) => v.value)).size, m.slug).toBeGreaterThanOrEqual(2);
      expect(String(m[d.field as keyof BundleMatter]), `${m.slug} ${d.field}`).toBe(d.values[0]?.value);
      expect(d.note, m.slug).toBeTruthy();
    }
  });

  it("the DOJ 2014 list and the Marshall table on Buffalo's closing date", () => {
    const d = matter("buffalo-bpd-2002").disagreements.find((x) => x.field === "endedOn");
    expect(d?.values.map((v) => v.value)).toEqual(["2008-07-08", "2008-07-09"]);
    expect(d?.values[1]?.source.citation).toBe(DOJ_LIST_CITATION);
    expect(matter("buffalo-bpd-2002").endedOn).toBe("2008-07-08");
  });

  it("the compiled table and the Marshall table on a kind (Miami) and a date (New Orleans)", () => {
    const miami = matter("miami-mpd-2016");
    expect(miami.kind).toBe("settlement_agreement");
    const kind = miami.disagreements.find((x) => x.field === "kind");
    expect(kind?.values.map((v) => v.value)).toEqual(["settlement_agreement", "memorandum_of_agreement"]);
    expect(kind?.values[1]?.source.citation).toMatch(/^The Marshall Project/);
    const nopd = matter("new-orleans-nopd-2013").disagreements.find((x) => x.field === "agreementOn");
    expect(nopd?.values.map((v) => v.value)).toEqual(["2012", "2013-01-11"]);
  });
});

describe("corrections checked against the sources", () => {
  it("Albuquerque: Judge Robert C. Brack entered the decree on 2015-06-02, not Judge Browning", () => {
    const entered = eventsOf("albuquerque-apd-2014").filter((e) => e.kind === "decree_entered");
    expect(entered).toHaveLength(1);
    expect(entered[0]).toMatchObject({ date: "2015-06-02", actor: "Judge Robert C. Brack" });
    expect(urls(entered[0]?.sources ?? [])).toContain(
      "http://print.casetext.com/case/united-states-v-city-of-albuquerque-10",
    );
    expect(matter("albuquerque-apd-2014").enteredOn).toBe("2015-06-02");
    // Browning stays the case's judge (named in the notes), marked as such; no event has him act.
    for (const e of eventsOf("albuquerque-apd-2014")) expect(e.actor ?? "").not.toMatch(/Browning/);
  });

  it("Baltimore: the request of 2017-04-03 and the 30-day request denied on 2017-04-07 are separate events", () => {
    const slug = "baltimore-bpd-2017";
    const motion = eventsOf(slug).filter((e) => e.date === "2017-04-03");
    expect(motion.map((e) => e.kind)).toEqual(["motion"]);
    expect(urls(motion[0]?.sources ?? [])).toEqual(
      urls(parseSourcesColumn(policy.find((p) => p.date === "2017-04-03")?.source ?? "")),
    );
    const on7 = eventsOf(slug).filter((e) => e.date === "2017-04-07");
    expect(on7.map((e) => e.kind).sort()).toEqual(["decree_entered", "ruling"]);
    const ruling = on7.find((e) => e.kind === "ruling");
    expect(ruling?.title).toMatch(/30-day/);
    expect(ruling?.description).toMatch(/not the day the 30-day delay was asked/);
    expect(urls(ruling?.sources ?? [])).toContain(
      "https://www.baltimoresun.com/maryland/baltimore-city/bs-md-ci-consent-decree-approved-20170407-story.html",
    );
    expect(on7.find((e) => e.kind === "decree_entered")?.description).not.toMatch(/30-day|hearing/);
  });

  it("Seattle: full and effective compliance found on 2018-01-10, cited to the court's order", () => {
    const orders = eventsOf("seattle-spd-2012").filter((e) => /full and effective compliance/.test(e.title));
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ kind: "order", date: "2018-01-10", actor: "Judge James L. Robart" });
    expect(urls(orders[0]?.sources ?? [])).toEqual([
      "https://www.justice.gov/usao-wdwa/pr/statement-us-attorney-court-s-decision-grant-city-seattle-s-motion-full-and-effective",
      "https://docs.justia.com/cases/federal/district-courts/washington/wawdce/2:2012cv01282/186032/439",
    ]);
    expect(eventsOf("seattle-spd-2012").some((e) => e.date === "2019")).toBe(false);
  });
});
