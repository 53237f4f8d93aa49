import { sql } from "drizzle-orm";
import ICAL from "ical.js";
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

/**
 * Saved searches and saved calendar filters: each user's own, renamed from the version read,
 * watched (a new event or document matching the words and filters is told of, never one the
 * watcher may not read) and, for a calendar filter, followed as an iCalendar feed.
 */
const TODAY = "2026-03-01";

interface Saved {
  id: string;
  kind: string;
  name: string;
  query: Record<string, unknown>;
  link: string;
  watchId: string | null;
  feeds: number;
  version: number;
}

describe(`saved searches and filters (${ENGINE})`, () => {
  let t: TestApp;
  const token: Record<"rita" | "mona" | "vera", string> = { rita: "", mona: "", vera: "" };
  const as = (
    who: keyof typeof token,
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.anonymous({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${token[who]}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const inbox = async (who: keyof typeof token) =>
    ((await as(who, "GET", "/api/v1/notifications")).json() as { items: { title: string; kind: string }[] })
      .items;
  const runJobs = () => runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
  const save = async (who: keyof typeof token, body: unknown) => {
    const res = await as(who, "POST", "/api/v1/saved-searches", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Saved;
  };

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`) });
    token.rita = await t.tokenFor("reviewer", "rita");
    token.mona = await t.tokenFor("monitor", "mona");
    token.vera = await t.tokenFor("viewer", "vera");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("saves, lists, renames (If-Match) and deletes one's own searches; another's is not found", async () => {
    const saved = await save("rita", {
      kind: "search",
      name: "Force in Maryland",
      query: { q: '"use of force" -canine', state: ["MD"], type: ["document_page"] },
    });
    expect(saved).toMatchObject({
      kind: "search",
      name: "Force in Maryland",
      watchId: null,
      feeds: 0,
      version: 1,
      link: "/search?q=%22use%20of%20force%22%20-canine&type=document_page&state=MD",
    });
    const filter = await save("rita", {
      kind: "calendar",
      name: "Hearings I follow",
      query: { kind: ["hearing"], mine: true },
    });
    expect(filter.link).toBe("/calendar?kind=hearing&mine=true");

    const list = (await as("rita", "GET", "/api/v1/saved-searches")).json() as { items: Saved[] };
    expect(list.items.map((s) => s.name)).toEqual(["Force in Maryland", "Hearings I follow"]);
    const calendars = (await as("rita", "GET", "/api/v1/saved-searches?kind=calendar")).json() as {
      items: Saved[];
    };
    expect(calendars.items.map((s) => s.id)).toEqual([filter.id]);
    // Nobody else sees them, or reaches them.
    expect(((await as("vera", "GET", "/api/v1/saved-searches")).json() as { items: Saved[] }).items).toEqual(
      [],
    );
    expect((await as("vera", "GET", `/api/v1/saved-searches/${saved.id}`)).statusCode).toBe(404);
    expect(
      (
        await as(
          "vera",
          "PATCH",
          `/api/v1/saved-searches/${saved.id}`,
          { name: "Mine now" },
          { "if-match": '"1"' },
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (await as("vera", "DELETE", `/api/v1/saved-searches/${saved.id}`, undefined, { "if-match": '"1"' }))
        .statusCode,
    ).toBe(404);

    // Renaming needs the version read; a stale one is refused with the current record.
    expect((await as("rita", "PATCH", `/api/v1/saved-searches/${saved.id}`, { name: "x" })).statusCode).toBe(
      428,
    );
    const renamed = await as(
      "rita",
      "PATCH",
      `/api/v1/saved-searches/${saved.id}`,
      { name: "Use of force, Maryland" },
      { "if-match": '"1"' },
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.headers.etag).toBe('"2"');
    expect(renamed.json()).toMatchObject({ name: "Use of force, Maryland", version: 2 });
    const stale = await as(
      "rita",
      "PATCH",
      `/api/v1/saved-searches/${saved.id}`,
      { name: "Lost" },
      { "if-match": '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current).toMatchObject({ name: "Use of force, Maryland" });
    // A search's words cannot be replaced by a calendar's filters, nor the words be empty.
    const wrong = await as(
      "rita",
      "PATCH",
      `/api/v1/saved-searches/${saved.id}`,
      { query: { kind: ["hearing"] } },
      { "if-match": '"2"' },
    );
    expect(wrong.statusCode).toBe(400);
    expect(
      (
        await as("rita", "POST", "/api/v1/saved-searches", {
          kind: "search",
          name: "Empty",
          query: { q: " " },
        })
      ).statusCode,
    ).toBe(400);

    const audit = await queryRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_entries where entity = 'saved_search' and entity_id = ${saved.id} order by chain_seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(["SAVED_SEARCH_CREATED", "SAVED_SEARCH_UPDATED"]);

    expect(
      (await as("rita", "DELETE", `/api/v1/saved-searches/${saved.id}`, undefined, { "if-match": '"1"' }))
        .statusCode,
    ).toBe(412);
    expect(
      (await as("rita", "DELETE", `/api/v1/saved-searches/${saved.id}`, undefined, { "if-match": '"2"' }))
        .statusCode,
    ).toBe(204);
    expect((await as("rita", "GET", `/api/v1/saved-searches/${saved.id}`)).statusCode).toBe(404);
  });

  it("follows a saved calendar filter as a feed ical.js reads, ending with the filter", async () => {
    const place = await buildJurisdiction(t.app, { name: "Feedville" });
    const followed = await buildMatter(t.app, {
      title: "Feedville consent decree",
      jurisdictionId: place.id,
    });
    const elsewhere = await buildMatter(t.app, { title: "Otherton consent decree" });
    const hearing = await buildEvent(t.app, {
      matterId: followed.id,
      kind: "hearing",
      date: "2026-04-10",
      title: "Status conference on the monitor's plan",
    });
    await buildEvent(t.app, {
      matterId: followed.id,
      kind: "order",
      date: "2026-04-12",
      title: "Order on the plan",
    });
    const otherHearing = await buildEvent(t.app, {
      matterId: elsewhere.id,
      kind: "hearing",
      date: "2026-04-11",
      title: "Otherton hearing",
    });
    const filter = await save("rita", {
      kind: "calendar",
      name: "Feedville hearings",
      query: { matter: [followed.slug], kind: ["hearing"] },
    });
    // A saved search is not a calendar: no feed of it.
    const search = await save("rita", { kind: "search", name: "Words", query: { q: "plan" } });
    expect(
      (await as("rita", "POST", "/api/v1/calendar-feeds", { name: "Nope", savedSearchId: search.id }))
        .statusCode,
    ).toBe(422);
    // Nor of another's filter.
    expect(
      (await as("vera", "POST", "/api/v1/calendar-feeds", { name: "Nope", savedSearchId: filter.id }))
        .statusCode,
    ).toBe(404);

    const created = await as("rita", "POST", "/api/v1/calendar-feeds", {
      name: "Feedville in Outlook",
      savedSearchId: filter.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const feed = created.json() as { id: string; token: string; path: string; savedSearchId: string };
    expect(feed.savedSearchId).toBe(filter.id);
    expect(feed.path).toBe(`/api/v1/calendar.ics?token=${feed.token}`);
    expect(((await as("rita", "GET", `/api/v1/saved-searches/${filter.id}`)).json() as Saved).feeds).toBe(1);

    const read = async () => {
      const res = await t.anonymous(feed.path);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toContain("text/calendar");
      const cal = new ICAL.Component(ICAL.parse(res.body));
      expect(cal.getFirstPropertyValue("x-wr-calname")).toBe("Accord: Feedville hearings");
      return cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    };
    const entries = await read();
    expect(entries.map((e) => e.uid)).toEqual([`event-${hearing.id}@accord`]);
    expect(entries[0]!.summary).toBe("Status conference on the monitor's plan");
    expect(entries[0]!.startDate.toString()).toBe("2026-04-10");

    // The feed reads the filter as it is now: widened to both matters, it holds both hearings.
    const widened = await as(
      "rita",
      "PATCH",
      `/api/v1/saved-searches/${filter.id}`,
      { query: { matter: [followed.slug, elsewhere.id], kind: ["hearing"] } },
      { "if-match": '"1"' },
    );
    expect(widened.statusCode, widened.body).toBe(200);
    expect((await read()).map((e) => e.uid).sort()).toEqual(
      [`event-${hearing.id}@accord`, `event-${otherHearing.id}@accord`].sort(),
    );

    // Deleting the filter ends its feed.
    expect(
      (await as("rita", "DELETE", `/api/v1/saved-searches/${filter.id}`, undefined, { "if-match": '"2"' }))
        .statusCode,
    ).toBe(204);
    expect((await t.anonymous(feed.path)).statusCode).toBe(404);
  });

  it("reads a monitor's filter feed within the monitor's matters only", async () => {
    const assigned = await buildMatter(t.app, { title: "Assigned feed decree" });
    const unassigned = await buildMatter(t.app, { title: "Unassigned feed decree" });
    const { ok } = requests(t.app);
    await ok(
      "PUT",
      `/api/v1/matters/${assigned.slug}/assignments/mona`,
      undefined,
      await monitorIfMatch(t.app, "mona"),
    );
    await buildEvent(t.app, {
      matterId: assigned.id,
      kind: "hearing",
      date: "2026-05-01",
      title: "Assigned hearing",
    });
    await buildEvent(t.app, {
      matterId: unassigned.id,
      kind: "hearing",
      date: "2026-05-02",
      title: "Unassigned hearing",
    });
    // The filter names both matters; the feed still reads as the monitor.
    const filter = await save("mona", {
      kind: "calendar",
      name: "Both",
      query: { matter: [assigned.slug, unassigned.slug], kind: ["hearing"] },
    });
    const feed = (
      await as("mona", "POST", "/api/v1/calendar-feeds", { name: "Mine", savedSearchId: filter.id })
    ).json() as { path: string };
    const res = await t.anonymous(feed.path);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain("Assigned hearing");
    expect(res.body).not.toContain("Unassigned");
  });

  it("tells a saved search's watcher of new matching records, and a monitor only of their matters", async () => {
    const md = await buildJurisdiction(t.app, { name: "Watchtown", stateCode: "MD" });
    const il = await buildJurisdiction(t.app, { name: "Elsewhere", stateCode: "IL" });
    const assigned = await buildMatter(t.app, { title: "Watchtown consent decree", jurisdictionId: md.id });
    const unassigned = await buildMatter(t.app, { title: "Hidden consent decree", jurisdictionId: md.id });
    const illinois = await buildMatter(t.app, { title: "Elsewhere consent decree", jurisdictionId: il.id });
    const { ok } = requests(t.app);
    await ok(
      "PUT",
      `/api/v1/matters/${assigned.slug}/assignments/mona`,
      undefined,
      await monitorIfMatch(t.app, "mona"),
    );
    const query = { q: "polic* -canine", state: ["MD"] };
    const monas = await save("mona", { kind: "search", name: "Policing in Maryland", query });
    const ritas = await save("rita", { kind: "search", name: "Policing in Maryland", query });
    // Only one's own saved search, and only a search, can be watched.
    expect(
      (await as("vera", "POST", "/api/v1/watches", { target: "saved_search", key: monas.id })).statusCode,
    ).toBe(404);
    const calendarFilter = await save("mona", { kind: "calendar", name: "Cal", query: {} });
    expect(
      (await as("mona", "POST", "/api/v1/watches", { target: "saved_search", key: calendarFilter.id })).json()
        .code,
    ).toBe("saved_search_kind_mismatch");
    const watch = await as("mona", "POST", "/api/v1/watches", { target: "saved_search", key: monas.id });
    expect(watch.statusCode, watch.body).toBe(201);
    expect(watch.json()).toMatchObject({
      target: "saved_search",
      targetId: monas.id,
      label: "Policing in Maryland",
      keywords: "polic* -canine",
      link: "/search?q=polic*%20-canine&state=MD",
    });
    expect(((await as("mona", "GET", `/api/v1/saved-searches/${monas.id}`)).json() as Saved).watchId).toBe(
      watch.json().id,
    );
    expect(
      (await as("mona", "POST", "/api/v1/watches", { target: "saved_search", key: monas.id })).statusCode,
    ).toBe(409);
    expect(
      (await as("rita", "POST", "/api/v1/watches", { target: "saved_search", key: ritas.id })).statusCode,
    ).toBe(201);

    await buildEvent(t.app, { matterId: assigned.id, title: "Order on policing plans" });
    await buildEvent(t.app, { matterId: assigned.id, title: "Order on police canine units" });
    await buildEvent(t.app, { matterId: assigned.id, title: "Order on recruitment" });
    await buildEvent(t.app, { matterId: unassigned.id, title: "Hearing on police stops" });
    await buildEvent(t.app, { matterId: illinois.id, title: "Hearing on police training" });
    await runJobs();

    // Stemmed and prefixed as the search matches; the exclusion and the state filter hold.
    const mona = await inbox("mona");
    expect(mona.map((n) => n.title)).toEqual(["New event: Order on policing plans"]);
    expect(JSON.stringify(mona)).not.toContain("Hidden");
    // A reviewer reads every matter: the unassigned one too, still nothing from Illinois.
    const rita = await inbox("rita");
    expect(rita.map((n) => n.title).sort()).toEqual([
      "New event: Hearing on police stops",
      "New event: Order on policing plans",
    ]);

    // Deleting the saved search ends its watch.
    await as("mona", "DELETE", `/api/v1/saved-searches/${monas.id}`, undefined, { "if-match": '"1"' });
    const watches = (await as("mona", "GET", "/api/v1/watches")).json() as { items: { target: string }[] };
    expect(watches.items.filter((w) => w.target === "saved_search")).toEqual([]);
  });

  it("matches a document's kind filter against new documents only", async () => {
    const matter = await buildMatter(t.app, { title: "Kindtown consent decree" });
    const saved = await save("vera", {
      kind: "search",
      name: "Kindtown news",
      query: { q: "kindtown", kind: ["news"] },
    });
    expect(
      (await as("vera", "POST", "/api/v1/watches", { target: "saved_search", key: saved.id })).statusCode,
    ).toBe(201);
    await buildEvent(t.app, { matterId: matter.id, title: "Kindtown hearing" });
    for (const kind of ["news", "memo"]) {
      const form = new FormData();
      form.append("kind", kind);
      form.append("title", `Kindtown ${kind}`);
      form.append("file", new Blob([`About Kindtown (${kind}).`]), `${kind}.txt`);
      const up = await t.app.inject({
        method: "POST",
        url: `/api/v1/matters/${matter.slug}/documents`,
        body: form,
      });
      expect(up.statusCode, up.body).toBe(201);
    }
    await runJobs();
    expect((await inbox("vera")).map((n) => n.title)).toEqual(["New document: Kindtown news"]);
  });
});
