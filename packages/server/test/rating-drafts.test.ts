import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/** Issue 14, item 4: a report read into ratings, checked, corrected and accepted. */

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../data");

/** The Fulton County jail monitor's scale, as its reports word it. */
const FULTON_LEVELS = [
  { code: "not_rated", label: "Not Rated", normalized: null, full: false, rated: false },
  { code: "non_compliance", label: "Non Compliance", normalized: 0 },
  { code: "partial_compliance", label: "Partial Compliance", normalized: 0.5 },
  { code: "substantial_compliance", label: "Substantial Compliance", normalized: 1, full: true },
];

describe(`reading a report into ratings (${ENGINE})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const ok = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await call(method, url, payload, headers);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
    return res;
  };

  /** A matter with paragraphs ¶ first…¶ last, the scale, a period, and the report as a document of its pages. */
  async function setUp(reportText: string, first: number, last: number) {
    const m = await buildMatter(t.app);
    await t.database.db.execute(
      sql`insert into provisions (matter_id, number, label, path, text, position)
          select ${m.id}, n, '¶ ' || n, '¶ ' || n, 'The text of paragraph ' || n, n from generate_series(${first}::int, ${last}::int) n`,
    );
    await ok(
      "PUT",
      `/api/v1/matters/${m.slug}/compliance-scale`,
      { levels: FULTON_LEVELS },
      { "if-match": '"0"' },
    );
    const period = (
      await ok("POST", `/api/v1/matters/${m.slug}/periods`, { label: "Second report", endsOn: "2025-12-31" })
    ).json();
    const sha = randomUUID().replaceAll("-", "").padEnd(64, "0");
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, ${reportText.length}, 'text/plain')`,
    );
    const pages = reportText.split("\f");
    const doc = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status, page_count)
          values (${m.id}, ${sha}, 'monitor_report', 'Monitor report', 'report.txt', 'ready', ${pages.length}) returning id`,
    );
    await t.database.db.execute(
      sql`insert into document_pages (document_id, page, text)
          select ${doc!.id}, p.n, p.text from jsonb_array_elements_text(${JSON.stringify(pages)}::jsonb) with ordinality as p(text, n)`,
    );
    return { m, period, documentId: doc!.id };
  }

  it("reads the Fulton monitor's second report into its 282 ratings with pages, then accepts them corrected", async () => {
    const report = readFileSync(join(dataDir, "documents/monitor_report_2_doc18-1_2026-02-20.txt"), "utf8");
    const truth = readFileSync(
      join(dataDir, "monitoring/fulton_county_jail/monitor_report_2_provision_ratings.csv"),
      "utf8",
    )
      .trim()
      .split("\n")
      .slice(1)
      .map((r) => r.replace(/^[^,]*\([^)]*\),"[^"]*",/, "").split(","));
    // ¶ 300 is missing from the matter: its row is listed, never matched to another.
    const { m, period, documentId } = await setUp(report, 1, 369);
    await t.database.db.execute(sql`delete from provisions where matter_id = ${m.id} and number = 300`);

    const created = await call("POST", `/api/v1/documents/${documentId}/rating-drafts`, {
      wording: { layout: "provision-blocks" },
      period: "Second report",
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json();
    expect(draft.items).toHaveLength(282);
    expect(
      draft.items.map((i: { label: string; levelAsWritten: string; page: number }) => [
        i.label,
        i.levelAsWritten,
        i.page,
      ]),
    ).toEqual(truth.map((c) => [`¶ ${c[0]}`, c[2], Number(c[4])]));
    const row300 = draft.items.findIndex((i: { label: string }) => i.label === "¶ 300");
    expect(draft.items[row300]).toMatchObject({ provisionId: null, rater: "monitor" });
    expect(draft.counts).toMatchObject({ items: 282, ready: 281, unknownProvision: 1, unknownLevel: 0 });
    expect(draft.period).toMatchObject({ id: period.id, label: "Second report" });
    expect(draft.warnings[0]).toMatch(/1 row\(s\) name no current provision/);
    expect(created.headers.etag).toBe('"1"');

    // Accepting with a row still unsettled is refused, the row named; nothing is written.
    const early = await call("POST", `/api/v1/rating-drafts/${draft.id}/accept`, undefined, {
      "if-match": '"1"',
    });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: "draft_incomplete", errors: [{ path: `items.${row300}` }] });

    // Corrections: without If-Match 428, stale 412, a label the matter lacks and a level off the scale 400.
    const fix = {
      items: [
        { index: row300, dropped: true },
        { index: 0, level: "partial_compliance" },
      ],
    };
    expect((await call("PATCH", `/api/v1/rating-drafts/${draft.id}`, fix)).statusCode).toBe(428);
    expect(
      (await call("PATCH", `/api/v1/rating-drafts/${draft.id}`, fix, { "if-match": '"7"' })).statusCode,
    ).toBe(412);
    const bad = await call(
      "PATCH",
      `/api/v1/rating-drafts/${draft.id}`,
      {
        items: [
          { index: 1, label: "¶ 999" },
          { index: 2, level: "excellent" },
        ],
      },
      { "if-match": '"1"' },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      "items.0.label",
      "items.1.level",
    ]);
    const corrected = await ok("PATCH", `/api/v1/rating-drafts/${draft.id}`, fix, { "if-match": '"1"' });
    expect(corrected.json()).toMatchObject({
      version: 2,
      counts: { ready: 281, dropped: 1, unknownProvision: 0 },
    });

    const accepted = await call("POST", `/api/v1/rating-drafts/${draft.id}/accept`, undefined, {
      "if-match": '"2"',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      saved: 281,
      draft: { status: "accepted" },
      period: { id: period.id },
    });
    const stored = await queryRows<{ label: string; level: string; rater: string; page: number }>(
      t.database.db,
      sql`select p.label, a.level, a.rater, (a.evidence->0->>'page')::int as page from assessments a
          join provisions p on p.id = a.provision_id where p.matter_id = ${m.id} order by p.number`,
    );
    expect(stored).toHaveLength(281);
    expect(stored[0]).toEqual({ label: "¶ 31", level: "partial_compliance", rater: "monitor", page: 52 });
    const levels: Record<string, number> = {};
    for (const r of stored) levels[r.level] = (levels[r.level] ?? 0) + 1;
    // The report: 171 partial, 79 non, 24 not rated, 8 substantial; ¶ 31 (not rated) corrected to
    // partial, ¶ 300 (partial) dropped.
    expect(truth.find((c) => c[0] === "31")![2]).toBe("Not Rated");
    expect(truth.find((c) => c[0] === "300")![2]).toBe("Partial Compliance");
    expect(levels).toEqual({
      partial_compliance: 171,
      non_compliance: 79,
      not_rated: 23,
      substantial_compliance: 8,
    });
    // An accepted draft is closed.
    expect(
      (await call("PATCH", `/api/v1/rating-drafts/${draft.id}`, fix, { "if-match": '"3"' })).json().code,
    ).toBe("rating_draft_accepted");
    // Audited: the ratings read, with the draft they came from.
    const audit = await queryOne<{ after: { draftId: string } }>(
      t.database.db,
      sql`select after from audit_entries where action = 'ASSESSMENTS_READ' and entity_id = ${m.id}`,
    );
    expect(audit?.after.draftId).toBe(draft.id);
  });

  it("reads a two-rater table into both raters' ratings, side by side on the provision's page", async () => {
    const text = [
      "ASSESSMENT\n\nParagraph 12. The Department shall adopt a policy.\nIndependent Auditor Compliance Rating | DOJ Compliance Rating | Supporting Documentation Reviewed\nPartial Compliance | Non-Compliance | Policy 300",
      "Paragraph 13. The Department shall train every officer.\nIndependent Auditor Compliance Rating | DOJ Compliance Rating | Documents\nSubstantial Compliance | Substantial Compliance | Lesson plans",
    ].join("\f");
    const { m, period, documentId } = await setUp(text, 10, 14);
    const draft = (
      await ok("POST", `/api/v1/documents/${documentId}/rating-drafts`, {
        wording: { layout: "auditor-and-department-table", levels: { "Non-Compliance": "non_compliance" } },
        period: period.id,
      })
    ).json();
    expect(
      draft.items.map((i: { label: string; rater: string; level: string; page: number }) => [
        i.label,
        i.rater,
        i.level,
        i.page,
      ]),
    ).toEqual([
      ["¶ 12", "monitor", "partial_compliance", 1],
      ["¶ 12", "department", "non_compliance", 1],
      ["¶ 13", "monitor", "substantial_compliance", 2],
      ["¶ 13", "department", "substantial_compliance", 2],
    ]);
    await ok("POST", `/api/v1/rating-drafts/${draft.id}/accept`, undefined, { "if-match": '"1"' });
    const p12 = await queryOne<{ id: string }>(
      t.database.db,
      sql`select id from provisions where matter_id = ${m.id} and number = 12`,
    );
    const page = (await ok("GET", `/api/v1/provisions/${p12!.id}`)).json();
    expect(page.ratingPeriods).toHaveLength(1);
    expect(page.ratingPeriods[0]).toMatchObject({ disagreement: true });
    expect(
      page.ratingPeriods[0].ratings.map((r: { rater: string; level: string }) => [r.rater, r.level]),
    ).toEqual([
      ["monitor", "partial_compliance"],
      ["department", "non_compliance"],
    ]);
    // The next draft of the matter starts from the wording used last.
    const again = (await ok("POST", `/api/v1/documents/${documentId}/rating-drafts`, {})).json();
    expect(again.wording).toEqual({
      layout: "auditor-and-department-table",
      levels: { "Non-Compliance": "non_compliance" },
    });
  });

  it("says what is wrong with a document it cannot read", async () => {
    const missing = await call("POST", `/api/v1/documents/${randomUUID()}/rating-drafts`, {});
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toContain("application/problem+json");
    const { documentId } = await setUp("Nothing rated here.", 1, 3);
    const wrongPeriod = await call("POST", `/api/v1/documents/${documentId}/rating-drafts`, {
      period: "Third report",
    });
    expect(wrongPeriod.statusCode).toBe(400);
    expect(wrongPeriod.json().errors[0]).toMatchObject({ path: "period", allowed: ["Second report"] });
    const badLayout = await call("POST", `/api/v1/documents/${documentId}/rating-drafts`, {
      wording: { layout: "regex" },
    });
    expect(badLayout.statusCode).toBe(400);
    const empty = (await ok("POST", `/api/v1/documents/${documentId}/rating-drafts`, {})).json();
    expect(empty.items).toEqual([]);
    expect(empty.warnings[0]).toMatch(/No rating was found/);
  });
});
