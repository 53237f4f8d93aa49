import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import {
  buildEvent,
  buildMatter,
  buildTestApp,
  ENGINE,
  requests,
  type TestApp,
  uniqueSlug,
} from "./helpers.js";

/**
 * The calendar, deadlines that can be met, and ICS feeds: one definition of overdue across the
 * deadlines lists, the compliance view and the calendar; met, waived, extended and assigned
 * occurrences; a postponed hearing's history; feeds read back by ical.js.
 */
const TODAY = "2026-03-01";

interface Occurrence {
  deadlineId: string;
  date: string;
  dueOn: string;
  overdue: boolean;
  duty: string | null;
  status: {
    state: string;
    version: number;
    metOn: string | null;
    extendedTo: string | null;
    assignee: { id: string } | null;
  };
  provision: { number: number };
}
interface CalendarAnswer {
  items: {
    uid: string;
    kind: string;
    date: string;
    time: string | null;
    timeZone: string | null;
    state: string;
    event: { history: { date: string | null; status: string | null }[] } | null;
    deadline: Occurrence | null;
  }[];
  series: { deadlineId: string; inWindow: number; provision: { number: number } }[];
  overdueDefinition: string;
}

describe(`calendar, deadline actions and feeds (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let other: { id: string; slug: string };
  const deadlines = new Map<number, string>();
  let evidence: string;
  let otherEvidence: string;
  let hearing: { id: string; slug: string; version: number };
  let monitorToken: string;
  let viewerToken: string;
  let reviewerToken: string;
  let reviewerId: string;

  const send: ReturnType<typeof requests>["send"] = (...a) => requests(t.app).send(...a);
  const ok = <T>(...a: Parameters<ReturnType<typeof requests>["send"]>) => requests(t.app).ok<T>(...a);
  const as = (
    token: string,
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.anonymous({
      method: method as "POST",
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function insertProvision(matterId: string, number: number, text: string) {
    const row = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
          values (${matterId}, ${number}, ${`¶ ${number}`}, '[]'::jsonb, ${`¶ ${number}`}, ${text}, '[]'::jsonb) returning id`,
    );
    return row!.id;
  }
  async function insertDeadline(
    provisionId: string,
    phrase: string,
    d: { offset?: object; recurrence?: object; anchor: object },
  ) {
    const row = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provision_deadlines (provision_id, phrase, "offset", recurrence, anchor)
          values (${provisionId}, ${phrase}, ${d.offset ? JSON.stringify(d.offset) : null}::jsonb,
            ${d.recurrence ? JSON.stringify(d.recurrence) : null}::jsonb, ${JSON.stringify(d.anchor)}::jsonb) returning id`,
    );
    return row!.id;
  }
  async function insertDocument(matterId: string, title: string) {
    const sha = randomUUID().replaceAll("-", "").padEnd(64, "0");
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, 10, 'text/plain')`,
    );
    const row = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status)
          values (${matterId}, ${sha}, 'monitor_report', ${title}, ${`${title}.txt`}, 'ready') returning id`,
    );
    return row!.id;
  }
  const overdueOf = async (slug: string) =>
    (await ok<{ items: Occurrence[] }>("GET", `/api/v1/matters/${slug}/deadlines?overdue=true&limit=1000`))
      .items;
  const complianceOverdue = async (slug: string) =>
    (
      await ok<{ overdueDeadlines: { id: string; dueOn: string }[] }>(
        "GET",
        `/api/v1/matters/${slug}/compliance`,
      )
    ).overdueDeadlines;
  const dashboardOverdue = async (matterId: string) =>
    (
      await ok<{ items: Occurrence[] & { matter: { id: string } }[] }>(
        "GET",
        "/api/v1/deadlines?overdue=true&limit=1000",
      )
    ).items.filter((o) => (o as unknown as { matter: { id: string } }).matter.id === matterId);
  const calendar = (query: string, token?: string) =>
    token
      ? as(token, "GET", `/api/v1/calendar?${query}`).then((r) => r.json() as CalendarAnswer)
      : ok<CalendarAnswer>("GET", `/api/v1/calendar?${query}`);
  const act = (verb: string, id: string, body: object, version: number | null, token?: string) =>
    token
      ? as(
          token,
          "POST",
          `/api/v1/deadlines/${id}/${verb}`,
          body,
          version === null ? {} : { "if-match": `"${version}"` },
        )
      : send(
          "POST",
          `/api/v1/deadlines/${id}/${verb}`,
          body,
          version === null ? {} : { "if-match": `"${version}"` },
        );

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`) });
    matter = await buildMatter(t.app, { title: "Calendar decree", enteredOn: "2025-01-06" });
    other = await buildMatter(t.app, { title: "Another decree", enteredOn: "2025-01-06" });
    const p1 = await insertProvision(
      matter.id,
      1,
      "Definitions come first. The City shall adopt a use of force policy within 90 days of the Effective Date. Training follows.",
    );
    const p2 = await insertProvision(
      matter.id,
      2,
      "The Monitor shall report to the Court annually on progress.",
    );
    const p3 = await insertProvision(
      matter.id,
      3,
      "The City shall publish its data by March 15, 2026 on its website.",
    );
    const p4 = await insertProvision(matter.id, 4, "The Parties shall meet weekly to review incidents.");
    deadlines.set(
      1,
      await insertDeadline(p1, "within 90 days of the Effective Date", {
        offset: { n: 90, unit: "day" },
        anchor: { kind: "effective_date" },
      }),
    );
    deadlines.set(
      2,
      await insertDeadline(p2, "annually", {
        recurrence: { n: 1, unit: "year" },
        anchor: { kind: "effective_date" },
      }),
    );
    deadlines.set(
      3,
      await insertDeadline(p3, "by March 15, 2026", { anchor: { kind: "date", date: "2026-03-15" } }),
    );
    deadlines.set(
      4,
      await insertDeadline(p4, "weekly", {
        recurrence: { n: 1, unit: "week" },
        anchor: { kind: "effective_date" },
      }),
    );
    evidence = await insertDocument(matter.id, "Monitor's first report");
    otherEvidence = await insertDocument(other.id, "Someone else's report");
    hearing = await buildEvent(t.app, {
      matterId: matter.id,
      date: "2026-03-10",
      time: "10:00",
      status: "scheduled",
      title: "Status hearing",
    });
    monitorToken = await t.tokenFor("monitor", uniqueSlug("mona"));
    viewerToken = await t.tokenFor("viewer");
    const reviewerName = uniqueSlug("rita");
    reviewerToken = await t.tokenFor("reviewer", reviewerName);
    reviewerId = (await ok<{ id: string }>("GET", `/api/v1/users/${reviewerName}`)).id;
  });
  afterAll(() => t?.close());

  it("counts overdue once: the deadlines lists, the compliance view and the dashboard agree", async () => {
    const listed = await overdueOf(matter.slug);
    // ¶ 1 (90 days after 2025-01-06), ¶ 2's latest past year, ¶ 4's latest past week.
    expect(listed.map((o) => [o.provision.number, o.date]).sort()).toEqual([
      [1, "2025-04-06"],
      [2, "2026-01-06"],
      [4, "2026-02-23"],
    ]);
    expect((await complianceOverdue(matter.slug)).map((o) => o.dueOn).sort()).toEqual(
      listed.map((o) => o.date).sort(),
    );
    expect((await dashboardOverdue(matter.id)).length).toBe(3);
    // The duty's sentence, not just its cue word.
    expect(listed.find((o) => o.provision.number === 1)!.duty).toBe(
      "The City shall adopt a use of force policy within 90 days of the Effective Date.",
    );
    expect(listed.find((o) => o.provision.number === 2)!.duty).toBe(
      "The Monitor shall report to the Court annually on progress.",
    );
  });

  it("marks an occurrence met with evidence: If-Match, 412 when stale, evidence of the matter only, audited", async () => {
    const id = deadlines.get(1)!;
    const body = { dueOn: "2025-04-06", metOn: "2025-04-01", evidence: [{ documentId: evidence, page: 12 }] };
    expect((await act("met", id, body, null)).statusCode).toBe(428);
    const wrongDay = await act("met", id, { ...body, dueOn: "2025-04-07" }, 0);
    expect(wrongDay.statusCode, wrongDay.body).toBe(409);
    expect(wrongDay.json()).toMatchObject({ code: "no_such_occurrence" });
    const foreign = await act("met", id, { ...body, evidence: [{ documentId: otherEvidence }] }, 0);
    expect(foreign.statusCode, foreign.body).toBe(400);
    expect(foreign.headers["content-type"]).toContain("application/problem+json");
    const noEvidence = await act("met", id, { ...body, evidence: [] }, 0);
    expect(noEvidence.statusCode).toBe(400);

    const met = await act("met", id, body, 0);
    expect(met.statusCode, met.body).toBe(200);
    expect(met.headers.etag).toBe('"1"');
    expect(met.json()).toMatchObject({
      dueOn: "2025-04-06",
      overdue: false,
      status: {
        state: "met",
        metOn: "2025-04-01",
        evidence: [{ documentId: evidence, page: 12, title: "Monitor's first report" }],
        version: 1,
      },
    });
    const stale = await act("met", id, { ...body, metOn: "2025-04-02" }, 0);
    expect(stale.statusCode).toBe(412);

    // One definition: every list drops it at once.
    expect((await overdueOf(matter.slug)).map((o) => o.provision.number).sort()).toEqual([2, 4]);
    expect((await complianceOverdue(matter.slug)).length).toBe(2);
    expect((await dashboardOverdue(matter.id)).length).toBe(2);

    const audit = await queryRows<{ action: string; after: { state: string; dueOn: string } }>(
      t.database.db,
      sql`select action, after from audit_entries where entity = 'provision_deadline' and entity_id = ${id}`,
    );
    expect(audit).toEqual([
      { action: "DEADLINE_MET", after: expect.objectContaining({ state: "met", dueOn: "2025-04-06" }) },
    ]);
  });

  it("extends an occurrence by an order, waives one, assigns one, and reopens", async () => {
    const order = await buildEvent(t.app, {
      matterId: matter.id,
      kind: "order",
      date: "2026-01-02",
      title: "Order extending the annual report",
    });
    const annual = deadlines.get(2)!;
    const early = await act(
      "extend",
      annual,
      { dueOn: "2026-01-06", extendedTo: "2026-01-01", eventId: order.id },
      0,
    );
    expect(early.statusCode).toBe(400);
    const noOrder = await act("extend", annual, { dueOn: "2026-01-06", extendedTo: "2026-04-01" }, 0);
    expect(noOrder.statusCode).toBe(400);
    const extended = await act(
      "extend",
      annual,
      { dueOn: "2026-01-06", extendedTo: "2026-04-01", eventId: order.id },
      0,
    );
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json()).toMatchObject({
      date: "2026-04-01",
      dueOn: "2026-01-06",
      overdue: false,
      status: {
        extendedTo: "2026-04-01",
        extendedBy: { eventId: order.id, title: "Order extending the annual report" },
      },
    });

    const weekly = deadlines.get(4)!;
    expect((await act("waive", weekly, { dueOn: "2026-02-23" }, 0)).statusCode).toBe(400);
    const waived = await act(
      "waive",
      weekly,
      { dueOn: "2026-02-23", note: "The parties agreed to skip this meeting" },
      0,
    );
    expect(waived.json()).toMatchObject({ status: { state: "waived" }, overdue: false });
    expect(await overdueOf(matter.slug)).toEqual([]);
    expect(await complianceOverdue(matter.slug)).toEqual([]);

    const assigned = await act(
      "assign",
      deadlines.get(3)!,
      { dueOn: "2026-03-15", userId: reviewerId, office: "Compliance Bureau" },
      0,
    );
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({
      status: { assignee: { id: reviewerId }, office: "Compliance Bureau", version: 1 },
    });

    // A mistake undone: the waived week is overdue again.
    const reopened = await act("reopen", weekly, { dueOn: "2026-02-23" }, 1);
    expect(reopened.json()).toMatchObject({ status: { state: "open", version: 2 }, overdue: true });
    expect((await overdueOf(matter.slug)).map((o) => o.provision.number)).toEqual([4]);
  });

  it("lets only roles that manage deadlines act, a monitor only on their matters", async () => {
    const id = deadlines.get(3)!;
    const body = { dueOn: "2026-03-15", note: "Not needed" };
    expect(
      (await as(viewerToken, "POST", `/api/v1/deadlines/${id}/waive`, body, { "if-match": '"1"' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.anonymous({ method: "POST", url: `/api/v1/deadlines/${id}/waive`, payload: body })).statusCode,
    ).toBe(401);
    // A monitor of another matter: the deadline does not exist for them.
    const outside = await as(monitorToken, "POST", `/api/v1/deadlines/${id}/waive`, body, {
      "if-match": '"1"',
    });
    expect(outside.statusCode, outside.body).toBe(404);
    expect((await calendar("from=2026-03-01&to=2026-03-31", monitorToken)).items).toEqual([]);
  });

  it("shows hearings, deadlines and one series per recurring duty in a window, with filters", async () => {
    const march = await calendar(`from=2026-03-01&to=2026-03-31&matter=${matter.slug}`);
    const h = march.items.find((i) => i.kind === "hearing")!;
    expect(h).toMatchObject({
      date: "2026-03-10",
      time: "10:00",
      timeZone: "America/New_York",
      state: "scheduled",
    });
    // The weekly duty: only its dates in the window, listed once as a series.
    const weekly = march.items.filter((i) => i.deadline?.deadlineId === deadlines.get(4));
    expect(weekly.map((i) => i.date)).toEqual([
      "2026-03-02",
      "2026-03-09",
      "2026-03-16",
      "2026-03-23",
      "2026-03-30",
    ]);
    expect(march.series).toEqual([expect.objectContaining({ deadlineId: deadlines.get(4), inWindow: 5 })]);
    expect(march.overdueDefinition).toMatch(/not marked met or waived/);
    // The annual report extended to 1 April is in April, not January.
    const april = await calendar(`from=2026-04-01&to=2026-04-30&matter=${matter.slug}&kind=deadline`);
    expect(april.items.find((i) => i.deadline?.deadlineId === deadlines.get(2))).toMatchObject({
      date: "2026-04-01",
    });
    expect(april.items.every((i) => i.kind === "deadline")).toBe(true);
    const hearingsOnly = await calendar(`from=2026-03-01&to=2026-03-31&matter=${matter.slug}&kind=hearing`);
    expect(hearingsOnly.items.map((i) => i.kind)).toEqual(["hearing"]);
    const overdue = await calendar(`from=2026-01-01&to=2026-03-31&matter=${matter.slug}&state=overdue`);
    expect(overdue.items.map((i) => i.date)).toEqual(["2026-02-23"]);
    // Mine: the reviewer answers for ¶ 3 only.
    const mine = await calendar(`from=2026-03-01&to=2026-03-31&mine=true`, reviewerToken);
    expect(mine.items.map((i) => i.deadline?.provision.number)).toEqual([3]);
    const tooWide = await send("GET", "/api/v1/calendar?from=2026-01-01&to=2027-12-31");
    expect(tooWide.statusCode).toBe(400);
  });

  it("serves feeds ical.js reads: stable UIDs, a moved hearing's sequence, a cancelled one, revocable tokens", async () => {
    const feed = await ok<{ id: string; token: string; path: string }>("POST", "/api/v1/calendar-feeds", {
      name: "Work calendar",
    });
    expect(feed.path).toBe(`/api/v1/calendar.ics?token=${feed.token}`);
    const read = async (url: string) => {
      const res = await t.anonymous(url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toContain("text/calendar");
      for (const line of res.body.split("\r\n"))
        expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
      const cal = new ICAL.Component(ICAL.parse(res.body));
      for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
      return cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    };
    const hearingUid = `event-${hearing.id}@accord`;
    const before = await read(feed.path);
    const h0 = before.find((e) => e.uid === hearingUid)!;
    expect(h0.startDate.zone?.tzid).toBe("America/New_York");
    expect(h0.startDate.toJSDate().toISOString()).toBe("2026-03-10T14:00:00.000Z");
    // Every occurrence in the window is an entry, each UID once.
    const uids = before.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toContain(`deadline-${deadlines.get(1)}-2025-04-06@accord`);
    const met = before.find((e) => e.uid === `deadline-${deadlines.get(1)}-2025-04-06@accord`)!;
    expect(met.summary).toMatch(/^Met: ¶ 1/);
    expect(met.startDate.isDate).toBe(true);

    // The hearing is postponed: same UID, a higher SEQUENCE, the new day; its history on the calendar.
    const moved = await send(
      "PATCH",
      `/api/v1/events/${hearing.id}`,
      { status: "postponed", newDate: "2026-04-02" },
      { "if-match": `"${hearing.version}"` },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    const after = await read(feed.path);
    const h1 = after.find((e) => e.uid === hearingUid)!;
    expect(h1.sequence).toBeGreaterThan(h0.sequence);
    expect(h1.startDate.toString()).toBe("2026-04-02T10:00:00");
    expect(after.map((e) => e.uid).filter((u) => u !== hearingUid)).toEqual(
      uids.filter((u) => u !== hearingUid),
    );
    const april = await calendar(`from=2026-04-01&to=2026-04-30&matter=${matter.slug}&kind=hearing`);
    expect(april.items[0]).toMatchObject({ date: "2026-04-02", state: "postponed" });
    expect(april.items[0]!.event!.history).toEqual([
      expect.objectContaining({ date: "2026-03-10", status: "scheduled" }),
    ]);
    expect(
      (await calendar(`from=2026-03-01&to=2026-03-31&matter=${matter.slug}&kind=hearing`)).items,
    ).toEqual([]);

    // Cancelled: the entry stays, marked cancelled.
    const cancelled = await send(
      "PATCH",
      `/api/v1/events/${hearing.id}`,
      { status: "cancelled", newDate: null },
      { "if-match": moved.headers.etag as string },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const h2 = (await read(feed.path)).find((e) => e.uid === hearingUid)!;
    expect(h2.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(h2.sequence).toBeGreaterThan(h1.sequence);

    // The matter's feed: by token or signed in; anonymous 404 (public reading is off).
    const matterFeed = await read(`/api/v1/matters/${matter.slug}/calendar.ics?token=${feed.token}`);
    expect(matterFeed.map((e) => e.uid)).toContain(hearingUid);
    expect((await send("GET", `/api/v1/matters/${matter.slug}/calendar.ics`)).statusCode).toBe(200);
    expect((await t.anonymous(`/api/v1/matters/${matter.slug}/calendar.ics`)).statusCode).toBe(404);
    // A signed-in caller without a feed token gets no personal feed: the token is the credential.
    expect((await send("GET", "/api/v1/calendar.ics")).statusCode).toBe(404);

    const listed = await ok<{ items: { id: string; name: string }[] }>("GET", "/api/v1/calendar-feeds");
    expect(listed.items).toEqual([expect.objectContaining({ id: feed.id, name: "Work calendar" })]);
    expect(JSON.stringify(listed)).not.toContain(feed.token);
    expect((await send("DELETE", `/api/v1/calendar-feeds/${feed.id}`)).statusCode).toBe(204);
    expect((await t.anonymous(feed.path)).statusCode).toBe(404);
    const stored = await queryOne<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from calendar_feed_tokens where token_hash = ${feed.token}`,
    );
    expect(stored!.n).toBe(0);
  });
});
