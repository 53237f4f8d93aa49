import { randomUUID } from "node:crypto";
import type { Citation, Review } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { saveReviewDraft } from "../src/modules/reviews/commands/save-review-draft.js";
import { importMonitoringCosts } from "../src/modules/statistics/monitoring-costs.js";
import { buildJurisdiction, buildMatter, buildTestApp, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/** A review citing statistics: a place's series at a period, a matter's own figures, in scope only. */

const STATISTICS_CRITERION = {
  code: "5",
  title: "Is rooted in timely and reliable statistics on crime and criminals",
};

describe(`reviews citing statistics (${ENGINE})`, () => {
  let t: TestApp;
  let reviewer: string;
  let monitor: string;
  let town: { id: string; slug: string; name: string };
  let matter: { id: string; slug: string };
  let elsewhere: { id: string; slug: string };
  let reviewId: string;
  let version: number;

  const save = async (citations: Partial<Citation>[]) => {
    const res = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/reviews/${reviewId}`,
      headers: { authorization: `Bearer ${reviewer}`, "if-match": `"${version}"` },
      payload: { findings: { "5": { rating: "neutral", citations } } },
    });
    if (res.statusCode === 200) version = res.json().version;
    return res;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    reviewer = await t.tokenFor("reviewer", "stat-rev");
    monitor = await t.tokenFor("monitor", "stat-mon");
    town = await buildJurisdiction(t.app, { name: uniqueSlug("Statcity") });
    matter = await buildMatter(t.app, {
      kind: "settlement_agreement",
      status: "active",
      title: "Statcity agreement",
      jurisdictionId: town.id,
    });
    elsewhere = await buildMatter(t.app, { kind: "consent_decree", title: "Another decree" });
    const imported = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import?source=City%20reports",
      headers: { "content-type": "text/csv" },
      payload: [
        "metric,jurisdiction,period,value,months_reported",
        `homicide,${town.slug},2013,44,12`,
        `homicide,${town.slug},2015,40,12`,
        `homicide,${town.slug},2016,31,7`,
        `robbery,${town.slug},2016-03,12,`,
      ].join("\n"),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    // The other decree's own monthly figures (what its monitoring costs).
    await importMonitoringCosts(
      systemContext(t.database.db, "test"),
      elsewhere.id,
      { key: `test-invoices-${randomUUID()}`, name: "Test invoices", url: null, licence: null },
      [
        {
          document: "March+2019+Invoice.pdf",
          month: "2019-03",
          services: 100,
          expenses: 5.5,
          rows: 1,
          fromTotalRow: true,
          headerMonth: null,
          total: 105.5,
          duplicates: [],
        },
      ],
    );
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles",
      payload: {
        slug: "stats-review",
        name: "Statistics review",
        scope: { kinds: ["settlement_agreement"], statuses: [] },
        criteria: [STATISTICS_CRITERION],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const started = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/stats-review/start",
      headers: { "if-match": created.headers.etag as string },
    });
    expect(started.statusCode, started.body).toBe(200);
    reviewId = (await t.app.inject("/api/v1/reviews?cycle=stats-review")).json().items[0].id;
    await t.app.inject({
      method: "POST",
      url: "/api/v1/reviews/assign",
      payload: { assignee: "stat-rev", reviewIds: [reviewId] },
    });
    version = (await t.app.inject(`/api/v1/reviews/${reviewId}`)).json().version;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("lists the matter's series with their last period, gaps and partial periods", async () => {
    const res = await t.anonymous({
      url: `/api/v1/statistics/summary?matter=${matter.slug}`,
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        place: expect.objectContaining({ kind: "jurisdiction", slug: town.slug }),
        metric: "homicide",
        granularity: "year",
        first: "2013",
        last: "2016",
        values: 3,
        periodsInRange: 4,
        partial: 1,
        missing: ["2014"],
      }),
      expect.objectContaining({
        metric: "robbery",
        granularity: "month",
        last: "2016-03",
        values: 1,
        missing: [],
      }),
    ]);
  });

  it("cites a series at a period; the server names it and gives its chart's address", async () => {
    const res = await save([
      { type: "statistic", id: town.id, metric: "homicide", period: "2016" },
      // A year of a monthly series: any of its months.
      { type: "statistic", id: town.id, metric: "robbery", period: "2016" },
      // Another decree's own figures: the reviewer may read every matter.
      { type: "statistic", id: elsewhere.id, metric: "monitoring_cost", period: "2019-03" },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const review: Review = res.json();
    expect(review.findings["5"]!.citations).toEqual([
      {
        type: "statistic",
        id: town.id,
        metric: "homicide",
        period: "2016",
        label: `Homicide, ${town.name}, 2016`,
        placeKind: "jurisdiction",
        slug: town.slug,
      },
      expect.objectContaining({ metric: "robbery", label: `Robbery, ${town.name}, 2016` }),
      expect.objectContaining({
        placeKind: "matter",
        slug: elsewhere.slug,
        label: "Monitoring cost, Another decree, 2019-03",
      }),
    ]);
    // The report reads it as it was saved.
    const report = await t.app.inject(`/api/v1/review-cycles/stats-review/report.json`);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().reviews[0].findings["5"].citationLabels).toEqual([
      `Homicide, ${town.name}, 2016`,
      `Robbery, ${town.name}, 2016`,
      "Monitoring cost, Another decree, 2019-03",
    ]);
  });

  it("refuses a series or period that does not exist with a 422 naming it", async () => {
    const absentYear = await save([{ type: "statistic", id: town.id, metric: "homicide", period: "2017" }]);
    expect(absentYear.statusCode, absentYear.body).toBe(422);
    expect(absentYear.headers["content-type"]).toContain("application/problem+json");
    expect(absentYear.json()).toMatchObject({
      code: "citation_unknown",
      errors: [
        {
          path: "findings.5.citations.0",
          message: `No Homicide figure for 2017 in ${town.name}'s series`,
        },
      ],
    });
    // A gap inside the series' range (the summary lists it as missing): nothing to cite either.
    const gapYear = await save([{ type: "statistic", id: town.id, metric: "homicide", period: "2014" }]);
    expect(gapYear.statusCode, gapYear.body).toBe(422);
    expect(gapYear.json().errors[0].message).toBe(`No Homicide figure for 2014 in ${town.name}'s series`);
    const unknownMetric = await save([{ type: "statistic", id: town.id, metric: "arson", period: "2016" }]);
    expect(unknownMetric.statusCode).toBe(422);
    expect(unknownMetric.json().errors[0].message).toContain('"arson"');
    const noPlace = await save([{ type: "statistic", id: randomUUID(), metric: "homicide", period: "2016" }]);
    expect(noPlace.statusCode).toBe(422);
    expect(noPlace.json().errors[0].message).toContain("does not exist or is not one you may read");
    const noPeriod = await save([{ type: "statistic", id: town.id, metric: "homicide" }]);
    expect(noPeriod.statusCode).toBe(400);
    expect(noPeriod.json().errors[0]).toMatchObject({ path: "findings.5.citations.0" });
  });

  it("cannot cite a matter's figures the caller may not read", async () => {
    // A caller whose scope holds no matter (as a monitor's holds only those assigned to them).
    const review = (await t.app.inject(`/api/v1/reviews/${reviewId}`)).json();
    const narrow = {
      ...systemContext(t.database.db, "test"),
      actorRole: "admin",
      scope: { kind: "assigned" as const, userId: randomUUID() },
    };
    const cite = (c: Partial<Citation>) =>
      saveReviewDraft(
        {
          id: reviewId,
          version: review.version,
          changes: { findings: { "5": { rating: "neutral", citations: [c as Citation] } } },
        },
        narrow,
      );
    await expect(
      cite({ type: "statistic", id: elsewhere.id, metric: "monitoring_cost", period: "2019-03" }),
    ).rejects.toMatchObject({
      code: "citation_unknown",
      details: { errors: [expect.objectContaining({ message: expect.stringContaining("may read") })] },
    });
    // A place's statistics are public figures: the same caller cites them.
    const saved = await cite({ type: "statistic", id: town.id, metric: "homicide", period: "2015" });
    expect(saved.findings["5"]!.citations[0]).toMatchObject({ label: `Homicide, ${town.name}, 2015` });
    // And a monitor not assigned to the other decree does not read its figures.
    const series = await t.anonymous({
      url: `/api/v1/statistics/series?matter=${elsewhere.slug}`,
      headers: { authorization: `Bearer ${monitor}` },
    });
    expect(series.statusCode).toBe(404);
  });
});
