import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv, type Series } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import {
  BALTIMORE_DECREE_SLUG,
  BALTIMORE_INVOICES_SOURCE,
  loadBundledMonitoringCostsOnce,
} from "../src/modules/statistics/monitoring-costs.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

// The dataset test: the bundled invoices, summed here by other means than the importer's, are
// what Accord serves as the Baltimore decree's monthly monitoring cost.
const dir = findUp("data/monitoring/baltimore_monitor_billing")!;
const MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split(" ");

/**
 * Cents billed per month, straight from the files: each raw invoice's Total row (its last two
 * "$" amounts), keyed by the month and year its PDF's name gives; the hand transcription's rows
 * summed. An invoice found twice (same month, same amounts) is one.
 */
function expectedCents(): Map<string, number> {
  const perPdf = new Map<string, number>();
  for (const file of ["2017-2018.csv", "2019-2023.csv"]) {
    for (const row of parseCsv(readFileSync(join(dir, file), "utf8"))) {
      const first = row
        .find((c) => c.trim() !== "")
        ?.trim()
        .toLowerCase();
      if (first !== "total") continue;
      const amounts = row.filter((c) => c.trim().startsWith("$"));
      if (amounts.length < 2) continue; // a Total row left empty at a page break
      const cents = amounts
        .slice(-2)
        .map((a) => Math.round(Number(a.replace(/[$,\s]/g, "")) * 100))
        .reduce((a, b) => a + b, 0);
      perPdf.set(row.at(-1)!.split("/").at(-1)!, cents);
    }
  }
  const perMonth = new Map<string, number>();
  for (const [pdf, cents] of perPdf) {
    const lower = pdf.toLowerCase();
    const month = MONTHS.findIndex((m) => new RegExp(`(^|[^a-z])${m}[a-z]*`).test(lower));
    const year = /(?:^|\D)(20[12]\d)(?:\D|$)/.exec(pdf)![1];
    const key = `${year}-${String(month + 1).padStart(2, "0")}`;
    const seen = perMonth.get(key);
    if (seen !== undefined) expect(seen, `${pdf} bills ${key} again`).toBe(cents);
    perMonth.set(key, cents);
  }
  const [header, ...rows] = parseCsv(readFileSync(join(dir, "handmade-2017-oct-nov.csv"), "utf8"));
  const at = (name: string) => header!.findIndex((h) => h.replace("\uFEFF", "") === name);
  for (const r of rows) {
    const key = `${r[at("year")]}-${r[at("month")]!.padStart(2, "0")}`;
    const cents = Math.round(
      (Number(r[at("total_services_billed")]) + Number(r[at("total_expenses_billed")])) * 100,
    );
    perMonth.set(key, (perMonth.get(key) ?? 0) + cents);
  }
  return perMonth;
}

let t: TestApp;
let decree: { id: string; slug: string };
beforeAll(async () => {
  t = await buildTestApp();
  decree = await buildMatter(t.app, {
    slug: BALTIMORE_DECREE_SLUG,
    title: "Baltimore Police Department consent decree",
  });
  await loadBundledMonitoringCostsOnce(t.database, dir, () => {});
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe(`the Baltimore monitoring team's invoices (${ENGINE})`, () => {
  it("serve as the decree's monthly cost, month for month and in total as the files add up", async () => {
    const res = await t.app.inject(`/api/v1/statistics/series?matter=${decree.slug}&metric=monitoring_cost`);
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json() as Series;
    const expected = expectedCents();
    expect(items.map((p) => p.period)).toEqual([...expected.keys()].sort());
    for (const p of items) expect(Math.round(p.value * 100), p.period).toBe(expected.get(p.period));
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(Math.round(items.reduce((s, p) => s + p.value * 100, 0))).toBe(total);
    // 2017-10 to 2023-01, less October 2020: the file under 2020 is October 2019's invoice again.
    expect(items).toHaveLength(63);
    expect(items.some((p) => p.period === "2020-10")).toBe(false);
    expect(items[0]).toMatchObject({
      place: { kind: "matter", slug: decree.slug },
      unit: "USD",
      source: { key: BALTIMORE_INVOICES_SOURCE.key },
      coverage: { monthsReported: 1, monthsInPeriod: 1, partial: false },
    });
    expect(items.find((p) => p.period === "2019-10")!.note).toContain("counted once");
    expect(items.find((p) => p.period === "2021-09")!.note).toContain('headed "August"');
  });

  it("imports once: a second start leaves the values as they are", async () => {
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from stat_values where matter_id = ${decree.id}`,
        )
      )[0]!.n;
    const before = await count();
    await loadBundledMonitoringCostsOnce(t.database, dir, () => {});
    expect(await count()).toBe(before);
    const audits = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_entries where action = 'STATISTICS_IMPORTED'`,
    );
    expect(audits[0]!.n).toBe(1);
  });

  it("lists the cost among the decree's series, with its last month and its gap", async () => {
    const res = await t.app.inject(`/api/v1/statistics/summary?matter=${decree.slug}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toContainEqual(
      expect.objectContaining({
        metric: "monitoring_cost",
        unit: "USD",
        granularity: "month",
        first: "2017-10",
        last: "2023-01",
        values: 63,
        periodsInRange: 64,
        partial: 0,
      }),
    );
  });
});
