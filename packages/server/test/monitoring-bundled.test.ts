import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { loadBundledMonitoringOnce } from "../src/modules/compliance/index.js";
import { documentManifestPath, loadBundledDocumentsOnce } from "../src/modules/documents/index.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/*
 * The bundled monitoring (issue 14, item 5): on the first start the Suffolk County agreement is
 * parsed and accepted, and its 3rd–9th assessment reports read into one period's ratings each;
 * the Fulton County decree is accepted and its monitor's second report read into 282 ratings.
 * The truth below was read from the reports' summary tables by hand.
 */

const SUFFOLK = "suffolk-county-scpd-2014";
const FULTON = "fulton-county-jail-2025";
const P = "partial_compliance";
const S = "substantial_compliance";
const N = "non_compliance";

describe(`the bundled monitoring (${ENGINE})`, () => {
  let t: TestApp;
  const log: string[] = [];
  const load = () => loadBundledMonitoringOnce(t.database, t.dataDir, (m) => log.push(m));
  /** A matter's ratings: label → [level, page of the report] per period. */
  const ratingsOf = async (slug: string, period: string) => {
    const rows = await queryRows<{ label: string; level: string; rater: string; evidence: unknown }>(
      t.database.db,
      sql`select p.label, a.level, a.rater, a.evidence from assessments a
          join provisions p on p.id = a.provision_id join reporting_periods rp on rp.id = a.period_id
          join matters m on m.id = rp.matter_id where m.slug = ${slug} and rp.label = ${period}`,
    );
    return new Map(rows.map((r) => [r.label, r]));
  };
  const snapshot = () =>
    queryOne(
      t.database.db,
      sql`select (select count(*) from provisions) as provisions, (select count(*) from reporting_periods) as periods,
            (select count(*) from assessments) as ratings, (select count(*) from audit_entries) as audit`,
    );

  beforeAll(async () => {
    t = await buildTestApp({});
    await buildMatter(t.app, { slug: SUFFOLK, kind: "memorandum_of_agreement" });
    await buildMatter(t.app, { slug: FULTON });
    const manifest = documentManifestPath(findUp("data/bundle/registry.json"));
    await loadBundledDocumentsOnce(t.database, manifest, t.dataDir, () => {});
    const started = performance.now();
    await load();
    console.info(`bundled monitoring loaded in ${Math.round(performance.now() - started)} ms (${ENGINE})`);
  }, 180_000);
  afterAll(() => t?.close());

  it("accepts the Suffolk agreement: 211 provisions by their labels", async () => {
    expect(log).toEqual([
      `Loaded the bundled monitoring: ${SUFFOLK} (211 provisions, 7 reports, 199 ratings); ${FULTON} (369 provisions, 1 reports, 282 ratings)`,
    ]);
    const items = (await t.app.inject(`/api/v1/matters/${SUFFOLK}/provisions?limit=500`)).json().items;
    expect(items).toHaveLength(211);
    const node = async (label: string) =>
      (await t.app.inject(`/api/v1/matters/${SUFFOLK}/provisions/${label}`)).json();
    // As outline-truth.ts and the outline tests give them, pages as the filing numbers them.
    expect(await node("III.b")).toMatchObject({ heading: true, caption: "Policies and procedures" });
    for (const [label, page, start] of [
      ["II.j", 2, '"Effective Date" is the date'],
      ["III.b.iv", 5, "SCPD officers who are found"],
      ["VII.e.vii", 16, "SCPD will collect and maintain"],
      ["X.f", 25, "Notices, documents or other information"],
    ] as const) {
      const p = await node(label);
      expect([p.page, p.text.slice(0, start.length)]).toEqual([page, start]);
    }
  });

  it("reads each Suffolk report into its period, dated by the report, with the report's pages", async () => {
    const periods = (await t.app.inject(`/api/v1/matters/${SUFFOLK}/periods`)).json().items;
    expect(periods.map((p: { label: string; endsOn: string }) => [p.label, p.endsOn])).toEqual([
      ["Third Report", "2016-04-18"],
      ["Fourth Report", "2017-01-19"],
      ["Fifth Report", "2017-06-23"],
      ["Sixth Report", "2018-03-13"],
      ["Seventh Report", "2018-10-11"],
      ["Eighth Report", "2019-12-18"],
      ["Ninth Report", "2023-01-27"],
    ]);
    const counts = await queryRows<{ label: string; n: number }>(
      t.database.db,
      sql`select rp.label, count(*)::int as n from assessments a join reporting_periods rp on rp.id = a.period_id
          join matters m on m.id = rp.matter_id where m.slug = ${SUFFOLK} group by 1`,
    );
    const total = counts.reduce((s, c) => s + c.n, 0);
    expect(total).toBe(199);

    // The third report's table, read by hand: seven sections, all partial; 23 subsections, of
    // which III.d and V.e "Noncompliance" and V.b, V.d, VII.b, VII.c, VII.f substantial.
    const third = await ratingsOf(SUFFOLK, "Third Report");
    expect(third.size).toBe(30);
    const levels = [...third.values()].map((r) => r.level);
    expect([N, P, S].map((l) => levels.filter((x) => x === l).length)).toEqual([2, 23, 5]);
    expect(third.get("III.d")?.level).toBe(N);
    expect(third.get("V.e")?.level).toBe(N);
    expect(third.get("VII.f")?.level).toBe(S);
    expect(third.get("IX")?.level).toBe(P);
    expect([...third.values()].every((r) => r.rater === "department")).toBe(true);
    // Its table runs over the report's pages 3 ("3 | P age" after V.a) and 4.
    const pageOf = (r: { evidence: unknown } | undefined) => (r!.evidence as { page: number }[])[0]!.page;
    expect(pageOf(third.get("III"))).toBe(3);
    expect(pageOf(third.get("V.a"))).toBe(3);
    expect(pageOf(third.get("V.b"))).toBe(4);
    expect(pageOf(third.get("IX"))).toBe(4);

    // The sixth: III.d "Compliance Rating Pending", VII.c on page 5.
    const sixth = await ratingsOf(SUFFOLK, "Sixth Report");
    expect(sixth.size).toBe(29);
    expect(sixth.get("III.d")?.level).toBe("pending");
    expect(pageOf(sixth.get("VII.c"))).toBe(5);

    // The ninth relabels §III: its a., b., c. are the agreement's III.b, III.c, III.d; it rates
    // no III.a. Of its 23 rows, Traffic-Stop Data (III.c), V.a and V.d are partial.
    const ninth = await ratingsOf(SUFFOLK, "Ninth Report");
    expect(ninth.size).toBe(23);
    expect(ninth.has("III.a")).toBe(false);
    expect([ninth.get("III.b")?.level, ninth.get("III.c")?.level, ninth.get("III.d")?.level]).toEqual([
      S,
      P,
      S,
    ]);
    expect(
      [...ninth.entries()]
        .filter(([, r]) => r.level === P)
        .map(([l]) => l)
        .sort(),
    ).toEqual(["III.c", "V.a", "V.d"]);
    // "h. Community Survey" follows the footer "3": page 4.
    expect(pageOf(ninth.get("V.g"))).toBe(3);
    expect(pageOf(ninth.get("V.h"))).toBe(4);
    // The evidence is the report, a document of the matter.
    const doc = (third.get("III")!.evidence as { documentId: string }[])[0]!.documentId;
    const d = (await t.app.inject(`/api/v1/documents/${doc}`)).json();
    expect(d).toMatchObject({ filename: "2016-04-18_89933_third-report-assessing-settlement-agreem.txt" });
    expect(d.pageCount).toBe(25);
  });

  it("serves the outline-numbered agreement's compliance, deadlines and calendar (no paragraph numbers)", async () => {
    // Its provisions are addressed by label ("III.b"), with no paragraph number: these answered
    // 500 when the deadline and compliance shapes required one.
    for (const url of [
      `/api/v1/matters/${SUFFOLK}/compliance`,
      `/api/v1/matters/${SUFFOLK}/deadlines`,
      "/api/v1/deadlines?overdue=true&limit=1000",
      "/api/v1/calendar?from=2014-01-01&to=2014-12-31",
      `/api/v1/matters/${SUFFOLK}/calendar.ics`,
    ]) {
      const res = await t.app.inject(url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    }
    // The sustainment view lists every provision by its label, in the agreement's order.
    const { sustainment } = (await t.app.inject(`/api/v1/matters/${SUFFOLK}/compliance`)).json();
    const listed = [
      ...sustainment.clocks.flatMap((c: { provisions: unknown[] }) => c.provisions),
      ...sustainment.withoutClock,
    ] as { number: number | null; label: string }[];
    expect(sustainment.decree.provisions).toBe(211);
    expect(listed.length).toBe(211 - sustainment.decree.terminated);
    expect(new Set(listed.map((p) => p.label)).size).toBe(listed.length);
    expect(listed.filter((p) => p.number === null).length).toBeGreaterThan(0);
    const deadlines = (await t.app.inject(`/api/v1/matters/${SUFFOLK}/deadlines`)).json();
    const outline = JSON.stringify(deadlines).match(/"number":null,"label":"[^"]+"/g) ?? [];
    expect(outline.length, "deadlines of provisions known by label only").toBeGreaterThan(0);
  });

  it("reads the Fulton monitor's second report into its 282 ratings with pages", async () => {
    const second = await ratingsOf(FULTON, "Monitor's Second Report");
    expect(second.size).toBe(282);
    const levels = [...second.values()].map((r) => r.level);
    // As counted in data/monitoring/fulton_county_jail/monitor_report_2_provision_ratings.csv.
    expect(
      ["partial_compliance", "non_compliance", "not_rated", S].map(
        (l) => levels.filter((x) => x === l).length,
      ),
    ).toEqual([171, 79, 24, 8]);
    const page = (label: string) => (second.get(label)!.evidence as { page: number }[])[0]!.page;
    expect([page("¶ 31"), page("¶ 100"), page("¶ 200"), page("¶ 353")]).toEqual([52, 133, 252, 343]);
    expect(second.get("¶ 353")?.level).toBe("non_compliance");
    expect(second.get("¶ 31")?.level).toBe("not_rated");
  });

  it("keeps the decree's provisions and ratings when a person parses and accepts it again", async () => {
    const docs = (await t.app.inject(`/api/v1/matters/${FULTON}/documents`)).json().items;
    const decree = docs.find((d: { kind: string }) => d.kind === "decree");
    const parse = await t.app.inject({ method: "POST", url: `/api/v1/documents/${decree.id}/parse` });
    expect(parse.statusCode, parse.body).toBe(201);
    const started = performance.now();
    const accept = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${FULTON}/provisions/accept`,
      headers: { "if-match": parse.headers.etag as string },
      payload: { parseId: parse.json().id },
    });
    console.info(
      `accepting the rated decree again: ${Math.round(performance.now() - started)} ms (${ENGINE})`,
    );
    expect(accept.statusCode, accept.body).toBe(200);
    expect(accept.json().counts).toMatchObject({ kept: 369, added: 0, retired: 0 });
    expect((await ratingsOf(FULTON, "Monitor's Second Report")).size).toBe(282);
  });

  it("changes nothing on a second start, nor when the matters already have provisions", async () => {
    const before = await snapshot();
    await load();
    expect(await snapshot()).toEqual(before);
    await t.database.db.execute(sql`delete from settings where key = 'monitoring_loaded'`);
    await load();
    expect(await snapshot()).toEqual(before);
    expect(log).toHaveLength(1);
  });
});
