import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import {
  buildEvent,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  monitorIfMatch,
  requests,
  type TestApp,
} from "./helpers.js";

interface Inbox {
  items: {
    id: string;
    kind: string;
    title: string;
    detail: string | null;
    link: string;
    readAt: string | null;
  }[];
  total: number;
  unread: number;
}

describe(`watches and the inbox (${ENGINE})`, () => {
  let t: TestApp;
  const token: Record<"rita" | "mona" | "abe" | "vera", string> = { rita: "", mona: "", abe: "", vera: "" };
  const as = (who: keyof typeof token, method: string, url: string, payload?: unknown) =>
    t.anonymous({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${token[who]}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const inbox = async (who: keyof typeof token) =>
    (await as(who, "GET", "/api/v1/notifications")).json() as Inbox;
  /** What the server's job runner does after each change: reads the audit log, writes notifications. */
  const runJobs = () => runPendingJobs({ db: t.database.db, dataDir: t.dataDir });

  beforeAll(async () => {
    t = await buildTestApp();
    token.rita = await t.tokenFor("reviewer", "rita");
    token.mona = await t.tokenFor("monitor", "mona");
    token.abe = await t.tokenFor("approver", "abe");
    token.vera = await t.tokenFor("viewer", "vera");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("watches a matter and hears of its new events once the job runner has run", async () => {
    const matter = await buildMatter(t.app, { title: "Baltimore consent decree" });
    const watch = await as("rita", "POST", "/api/v1/watches", { target: "matter", key: matter.slug });
    expect(watch.statusCode, watch.body).toBe(201);
    expect(watch.json()).toMatchObject({
      target: "matter",
      targetId: matter.id,
      label: "Baltimore consent decree",
      link: `/matters/${matter.slug}`,
    });
    const again = await as("rita", "POST", "/api/v1/watches", { target: "matter", key: matter.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("watch_exists");

    await buildEvent(t.app, {
      matterId: matter.id,
      title: "Status hearing on the monitor's plan",
      date: "2030-02-03",
    });
    // Produced after the change commits, by the job runner, never by the change itself.
    expect((await inbox("rita")).total).toBe(0);
    await runJobs();
    const after = await inbox("rita");
    expect(after).toMatchObject({ total: 1, unread: 1 });
    expect(after.items[0]).toMatchObject({
      kind: "event_added",
      title: "New event: Status hearing on the monitor's plan",
      detail: "2030-02-03 · Baltimore consent decree",
      link: `/matters/${matter.slug}/timeline`,
      readAt: null,
    });
    // Running again tells nobody twice.
    await runJobs();
    expect((await inbox("rita")).total).toBe(1);

    // A watch tells of what happens after it is set up, even when the runner comes to it later.
    const earlier = await buildMatter(t.app, { title: "Watched late" });
    await buildEvent(t.app, { matterId: earlier.id, title: "Before the watch" });
    await as("rita", "POST", "/api/v1/watches", { target: "matter", key: earlier.slug });
    await runJobs();
    expect((await inbox("rita")).total).toBe(1);

    const read = await as("rita", "POST", `/api/v1/notifications/${after.items[0]!.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect((await inbox("rita")).unread).toBe(0);
    // Someone else's notification is not found.
    expect((await as("vera", "POST", `/api/v1/notifications/${after.items[0]!.id}/read`)).statusCode).toBe(
      404,
    );
  });

  it("tells nobody of their own change, and follows a jurisdiction's matters and documents", async () => {
    const place = await buildJurisdiction(t.app, { name: "Chicago" });
    const { ok } = requests(t.app);
    await ok("POST", "/api/v1/watches", { target: "jurisdiction", key: place.slug }); // the administrator
    expect(
      (await as("vera", "POST", "/api/v1/watches", { target: "jurisdiction", key: place.id })).statusCode,
    ).toBe(201);
    const matter = await buildMatter(t.app, { title: "Chicago consent decree", jurisdictionId: place.id });
    await buildEvent(t.app, { matterId: matter.id, title: "Findings issued", kind: "findings_issued" });
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${"c".repeat(64)}, 10, 'text/plain') on conflict do nothing`,
    );
    // A document added through the API is audited DOCUMENT_ADDED; uploads need files, so one
    // upload of text is made through the documents route.
    const form = new FormData();
    form.append("kind", "news");
    form.append("file", new Blob(["The city and the department agreed."]), "agreement-news.txt");
    const up = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    await runJobs();
    const vera = await inbox("vera");
    expect(vera.items.map((n) => n.kind).sort()).toEqual(["document_added", "event_added"]);
    expect(vera.items.find((n) => n.kind === "document_added")!.link).toMatch(/^\/documents\/[0-9a-f-]{36}$/);
    const admin = (await ok<Inbox>("GET", "/api/v1/notifications")).total;
    expect(admin).toBe(0);
  });

  it("never tells a monitor of a matter outside their scope, even through keywords", async () => {
    const assigned = await buildMatter(t.app, { title: "Springfield decree" });
    const other = await buildMatter(t.app, { title: "Shelbyville decree" });
    const { ok } = requests(t.app);
    await ok(
      "PUT",
      `/api/v1/matters/${assigned.slug}/assignments/mona`,
      undefined,
      await monitorIfMatch(t.app, "mona"),
    );
    // Nor can they watch the other matter: it does not exist for them.
    expect(
      (await as("mona", "POST", "/api/v1/watches", { target: "matter", key: other.slug })).statusCode,
    ).toBe(404);
    const watch = await as("mona", "POST", "/api/v1/watches", {
      target: "keywords",
      keywords: "Use of  Force",
    });
    expect(watch.json()).toMatchObject({
      target: "keywords",
      keywords: "use of force",
      label: "use of force",
    });
    expect(
      (await as("rita", "POST", "/api/v1/watches", { target: "keywords", keywords: "use of force" }))
        .statusCode,
    ).toBe(201);
    await buildEvent(t.app, { matterId: other.id, title: "Hearing on the use of force policy" });
    await buildEvent(t.app, { matterId: assigned.id, title: "Order on use of force training" });
    await buildEvent(t.app, { matterId: assigned.id, title: "Order on recruitment" });
    await runJobs();
    const mona = await inbox("mona");
    expect(mona.items.map((n) => n.title)).toEqual(["New event: Order on use of force training"]);
    expect(JSON.stringify(mona)).not.toContain("Shelbyville");
    // A reviewer reads every matter: both.
    const rita = await inbox("rita");
    expect(rita.items.filter((n) => n.title.includes("use of force")).length).toBe(2);
  });

  it("tells a reviewer of a review assigned to them", async () => {
    const matter = await buildMatter(t.app, { kind: "settlement_agreement", title: "Reviewed agreement" });
    const { ok } = requests(t.app);
    const cycle = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles",
      payload: {
        slug: "notify-review",
        name: "Notified review",
        scope: { kinds: ["settlement_agreement"], statuses: [] },
        criteria: [{ code: "1", title: "Protects civil rights" }],
      },
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    const started = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/notify-review/start",
      headers: { "if-match": cycle.headers.etag as string },
    });
    expect(started.statusCode, started.body).toBe(200);
    const list = await ok<{ items: { id: string; matter: { slug: string } }[] }>(
      "GET",
      "/api/v1/reviews?cycle=notify-review",
    );
    const review = list.items.find((r) => r.matter.slug === matter.slug)!;
    await ok("POST", "/api/v1/reviews/assign", { assignee: "rita", reviewIds: [review.id] });
    await runJobs();
    const assigned = (await inbox("rita")).items.find((n) => n.kind === "review_assigned");
    expect(assigned).toMatchObject({
      title: "Review assigned to you: Reviewed agreement",
      detail: "Notified review",
      link: `/reviews/notify-review/${review.id}`,
    });
    expect((await inbox("abe")).items.filter((n) => n.kind === "review_assigned")).toEqual([]);
  });

  it("tells watchers of a provision when its rating goes down from one period to the next", async () => {
    const matter = await buildMatter(t.app, { title: "Rated decree" });
    const [provision] = await queryRows<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
        values (${matter.id}, 12, '¶ 12', '[]'::jsonb, '¶ 12', 'The text of paragraph 12', '[]'::jsonb) returning id`,
    );
    const watch = await as("vera", "POST", "/api/v1/watches", { target: "provision", key: provision!.id });
    expect(watch.json()).toMatchObject({
      label: "¶ 12 · Rated decree",
      link: `/provisions/${provision!.id}`,
    });
    const { ok } = requests(t.app);
    const first = await ok<{ id: string }>("POST", `/api/v1/matters/${matter.slug}/periods`, {
      label: "First",
      endsOn: "2024-06-30",
    });
    const second = await ok<{ id: string }>("POST", `/api/v1/matters/${matter.slug}/periods`, {
      label: "Second",
      endsOn: "2024-12-31",
    });
    const rate = (periodId: string, level: string) =>
      ok("PUT", `/api/v1/matters/${matter.slug}/assessments`, {
        items: [{ provisionId: provision!.id, periodId, level }],
      });
    await rate(first.id, "secondary");
    await rate(second.id, "full"); // up: nothing to tell
    await runJobs();
    expect((await inbox("vera")).items.filter((n) => n.kind === "rating_lowered")).toEqual([]);
    await rate(second.id, "preliminary"); // corrected down, below the first period too
    await runJobs();
    const lowered = (await inbox("vera")).items.filter((n) => n.kind === "rating_lowered");
    expect(lowered).toMatchObject([
      {
        title: "Rating went down: ¶ 12 of Rated decree",
        detail: "¶ 12 Second: Full → Preliminary",
        link: `/provisions/${provision!.id}`,
      },
    ]);
  });

  it("keeps preferences per kind: a kind turned off reaches no inbox", async () => {
    const defaults = (await as("vera", "GET", "/api/v1/notifications/preferences")).json();
    expect(defaults).toMatchObject({
      email: null,
      emailMode: "off",
      emailAvailable: false,
      kinds: { event_added: { inApp: true, email: true }, deadline_missed: { inApp: true, email: true } },
    });
    const saved = await as("vera", "PUT", "/api/v1/notifications/preferences", {
      kinds: { event_added: { inApp: false, email: false } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().kinds.event_added).toEqual({ inApp: false, email: false });
    const refused = await as("vera", "PUT", "/api/v1/notifications/preferences", { kinds: { bogus: {} } });
    expect(refused.statusCode).toBe(400);
    const matter = await buildMatter(t.app, { title: "Muted decree" });
    await as("vera", "POST", "/api/v1/watches", { target: "matter", key: matter.slug });
    const before = (await inbox("vera")).total;
    await buildEvent(t.app, { matterId: matter.id, title: "Muted hearing" });
    await runJobs();
    expect((await inbox("vera")).total).toBe(before);
  });

  it("lists, marks all read and deletes one's own watches only", async () => {
    const mine = (await as("rita", "GET", "/api/v1/watches")).json().items as { id: string }[];
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect((await as("vera", "DELETE", `/api/v1/watches/${mine[0]!.id}`)).statusCode).toBe(404);
    expect((await as("rita", "DELETE", `/api/v1/watches/${mine[0]!.id}`)).statusCode).toBe(204);
    expect((await as("rita", "GET", "/api/v1/watches")).json().items.length).toBe(mine.length - 1);
    const all = await as("rita", "POST", "/api/v1/notifications/read-all");
    expect(all.json().marked).toBeGreaterThan(0);
    expect((await inbox("rita")).unread).toBe(0);
    expect((await as("rita", "GET", "/api/v1/notifications?unread=true")).json().items).toEqual([]);
  });
});

describe(`what changed since my last visit (${ENGINE})`, () => {
  let t: TestApp;
  let vera = "";
  let mona = "";
  const as = (who: string, method: string, url: string) =>
    t.anonymous({ method: method as "GET", url, headers: { authorization: `Bearer ${who}` } });

  beforeAll(async () => {
    t = await buildTestApp();
    vera = await t.tokenFor("viewer", "vera");
    mona = await t.tokenFor("monitor", "mona");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists others' changes the caller may read since the marker, then starts again from now", async () => {
    const seen = await buildMatter(t.app, { title: "Visible decree" });
    const hidden = await buildMatter(t.app, { title: "Unassigned decree" });
    await requests(t.app).ok(
      "PUT",
      `/api/v1/matters/${seen.slug}/assignments/mona`,
      undefined,
      await monitorIfMatch(t.app, "mona"),
    );
    await buildEvent(t.app, { matterId: hidden.id, title: "Hidden hearing" });
    const first = (await as(vera, "GET", "/api/v1/since-last-visit")).json();
    expect(first.marked).toBe(false);
    expect(first.items.map((c: { title: string }) => c.title)).toEqual(
      expect.arrayContaining(["Visible decree", "Unassigned decree", "Hidden hearing"]),
    );
    expect(first.items.find((c: { title: string }) => c.title === "Hidden hearing")).toMatchObject({
      action: "EVENT_CREATED",
      label: "Event created",
      actor: "tester",
      link: `/matters/${hidden.slug}/timeline`,
    });
    const monitor = (await as(mona, "GET", "/api/v1/since-last-visit")).json();
    // Its creation and the monitor's assignment; nothing of the other matter.
    expect(new Set(monitor.items.map((c: { title: string }) => c.title))).toEqual(
      new Set(["Visible decree"]),
    );

    const marked = await as(vera, "POST", "/api/v1/since-last-visit/seen");
    expect(marked.statusCode).toBe(200);
    expect((await as(vera, "GET", "/api/v1/since-last-visit")).json()).toMatchObject({
      since: marked.json().lastVisitAt,
      marked: true,
      items: [],
      total: 0,
    });
    await buildEvent(t.app, { matterId: seen.id, title: "New hearing" });
    const next = (await as(vera, "GET", "/api/v1/since-last-visit")).json();
    expect(next.items.map((c: { title: string }) => c.title)).toEqual(["New hearing"]);
  });
});
