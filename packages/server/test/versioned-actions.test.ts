import type { DecreeParse, Provision } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { OTHER_DECREE } from "./document-fixtures.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * RELIABILITY-CHECKS C1 (promise P2, no lost update) for the changes that are not a PATCH: the
 * moves of a review, starting a cycle, relating matters, assigning monitors, accepting a parse,
 * giving a deadline's anchor date, a court's sustainment start, a section's termination and a
 * report's CSV import. Each takes the
 * version its sender read: none → 428, an old one → 412 with the record as it is now and its
 * ETag, the current one → done, with the new ETag.
 */

type Send = (ifMatch?: string) => Promise<LightMyRequestResponse>;

/** (a) no If-Match → 428 problem+json; (b) a stale one → 412 with the current record; nothing changes. */
async function expectRefusals(send: Send, stale: number, current: number) {
  const missing = await send();
  expect(missing.statusCode, missing.body).toBe(428);
  expect(missing.headers["content-type"]).toContain("application/problem+json");
  expect(missing.json()).toMatchObject({ status: 428, code: "if_match_required" });

  const old = await send(`"${stale}"`);
  expect(old.statusCode, old.body).toBe(412);
  expect(old.headers["content-type"]).toContain("application/problem+json");
  expect(old.json()).toMatchObject({ status: 412, code: "version_conflict", current: { version: current } });
  expect(old.headers.etag).toBe(`"${current}"`);

  // A weak tag of the current version never matches (strong comparison).
  const weak = await send(`W/"${current}"`);
  expect(weak.statusCode, weak.body).toBe(412);
}

/** (c) the current version → done, answering the next version's ETag. */
async function expectDone(send: Send, current: number, status = 200) {
  const res = await send(`"${current}"`);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers.etag).toBe(`"${current + 1}"`);
  return res;
}

describe(`C1: moves that are not edits take If-Match too (${ENGINE})`, () => {
  let t: TestApp;
  const token = {} as Record<"reviewer" | "approver", string>;

  beforeAll(async () => {
    t = await buildTestApp();
    token.reviewer = await t.tokenFor("reviewer", "vera-reviewer");
    token.approver = await t.tokenFor("approver", "val-approver");
    await buildMatter(t.app, { kind: "consent_decree", status: "active", title: "Versioned decree" });
  });
  afterAll(async () => {
    await t?.close();
  });

  const as = (who: keyof typeof token | "admin", ifMatch: string | undefined) => ({
    ...(who === "admin" ? {} : { authorization: `Bearer ${token[who]}` }),
    ...(ifMatch === undefined ? {} : { "if-match": ifMatch }),
  });
  const send =
    (who: keyof typeof token | "admin", method: "POST" | "PUT" | "DELETE", url: string, payload?: object) =>
    (ifMatch?: string) =>
      (who === "admin" ? t.app.inject : t.anonymous)({
        method,
        url,
        headers: as(who, ifMatch),
        ...(payload === undefined ? {} : { payload }),
      });
  const get = async (url: string) => {
    const res = await t.app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const auditCount = async (action: string) =>
    (await get(`/api/v1/audit?action=${action}&limit=1`)).total as number;

  /** A draft cycle over the decree, edited once (version 2), so that version 1 is stale. */
  async function draftCycle(slug: string) {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles",
      payload: {
        slug,
        name: `Cycle ${slug}`,
        scope: { kinds: ["consent_decree"], statuses: ["active"] },
        criteria: [{ code: "1", title: "Advances the safety and protection of the public" }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const edited = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/review-cycles/${slug}`,
      headers: { "if-match": '"1"' },
      payload: { name: `Cycle ${slug}, renamed` },
    });
    expect(edited.json().version).toBe(2);
  }

  it("C1: starting a cycle: 428 without If-Match, 412 when stale, started with the current version", async () => {
    await draftCycle("start-versioned");
    const start = send("admin", "POST", "/api/v1/review-cycles/start-versioned/start");
    await expectRefusals(start, 1, 2);
    expect((await get("/api/v1/review-cycles/start-versioned")).status).toBe("draft");
    const started = await expectDone(start, 2);
    expect(started.json()).toMatchObject({ status: "active", version: 3, counts: { not_started: 1 } });
    // Started again from the version it now has: refused for its state, not its version.
    expect((await start('"3"')).statusCode).toBe(409);
  });

  it("C1: each move of a review (submit, return, approve, reopen) takes the review's version", async () => {
    await draftCycle("moves-versioned");
    await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/moves-versioned/start",
      headers: { "if-match": '"2"' },
    });
    const [review] = (await get("/api/v1/reviews?cycle=moves-versioned")).items;
    const url = (move: string) => `/api/v1/reviews/${review.id}/${move}`;
    const assigned = await t.app.inject({
      method: "POST",
      url: "/api/v1/reviews/assign",
      payload: { assignee: "vera-reviewer", reviewIds: [review.id] },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    let version = (await get(`/api/v1/reviews/${review.id}`)).version as number;
    const draft = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/reviews/${review.id}`,
      headers: as("reviewer", `"${version}"`),
      payload: { findings: { "1": { rating: "advances" } }, recommendation: "retain" },
    });
    expect(draft.statusCode, draft.body).toBe(200);
    version = draft.json().version;

    const moves = [
      ["reviewer", "submit", undefined, "submitted"],
      ["approver", "return", { comment: "Cite the monitor's report" }, "returned"],
      ["reviewer", "submit", undefined, "submitted"],
      ["approver", "approve", undefined, "approved"],
      ["admin", "reopen", { reason: "The decree was modified" }, "draft"],
    ] as const;
    for (const [who, move, payload, status] of moves) {
      const before = (await get(`/api/v1/reviews/${review.id}`)).status;
      const act = send(who, "POST", url(move), payload);
      await expectRefusals(act, version - 1, version);
      expect((await get(`/api/v1/reviews/${review.id}`)).status, move).toBe(before);
      const done = await expectDone(act, version);
      expect(done.json().status, move).toBe(status);
      version = done.json().version;
    }
  });

  it("C1: two approving officials deciding on the same version: one wins, the other gets 412", async () => {
    const token2 = await t.tokenFor("approver", "wes-approver");
    await draftCycle("race-versioned");
    await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/race-versioned/start",
      headers: { "if-match": '"2"' },
    });
    const [review] = (await get("/api/v1/reviews?cycle=race-versioned")).items;
    const saved = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/reviews/${review.id}`,
      headers: { "if-match": `"${review.version}"` },
      payload: { findings: { "1": { rating: "advances" } }, recommendation: "retain" },
    });
    const submitted = await t.app.inject({
      method: "POST",
      url: `/api/v1/reviews/${review.id}/submit`,
      headers: { "if-match": `"${saved.json().version}"` },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const v = submitted.json().version as number;
    const approvedBefore = await auditCount("REVIEW_APPROVED");
    const returnedBefore = await auditCount("REVIEW_RETURNED");
    const [approve, ret] = await Promise.all([
      send("approver", "POST", `/api/v1/reviews/${review.id}/approve`)(`"${v}"`),
      t.anonymous({
        method: "POST",
        url: `/api/v1/reviews/${review.id}/return`,
        headers: { authorization: `Bearer ${token2}`, "if-match": `"${v}"` },
        payload: { comment: "Not yet" },
      }),
    ]);
    expect([approve.statusCode, ret.statusCode].sort()).toEqual([200, 412]);
    const winner = approve.statusCode === 200 ? approve : ret;
    const loser = approve.statusCode === 200 ? ret : approve;
    expect(loser.json().current).toMatchObject({ version: v + 1, status: winner.json().status });
    expect((await get(`/api/v1/reviews/${review.id}`)).status).toBe(winner.json().status);
    expect(
      (await auditCount("REVIEW_APPROVED")) -
        approvedBefore +
        (await auditCount("REVIEW_RETURNED")) -
        returnedBefore,
    ).toBe(1);
  });

  it("C1: relating and unrelating matters take the matter's version and change both sides", async () => {
    const inv = await buildMatter(t.app, {
      kind: "pattern_or_practice_investigation",
      status: "resolved_by_agreement",
    });
    const decree = await buildMatter(t.app, { kind: "consent_decree", status: "active" });
    const relate = send("admin", "POST", `/api/v1/matters/${inv.slug}/related`, {
      relatedId: decree.id,
      relation: "led_to",
    });
    // What two people read before either relates it.
    expect(inv.version).toBe(1);
    const missing = await relate();
    expect(missing.statusCode).toBe(428);
    const related = await expectDone(relate, 1);
    expect(related.json().related).toEqual([expect.objectContaining({ id: decree.id, relation: "led_to" })]);
    // The second, from the same read, is stale: it would silently undo or redo the first.
    const second = await send("admin", "POST", `/api/v1/matters/${inv.slug}/related`, {
      relatedId: decree.id,
      relation: "related",
    })('"1"');
    expect(second.statusCode).toBe(412);
    expect(second.json().current).toMatchObject({
      version: 2,
      related: [expect.objectContaining({ relation: "led_to" })],
    });
    await expectRefusals(relate, 1, 2);
    // The relation shows on the decree too: its version went up, so an edit of what it showed is stale.
    expect((await get(`/api/v1/matters/${decree.slug}`)).version).toBe(2);

    // Unrelated from the decree's side, with the decree's version.
    const unrelate = send("admin", "DELETE", `/api/v1/matters/${decree.slug}/related/${inv.slug}`);
    await expectRefusals(unrelate, 1, 2);
    expect((await get(`/api/v1/matters/${decree.slug}`)).related).toHaveLength(1);
    const unrelated = await expectDone(unrelate, 2);
    expect(unrelated.json().related).toEqual([]);
    expect((await get(`/api/v1/matters/${inv.slug}`)).version).toBe(3);
  });

  it("C1: assigning a monitor takes the monitor's version: two administrators cannot overwrite each other", async () => {
    await t.tokenFor("monitor", "mo-versioned");
    const a = await buildMatter(t.app, { title: "First assigned matter" });
    const b = await buildMatter(t.app, { title: "Second assigned matter" });
    const c = await buildMatter(t.app, { title: "Third assigned matter" });
    const monitor = await t.app.inject("/api/v1/users/mo-versioned");
    expect(monitor.headers.etag).toBe('"1"');
    const assignA = send("admin", "PUT", `/api/v1/matters/${a.slug}/assignments/mo-versioned`);
    expect((await assignA()).statusCode).toBe(428);
    const done = await expectDone(assignA, 1);
    expect(done.json()).toMatchObject({ matter: { slug: a.slug }, user: { username: "mo-versioned" } });
    // Assigned again: nothing changes, nor does the version.
    expect((await assignA('"2"')).headers.etag).toBe('"2"');

    // Another administrator, who read the monitor before that, assigns more: stale.
    const bulk = send("admin", "POST", "/api/v1/assignments", {
      user: "mo-versioned",
      matterIds: [b.id, c.id],
    });
    await expectRefusals(bulk, 1, 2);
    expect((await get("/api/v1/assignments?user=mo-versioned")).total).toBe(1);
    const many = await expectDone(bulk, 2);
    expect(many.json()).toEqual({ assigned: 2, alreadyAssigned: 0 });

    const unassign = send("admin", "DELETE", `/api/v1/matters/${b.slug}/assignments/mo-versioned`);
    await expectRefusals(unassign, 2, 3);
    expect((await get("/api/v1/assignments?user=mo-versioned")).total).toBe(3);
    await expectDone(unassign, 3, 204);
    expect((await get("/api/v1/assignments?user=mo-versioned")).total).toBe(2);
    expect((await t.app.inject("/api/v1/users/mo-versioned")).headers.etag).toBe('"4"');

    // A change of the monitor's role made from an old read is refused the same way.
    const role = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/users/mo-versioned",
      headers: { "if-match": '"1"' },
      payload: { role: "viewer" },
    });
    expect(role.statusCode).toBe(412);
  });
});

/**
 * The decree's changes that are not edits: which record each changes, and so takes the version of.
 * Accepting a parse changes the parse (draft → accepted); an anchor date and a sustainment start
 * change the provision (its deadlines and its clock are part of it); a section's termination and
 * a report's import change the matter's compliance as a whole, so they take the matter's version.
 */
describe(`C1: a decree's provisions and compliance take If-Match (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let documentId: string;
  // The Riverport decree, with a deadline counted from something only a person can date.
  const TEXT = OTHER_DECREE.replace(
    "\n\nSO ORDERED",
    "\n18. Within 30 days of the Court’s appointment of a Monitor, the City will give the Monitor its policies.\n\nSO ORDERED",
  );

  const call = (method: "GET" | "POST" | "PUT" | "PATCH", url: string, payload?: unknown, headers = {}) =>
    t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined
        ? {}
        : typeof payload === "string"
          ? { payload }
          : { payload: payload as object }),
    });
  const get = async <T>(url: string) => {
    const res = await call("GET", url);
    expect(res.statusCode, res.body).toBe(200);
    const etag = res.headers.etag as string | undefined;
    return { body: res.json() as T, version: etag ? Number(JSON.parse(etag)) : Number.NaN };
  };
  const sender =
    (method: "POST" | "PUT", url: string, payload: unknown, headers: Record<string, string> = {}) =>
    (ifMatch?: string) =>
      call(method, url, payload, { ...headers, ...(ifMatch === undefined ? {} : { "if-match": ifMatch }) });
  const auditCount = async (action: string) =>
    (await get<{ total: number }>(`/api/v1/audit?action=${action}&limit=1`)).body.total;

  beforeAll(async () => {
    t = await buildTestApp();
    matter = await buildMatter(t.app, {
      kind: "consent_decree",
      status: "active",
      title: "Riverport decree",
    });
    const form = new FormData();
    form.append("kind", "decree");
    form.append("file", new Blob([TEXT]), "riverport-decree.txt");
    const up = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    documentId = up.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A draft parse of the decree, corrected once (version 2), so that version 1 is stale. */
  async function correctedDraft() {
    const parsed = await call("POST", `/api/v1/documents/${documentId}/parse`);
    expect(parsed.statusCode, parsed.body).toBe(201);
    const draft = parsed.json() as DecreeParse;
    const edited = await call(
      "PATCH",
      `/api/v1/parses/${draft.id}`,
      { op: "edit", number: 17, text: `${draft.provisions[16]!.text} (as corrected)` },
      { "if-match": `"${draft.version}"` },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    return edited.json() as DecreeParse;
  }

  let accepted = false;
  /** The decree's provisions, accepted once for the tests that need them. */
  async function provisions() {
    if (!accepted) {
      const draft = await correctedDraft();
      const res = await call(
        "POST",
        `/api/v1/matters/${matter.slug}/provisions/accept`,
        { parseId: draft.id },
        { "if-match": `"${draft.version}"` },
      );
      expect(res.statusCode, res.body).toBe(200);
      accepted = true;
    }
    return (await get<{ items: Provision[] }>(`/api/v1/matters/${matter.slug}/provisions?limit=100`)).body
      .items;
  }

  it("C1: accepting a parse takes the parse's version: 428 without, 412 stale, then the parse's new ETag", async () => {
    const draft = await correctedDraft();
    expect(draft.version).toBe(2);
    const before = await auditCount("PROVISIONS_ACCEPTED");
    const accept = sender("POST", `/api/v1/matters/${matter.slug}/provisions/accept`, { parseId: draft.id });
    await expectRefusals(accept, 1, 2);
    expect((await get<DecreeParse>(`/api/v1/parses/${draft.id}`)).body.status).toBe("draft");
    expect(await auditCount("PROVISIONS_ACCEPTED")).toBe(before);
    const done = await expectDone(accept, 2);
    expect(done.json()).toMatchObject({ parseId: draft.id, version: 3, total: 18 });
    const now = await get<DecreeParse>(`/api/v1/parses/${draft.id}`);
    expect(now).toMatchObject({ version: 3, body: { status: "accepted" } });
    expect(await auditCount("PROVISIONS_ACCEPTED")).toBe(before + 1);
    accepted = true;
  });

  it("C1: two people accepting drafts they read: the second is refused, not silently matched over the first", async () => {
    await provisions();
    const draft = await correctedDraft();
    const before = await auditCount("PROVISIONS_ACCEPTED");
    const url = `/api/v1/matters/${matter.slug}/provisions/accept`;
    const [a, b] = await Promise.all([
      sender("POST", url, { parseId: draft.id })(`"${draft.version}"`),
      sender("POST", url, { parseId: draft.id })(`"${draft.version}"`),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const loser = a.statusCode === 412 ? a : b;
    expect(loser.json().current).toMatchObject({
      id: draft.id,
      status: "accepted",
      version: draft.version + 1,
    });
    expect(await auditCount("PROVISIONS_ACCEPTED")).toBe(before + 1);
  });

  it("C1: giving a deadline's anchor date takes its provision's version", async () => {
    const p18 = (await provisions()).find((p) => p.number === 18)!;
    const { body: provision, version } = await get<Provision>(`/api/v1/provisions/${p18.id}`);
    const deadline = provision.deadlines.find((d) => d.anchor.kind === "other")!;
    expect(deadline).toBeDefined();
    // Someone else gives a date first: what this person read is stale.
    const first = await call(
      "PUT",
      `/api/v1/deadlines/${deadline.id}/anchor-date`,
      { anchorDate: "2025-03-01" },
      { "if-match": `"${version}"` },
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe(`"${version + 1}"`);
    const set = sender("PUT", `/api/v1/deadlines/${deadline.id}/anchor-date`, { anchorDate: "2025-04-01" });
    await expectRefusals(set, version, version + 1);
    const kept = (await get<Provision>(`/api/v1/provisions/${p18.id}`)).body.deadlines.find(
      (d) => d.id === deadline.id,
    );
    expect(kept?.anchorDate).toBe("2025-03-01");
    const done = await expectDone(set, version + 1);
    expect(done.json().deadlines.find((d: { id: string }) => d.id === deadline.id).anchorDate).toBe(
      "2025-04-01",
    );
  });

  it("C1: a court's sustainment start takes the provision's version and moves it on", async () => {
    const p9 = (await provisions()).find((p) => p.number === 9)!;
    const { version } = await get<Provision>(`/api/v1/provisions/${p9.id}`);
    const order = await buildEvent(t.app, { matterId: matter.id, kind: "order", date: "2024-07-15" });
    const start = sender("PUT", `/api/v1/provisions/${p9.id}/sustainment-start`, {
      date: "2024-07-15",
      eventId: order.id,
    });
    const first = await expectDone(start, version);
    expect(first.json()).toEqual({
      provisionId: p9.id,
      startsOn: "2024-07-15",
      eventId: order.id,
      version: version + 1,
    });
    // Withdrawn from what was read before the start was recorded: stale, and the start stays.
    const withdraw = sender("PUT", `/api/v1/provisions/${p9.id}/sustainment-start`, { date: null });
    await expectRefusals(withdraw, version, version + 1);
    expect(await auditCount("SUSTAINMENT_START_WITHDRAWN")).toBe(0);
    const stored = await queryRows(
      t.database.db,
      sql`select starts_on::text as "startsOn" from sustainment_starts where provision_id = ${p9.id}`,
    );
    expect(stored).toEqual([{ startsOn: "2024-07-15" }]);
    const done = await expectDone(withdraw, version + 1);
    expect(done.json()).toMatchObject({ startsOn: null, version: version + 2 });
  });

  it("C1: terminating a section takes the matter's version; the matter's ETag moves on", async () => {
    await provisions();
    const order = await buildEvent(t.app, {
      matterId: matter.id,
      kind: "partial_termination",
      date: "2025-02-01",
      title: "Section V terminated",
    });
    const { version } = await get(`/api/v1/matters/${matter.slug}`);
    const terminate = sender("PUT", `/api/v1/matters/${matter.slug}/sections/V/termination`, {
      on: "2025-02-01",
      eventId: order.id,
    });
    // Someone edits the matter meanwhile: the termination made from the old read is refused.
    const edit = await call(
      "PATCH",
      `/api/v1/matters/${matter.slug}`,
      { title: "Riverport decree (amended)" },
      { "if-match": `"${version}"` },
    );
    expect(edit.statusCode, edit.body).toBe(200);
    await expectRefusals(terminate, version, version + 1);
    const done = await expectDone(terminate, version + 1);
    expect(done.json()).toMatchObject({ provisions: 3, terminatedOn: "2025-02-01", version: version + 2 });
    expect((await get(`/api/v1/matters/${matter.slug}`)).version).toBe(version + 2);
    // Reinstated from the version the termination answered.
    const back = await expectDone(
      sender("PUT", `/api/v1/matters/${matter.slug}/sections/V/termination`, { on: null }),
      version + 2,
    );
    expect(back.json()).toMatchObject({ terminatedOn: null });
  });

  it("C1: a report's CSV import takes the matter's version: two imports from one read, one lands", async () => {
    await provisions();
    const period = await call("POST", `/api/v1/matters/${matter.slug}/periods`, {
      label: "First report",
      endsOn: "2024-12-31",
    });
    expect(period.statusCode, period.body).toBe(201);
    const { version } = await get(`/api/v1/matters/${matter.slug}`);
    const url = `/api/v1/matters/${matter.slug}/assessments/import?period=First%20report`;
    const csv = (level: string) => `paragraph,level\n5,${level}\n9,${level}\n`;
    const missing = await sender("POST", url, csv("full"), { "content-type": "text/csv" })();
    expect(missing.statusCode).toBe(428);
    const before = await auditCount("ASSESSMENTS_IMPORTED");
    const [a, b] = await Promise.all([
      sender("POST", url, csv("full"), { "content-type": "text/csv" })(`"${version}"`),
      sender("POST", url, csv("preliminary"), { "content-type": "text/csv" })(`"${version}"`),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(winner.headers.etag).toBe(`"${version + 1}"`);
    expect(winner.json()).toMatchObject({ created: 2, rows: 2, version: version + 1 });
    expect(loser.json()).toMatchObject({ code: "version_conflict", current: { version: version + 1 } });
    expect(loser.headers.etag).toBe(`"${version + 1}"`);
    expect(await auditCount("ASSESSMENTS_IMPORTED")).toBe(before + 1);
    const level = a.statusCode === 200 ? "full" : "preliminary";
    const grid = await get<{
      items: { provision: { number: number }; assessment: { level: string } | null }[];
    }>(`/api/v1/matters/${matter.slug}/assessments?period=First%20report`);
    expect(grid.body.items.find((i) => i.provision.number === 5)?.assessment?.level).toBe(level);
    const weak = await sender("POST", url, csv("full"), { "content-type": "text/csv" })(`W/"${version + 1}"`);
    expect(weak.statusCode).toBe(412);
  });
});
