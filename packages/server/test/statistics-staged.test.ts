import type { Series } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import {
  publishSource,
  STAGED_ABANDONED_MINUTES,
  stageSource,
  stageValues,
  sweepStagedSources,
} from "../src/modules/statistics/store.js";
import { buildJurisdiction, buildTestApp, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * LD3 (RELIABILITY-CHECKS): a statistics import stages its values in short statements under a
 * source not yet published, then publishes them in one short transaction, so that other requests
 * are served while it writes (PGlite runs one statement at a time). Staged values are read by
 * nothing; a failed import leaves nothing; an import that died is swept.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const db = () => t.database.db;
const series = async (query: string): Promise<Series> => {
  const res = await t.app.inject(`/api/v1/statistics/series?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const SOURCE_NAME = uniqueSlug("refused-import");
const importCsv = (csv: string) =>
  t.app.inject({
    method: "POST",
    url: `/api/v1/statistics/import?source=${SOURCE_NAME}`,
    headers: { "content-type": "text/csv" },
    payload: csv,
  });
const metricCount = async (metric: string) => {
  const res = await t.app.inject("/api/v1/statistics/metrics");
  expect(res.statusCode, res.body).toBe(200);
  const found = (res.json().items as { key: string; values: number }[]).find((m) => m.key === metric);
  return found?.values;
};

describe(`LD3: statistics imports are staged, then published at once (${ENGINE})`, () => {
  it("LD3: staged values are read by nothing until their source is published", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Stagedville") });
    const metric = `staged_${process.pid}`;
    await db().execute(
      sql`insert into stat_metrics (key, label, unit) values (${metric}, 'Staged', 'count')`,
    );
    const sourceId = await stageSource(db(), {
      key: uniqueSlug("staged"),
      name: "Staged",
      url: null,
      licence: null,
    });
    await stageValues(db(), sourceId, [
      {
        metric,
        jurisdictionId: town.id,
        agencyId: null,
        period: "2019",
        value: 7,
        population: null,
        monthsReported: null,
        note: null,
      },
      {
        metric,
        jurisdictionId: town.id,
        agencyId: null,
        period: "2020",
        value: 9,
        population: null,
        monthsReported: null,
        note: null,
      },
    ]);
    // Written, not read: the series, the metric's count and a review's evidence check see none.
    expect(
      (await queryOne<{ n: number }>(
        db(),
        sql`select count(*)::int as n from stat_values where source_id = ${sourceId}`,
      ))!.n,
    ).toBe(2);
    expect((await series(`jurisdiction=${town.slug}&metric=${metric}`)).items).toEqual([]);
    expect(await metricCount(metric)).toBe(0);

    await db().transaction((tx) => publishSource(tx, sourceId));
    expect((await series(`jurisdiction=${town.slug}&metric=${metric}`)).items.map((p) => p.value)).toEqual([
      7, 9,
    ]);
    expect(await metricCount(metric)).toBe(2);
    // Published once: a second publish of the same source is refused.
    await expect(db().transaction((tx) => publishSource(tx, sourceId))).rejects.toThrow(/removed before/);
  });

  it("LD3: an import the database refuses midway leaves no source, no value and no metric it added", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Refusedville") });
    const metric = `refused_${process.pid}`;
    const rows = Array.from(
      { length: 2_500 },
      (_, i) =>
        `${metric},${town.slug},${1900 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")},${i}`,
    );
    // A value only row 2,201 has makes the database refuse its insert: in the third staged batch.
    await db().execute(
      sql.raw(`create function refuse_staged() returns trigger language plpgsql as $$
      begin if new.value = 2199 then raise exception 'refused by the test'; end if; return new; end $$`),
    );
    await db().execute(
      sql.raw(
        `create trigger refuse_staged before insert on stat_values for each row execute function refuse_staged()`,
      ),
    );
    try {
      const res = await importCsv(["metric,jurisdiction,period,value", ...rows].join("\n"));
      expect(res.statusCode, res.body).toBe(500);
      expect(res.headers["content-type"]).toMatch(/problem\+json/);
    } finally {
      await db().execute(sql.raw("drop trigger refuse_staged on stat_values"));
      await db().execute(sql.raw("drop function refuse_staged()"));
    }
    expect(await queryRows(db(), sql`select 1 from stat_values where jurisdiction_id = ${town.id}`)).toEqual(
      [],
    );
    expect(await queryRows(db(), sql`select 1 from stat_sources where name = ${SOURCE_NAME}`)).toEqual([]);
    expect(await queryRows(db(), sql`select 1 from stat_metrics where key = ${metric}`)).toEqual([]);

    // The same file imports whole once the database takes it.
    const again = await importCsv(["metric,jurisdiction,period,value", ...rows].join("\n"));
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ values: 2_500, metricsAdded: [metric] });
    expect(await metricCount(metric)).toBe(2_500);
  });

  it("LD3: the sweep removes an import that died before publishing, and only one not written to lately", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Sweptville") });
    const stage = async () => {
      const id = await stageSource(db(), {
        key: uniqueSlug("swept"),
        name: "Swept",
        url: null,
        licence: null,
      });
      await stageValues(db(), id, [
        {
          metric: "homicide",
          jurisdictionId: town.id,
          agencyId: null,
          period: "2001",
          value: 1,
          population: null,
          monthsReported: null,
          note: null,
        },
      ]);
      return id;
    };
    const dead = await stage();
    const live = await stage();
    await db().execute(
      sql`update stat_sources set staged_at = now() - make_interval(mins => ${STAGED_ABANDONED_MINUTES + 1}) where id = ${dead}`,
    );
    expect(await sweepStagedSources(db(), STAGED_ABANDONED_MINUTES)).toBe(1);
    const left = await queryRows<{ id: string }>(
      db(),
      sql`select id from stat_sources where id in (${dead}, ${live})`,
    );
    expect(left.map((r) => r.id)).toEqual([live]);
    expect(await queryRows(db(), sql`select 1 from stat_values where source_id = ${dead}`)).toEqual([]);
    // At the start of the embedded database every staged source is an import that died.
    expect(await sweepStagedSources(db(), 0)).toBe(1);
    expect(await queryRows(db(), sql`select 1 from stat_values where source_id = ${live}`)).toEqual([]);
  });
});
