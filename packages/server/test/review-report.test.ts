import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsv } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { findUp } from "../src/db/open.js";
import { importBundle, parseBundle } from "../src/modules/transfer/index.js";
import { loadBundledCyclesOnce } from "../src/server.js";
import { buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * The bundled 2017 cycle, started over the bundled registry, one review carried to approval, and
 * the reports: PDF (checked page by page with poppler), CSV and JSON.
 */
describe(`the 2017 review and its report (${ENGINE})`, () => {
  let t: TestApp;
  // ACCORD_KEEP_REPORTS=dir keeps the PDFs and page images there, to look at them.
  const keep = process.env.ACCORD_KEEP_REPORTS;
  const dir = keep ?? mkdtempSync(join(tmpdir(), "accord-report-"));
  let reviewId: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let reviewer: string;
  let approver: string;
  let viewer: string;

  beforeAll(async () => {
    t = await buildTestApp();
    const bundlePath = findUp("data/bundle/registry.json")!;
    await importBundle(
      parseBundle(JSON.parse(readFileSync(bundlePath, "utf8"))),
      systemContext(t.database.db),
    );
    const logged: string[] = [];
    await loadBundledCyclesOnce(t.database, bundlePath, (m) => logged.push(m));
    // Once only.
    await loadBundledCyclesOnce(t.database, bundlePath, (m) => logged.push(m));
    expect(logged).toHaveLength(1);
    reviewer = await t.tokenFor("reviewer", "rachel");
    approver = await t.tokenFor("approver", "abe");
    viewer = await t.tokenFor("viewer", "vera");
    // The reports name people as people read them.
    await t.database.db.execute(
      sql`update users set display_name = case username when 'rachel' then 'Rachel Reviewer' else 'Abe Approver' end
          where username in ('rachel', 'abe')`,
    );
  });
  afterAll(async () => {
    await t?.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  });

  it("bundles the 2017 cycle with its six criteria", async () => {
    const cycle = (await t.app.inject("/api/v1/review-cycles/2017-review")).json();
    expect(cycle).toMatchObject({
      name: "2017 review of Department activities with state and local law enforcement",
      status: "draft",
    });
    expect(cycle.criteria.map((c: { title: string }) => c.title)).toEqual([
      "Advances the safety and protection of the public",
      "Promotes officer safety and morale",
      "Protects and respects the civil rights of all members of the public",
      "Respects local control of law enforcement",
      "Is rooted in timely and reliable statistics on crime and criminals",
      "Does not impede recruitment and training of officers",
    ]);
    expect(cycle.mandate).toContain("existing or contemplated consent decrees");
    // The mandate cites its sources themselves, not a file of the repository.
    expect(cycle.mandate).toContain(
      "https://talkingpointsmemo.com/livewire/sessions-review-police-reform-agreements",
    );
    expect(cycle.mandate).not.toContain("SOURCES.md");
    // Each criterion names the provision topics that bear on it.
    expect(
      Object.fromEntries(cycle.criteria.map((c: { code: string; topics: string[] }) => [c.code, c.topics])),
    ).toMatchObject({
      "2": ["officer_wellness"],
      "3": ["bias_free_policing", "stops_searches_arrests", "use_of_force", "first_amendment"],
      "4": ["monitoring_compliance"],
      "5": ["data_transparency"],
      "6": ["training", "recruitment_hiring"],
    });
  });

  it("starts over the registry and carries Baltimore's review to approval", async () => {
    const { version } = (await t.app.inject("/api/v1/review-cycles/2017-review")).json();
    const started = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/review-cycles/2017-review/start",
        headers: { "if-match": `"${version}"` },
      })
    ).json();
    const total = Object.values(started.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(10);
    const list = (await t.app.inject("/api/v1/reviews?cycle=2017-review&matter=baltimore-bpd-2017")).json();
    reviewId = list.items[0].id;
    await t.app.inject({
      method: "POST",
      url: "/api/v1/reviews/assign",
      payload: { assignee: "rachel", reviewIds: [reviewId] },
    });
    const matter = (await t.app.inject("/api/v1/matters/baltimore-bpd-2017")).json();
    const entered = matter.events.find((e: { kind: string }) => e.kind === "decree_entered");
    const findings = Object.fromEntries(
      ["1", "2", "3", "4", "5", "6"].map((code) => [
        code,
        {
          rating: code === "4" ? "conflicts" : "advances",
          rationale: `Finding ${code}`,
          citations: code === "1" ? [{ type: "event", id: entered.id }] : [],
        },
      ]),
    );
    const saved = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/reviews/${reviewId}`,
      headers: { ...as(reviewer), "if-match": '"2"' },
      payload: { findings, recommendation: "seek_delay", recommendationRationale: "Wait for the review" },
    });
    expect(saved.statusCode).toBe(200);
    const submitted = await t.anonymous({
      method: "POST",
      url: `/api/v1/reviews/${reviewId}/submit`,
      headers: { ...as(reviewer), "if-match": saved.headers.etag as string },
    });
    expect(submitted.statusCode).toBe(200);
    expect(
      (
        await t.anonymous({
          method: "POST",
          url: `/api/v1/reviews/${reviewId}/approve`,
          headers: { ...as(approver), "if-match": submitted.headers.etag as string },
        })
      ).statusCode,
    ).toBe(200);
  });

  it("prints the cycle's report as a PDF that poppler reads: pages and text", async () => {
    const res = await t.anonymous({
      url: "/api/v1/review-cycles/2017-review/report.pdf",
      headers: as(viewer),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    const file = join(dir, "report.pdf");
    writeFileSync(file, res.rawPayload);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    // Cover, ratings, matrix, and one page for the one review a viewer may read.
    expect(pages).toBe(4);
    execFileSync("pdftoppm", ["-r", "20", "-png", file, join(dir, "page")]);
    expect(readdirSync(dir).filter((f) => f.startsWith("page") && f.endsWith(".png"))).toHaveLength(pages);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("2017 review of Department activities with state and local law enforcement");
    expect(text).toContain("Baltimore");
    expect(text).toContain("Recommendation: Seek delay of court proceedings");
    expect(text).toContain("Respects local control of law enforcement — Conflicts");
    expect(text).toMatch(/Cites: 2017-04-07 · .*entered/i);
    expect(text).toContain("reviewer Rachel Reviewer");
    expect(text).toContain("approved by Abe Approver");
  });

  it("gives the administrator every review in the PDF, the ones not started listed together", async () => {
    const all = await t.app.inject("/api/v1/review-cycles/2017-review/report.pdf");
    const file = join(dir, "all.pdf");
    writeFileSync(file, all.rawPayload);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
    const cycle = (await t.app.inject("/api/v1/review-cycles/2017-review")).json();
    const reviews = Object.values(cycle.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    // Cover, ratings, the matrix (over pages), Baltimore's page, and the not-started ones listed
    // on pages of their own, not a blank page each.
    expect(pages).toBeLessThan(reviews);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain(`Not reviewed yet (${reviews - 1})`);
    expect(text).toContain(`Includes: all reviews (${reviews} of ${reviews} reviews)`);
    const one = await t.app.inject(`/api/v1/reviews/${reviewId}/report.pdf`);
    expect(one.statusCode).toBe(200);
    writeFileSync(join(dir, "one.pdf"), one.rawPayload);
    expect(execFileSync("pdftotext", [join(dir, "one.pdf"), "-"], { encoding: "utf8" })).toContain(
      "Finding 6",
    );
  });

  it("includes what the reader asks for, and marks a review whose matter changed since approval", async () => {
    const approvedOnly = (
      await t.app.inject("/api/v1/review-cycles/2017-review/report.json?include=approved")
    ).json();
    expect(approvedOnly.include).toBe("approved");
    expect(approvedOnly.reviews.map((r: { id: string }) => r.id)).toEqual([reviewId]);
    expect(approvedOnly.reviews[0].changedSinceApproval).toBe(false);
    const refused = await t.app.inject("/api/v1/review-cycles/2017-review/report.pdf?include=some");
    expect(refused.statusCode).toBe(400);
    expect(refused.headers["content-type"]).toContain("application/problem+json");

    // The matter changes after the approval: the report says so.
    const matter = await t.app.inject("/api/v1/matters/baltimore-bpd-2017");
    const edited = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/matters/baltimore-bpd-2017",
      headers: { "if-match": matter.headers.etag as string },
      payload: { statusNote: "Changed after the review was approved" },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const json = (
      await t.app.inject("/api/v1/review-cycles/2017-review/report.json?include=submitted")
    ).json();
    expect(json.reviews).toHaveLength(1);
    expect(json.reviews[0].changedSinceApproval).toBe(true);
    const pdf = await t.app.inject("/api/v1/review-cycles/2017-review/report.pdf?include=approved");
    const file = join(dir, "approved.pdf");
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("Includes: approved only (1 of");
    expect(text).toContain("1 approved review changed since approval");
    expect(text).toContain("† Changed since approval");
    expect(text).not.toContain("Not reviewed yet");
  });

  it("exports every finding as CSV and JSON", async () => {
    const csv = await t.anonymous({
      url: "/api/v1/review-cycles/2017-review/report.csv",
      headers: as(viewer),
    });
    expect(csv.headers["content-type"]).toContain("text/csv");
    const [header, ...rows] = parseCsv(csv.body);
    expect(header).toContain("ratingLabel");
    // The viewer sees the one approved review: six criteria, six rows.
    expect(rows.filter((r) => r.length > 1)).toHaveLength(6);
    const byCol = (row: string[], col: string) => row[header!.indexOf(col)];
    const local = rows.find((r) => byCol(r, "criterion") === "4")!;
    expect(byCol(local, "ratingLabel")).toBe("Conflicts");
    expect(byCol(local, "recommendation")).toBe("seek_delay");
    // People by their display names, with their user names beside.
    expect(byCol(local, "reviewer")).toBe("Rachel Reviewer");
    expect(byCol(local, "reviewerUsername")).toBe("rachel");
    expect(byCol(local, "approvedBy")).toBe("Abe Approver");
    expect(byCol(local, "approvedByUsername")).toBe("abe");
    const json = (await t.app.inject("/api/v1/review-cycles/2017-review/report.json")).json();
    expect(json.cycle.slug).toBe("2017-review");
    const review = json.reviews.find((r: { id: string }) => r.id === reviewId);
    expect(review.findings["1"].citationLabels[0]).toContain("2017-04-07");
    expect(review).toMatchObject({
      assignee: { username: "rachel", displayName: "Rachel Reviewer" },
      approvedBy: { username: "abe", displayName: "Abe Approver" },
    });
  });
});
