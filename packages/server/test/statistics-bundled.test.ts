import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsvRecords, type Series, type StatMatch } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { systemContext } from "../src/context/command-context.js";
import { type Database, findUp } from "../src/db/open.js";
import { queryOne } from "../src/db/sql.js";
import {
  FIVETHIRTYEIGHT_FILE,
  FIVETHIRTYEIGHT_SOURCE,
  loadBundledStatisticsOnce,
  MARSHALL_FILE,
  MARSHALL_SOURCE,
  RTCI_FILE,
  RTCI_SOURCE,
} from "../src/modules/statistics/bundled.js";
import { importBundle, parseBundle } from "../src/modules/transfer/index.js";
import { createUserWithToken, ENGINE, openTestDatabase } from "./helpers.js";

// The dataset test: what the bundled crime files hold is what Accord serves, row for row.
const dir = findUp("data/crime")!;
const marshall = parseCsvRecords(readFileSync(join(dir, MARSHALL_FILE), "utf8"));
const rtci = parseCsvRecords(readFileSync(join(dir, RTCI_FILE), "utf8"));
const fte = parseCsvRecords(readFileSync(join(dir, FIVETHIRTYEIGHT_FILE), "utf8"));
let database: Database;
let inject: (url: string) => Promise<{ statusCode: number; json: () => unknown }>;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await openTestDatabase();
  await importBundle(
    parseBundle(JSON.parse(readFileSync(findUp("data/bundle/registry.json")!, "utf8"))),
    systemContext(database.db),
  );
  await loadBundledStatisticsOnce(database, dir, () => {});
  const app = await buildApp({ db: database.db });
  const token = await createUserWithToken(database.db, "viewer");
  inject = (url) => app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  close = () => app.close();
}, 120_000);
afterAll(async () => {
  await close?.();
  await database?.close();
});

const matches = async (source: string) =>
  ((await inject(`/api/v1/statistics/matches?source=${source}`)).json() as { items: StatMatch[] }).items;
const series = async (query: string) => (await inject(`/api/v1/statistics/series?${query}`)).json() as Series;

describe(`the bundled crime statistics (${ENGINE})`, () => {
  it("accounts for every row of the Marshall Project's file in its match table", async () => {
    const items = await matches(MARSHALL_SOURCE.key);
    expect(marshall).toHaveLength(2829);
    expect(items.reduce((n, m) => n + m.rows, 0)).toBe(marshall.length);
    expect(items).toHaveLength(new Set(marshall.map((r) => r.ORI)).size);
    const byOri = new Map(items.map((m) => [m.sourcePlace, m]));
    expect(byOri.get("MDBPD00")?.jurisdiction?.slug).toBe("baltimore-md");
    expect(byOri.get("NB02802")?.jurisdiction?.slug).toBe("omaha-ne");
    expect(byOri.get("DCMPD00")?.jurisdiction?.slug).toBe("washington-dc");
    // Not guessed: the national total and places Accord does not hold stay unmatched.
    expect(byOri.get("NA")?.jurisdiction).toBeNull();
    expect(byOri.get("NC06001")?.jurisdiction).toBeNull();
  });

  it("accounts for every row of the Real-Time Crime Index's monthly file", async () => {
    const items = await matches(RTCI_SOURCE.key);
    expect(rtci).toHaveLength(28531);
    expect(items.reduce((n, m) => n + m.rows, 0)).toBe(rtci.length);
    expect(items.find((m) => m.sourcePlace === "Baltimore|MD")?.jurisdiction?.slug).toBe("baltimore-md");
    expect(items.find((m) => m.sourcePlace === "Full Sample|Nationwide")?.jurisdiction).toBeNull();
  });

  it("accounts for every row of FiveThirtyEight's murders and serves its 2014-2015 counts", async () => {
    const items = await matches(FIVETHIRTYEIGHT_SOURCE.key);
    expect(fte).toHaveLength(83);
    expect(items.reduce((n, m) => n + m.rows, 0)).toBe(fte.length);
    expect(items.find((m) => m.sourcePlace === "Washington|D.C.")?.jurisdiction?.slug).toBe("washington-dc");
    // "New York" is not the name of Accord's New York City: not matched, not guessed.
    expect(items.find((m) => m.sourcePlace === "New York|New York")?.jurisdiction).toBeNull();
    const row = fte.find((r) => r.city === "Baltimore")!;
    const points = (await series("jurisdiction=baltimore-md&metric=homicide&from=2014&to=2015")).items.filter(
      (p) => p.source.key === FIVETHIRTYEIGHT_SOURCE.key,
    );
    expect(points.map((p) => [p.period, p.value])).toEqual([
      ["2014", Number(row["2014_murders"])],
      ["2015", Number(row["2015_murders"])],
    ]);
  });

  it("serves the files' values for sampled places and periods", async () => {
    const row = (ori: string, year: string) => marshall.find((r) => r.ORI === ori && r.year === year)!;
    const baltimore = await series(
      "jurisdiction=baltimore-md&metric=homicide,rape&from=1975&to=2015&per=100k",
    );
    for (const year of ["1975", "1993", "2013", "2015"]) {
      const r = row("MDBPD00", year);
      const point = baltimore.items.find((p) => p.metric === "homicide" && p.period === year)!;
      expect(point.value).toBe(Number(r.homs_sum));
      expect(point.population).toBe(Number(r.total_pop));
      expect(point.rate).toBeCloseTo(Number(r.homs_per_100k), 6);
      expect(point.source.key).toBe(MARSHALL_SOURCE.key);
    }
    const rape2013 = baltimore.items.find((p) => p.metric === "rape" && p.period === "2013")!;
    expect(rape2013.note).toContain("revised");
    // New Orleans reported half of 2005 (Katrina): a partial year.
    const nola = row("LANPD00", "2005");
    const nolaPoint = (await series("jurisdiction=new-orleans-la&metric=homicide&from=2005&to=2005"))
      .items[0]!;
    expect(nolaPoint.coverage).toEqual({
      monthsReported: Number(nola.months_reported),
      monthsInPeriod: 12,
      partial: Number(nola.months_reported) < 12,
    });
    const monthly = (
      await series("jurisdiction=chicago-il&metric=homicide,violent_crime&from=2020-06&to=2020-06")
    ).items;
    const chicago = rtci.find(
      (r) => r.agency_name === "Chicago" && r.state_abbr === "IL" && r.date === "2020-06-01",
    )!;
    expect(monthly.map((p) => [p.metric, p.value, p.source.key])).toEqual([
      ["homicide", Number(chicago.murder), RTCI_SOURCE.key],
      ["violent_crime", Number(chicago.violent_crime), RTCI_SOURCE.key],
    ]);
  });

  it("leaves the years no source covers as a gap in Baltimore's homicides", async () => {
    const items = (await series("jurisdiction=baltimore-md&metric=homicide")).items;
    const periods = items.map((p) => p.period);
    expect(periods[0]).toBe("1975");
    expect(periods).toContain("2015");
    expect(periods).toContain("2018-01");
    expect(periods.some((p) => p.startsWith("2016") || p.startsWith("2017"))).toBe(false);
    const blank = rtci.filter(
      (r) => r.agency_name === "Baltimore" && r.state_abbr === "MD" && r.murder !== "",
    );
    expect(items.filter((p) => p.source.key === RTCI_SOURCE.key)).toHaveLength(blank.length);
  });

  it("loads once: a second start adds nothing", async () => {
    const count = async () =>
      (await queryOne<{ n: number }>(database.db, sql`select count(*)::int as n from stat_values`))!.n;
    const before = await count();
    await loadBundledStatisticsOnce(database, dir, () => {});
    expect(await count()).toBe(before);
  });
});
