import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import { loadBundledMonitoringOnce } from "../src/modules/compliance/index.js";
import { documentManifestPath, loadBundledDocumentsOnce } from "../src/modules/documents/index.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/*
 * The three private settlements bundled on the first start (issue 14, item 5): Atlanta's Exhibit A
 * with the special master's findings of April and July 2017, the Lawson injunctive relief
 * agreement and the Davis stipulation, each parsed and accepted. The truth was read by hand.
 */

const ATLANTA = "atlanta-calhoun-v-pennington-2010";
const LAWSON = "los-angeles-lawson-v-gates-1995";
const DAVIS = "new-york-davis-v-city-of-new-york-2015";

describe(`the bundled private settlements (${ENGINE})`, () => {
  let t: TestApp;
  const log: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp({});
    for (const slug of [ATLANTA, LAWSON, DAVIS])
      await buildMatter(t.app, { slug, kind: "settlement_agreement", status: "unknown" });
    const manifest = documentManifestPath(findUp("data/bundle/registry.json"));
    await loadBundledDocumentsOnce(t.database, manifest, t.dataDir, () => {});
    const started = performance.now();
    await loadBundledMonitoringOnce(t.database, t.dataDir, (m) => log.push(m));
    console.info(`bundled settlements loaded in ${Math.round(performance.now() - started)} ms (${ENGINE})`);
  }, 180_000);
  afterAll(() => t?.close());

  it("accepts each agreement and reads the special master's two reports", () => {
    expect(log).toEqual([
      `Loaded the bundled monitoring: ${ATLANTA} (17 provisions, 2 reports, 18 ratings); ${LAWSON} (36 provisions, 0 reports, 0 ratings); ${DAVIS} (104 provisions, 0 reports, 0 ratings)`,
    ]);
  });

  it("gives Exhibit A's nine reforms and their a)–h) items, with their pages", async () => {
    const node = async (label: string) =>
      (await t.app.inject(`/api/v1/matters/${ATLANTA}/provisions/${encodeURIComponent(label)}`)).json();
    for (const [label, page, start] of [
      ["¶ 1", 1, "The City of Atlanta agrees permanently"],
      ["¶ 1(c)", 3, "Police officers may not lawfully frisk"],
      ["¶ 2", 5, "The City of Atlanta shall require all"],
      ["¶ 7", 8, "The Atlanta Police Department shall investigate"],
    ] as const) {
      const p = await node(label);
      expect([p.page, p.text.slice(0, start.length)]).toEqual([page, start]);
    }
  });

  it("dates each period by its report and keeps the report's page as evidence", async () => {
    const rows = await queryRows<{
      period: string;
      ends: string;
      label: string;
      level: string;
      page: number;
    }>(
      t.database.db,
      sql`select rp.label as period, rp.ends_on as ends, p.label, a.level, (a.evidence->0->>'page')::int as page
          from assessments a join provisions p on p.id = a.provision_id
          join reporting_periods rp on rp.id = a.period_id join matters m on m.id = rp.matter_id
          where m.slug = ${ATLANTA} order by rp.ends_on, p.position`,
    );
    const july = rows.filter((r) => r.ends === "2017-07-14");
    expect(rows).toHaveLength(18);
    expect(july.map((r) => [r.label, r.level, r.page])).toEqual([
      ["¶ 1", "deferred", 13],
      ["¶ 2", "not_established", 18],
      ["¶ 3", "deferred", 19],
      ["¶ 4", "not_established", 24],
      ["¶ 5", "not_established", 24],
      ["¶ 6", "substantial_compliance", 25],
      ["¶ 7", "deferred", 31],
      ["¶ 8", "deferred", 31],
      ["¶ 9", "deferred", 32],
    ]);
    expect(new Set(july.map((r) => r.period))).toEqual(
      new Set(["Special Master Quarterly Compliance Report dated July 14, 2017"]),
    );
    expect(rows.find((r) => r.ends === "2017-04-12" && r.label === "¶ 4")!.level).toBe("non_compliance");
  });

  it("gives the Lawson agreement's paragraphs the pages its office footers end (1 to 8)", async () => {
    const node = async (label: string) =>
      (await t.app.inject(`/api/v1/matters/${LAWSON}/provisions/${encodeURIComponent(label)}`)).json();
    for (const [label, page, start] of [
      ["¶ 1", 1, "Policies and practices governing the use"],
      ["¶ 4", 2, "While the use of a police canine"],
      ["¶ 15", 4, "A bite inflicted upon a suspect"],
      ["¶ 16", 5, "All bites not requiring hospitalization"],
    ] as const) {
      const p = await node(label);
      expect([label, p.page, p.text.slice(0, start.length)]).toEqual([label, page, start]);
    }
  });

  it("gives the Davis stipulation's sections A–T and lists its exhibits, not as provisions", async () => {
    const items = (await t.app.inject(`/api/v1/matters/${DAVIS}/provisions?limit=500`)).json().items;
    expect(items).toHaveLength(104);
    expect(items.some((p: { text: string }) => /EXHIBIT [A-I]/.test(p.text))).toBe(false);
  });
});
