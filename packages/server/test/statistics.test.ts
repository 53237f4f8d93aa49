import type { Series, StatImportResult } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { importStatFile, parseMarshall } from "../src/modules/statistics/bundled.js";
import { buildAgency, buildJurisdiction, buildTestApp, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const importCsv = (csv: string, query = "") =>
  t.app.inject({
    method: "POST",
    url: `/api/v1/statistics/import${query}`,
    headers: { "content-type": "text/csv" },
    payload: csv,
  });

const series = async (query: string): Promise<Series> => {
  const res = await t.app.inject(`/api/v1/statistics/series?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe(`statistics (${ENGINE})`, () => {
  it("imports a CSV of a new metric, then answers its series with rates, coverage and gaps", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Statsville") });
    const metric = `use_of_force_${process.pid}`;
    const res = await importCsv(
      [
        "metric,jurisdiction,period,value,population,months_reported,unit,label,note",
        `${metric},${town.slug},2015,120,600000,12,incidents,Use of force,`,
        `${metric},${town.slug},2016,90,600000,7,incidents,Use of force,Reporting began in June`,
        // 2017 is missing: a gap.
        `${metric},${town.slug},2018,80,,,incidents,Use of force,`,
      ].join("\n"),
      "?source=City%20use-of-force%20reports",
    );
    expect(res.statusCode, res.body).toBe(201);
    const result: StatImportResult = res.json();
    expect(result).toMatchObject({ values: 3, metricsAdded: [metric], places: 1 });
    expect(result.source.name).toBe("City use-of-force reports");

    const counts = await series(`jurisdiction=${town.slug}&metric=${metric}`);
    expect(counts.items.map((p) => [p.period, p.value, p.rate])).toEqual([
      ["2015", 120, null],
      ["2016", 90, null],
      ["2018", 80, null],
    ]);
    expect(counts.caveats.length).toBeGreaterThan(0);
    const [first, partial, last] = (await series(`jurisdiction=${town.slug}&metric=${metric}&per=100k`))
      .items;
    expect(first!.rate).toBeCloseTo(20, 10);
    expect(first!.coverage).toEqual({ monthsReported: 12, monthsInPeriod: 12, partial: false });
    expect(partial!.coverage).toEqual({ monthsReported: 7, monthsInPeriod: 12, partial: true });
    expect(partial!.note).toBe("Reporting began in June");
    // No population, no rate.
    expect(last!.rate).toBeNull();
    expect(last!.place).toMatchObject({ kind: "jurisdiction", slug: town.slug });
    expect(last!.source.name).toBe("City use-of-force reports");

    const csv = await t.app.inject(
      `/api/v1/statistics/series.csv?jurisdiction=${town.slug}&metric=${metric}`,
    );
    expect(csv.headers["content-type"], csv.body).toContain("text/csv");
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "place,place_slug,metric,period,value,unit,population,rate_per_100k,months_reported,months_in_period,source,source_url,note",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`${metric},2015,120,incidents,600000,20,12,12,City use-of-force reports`);

    const from2016 = await series(`jurisdiction=${town.slug}&metric=${metric}&from=2016&to=2016`);
    expect(from2016.items.map((p) => p.period)).toEqual(["2016"]);

    const metrics = (await t.app.inject("/api/v1/statistics/metrics")).json();
    expect(metrics.items).toContainEqual({
      key: metric,
      label: "Use of force",
      unit: "incidents",
      builtin: false,
      values: 3,
    });
    expect(metrics.items.find((m: { key: string }) => m.key === "homicide")).toMatchObject({ builtin: true });
  });

  it("counts an agency's months within its jurisdiction's series; a year bound keeps its months", async () => {
    const agency = await buildAgency(t.app, { name: uniqueSlug("Statsville PD") });
    const res = await importCsv(
      [
        "metric,agency,period,value",
        `robbery,${agency.slug},2019-01,5`,
        `robbery,${agency.slug},2019-03,7`,
      ].join("\n"),
    );
    expect(res.statusCode, res.body).toBe(201);
    const ag = (await t.app.inject(`/api/v1/agencies/${agency.slug}`)).json();
    const items = (await series(`jurisdiction=${ag.jurisdiction.id}&metric=robbery&from=2019&to=2019`)).items;
    // February is absent: a gap, never a zero.
    expect(items.map((p) => [p.period, p.value, p.place.kind, p.coverage.monthsInPeriod])).toEqual([
      ["2019-01", 5, "agency", 1],
      ["2019-03", 7, "agency", 1],
    ]);
  });

  it("names every bad row of a CSV and imports nothing", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Badrows") });
    const res = await importCsv(
      [
        "metric,jurisdiction,period,value",
        `homicide,${town.slug},2015,10`,
        `homicide,no-such-place,2016,10`,
        `homicide,${town.slug},2016-13,10`,
        `homicide,${town.slug},Q1 2016,10`,
        `homicide,${town.slug},2017,-3`,
        `homicide,${town.slug},2015,11`,
      ].join("\n"),
    );
    expect(res.statusCode).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const problem = res.json();
    expect(problem.code).toBe("import_invalid");
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      "row 3.jurisdiction",
      "row 4.period",
      "row 5.period",
      "row 6.value",
      "row 7.period",
    ]);
    expect(problem.errors[2].message).toContain("not a month");
    expect(problem.errors[3].message).toContain("negative");
    expect((await series(`jurisdiction=${town.slug}`)).items).toEqual([]);
  });

  it("takes a multipart upload and JSON too", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Uploadville") });
    const boundary = "----accord-test";
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="source"',
      "",
      "Uploaded figures",
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="stops.csv"',
      "Content-Type: text/csv",
      "",
      `metric,jurisdiction,period,value\nhomicide,${town.slug},2020,4`,
      `--${boundary}--`,
      "",
    ].join("\r\n");
    const multipart = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(multipart.statusCode, multipart.body).toBe(201);
    expect(multipart.json().source.name).toBe("Uploaded figures");
    const json = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import",
      payload: { csv: `metric,jurisdiction,period,value\nhomicide,${town.slug},2021,6` },
    });
    expect(json.statusCode, json.body).toBe(201);
    expect((await series(`jurisdiction=${town.slug}`)).items.map((p) => p.value)).toEqual([4, 6]);
  });

  it("refuses a series without a place, of more than five places, or of an unknown place", async () => {
    expect((await t.app.inject("/api/v1/statistics/series?metric=homicide")).statusCode).toBe(400);
    const six = Array.from({ length: 6 }, (_, i) => `p${i}`).join(",");
    expect((await t.app.inject(`/api/v1/statistics/series?jurisdiction=${six}`)).statusCode).toBe(400);
    expect((await t.app.inject("/api/v1/statistics/series?jurisdiction=nowhere-zz")).statusCode).toBe(404);
    expect((await t.app.inject("/api/v1/statistics/series?jurisdiction=x&from=2017-1")).statusCode).toBe(400);
  });

  it("matches a source's places by state and exact name only, and lists those it did not match", async () => {
    const name = `Matchton${process.pid}`;
    const town = await buildJurisdiction(t.app, { name, stateCode: "NE" });
    const csv = [
      '"ORI","year","department_name","total_pop","homs_sum","rape_sum","rob_sum","agg_ass_sum","violent_crime","months_reported","violent_per_100k","homs_per_100k","rape_per_100k","rob_per_100k","agg_ass_per_100k","source","url"',
      // Nebraska's ORIs begin NB.
      `"NB99999",2013,"${name}, Neb.",200000,10,20,30,40,100,12,1,1,1,1,1,NA,NA`,
      `"NB99999",2014,"${name}, Neb.",NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA`,
      `"MD99998",2013,"${name}ia, Md.",100,1,1,1,1,4,12,1,1,1,1,1,NA,NA`,
      `"NA",2013,"National",100,1,1,1,1,4,12,1,1,1,1,1,NA,NA`,
    ].join("\n");
    const source = { key: uniqueSlug("test-ucr"), name: "Test UCR", url: null, licence: null };
    await importStatFile(systemContext(t.database.db, "test"), source, csv, parseMarshall);
    const matches = (await t.app.inject(`/api/v1/statistics/matches?source=${source.key}`)).json().items;
    expect(
      matches.map((m: { sourcePlace: string; jurisdiction: { slug: string } | null; rows: number }) => [
        m.sourcePlace,
        m.jurisdiction?.slug ?? null,
        m.rows,
      ]),
    ).toEqual([
      ["MD99998", null, 1],
      ["NA", null, 1],
      ["NB99999", town.slug, 2],
    ]);
    const unmatched = (
      await t.app.inject(`/api/v1/statistics/matches?source=${source.key}&status=unmatched`)
    ).json();
    expect(unmatched.items).toHaveLength(2);
    const items = (await series(`jurisdiction=${town.slug}&metric=rape&per=100k`)).items;
    // 2014's cells are NA: no value, a gap.
    expect(items.map((p) => [p.period, p.value, p.rate])).toEqual([["2013", 20, 10]]);
    expect(items[0]!.note).toContain("2013");
  });

  it("lets a viewer read series but not import", async () => {
    const viewer = await t.tokenFor("viewer");
    const res = await t.anonymous({
      method: "POST",
      url: "/api/v1/statistics/import",
      headers: { authorization: `Bearer ${viewer}`, "content-type": "text/csv" },
      payload: "metric,jurisdiction,period,value\n",
    });
    expect(res.statusCode).toBe(403);
    const read = await t.anonymous({
      url: "/api/v1/statistics/metrics",
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(read.statusCode).toBe(200);
  });
});
