import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { loadBundledRatingsHistoriesOnce } from "../src/modules/compliance/index.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/*
 * The bundled Albuquerque ratings history (data/monitoring/albuquerque_casa/imr_ratings_long.csv):
 * on the first start its matter gets the monitor's scale, the 270 paragraphs ¶ 14–292 by number and
 * title (no text: the agreement's is in no source), the 13 reports IMR-1 … IMR-14 (no IMR-7) as
 * undated periods, and all 3,510 ratings; a later start changes nothing.
 */

const SLUG = "albuquerque-apd-2014";
const REPORTS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14].map((n) => `IMR-${n}`);

describe(`the bundled Albuquerque ratings history (${ENGINE})`, () => {
  let t: TestApp;
  const log: string[] = [];
  const bundle = findUp("data/bundle/registry.json");
  const load = () => loadBundledRatingsHistoriesOnce(t.database, bundle, (m) => log.push(m));
  /** Everything the load writes, to compare one start with the next. */
  const snapshot = () =>
    queryOne(
      t.database.db,
      sql`select (select count(*) from provisions) as provisions,
            (select count(*) from reporting_periods) as periods,
            (select count(*) from assessments) as ratings,
            (select coalesce(sum(version), 0) from assessments) as rating_versions,
            (select count(*) from audit_entries) as audit,
            (select s.version from compliance_scales s join matters m on m.id = s.matter_id where m.slug = ${SLUG}) as scale,
            (select coalesce(sum(count), 0) from compliance_rollups) as rollups`,
    );

  beforeAll(async () => {
    t = await buildTestApp({});
    await buildMatter(t.app, { slug: SLUG, title: "Albuquerque Police Department consent decree" });
    await load();
  });
  afterAll(() => t?.close());

  it("gives the matter its scale, 270 provisions without text, 13 undated periods", async () => {
    expect(log).toEqual([
      "Loaded the bundled ratings histories: albuquerque-apd-2014 (270 provisions, 3510 ratings)",
    ]);
    const scale = (await t.app.inject(`/api/v1/matters/${SLUG}/compliance-scale`)).json();
    expect(scale.levels.map((l: { code: string; full: boolean }) => [l.code, l.full])).toEqual([
      ["not_yet_assessed", false],
      ["non_compliance", false],
      ["primary", false],
      ["secondary", false],
      ["operational", true],
    ]);
    const provisions = (await t.app.inject(`/api/v1/matters/${SLUG}/provisions?limit=500`)).json().items;
    expect(provisions).toHaveLength(270);
    expect(provisions.map((p: { label: string }) => p.label)).toEqual(
      Array.from({ length: 279 }, (_, i) => i + 14)
        .filter((n) => provisions.some((p: { number: number }) => p.number === n))
        .map((n) => `¶ ${n}`),
    );
    expect([provisions[0].number, provisions.at(-1).number]).toEqual([14, 292]);
    const p20 = (await t.app.inject(`/api/v1/matters/${SLUG}/provisions/20`)).json();
    expect(p20).toMatchObject({ label: "¶ 20", caption: "Weapons Qualifications", text: "", heading: false });
    const periods = (await t.app.inject(`/api/v1/matters/${SLUG}/periods`)).json().items;
    expect(periods.map((p: { label: string; endsOn: string | null }) => [p.label, p.endsOn])).toEqual(
      REPORTS.map((r) => [r, null]),
    );
  });

  it("writes every rating, the monitor's, and the compliance view counts them per report", async () => {
    const rows = await queryRows<{ label: string; level: string; rater: string; n: number }>(
      t.database.db,
      sql`select rp.label, a.level, a.rater, count(*)::int as n from assessments a
          join reporting_periods rp on rp.id = a.period_id join matters m on m.id = rp.matter_id
          where m.slug = ${SLUG} group by 1, 2, 3`,
    );
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(3510);
    expect(new Set(rows.map((r) => r.rater))).toEqual(new Set(["monitor"]));
    const c = (await t.app.inject(`/api/v1/matters/${SLUG}/compliance`)).json();
    expect(c.periods.map((p: { label: string }) => p.label)).toEqual(REPORTS);
    const countsOf = (label: string) => {
      const i = c.periods.findIndex((p: { label: string }) => p.label === label);
      return Object.fromEntries(c.levels.map((level: string, k: number) => [level, c.byPeriod[i].counts[k]]));
    };
    // Counted in the CSV file: IMR-1 256 · 9 · 0 · 5, IMR-14 0 · 49 · 55 · 166.
    expect(countsOf("IMR-1")).toMatchObject({
      non_compliance: 256,
      primary: 9,
      secondary: 0,
      operational: 5,
    });
    expect(countsOf("IMR-14")).toMatchObject({
      non_compliance: 0,
      primary: 49,
      secondary: 55,
      operational: 166,
    });
    // Undated reports are charted in their order but leave the forecast nothing to fit.
    expect(c.trajectory.points).toHaveLength(13);
    expect(c.trajectory.points.at(-1).shareFull).toBeCloseTo(166 / 270, 3);
    expect(c.trajectory.forecast).toMatchObject({ status: "insufficient", periodsUsed: 0 });
  });

  it("changes nothing on a second start, nor when the matter already has its provisions", async () => {
    const before = await snapshot();
    await load();
    expect(await snapshot()).toEqual(before);
    // Even with the marker gone, a matter with provisions of its own is left alone.
    await t.database.db.execute(sql`delete from settings where key = 'ratings_histories_loaded'`);
    await load();
    expect(await snapshot()).toEqual(before);
    expect(log).toHaveLength(1);
  });
});
