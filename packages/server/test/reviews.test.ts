import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/** A review cycle from preparation to sign-off, through the API, as each role. */

const CRITERIA = [
  { code: "1", title: "Advances the safety and protection of the public" },
  { code: "2", title: "Promotes officer safety and morale" },
];

describe(`reviews (${ENGINE})`, () => {
  let t: TestApp;
  const token = {} as Record<"reviewer" | "reviewer2" | "approver" | "viewer" | "monitor", string>;
  const as = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });
  let decree: { id: string; slug: string };
  let reviewId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    token.reviewer = await t.tokenFor("reviewer", "rachel");
    token.reviewer2 = await t.tokenFor("reviewer", "rob");
    token.approver = await t.tokenFor("approver", "abe");
    token.viewer = await t.tokenFor("viewer", "vera");
    token.monitor = await t.tokenFor("monitor", "mona");
    decree = await buildMatter(t.app, {
      kind: "consent_decree",
      status: "active",
      title: "Baltimore decree",
    });
    await buildMatter(t.app, { kind: "consent_decree", status: "terminated", title: "Ended decree" });
    await buildMatter(t.app, {
      kind: "pattern_or_practice_investigation",
      status: "open",
      title: "An investigation",
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (
    who: keyof typeof token | "admin",
    method: string,
    url: string,
    payload?: unknown,
    headers = {},
  ) =>
    (who === "admin" ? t.app.inject : t.anonymous)({
      method: method as "GET",
      url,
      headers: { ...(who === "admin" ? {} : as(who)), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  /** A move of the review, sent with its version as it now is (If-Match). */
  const move = async (who: keyof typeof token | "admin", action: string, payload?: unknown) => {
    const { version } = (await call("admin", "GET", `/api/v1/reviews/${reviewId}`)).json();
    return call(who, "POST", `/api/v1/reviews/${reviewId}/${action}`, payload, {
      "if-match": `"${version}"`,
    });
  };

  it("prepares a cycle whose criteria can change until it starts", async () => {
    const created = await call("admin", "POST", "/api/v1/review-cycles", {
      slug: "review-2017",
      name: "2017 review",
      mandate: "Review all department activities",
      scope: { kinds: ["consent_decree"], statuses: ["active"] },
      dueOn: "2017-06",
      criteria: [CRITERIA[0]],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: "draft",
      ratingScale: [{ code: "advances" }, {}, {}, {}],
    });
    const edited = await call(
      "admin",
      "PATCH",
      "/api/v1/review-cycles/review-2017",
      { criteria: CRITERIA },
      { "if-match": '"1"' },
    );
    expect(edited.statusCode).toBe(200);
    expect(edited.json().criteria.map((c: { code: string }) => c.code)).toEqual(["1", "2"]);
    expect((await call("reviewer", "POST", "/api/v1/review-cycles/review-2017/start")).statusCode).toBe(403);
  });

  it("starts: one review per matter in scope, and the criteria are then fixed", async () => {
    const start = (version: number) =>
      call("admin", "POST", "/api/v1/review-cycles/review-2017/start", undefined, {
        "if-match": `"${version}"`,
      });
    const started = await start(2);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: "active", counts: { not_started: 1 } });
    const again = await start(3);
    expect(again.statusCode).toBe(409);
    const edit = await call(
      "admin",
      "PATCH",
      "/api/v1/review-cycles/review-2017",
      { criteria: [] },
      { "if-match": '"3"' },
    );
    expect(edit.statusCode).toBe(409);
    expect(edit.json().detail).toContain("has started");
    const list = (await call("admin", "GET", "/api/v1/reviews?cycle=review-2017")).json();
    expect(list.items.map((r: { matter: { slug: string } }) => r.matter.slug)).toEqual([decree.slug]);
    reviewId = list.items[0].id;
  });

  it("assigns in bulk, to reviewers only", async () => {
    const wrong = await call("admin", "POST", "/api/v1/reviews/assign", {
      assignee: "abe",
      cycle: "review-2017",
    });
    expect(wrong.statusCode).toBe(409);
    const res = await call("admin", "POST", "/api/v1/reviews/assign", {
      assignee: "rachel",
      cycle: "review-2017",
      kind: ["consent_decree"],
    });
    expect(res.json()).toEqual({ assigned: 1 });
    const mine = (await call("reviewer", "GET", "/api/v1/reviews?assignee=me")).json();
    expect(mine.total).toBe(1);
  });

  it("lets only the assigned reviewer draft, with ratings from the cycle's scale", async () => {
    const other = await call(
      "reviewer2",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { recommendation: "retain" },
      { "if-match": '"2"' },
    );
    expect(other.statusCode).toBe(403);
    expect(other.json().detail).toContain("assigned to rachel");
    const badRating = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { findings: { "1": { rating: "splendid" } } },
      { "if-match": '"2"' },
    );
    expect(badRating.statusCode).toBe(400);
    expect(badRating.json().errors[0]).toMatchObject({ path: "findings.1.rating" });
    const event = await buildEvent(t.app, {
      matterId: decree.id,
      kind: "decree_entered",
      date: "2017-04-07",
    });
    const saved = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      {
        findings: {
          "1": {
            rating: "advances",
            rationale: "Use-of-force reporting",
            citations: [{ type: "event", id: event.id }],
          },
        },
      },
      { "if-match": '"2"' },
    );
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      status: "draft",
      version: 3,
      ratings: { "1": "advances", "2": null },
    });
  });

  it("refuses a citation of an event that is not on the matter's timeline", async () => {
    const elsewhere = await buildMatter(t.app);
    const other = await buildEvent(t.app, { matterId: elsewhere.id });
    const res = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { findings: { "2": { rating: "neutral", citations: [{ type: "event", id: other.id }] } } },
      { "if-match": '"3"' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: "findings.2.citations.0" });
  });

  it("lets one of two simultaneous saves of the same version win; the other gets 412", async () => {
    const [a, b] = await Promise.all(
      ["retain", "modify"].map((recommendation) =>
        call("reviewer", "PATCH", `/api/v1/reviews/${reviewId}`, { recommendation }, { "if-match": '"3"' }),
      ),
    );
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 412]);
    const winner = a!.statusCode === 200 ? a! : b!;
    // Put it back as the following steps expect it: no recommendation yet.
    const reset = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { recommendation: null },
      { "if-match": `"${winner.json().version}"` },
    );
    expect(reset.json().version).toBe(5);
  });

  it("refuses a stale draft with 412, not a silent overwrite", async () => {
    const stale = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { recommendation: "modify" },
      { "if-match": '"2"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current.findings["1"].rating).toBe("advances");
  });

  it("lists a reviewer's autosaves of one draft as one audit row, with names, keeping every entry", async () => {
    const page = (await call("admin", "GET", `/api/v1/audit?entityId=${reviewId}`)).json();
    const drafted = page.items.filter((e: { action: string }) => e.action === "REVIEW_DRAFTED");
    // Three saves by rachel within seconds (versions 2 → 3 → 4 → 5): one session of editing.
    expect(drafted).toHaveLength(1);
    expect(drafted[0]).toMatchObject({
      actor: "rachel",
      autosaves: 3,
      recordName: "Baltimore decree — 2017 review",
      after: { recommendation: null },
    });
    expect(drafted[0].before.findings?.["1"]).toBeUndefined();
    expect(drafted[0].after.findings["1"].rating).toBe("advances");
    const assigned = page.items.find((e: { action: string }) => e.action === "REVIEW_ASSIGNED");
    expect(assigned.autosaves).toBeUndefined();
    expect(assigned.names[reviewId]).toBe("Baltimore decree — 2017 review");
    expect(page.total).toBe(page.items.length);
    // The log itself keeps each entry: the CSV export lists all three.
    const csv = (await call("admin", "GET", `/api/v1/audit.csv?entityId=${reviewId}`)).body;
    expect(csv.split("\n").filter((line: string) => line.includes("REVIEW_DRAFTED"))).toHaveLength(3);
  });

  it("hides drafts from viewers and keeps monitors out", async () => {
    expect((await call("viewer", "GET", `/api/v1/reviews/${reviewId}`)).statusCode).toBe(404);
    expect((await call("viewer", "GET", "/api/v1/reviews")).json().total).toBe(0);
    expect((await call("monitor", "GET", "/api/v1/reviews")).statusCode).toBe(403);
    expect((await call("monitor", "GET", "/api/v1/review-cycles")).statusCode).toBe(403);
  });

  it("refuses to submit an incomplete review, naming what is missing", async () => {
    const res = await move("reviewer", "submit");
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      "findings.2.rating",
      "recommendation",
    ]);
    const approveDraft = await move("approver", "approve");
    expect(approveDraft.statusCode).toBe(409);
    expect(approveDraft.json().detail).toContain('The review is "drafting"');
  });

  it("goes submit → return with comments → amend → submit → approve, each audited", async () => {
    const done = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      {
        findings: { "2": { rating: "neutral" } },
        recommendation: "retain",
        recommendationRationale: "Working",
      },
      { "if-match": '"5"' },
    );
    expect(done.statusCode).toBe(200);
    expect((await move("reviewer", "submit")).json().status).toBe("submitted");
    // A reviewer cannot approve; nobody can edit a submitted review.
    expect((await move("reviewer", "approve")).statusCode).toBe(403);
    const edit = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { recommendation: "modify" },
      { "if-match": '"7"' },
    );
    expect(edit.statusCode).toBe(409);
    expect((await call("viewer", "GET", `/api/v1/reviews/${reviewId}`)).statusCode).toBe(200);

    const noComment = await move("approver", "return", { comment: "" });
    expect(noComment.statusCode).toBe(400);
    const returned = await move("approver", "return", {
      comment: "Cite the monitor's report",
    });
    expect(returned.json()).toMatchObject({ status: "returned", returnComment: "Cite the monitor's report" });
    const amended = await call(
      "reviewer",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { recommendationRationale: "Working, per the monitor" },
      { "if-match": `"${returned.json().version}"` },
    );
    expect(amended.json().status).toBe("returned");
    await move("reviewer", "submit");
    const approved = await move("approver", "approve");
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      status: "approved",
      approvedBy: { username: "abe" },
      changedSinceApproval: false,
      snapshot: { slug: decree.slug, events: [{}] },
    });
    const history = (await call("reviewer", "GET", `/api/v1/reviews/${reviewId}/history`)).json();
    // rachel's four saves before submitting (the first, the winner of the two simultaneous
    // saves, putting it back, and completing it) read as one session of editing.
    expect(
      history.items
        .map((e: { action: string; autosaves?: number }) => [e.action, e.autosaves ?? 1])
        .reverse(),
    ).toEqual([
      ["REVIEW_ASSIGNED", 1],
      ["REVIEW_DRAFTED", 4],
      ["REVIEW_SUBMITTED", 1],
      ["REVIEW_RETURNED", 1],
      ["REVIEW_DRAFTED", 1],
      ["REVIEW_SUBMITTED", 1],
      ["REVIEW_APPROVED", 1],
    ]);
    // Filtered to drafts alone, the return between rachel's two sessions still parts them.
    const drafts = (
      await call("admin", "GET", `/api/v1/audit?entityId=${reviewId}&action=REVIEW_DRAFTED`)
    ).json();
    expect(drafts.items.map((e: { autosaves?: number }) => e.autosaves ?? 1)).toEqual([1, 4]);
    expect(history.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      "REVIEW_ASSIGNED",
      "REVIEW_DRAFTED",
      "REVIEW_SUBMITTED",
      "REVIEW_RETURNED",
      "REVIEW_DRAFTED",
      "REVIEW_SUBMITTED",
      "REVIEW_APPROVED",
    ]);
    expect((await call("viewer", "GET", `/api/v1/reviews/${reviewId}/history`)).statusCode).toBe(403);
  });

  it("flags an approved review when its matter changes, saying what changed", async () => {
    await buildEvent(t.app, {
      matterId: decree.id,
      kind: "hearing",
      date: "2017-10-01",
      title: "Status hearing",
    });
    const review = (await call("approver", "GET", `/api/v1/reviews/${reviewId}`)).json();
    expect(review.changedSinceApproval).toBe(true);
    expect(review.changes).toMatchObject([
      { action: "EVENT_CREATED", entity: "event", what: "Status hearing" },
    ]);
    // A new document on the matter is a change too.
    const form = new FormData();
    form.append("title", "Monitor's third report");
    form.append("file", new Blob(["The monitor finds progress."]), "report.txt");
    const added = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${decree.slug}/documents`,
      body: form,
    });
    expect(added.statusCode).toBe(201);
    const again = (await call("approver", "GET", `/api/v1/reviews/${reviewId}`)).json();
    expect(again.changes.map((c: { entity: string; what: string }) => `${c.entity}: ${c.what}`)).toEqual([
      "document: Monitor's third report",
      "event: Status hearing",
    ]);
    const board = (await call("viewer", "GET", "/api/v1/review-cycles/review-2017/board")).json();
    expect(board).toMatchObject({
      total: 1,
      byStatus: { approved: 1 },
      byRecommendation: { retain: 1 },
      changedSinceApproval: 1,
      byCriterion: [
        { code: "1", ratings: { advances: 1 } },
        { code: "2", ratings: { neutral: 1 } },
      ],
    });
  });

  it("locks an approved review; an administrator reopens it with a reason", async () => {
    const noReason = await move("admin", "reopen", {});
    expect(noReason.statusCode).toBe(400);
    expect((await move("approver", "reopen", { reason: "x" })).statusCode).toBe(403);
    const reopened = await move("admin", "reopen", {
      reason: "New hearing",
    });
    expect(reopened.json()).toMatchObject({ status: "draft", reopenReason: "New hearing", approvedAt: null });
  });

  it("does not let the approver approve a review they drafted", async () => {
    // An administrator drafts (and so submits) it; the same administrator cannot approve it.
    const r = (await call("admin", "GET", `/api/v1/reviews/${reviewId}`)).json();
    await call(
      "admin",
      "PATCH",
      `/api/v1/reviews/${reviewId}`,
      { recommendation: "modify" },
      { "if-match": `"${r.version}"` },
    );
    expect((await move("admin", "submit")).statusCode).toBe(200);
    const own = await move("admin", "approve");
    expect(own.statusCode).toBe(403);
    expect(own.json().detail).toContain("You drafted this review");
  });

  it("copies a cycle to prepare the next one", async () => {
    const copy = await call("admin", "POST", "/api/v1/review-cycles/review-2017/copy", {
      slug: "review-2025",
      name: "2025 review",
    });
    expect(copy.statusCode).toBe(201);
    expect(copy.json()).toMatchObject({
      status: "draft",
      copiedFrom: { slug: "review-2017" },
      criteria: [{ code: "1" }, { code: "2" }],
      counts: {},
    });
  });

  it("keeps a reviewed matter from being deleted", async () => {
    const res = await call("admin", "DELETE", `/api/v1/matters/${decree.slug}`, undefined, {
      "if-match": '"1"',
    });
    expect([409, 412]).toContain(res.statusCode);
    const m = (await call("admin", "GET", `/api/v1/matters/${decree.slug}`)).json();
    const del = await call("admin", "DELETE", `/api/v1/matters/${decree.slug}`, undefined, {
      "if-match": `"${m.version}"`,
    });
    expect(del.statusCode).toBe(409);
    expect(del.json().detail).toContain("has been reviewed");
  });
});

/** What a review may cite besides events, and the provisions that bear on each criterion. */
describe(`review citations of documents and provisions; criteria topics (${ENGINE})`, () => {
  let t: TestApp;
  let reviewer: string;
  let matter: { id: string; slug: string };
  let elsewhere: { id: string; slug: string };
  let reviewId: string;
  let version: number;
  const provisions = new Map<number, string>();
  let documentId: string;
  let foreignProvision: string;

  const AGREEMENT = [
    "SETTLEMENT AGREEMENT",
    "I. TRAINING AND HIRING",
    "1. The Department will provide each officer with 40 hours of annual in-service training on de-escalation.",
    "2. The Department will revise its recruitment plan to hire officers who reflect the community.",
    "II. COMMUNITY ENGAGEMENT",
    "3. The Department will hold public meetings with the community twice a year.",
  ].join("\n");

  /** Uploads the agreement to a matter, reads it, parses and accepts it: its provisions by number. */
  const provisionsOf = async (slug: string) => {
    const form = new FormData();
    form.append("kind", "agreement");
    form.append("file", new Blob([AGREEMENT]), "agreement.txt");
    const up = await t.app.inject({ method: "POST", url: `/api/v1/matters/${slug}/documents`, body: form });
    expect(up.statusCode, up.body).toBe(201);
    const docId: string = up.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
    const parse = await t.app.inject({ method: "POST", url: `/api/v1/documents/${docId}/parse` });
    expect(parse.statusCode, parse.body).toBe(201);
    const accepted = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${slug}/provisions/accept`,
      headers: { "if-match": parse.headers.etag as string },
      payload: { parseId: parse.json().id },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const list = (await t.app.inject(`/api/v1/matters/${slug}/provisions`)).json();
    return {
      docId,
      ids: new Map<number, string>(list.items.map((p: { number: number; id: string }) => [p.number, p.id])),
    };
  };

  const save = async (findings: unknown) => {
    const res = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/reviews/${reviewId}`,
      headers: { authorization: `Bearer ${reviewer}`, "if-match": `"${version}"` },
      payload: { findings } as object,
    });
    if (res.statusCode === 200) version = res.json().version;
    return res;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    reviewer = await t.tokenFor("reviewer", "cita");
    matter = await buildMatter(t.app, {
      kind: "settlement_agreement",
      status: "active",
      title: "Cited city",
    });
    elsewhere = await buildMatter(t.app, { kind: "grant", status: "active", title: "Another city" });
    const mine = await provisionsOf(matter.slug);
    for (const [n, id] of mine.ids) provisions.set(n, id);
    documentId = mine.docId;
    foreignProvision = (await provisionsOf(elsewhere.slug)).ids.get(1)!;
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles",
      payload: {
        slug: "cited-review",
        name: "Cited review",
        scope: { kinds: ["settlement_agreement"], statuses: [] },
        criteria: [
          {
            code: "6",
            title: "Does not impede recruitment and training of officers",
            topics: ["training", "recruitment_hiring"],
          },
          { code: "7", title: "No topics" },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const started = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/cited-review/start",
      headers: { "if-match": created.headers.etag as string },
    });
    expect(started.statusCode, started.body).toBe(200);
    const list = (await t.app.inject("/api/v1/reviews?cycle=cited-review")).json();
    reviewId = list.items[0].id;
    await t.app.inject({
      method: "POST",
      url: "/api/v1/reviews/assign",
      payload: { assignee: "cita", reviewIds: [reviewId] },
    });
    version = (await t.app.inject(`/api/v1/reviews/${reviewId}`)).json().version;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("keeps each criterion's topics, refuses unknown ones, and copies them", async () => {
    const cycle = (await t.app.inject("/api/v1/review-cycles/cited-review")).json();
    expect(cycle.criteria.map((c: { topics: string[] }) => c.topics)).toEqual([
      ["training", "recruitment_hiring"],
      [],
    ]);
    const draft = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles",
      payload: { slug: "topics-draft", name: "Draft", criteria: [{ code: "1", title: "One" }] },
    });
    const bad = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/review-cycles/topics-draft",
      headers: { "if-match": `"${draft.json().version}"` },
      payload: { criteria: [{ code: "1", title: "One", topics: ["hiring"] }] },
    });
    expect(bad.statusCode).toBe(400);
    const good = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/review-cycles/topics-draft",
      headers: { "if-match": `"${draft.json().version}"` },
      payload: { criteria: [{ code: "1", title: "One", topics: ["officer_wellness"] }] },
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().criteria[0].topics).toEqual(["officer_wellness"]);
    const copy = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/cited-review/copy",
      payload: { slug: "cited-review-2", name: "Cited review, again" },
    });
    expect(copy.json().criteria[0].topics).toEqual(["training", "recruitment_hiring"]);
  });

  it("lists the matter's provisions bearing on a criterion by its topics, any of several", async () => {
    const cycle = (await t.app.inject("/api/v1/review-cycles/cited-review")).json();
    const topics = cycle.criteria[0].topics.join(",");
    const res = await t.anonymous({
      url: `/api/v1/matters/${matter.slug}/provisions?topic=${topics}`,
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((p: { number: number }) => p.number)).toEqual([1, 2]);
  });

  it("cites the matter's documents (with a page) and provisions, each provision by its number", async () => {
    const res = await save({
      "6": {
        rating: "advances",
        citations: [
          { type: "document", id: documentId, page: 1, label: "The agreement" },
          { type: "provision", id: provisions.get(2)!, label: "¶ 2 — The Department will revise" },
          // A number sent is replaced by the provision's own.
          { type: "provision", id: provisions.get(1)!, number: 99 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().findings["6"].citations).toEqual([
      { type: "document", id: documentId, page: 1, label: "The agreement" },
      { type: "provision", id: provisions.get(2), label: "¶ 2 — The Department will revise", number: 2 },
      { type: "provision", id: provisions.get(1), number: 1 },
    ]);
    const report = (await t.app.inject("/api/v1/review-cycles/cited-review/report.json")).json();
    const finding = report.reviews[0].findings["6"];
    expect(finding.citations.map((c: { number?: number }) => c.number)).toEqual([undefined, 2, 1]);
    expect(finding.citationLabels).toEqual([
      "The agreement, p. 1",
      "¶ 2 — The Department will revise its recruitment plan to hire officers…",
      "¶ 1 — The Department will provide each officer with 40 hours of…",
    ]);
  });

  it("refuses a provision of another matter, and a page or number on the wrong kind of citation", async () => {
    const foreign = await save({
      "7": { rating: "neutral", citations: [{ type: "provision", id: foreignProvision }] },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0]).toMatchObject({
      path: "findings.7.citations.0",
      message: "No such provision in this matter's decree",
    });
    const missing = await save({
      "7": {
        rating: "neutral",
        citations: [{ type: "provision", id: "00000000-0000-4000-8000-000000000000" }],
      },
    });
    expect(missing.statusCode).toBe(400);
    const pageOnProvision = await save({
      "7": { rating: "neutral", citations: [{ type: "provision", id: provisions.get(3)!, page: 2 }] },
    });
    expect(pageOnProvision.statusCode).toBe(400);
    expect(pageOnProvision.json().errors[0]).toMatchObject({ path: "findings.7.citations.0.page" });
    const numberOnDocument = await save({
      "7": { rating: "neutral", citations: [{ type: "document", id: documentId, number: 3 }] },
    });
    expect(numberOnDocument.statusCode).toBe(400);
    expect(numberOnDocument.json().errors[0]).toMatchObject({ path: "findings.7.citations.0.number" });
  });
});
