import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEvent, buildMatter, buildTestApp, ENGINE, monitorIfMatch, type TestApp } from "./helpers.js";

/** Who reads what: anonymous visitors under ACCORD_PUBLIC_READ=1, and monitors. */

interface Fixture {
  open: { id: string; slug: string };
  closed: { id: string; slug: string };
  openPublicEvent: { id: string; slug: string };
  openPrivateEvent: { id: string; slug: string };
  closedPublicEvent: { id: string; slug: string };
}

/** A public matter with a public and a private event; a private matter with a "public" event. */
async function buildFixture(t: TestApp): Promise<Fixture> {
  const open = await buildMatter(t.app, { title: "Open decree", public: true });
  const closed = await buildMatter(t.app, { title: "Closed decree", public: false });
  const related = await t.app.inject({
    method: "POST",
    url: `/api/v1/matters/${open.id}/related`,
    headers: { "if-match": `"${open.version}"` },
    payload: { relatedId: closed.id, relation: "related" },
  });
  expect(related.statusCode).toBe(200);
  return {
    open,
    closed,
    openPublicEvent: await buildEvent(t.app, { matterId: open.id, public: true, title: "Public hearing" }),
    openPrivateEvent: await buildEvent(t.app, { matterId: open.id, title: "Closed-door meeting" }),
    closedPublicEvent: await buildEvent(t.app, { matterId: closed.id, public: true }),
  };
}

describe(`public reading (${ENGINE})`, () => {
  let t: TestApp;
  let f: Fixture;
  beforeAll(async () => {
    t = await buildTestApp({ publicRead: true });
    f = await buildFixture(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("shows anonymous visitors the public matters only", async () => {
    // The administrator reads first, so a cached answer for everything exists.
    expect((await t.app.inject("/api/v1/matters")).json().total).toBe(2);
    const res = await t.anonymous("/api/v1/matters");
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((m: { slug: string }) => m.slug)).toEqual([f.open.slug]);
    expect(res.json().total).toBe(1);
    expect((await t.anonymous(`/api/v1/matters/${f.closed.slug}`)).statusCode).toBe(404);
    const csv = (await t.anonymous("/api/v1/matters.csv")).body;
    expect(csv).toContain(f.open.slug);
    expect(csv).not.toContain(f.closed.slug);
  });

  it("shows a public matter with its public events and public relations only", async () => {
    const m = (await t.anonymous(`/api/v1/matters/${f.open.slug}`)).json();
    expect(m.public).toBe(true);
    expect(m.events.map((e: { slug: string }) => e.slug)).toEqual([f.openPublicEvent.slug]);
    expect(m.related).toEqual([]);
    const full = (await t.app.inject(`/api/v1/matters/${f.open.slug}`)).json();
    expect(full.events).toHaveLength(2);
    expect(full.related.map((r: { slug: string }) => r.slug)).toEqual([f.closed.slug]);
  });

  it("shows public events of public matters only", async () => {
    const events = (await t.anonymous("/api/v1/events")).json();
    expect(events.items.map((e: { slug: string }) => e.slug)).toEqual([f.openPublicEvent.slug]);
    expect(events.total).toBe(1);
    expect((await t.anonymous(`/api/v1/events/${f.openPrivateEvent.slug}`)).statusCode).toBe(404);
    // Marked public, but its matter is not.
    expect((await t.anonymous(`/api/v1/events/${f.closedPublicEvent.slug}`)).statusCode).toBe(404);
    expect((await t.anonymous(`/api/v1/events/${f.openPublicEvent.slug}`)).statusCode).toBe(200);
  });

  it("lets anonymous visitors do nothing else", async () => {
    for (const url of ["/api/v1/dashboard", "/api/v1/jurisdictions", "/api/v1/agencies", "/api/v1/audit"])
      expect((await t.anonymous(url)).statusCode, url).toBe(401);
    expect((await t.anonymous(`/api/v1/history/matter/${f.open.slug}`)).statusCode).toBe(401);
    const write = await t.anonymous({ method: "POST", url: "/api/v1/matters", payload: {} });
    expect(write.statusCode).toBe(401);
    const session = (await t.anonymous("/api/v1/session")).json();
    expect(session).toMatchObject({ user: null, publicRead: true });
  });

  it("filters the list by the public flag for signed-in users", async () => {
    const hidden = (await t.app.inject("/api/v1/matters?public=false")).json();
    expect(hidden.items.map((m: { slug: string }) => m.slug)).toEqual([f.closed.slug]);
  });
});

describe(`without public reading (${ENGINE})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("refuses anonymous visitors even public matters", async () => {
    const m = await buildMatter(t.app, { public: true });
    expect((await t.anonymous("/api/v1/matters")).statusCode).toBe(401);
    expect((await t.anonymous(`/api/v1/matters/${m.slug}`)).statusCode).toBe(401);
    expect((await t.anonymous("/api/v1/session")).json().publicRead).toBe(false);
  });
});

describe(`monitors read their assigned matters only (${ENGINE})`, () => {
  let t: TestApp;
  let f: Fixture;
  let monitor: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await buildTestApp();
    f = await buildFixture(t);
    monitor = await t.tokenFor("monitor", "monica");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("sees nothing before being assigned", async () => {
    const list = (await t.anonymous({ url: "/api/v1/matters", headers: as(monitor) })).json();
    expect(list).toMatchObject({ items: [], total: 0 });
    const dash = (await t.anonymous({ url: "/api/v1/dashboard", headers: as(monitor) })).json();
    expect(dash.totals).toMatchObject({ matters: 0, events: 0 });
  });

  it("is assigned by an administrator, and the matter's history says so", async () => {
    const res = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${f.open.slug}/assignments/monica`,
      headers: await monitorIfMatch(t.app, "monica"),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      matter: { slug: f.open.slug },
      user: { username: "monica" },
      assignedBy: "tester",
    });
    // Assigning again changes nothing.
    const again = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${f.open.slug}/assignments/monica`,
      headers: await monitorIfMatch(t.app, "monica"),
    });
    expect(again.statusCode).toBe(200);
    const history = (await t.app.inject(`/api/v1/history/matter/${f.open.slug}`)).json();
    expect(history.items.filter((e: { action: string }) => e.action === "MONITOR_ASSIGNED")).toHaveLength(1);
    const listed = (await t.app.inject("/api/v1/assignments?user=monica")).json();
    expect(listed.items.map((a: { matter: { slug: string } }) => a.matter.slug)).toEqual([f.open.slug]);
  });

  it("then reads that matter, its events, its history and a dashboard of it", async () => {
    const list = (await t.anonymous({ url: "/api/v1/matters", headers: as(monitor) })).json();
    expect(list.items.map((m: { slug: string }) => m.slug)).toEqual([f.open.slug]);
    const m = (await t.anonymous({ url: `/api/v1/matters/${f.open.slug}`, headers: as(monitor) })).json();
    // Private events of an assigned matter are the monitor's to read; the unassigned related matter is not.
    expect(m.events).toHaveLength(2);
    expect(m.related).toEqual([]);
    const events = (await t.anonymous({ url: "/api/v1/events", headers: as(monitor) })).json();
    expect(events.total).toBe(2);
    const history = await t.anonymous({ url: `/api/v1/history/matter/${f.open.slug}`, headers: as(monitor) });
    expect(history.statusCode).toBe(200);
    const dash = (await t.anonymous({ url: "/api/v1/dashboard", headers: as(monitor) })).json();
    expect(dash.totals).toMatchObject({ matters: 1, events: 2, jurisdictions: 1 });
  });

  it("gets 404 for everything outside the assignment", async () => {
    const get = (url: string) => t.anonymous({ url, headers: as(monitor) });
    expect((await get(`/api/v1/matters/${f.closed.slug}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/events/${f.closedPublicEvent.slug}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/history/matter/${f.closed.slug}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/history/event/${f.closedPublicEvent.slug}`)).statusCode).toBe(404);
    expect((await get("/api/v1/matters.csv")).body).not.toContain(f.closed.slug);
    // Reading is all a monitor does with the registry.
    const patch = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/matters/${f.open.slug}`,
      headers: { ...as(monitor), "if-match": '"1"' },
      payload: { title: "Changed" },
    });
    expect(patch.statusCode).toBe(403);
  });

  it("assigns only active monitors, in bulk too, and unassigns", async () => {
    await t.tokenFor("reviewer", "rita");
    const wrong = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${f.open.slug}/assignments/rita`,
      headers: await monitorIfMatch(t.app, "rita"),
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().detail).toContain("only monitors");
    const bulk = await t.app.inject({
      method: "POST",
      url: "/api/v1/assignments",
      headers: await monitorIfMatch(t.app, "monica"),
      payload: { user: "monica", matterIds: [f.open.id, f.closed.id] },
    });
    expect(bulk.json()).toEqual({ assigned: 1, alreadyAssigned: 1 });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/assignments",
      headers: await monitorIfMatch(t.app, "monica"),
      payload: { user: "monica", matterIds: ["00000000-0000-4000-8000-000000000000"] },
    });
    expect(unknown.statusCode).toBe(400);
    expect((await t.anonymous({ url: "/api/v1/matters", headers: as(monitor) })).json().total).toBe(2);

    const off = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/matters/${f.closed.slug}/assignments/monica`,
      headers: await monitorIfMatch(t.app, "monica"),
    });
    expect(off.statusCode).toBe(204);
    const offAgain = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/matters/${f.closed.slug}/assignments/monica`,
      headers: await monitorIfMatch(t.app, "monica"),
    });
    expect(offAgain.statusCode).toBe(404);
    expect(
      (await t.anonymous({ url: `/api/v1/matters/${f.closed.slug}`, headers: as(monitor) })).statusCode,
    ).toBe(404);
    const audit = (await t.app.inject("/api/v1/audit?action=MONITOR_UNASSIGNED")).json();
    expect(audit.items[0]).toMatchObject({ entity: "matter", before: { monitor: "monica" } });
  });
});
