import { randomUUID } from "node:crypto";
import type { DecreeParse, Provision } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { auditChecks } from "./audit-coverage.js";
import { OTHER_DECREE } from "./document-fixtures.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * L1 (RELIABILITY-CHECKS), the decrees' area of `L1_AREAS`: a decree's documents, its parse and
 * provisions, their topics, deadlines and compliance (scale, ratings, a report read into ratings,
 * a sustainment start, a section's termination). Each call succeeds and writes exactly one full
 * audit entry whose before/after fit it; some are then refused (412 stale, 400) and write none.
 * Every route is also refused with a 4xx (401, unknown records, 403 for a viewer) by
 * audit-coverage.test.ts.
 */

// The Riverport decree, with a deadline counted from something only a person can date (¶ 18).
const TEXT = OTHER_DECREE.replace(
  "\n\nSO ORDERED",
  "\n18. Within 30 days of the Court’s appointment of a Monitor, the City will give the Monitor its policies.\n\nSO ORDERED",
);

const LEVELS = [
  { code: "not_rated", label: "Not Rated", normalized: null, full: false, rated: false },
  { code: "non_compliance", label: "Non Compliance", normalized: 0 },
  { code: "partial_compliance", label: "Partial Compliance", normalized: 0.5 },
  { code: "substantial_compliance", label: "Substantial Compliance", normalized: 1, full: true },
];

let t: TestApp;
let l1: ReturnType<typeof auditChecks>;
beforeAll(async () => {
  t = await buildTestApp();
  l1 = auditChecks(t);
});
afterAll(async () => {
  await t?.close();
});

const get = async <T = Record<string, unknown>>(url: string) => {
  const res = await t.app.inject(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return { body: res.json() as T, etag: res.headers.etag as string };
};

describe(`L1: a decree's documents, provisions, deadlines and compliance, each one audit entry (${ENGINE})`, () => {
  it("L1: upload, parse, accept, topics, deadlines, scale, ratings, report, sustainment, termination, delete", async () => {
    const { audited, refused } = l1;
    const matter = await buildMatter(t.app, {
      kind: "consent_decree",
      status: "active",
      title: "Riverport decree",
    });
    const m = `/api/v1/matters/${matter.slug}`;

    // The decree, uploaded (one file: one entry) and read.
    const form = new FormData();
    form.append("kind", "decree");
    form.append("file", new Blob([TEXT]), "riverport-decree.txt");
    const up = await audited("POST /api/v1/matters/:key/documents", `${m}/documents`, {
      payload: form,
      diff: "created",
      action: "DOCUMENT_ADDED",
    });
    const documentId = (up.body as unknown as { items: { document: { id: string } }[] }).items[0]!.document
      .id;
    expect(up.entry.entityId).toBe(documentId);
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });

    const doc = await get<{ version: number }>(`/api/v1/documents/${documentId}`);
    await refused("PATCH /api/v1/documents/:id", `/api/v1/documents/${documentId}`, 412, {
      payload: { title: "Stale" },
      headers: { "if-match": `"${doc.body.version + 1}"` },
    });
    await audited("PATCH /api/v1/documents/:id", `/api/v1/documents/${documentId}`, {
      payload: { title: "Riverport consent decree" },
      headers: { "if-match": `"${doc.body.version}"` },
      diff: { updated: ["title"] },
      action: "DOCUMENT_UPDATED",
    });

    // Parsed, corrected, accepted.
    const parsed = await audited(
      "POST /api/v1/documents/:id/parse",
      `/api/v1/documents/${documentId}/parse`,
      {
        diff: "created",
        action: "DECREE_PARSED",
      },
    );
    const draft = parsed.body as unknown as DecreeParse;
    expect(parsed.entry.entityId).toBe(draft.id);
    await refused("PATCH /api/v1/parses/:id", `/api/v1/parses/${draft.id}`, 400, {
      payload: { op: "nonsense" },
      headers: { "if-match": `"${draft.version}"` },
    });
    const edited = await audited("PATCH /api/v1/parses/:id", `/api/v1/parses/${draft.id}`, {
      payload: { op: "edit", number: 17, text: `${draft.provisions[16]!.text} (as corrected)` },
      headers: { "if-match": `"${draft.version}"` },
      diff: { updated: ["provisions"] },
      action: "DECREE_PARSE_EDITED",
    });
    await refused("POST /api/v1/matters/:key/provisions/accept", `${m}/provisions/accept`, 412, {
      payload: { parseId: draft.id },
      headers: { "if-match": `"${draft.version}"` },
    });
    const accepted = await audited("POST /api/v1/matters/:key/provisions/accept", `${m}/provisions/accept`, {
      payload: { parseId: draft.id },
      headers: { "if-match": `"${edited.body.version}"` },
      diff: { updated: ["status"] },
      action: "PROVISIONS_ACCEPTED",
    });
    expect(accepted.entry.entityId).toBe(draft.id);
    const provisions = (await get<{ items: Provision[] }>(`${m}/provisions?limit=100`)).body.items;
    const byNumber = (n: number) => provisions.find((p) => p.number === n)!;

    // A provision's topics, corrected and reset.
    const p5 = byNumber(5);
    const p5Url = `/api/v1/provisions/${p5.id}`;
    const topics = await audited("PUT /api/v1/provisions/:id/topics", `${p5Url}/topics`, {
      payload: { topics: ["staffing"] },
      headers: { "if-match": (await get(p5Url)).etag },
      diff: { updated: ["topics"] },
      action: "PROVISION_TOPICS_CORRECTED",
    });
    await refused("DELETE /api/v1/provisions/:id/topics", `${p5Url}/topics`, 412, {
      headers: { "if-match": '"1"' },
    });
    await audited("DELETE /api/v1/provisions/:id/topics", `${p5Url}/topics`, {
      headers: { "if-match": topics.etag || (await get(p5Url)).etag },
      diff: { updated: ["topics"] },
      action: "PROVISION_TOPICS_RESET",
    });

    // A deadline's anchor date (¶ 18, counted from the monitor's appointment).
    const p18 = await get<Provision>(`/api/v1/provisions/${byNumber(18).id}`);
    const counted = p18.body.deadlines.find((d) => d.anchor.kind === "other")!;
    await audited("PUT /api/v1/deadlines/:id/anchor-date", `/api/v1/deadlines/${counted.id}/anchor-date`, {
      payload: { anchorDate: "2025-03-01" },
      headers: { "if-match": p18.etag },
      diff: { updated: ["anchorDate"] },
      action: "DEADLINE_ANCHOR_DATE_SET",
    });

    // An occurrence of a dated deadline: met, reopened, waived, reopened, extended, assigned.
    const dated = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provision_deadlines (provision_id, phrase, anchor)
          values (${p5.id}, 'by March 10, 2026', ${JSON.stringify({ kind: "date", date: "2026-03-10" })}::jsonb)
          returning id`,
    );
    const d = `/api/v1/deadlines/${dated!.id}`;
    const dueOn = "2026-03-10";
    const order = await buildEvent(t.app, { matterId: matter.id, kind: "order", date: "2026-03-01" });
    let version = 0;
    const occurrence = async (verb: string, payload: object, updated: string[]) => {
      const route = `POST /api/v1/deadlines/:id/${verb}`;
      await refused(route, `${d}/${verb}`, 412, {
        payload: { dueOn, ...payload },
        headers: { "if-match": `"${version + 5}"` },
      });
      const done = await audited(route, `${d}/${verb}`, {
        payload: { dueOn, ...payload },
        headers: { "if-match": `"${version}"` },
        diff: { updated },
      });
      expect(done.entry.entityId).toBe(dated!.id);
      version = Number(JSON.parse(done.etag));
    };
    await occurrence("met", { metOn: "2026-03-02", evidence: [{ documentId, page: 1 }] }, ["state"]);
    await occurrence("reopen", {}, ["state"]);
    await occurrence("waive", { note: "Waived by agreement of the parties" }, ["state"]);
    await occurrence("reopen", {}, ["state"]);
    await occurrence("extend", { extendedTo: "2026-04-10", eventId: order.id }, ["extendedTo"]);
    await occurrence("assign", { office: "Office of the City Attorney" }, ["assigneeOffice"]);

    // The matter's compliance scale, ratings saved and imported.
    const scale = await audited("PUT /api/v1/matters/:key/compliance-scale", `${m}/compliance-scale`, {
      payload: { levels: LEVELS },
      headers: { "if-match": '"0"' },
      diff: { updated: ["levels"] },
      action: "COMPLIANCE_SCALE_SET",
    });
    expect(scale.entry.entityId).toBe(matter.id);
    const period = (
      await t.app.inject({
        method: "POST",
        url: `${m}/periods`,
        payload: { label: "First report", endsOn: "2025-12-31" },
      })
    ).json();
    await refused("PUT /api/v1/matters/:key/assessments", `${m}/assessments`, 400, {
      payload: { items: [{ provisionId: p5.id, periodId: period.id, level: "splendid" }] },
    });
    await audited("PUT /api/v1/matters/:key/assessments", `${m}/assessments`, {
      payload: { items: [{ provisionId: p5.id, periodId: period.id, level: "partial_compliance" }] },
      diff: { updated: ["ratings"] },
      action: "ASSESSMENTS_SAVED",
    });
    const importUrl = `${m}/assessments/import?period=First%20report`;
    const csv = "paragraph,level\n5,substantial_compliance\n9,non_compliance\n";
    const matterNow = await get(m);
    await refused("POST /api/v1/matters/:key/assessments/import", importUrl, 412, {
      payload: csv,
      headers: { "content-type": "text/csv", "if-match": `"${Number(JSON.parse(matterNow.etag)) + 3}"` },
    });
    await audited("POST /api/v1/matters/:key/assessments/import", importUrl, {
      payload: csv,
      headers: { "content-type": "text/csv", "if-match": matterNow.etag },
      diff: { updated: ["ratings"] },
      action: "ASSESSMENTS_IMPORTED",
    });

    // A monitor's report read into ratings, corrected and accepted.
    const report = [
      "ASSESSMENT\n\nParagraph 12. The Department shall adopt a policy.\nIndependent Auditor Compliance Rating | DOJ Compliance Rating | Supporting Documentation Reviewed\nPartial Compliance | Non-Compliance | Policy 300",
      "Paragraph 13. The Department shall train every officer.\nIndependent Auditor Compliance Rating | DOJ Compliance Rating | Documents\nSubstantial Compliance | Substantial Compliance | Lesson plans",
    ];
    const sha = randomUUID().replaceAll("-", "").padEnd(64, "0");
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, 100, 'text/plain')`,
    );
    const reportDoc = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status, page_count)
          values (${matter.id}, ${sha}, 'monitor_report', 'Monitor report', 'report.txt', 'ready', 2) returning id`,
    );
    await t.database.db.execute(
      sql`insert into document_pages (document_id, page, text)
          select ${reportDoc!.id}, p.n, p.text from jsonb_array_elements_text(${JSON.stringify(report)}::jsonb) with ordinality as p(text, n)`,
    );
    const read = await audited(
      "POST /api/v1/documents/:id/rating-drafts",
      `/api/v1/documents/${reportDoc!.id}/rating-drafts`,
      {
        payload: {
          wording: { layout: "auditor-and-department-table", levels: { "Non-Compliance": "non_compliance" } },
          period: period.id,
        },
        diff: "created",
        action: "RATING_DRAFT_CREATED",
      },
    );
    const ratingDraft = `/api/v1/rating-drafts/${read.body.id}`;
    await refused("PATCH /api/v1/rating-drafts/:id", ratingDraft, 412, {
      payload: { items: [{ index: 0, level: "substantial_compliance" }] },
      headers: { "if-match": '"9"' },
    });
    const fixed = await audited("PATCH /api/v1/rating-drafts/:id", ratingDraft, {
      payload: { items: [{ index: 0, level: "substantial_compliance" }] },
      headers: { "if-match": read.etag },
      diff: { updated: ["rows"] },
      action: "RATING_DRAFT_EDITED",
    });
    await audited("POST /api/v1/rating-drafts/:id/accept", `${ratingDraft}/accept`, {
      headers: { "if-match": fixed.etag },
      diff: { updated: ["ratings"] },
      action: "ASSESSMENTS_READ",
    });

    // A court's sustainment start for ¶ 9, and a section's termination.
    const p9 = await get(`/api/v1/provisions/${byNumber(9).id}`);
    const sustained = await audited(
      "PUT /api/v1/provisions/:id/sustainment-start",
      `/api/v1/provisions/${byNumber(9).id}/sustainment-start`,
      {
        payload: { date: "2026-03-01", eventId: order.id },
        headers: { "if-match": p9.etag },
        // The provision had no start: one is created.
        diff: "created",
        action: "SUSTAINMENT_START_SET",
      },
    );
    expect(sustained.entry.entityId).toBe(byNumber(9).id);
    const ending = await buildEvent(t.app, {
      matterId: matter.id,
      kind: "partial_termination",
      date: "2026-03-15",
      title: "Section V terminated",
    });
    const before = await get(m);
    await refused(
      "PUT /api/v1/matters/:key/sections/:number/termination",
      `${m}/sections/V/termination`,
      412,
      {
        payload: { on: "2026-03-15", eventId: ending.id },
        headers: { "if-match": `"${Number(JSON.parse(before.etag)) - 1}"` },
      },
    );
    await audited("PUT /api/v1/matters/:key/sections/:number/termination", `${m}/sections/V/termination`, {
      payload: { on: "2026-03-15", eventId: ending.id },
      headers: { "if-match": before.etag },
      diff: { updated: ["terminatedOn"] },
      action: "SECTION_TERMINATED",
    });

    // The report deleted: its before is the document.
    const reportNow = await get<{ version: number }>(`/api/v1/documents/${reportDoc!.id}`);
    const gone = await audited("DELETE /api/v1/documents/:id", `/api/v1/documents/${reportDoc!.id}`, {
      headers: { "if-match": `"${reportNow.body.version}"` },
      diff: "deleted",
      action: "DOCUMENT_DELETED",
    });
    expect(gone.entry.before).toMatchObject({ title: "Monitor report" });

    l1.expectAreaCovered("decrees");
  });
});
