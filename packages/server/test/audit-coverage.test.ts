import { AUDIT_ACTIONS } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import { buildTestApp, ENGINE, monitorIfMatch, type TestApp, uniqueSlug } from "./helpers.js";
import { apiRoutes, routeName } from "./route-inventory.js";

/**
 * L1: audit coverage, from the route inventory. Every mutating route (POST, PUT, PATCH, DELETE)
 * is either called here successfully, and must then write exactly one audit entry with its
 * fields (who, as what role, from where, in which request, what action of the closed vocabulary,
 * on which record, when: a timestamptz, in UTC), or listed below as not called yet. A refused
 * call writes no change entry. (Every mutation audits, a user's own saved searches too.)
 */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

interface AuditRow {
  id: number;
  actor: string;
  actorId: string | null;
  actorRole: string | null;
  address: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  requestId: string | null;
  atType: string;
  atUtc: string;
}

const lastId = async () =>
  (await queryOne<{ id: number }>(
    t.database.db,
    sql`select coalesce(max(id), 0)::int as id from audit_entries`,
  ))!.id;

const rowsAfter = (id: number) =>
  queryRows<AuditRow>(
    t.database.db,
    sql`select id::int, actor, actor_id as "actorId", actor_role as "actorRole", address, action, entity,
          entity_id as "entityId", request_id as "requestId", pg_typeof(at)::text as "atType",
          to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as "atUtc"
        from audit_entries where id > ${id} order by id`,
  );

/** What each call did, for the coverage check. */
const called = new Set<string>();

/** Sends a mutation as the test administrator; it must succeed and write exactly one full entry. */
async function audited(
  route: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<{ body: Record<string, unknown>; etag: string; entry: AuditRow }> {
  const [method] = route.split(" ") as [string];
  const before = await lastId();
  const started = new Date(Date.now() - 1000).toISOString().slice(0, 19);
  const res = await t.app.inject({
    method: method as "POST",
    url,
    headers,
    remoteAddress: "203.0.113.7",
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  expect(res.statusCode, `${route} ${url}: ${res.body}`).toBeLessThan(300);
  const rows = await rowsAfter(before);
  expect(
    rows.map((r) => r.action),
    `${route}: one audit entry`,
  ).toHaveLength(1);
  const entry = rows[0]!;
  expect(entry).toMatchObject({
    actor: "tester",
    actorRole: "admin",
    address: "203.0.113.7",
    requestId: res.headers["x-request-id"],
    atType: "timestamp with time zone",
  });
  expect(entry.actorId, route).toMatch(/^[0-9a-f-]{36}$/);
  expect(AUDIT_ACTIONS, route).toContain(entry.action);
  expect(entry.entity, route).toBeTruthy();
  // Its time is this request's, in UTC.
  expect(entry.atUtc >= started, `${route} at ${entry.atUtc}`).toBe(true);
  expect(entry.atUtc <= new Date(Date.now() + 1000).toISOString().slice(0, 19)).toBe(true);
  called.add(route);
  const body = res.body ? (res.json() as Record<string, unknown>) : {};
  return { body, etag: (res.headers.etag as string) ?? "", entry };
}

/**
 * Mutations this test does not call yet (each needs a document, a parse, a deadline or a sign-in
 * of its own): their audit entries are tested, if at all, by their module's test file.
 */
const NOT_CALLED_HERE = new Set([
  "POST /api/v1/session",
  "DELETE /api/v1/session",
  "POST /api/v1/session/password",
  "POST /api/v1/session/totp",
  "POST /api/v1/session/totp/confirm",
  "POST /api/v1/session/totp/remove",
  "POST /api/v1/grants",
  "PATCH /api/v1/grants/:key",
  "POST /api/v1/conditions",
  "POST /api/v1/conditions/:key/status",
  "POST /api/v1/statistics/import",
  "POST /api/v1/notifications/:id/read",
  "POST /api/v1/webhooks",
  "DELETE /api/v1/webhooks/:id",
  "POST /api/v1/webhook-deliveries/:id/redeliver",
  "POST /api/v1/assignments",
  "POST /api/v1/review-cycles/:key/copy",
  "POST /api/v1/reviews/assign",
  "PATCH /api/v1/reviews/:id",
  "POST /api/v1/reviews/:id/submit",
  "POST /api/v1/reviews/:id/approve",
  "POST /api/v1/reviews/:id/return",
  "POST /api/v1/reviews/:id/reopen",
  "POST /api/v1/matters/:key/documents",
  "PATCH /api/v1/documents/:id",
  "DELETE /api/v1/documents/:id",
  "POST /api/v1/documents/:id/parse",
  "PATCH /api/v1/parses/:id",
  "POST /api/v1/matters/:key/provisions/accept",
  "PUT /api/v1/provisions/:id/topics",
  "DELETE /api/v1/provisions/:id/topics",
  "PUT /api/v1/deadlines/:id/anchor-date",
  "POST /api/v1/deadlines/:id/met",
  "POST /api/v1/deadlines/:id/waive",
  "POST /api/v1/deadlines/:id/extend",
  "POST /api/v1/deadlines/:id/assign",
  "POST /api/v1/deadlines/:id/reopen",
  "PUT /api/v1/matters/:key/compliance-scale",
  "PUT /api/v1/matters/:key/assessments",
  "POST /api/v1/matters/:key/assessments/import",
  "POST /api/v1/documents/:id/rating-drafts",
  "PATCH /api/v1/rating-drafts/:id",
  "POST /api/v1/rating-drafts/:id/accept",
  "PUT /api/v1/provisions/:id/sustainment-start",
  "PUT /api/v1/matters/:key/sections/:number/termination",
]);

/**
 * Mutations of a user's own reading state that write no audit entry today: following a record,
 * marking notifications read, the "since last visit" mark, notification preferences. They are
 * called below and must write none, so a change either way is seen. Whether they should be
 * audited (saved searches and calendar feeds are) is open.
 */
const NOT_AUDITED = new Set([
  "POST /api/v1/watches",
  "DELETE /api/v1/watches/:id",
  "POST /api/v1/notifications/read-all",
  "PUT /api/v1/notifications/preferences",
  "POST /api/v1/since-last-visit/seen",
]);

/** Sends a mutation of NOT_AUDITED as the test administrator: it succeeds and writes no entry. */
async function unaudited(
  route: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  expect(NOT_AUDITED.has(route), route).toBe(true);
  const [method] = route.split(" ") as [string];
  const before = await lastId();
  const res = await t.app.inject({
    method: method as "POST",
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  expect(res.statusCode, `${route} ${url}: ${res.body}`).toBeLessThan(300);
  expect(await rowsAfter(before), route).toEqual([]);
  called.add(route);
  return res.body ? (res.json() as Record<string, unknown>) : {};
}

describe(`L1: every mutation writes one full audit entry (${ENGINE})`, () => {
  it("L1: registry, users, tokens, assignments, periods, ratings and cycles, each call one entry", async () => {
    const j = await audited("POST /api/v1/jurisdictions", "/api/v1/jurisdictions", {
      slug: uniqueSlug("town"),
      name: "Auditville",
      kind: "city",
      stateCode: "MD",
    });
    expect(j.entry.entityId).toBe(j.body.id);
    const j2 = await audited(
      "PATCH /api/v1/jurisdictions/:key",
      `/api/v1/jurisdictions/${j.body.id}`,
      { name: "Auditville City" },
      { "if-match": j.etag },
    );
    const a = await audited("POST /api/v1/agencies", "/api/v1/agencies", {
      slug: uniqueSlug("agency"),
      name: "Auditville Police",
      kind: "police",
      jurisdictionId: j.body.id,
    });
    const a2 = await audited(
      "PATCH /api/v1/agencies/:key",
      `/api/v1/agencies/${a.body.id}`,
      { name: "Auditville PD" },
      { "if-match": a.etag },
    );
    const matter = (title: string) => ({
      slug: uniqueSlug("matter"),
      kind: "consent_decree",
      status: "active",
      title,
      jurisdictionId: j.body.id,
    });
    const m = await audited("POST /api/v1/matters", "/api/v1/matters", matter("Audited decree"));
    expect(m.entry).toMatchObject({ entity: "matter", entityId: m.body.id });
    const other = await audited("POST /api/v1/matters", "/api/v1/matters", matter("Other decree"));
    const m2 = await audited(
      "PATCH /api/v1/matters/:key",
      `/api/v1/matters/${m.body.id}`,
      { title: "Audited decree, amended" },
      { "if-match": m.etag },
    );
    expect(m2.entry.entityId).toBe(m.body.id);
    const rel = await audited(
      "POST /api/v1/matters/:key/related",
      `/api/v1/matters/${m.body.id}/related`,
      { relatedId: other.body.id, relation: "related" },
      { "if-match": m2.etag },
    );
    const unrel = await audited(
      "DELETE /api/v1/matters/:key/related/:relatedKey",
      `/api/v1/matters/${m.body.id}/related/${other.body.id}`,
      undefined,
      { "if-match": `"${(rel.body as { version: number }).version}"` },
    );
    const e = await audited("POST /api/v1/events", "/api/v1/events", {
      slug: uniqueSlug("event"),
      kind: "hearing",
      date: "2030-01-15",
      title: "Audited hearing",
      matterId: m.body.id,
    });
    const e2 = await audited(
      "PATCH /api/v1/events/:key",
      `/api/v1/events/${e.body.id}`,
      { title: "Audited hearing, moved" },
      { "if-match": e.etag },
    );
    await audited("DELETE /api/v1/events/:key", `/api/v1/events/${e.body.id}`, undefined, {
      "if-match": e2.etag,
    });

    // Users and tokens (a token is created for the caller; reading it back needs no audit).
    const u = await audited("POST /api/v1/users", "/api/v1/users", {
      username: "l1-monitor",
      role: "monitor",
      password: "a-long-password-1",
    });
    const user = (u.body as { user: { id: string } }).user ?? (u.body as { id: string });
    expect(u.entry.entityId).toBe(user.id);
    const u2 = await audited(
      "PATCH /api/v1/users/:key",
      "/api/v1/users/l1-monitor",
      { displayName: "Monitor of audits" },
      await monitorIfMatch(t.app, "l1-monitor"),
    );
    expect(u2.entry.entityId).toBe(user.id);
    await audited("POST /api/v1/users/:key/reset-password", "/api/v1/users/l1-monitor/reset-password");
    const tok = await audited("POST /api/v1/tokens", "/api/v1/tokens", { name: "l1 token" });
    await audited(
      "DELETE /api/v1/tokens/:id",
      `/api/v1/tokens/${(tok.body as { token: { id: string } }).token?.id ?? tok.body.id}`,
    );
    await audited(
      "PUT /api/v1/matters/:key/assignments/:user",
      `/api/v1/matters/${m.body.id}/assignments/l1-monitor`,
      undefined,
      await monitorIfMatch(t.app, "l1-monitor"),
    );
    await audited(
      "DELETE /api/v1/matters/:key/assignments/:user",
      `/api/v1/matters/${m.body.id}/assignments/l1-monitor`,
      undefined,
      await monitorIfMatch(t.app, "l1-monitor"),
    );

    // A reporting period and a rating of a provision in it.
    const provision = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, path, text, position, depth)
          values (${m.body.id as string}, 1, '¶ 1', '¶ 1', 'A paragraph', 1, 0) returning id`,
    );
    const p = await audited("POST /api/v1/matters/:key/periods", `/api/v1/matters/${m.body.id}/periods`, {
      label: "P1",
      endsOn: "2024-06-30",
    });
    const p2 = await audited(
      "PATCH /api/v1/periods/:id",
      `/api/v1/periods/${p.body.id}`,
      { label: "First period" },
      { "if-match": `"${p.body.version}"` },
    );
    const ratingUrl = `/api/v1/provisions/${provision!.id}/ratings/${p.body.id}/monitor`;
    const r = await audited(
      "PUT /api/v1/provisions/:id/ratings/:periodId/:rater",
      ratingUrl,
      { level: "full" },
      { "if-match": '"0"' },
    );
    await audited("DELETE /api/v1/provisions/:id/ratings/:periodId/:rater", ratingUrl, undefined, {
      "if-match": r.etag || `"${(r.body as { version?: number }).version ?? 1}"`,
    });
    await audited("DELETE /api/v1/periods/:id", `/api/v1/periods/${p.body.id}`, undefined, {
      "if-match": `"${(p2.body as { version: number }).version}"`,
    });

    // A review cycle, edited and started (starting writes one entry for the cycle).
    const c = await audited("POST /api/v1/review-cycles", "/api/v1/review-cycles", {
      slug: uniqueSlug("cycle"),
      name: "Audit cycle",
      scope: { kinds: ["settlement_agreement"], statuses: [] },
      criteria: [{ code: "1", title: "Complies" }],
    });
    const c2 = await audited(
      "PATCH /api/v1/review-cycles/:key",
      `/api/v1/review-cycles/${c.body.id}`,
      { name: "Audit cycle, renamed" },
      { "if-match": c.etag },
    );
    await audited(
      "POST /api/v1/review-cycles/:key/start",
      `/api/v1/review-cycles/${c.body.id}/start`,
      undefined,
      { "if-match": c2.etag },
    );

    // A user's own saved search is audited like the rest.
    const s1 = await audited("POST /api/v1/saved-searches", "/api/v1/saved-searches", {
      kind: "search",
      name: "Audited search",
      query: { q: "decree" },
    });
    const s2 = await audited(
      "PATCH /api/v1/saved-searches/:id",
      `/api/v1/saved-searches/${s1.body.id}`,
      { name: "Renamed search" },
      { "if-match": s1.etag || `"${s1.body.version}"` },
    );
    await audited("DELETE /api/v1/saved-searches/:id", `/api/v1/saved-searches/${s1.body.id}`, undefined, {
      "if-match": s2.etag || `"${s2.body.version}"`,
    });

    // A calendar feed is audited; following a matter and reading notifications are not.
    const feed = await audited("POST /api/v1/calendar-feeds", "/api/v1/calendar-feeds", {
      name: "Audited feed",
    });
    const feedId = (feed.body as { feed?: { id: string } }).feed?.id ?? (feed.body.id as string);
    await audited("DELETE /api/v1/calendar-feeds/:id", `/api/v1/calendar-feeds/${feedId}`);
    const watch = await unaudited("POST /api/v1/watches", "/api/v1/watches", {
      target: "matter",
      key: m.body.id,
    });
    await unaudited("DELETE /api/v1/watches/:id", `/api/v1/watches/${watch.id}`);
    await unaudited("POST /api/v1/notifications/read-all", "/api/v1/notifications/read-all");
    await unaudited("PUT /api/v1/notifications/preferences", "/api/v1/notifications/preferences", {
      emailMode: "off",
    });
    await unaudited("POST /api/v1/since-last-visit/seen", "/api/v1/since-last-visit/seen");

    // Deletions last.
    await audited("DELETE /api/v1/matters/:key", `/api/v1/matters/${other.body.id}`, undefined, {
      "if-match": `"${(await t.app.inject(`/api/v1/matters/${other.body.id}`)).json().version}"`,
    });
    const lone = await audited("POST /api/v1/jurisdictions", "/api/v1/jurisdictions", {
      slug: uniqueSlug("town"),
      name: "Lone",
      kind: "city",
      stateCode: "MD",
    });
    const loneAgency = await audited("POST /api/v1/agencies", "/api/v1/agencies", {
      slug: uniqueSlug("agency"),
      name: "Lone PD",
      kind: "police",
      jurisdictionId: lone.body.id,
    });
    await audited("DELETE /api/v1/agencies/:key", `/api/v1/agencies/${loneAgency.body.id}`, undefined, {
      "if-match": loneAgency.etag,
    });
    await audited("DELETE /api/v1/jurisdictions/:key", `/api/v1/jurisdictions/${lone.body.id}`, undefined, {
      "if-match": lone.etag,
    });
    expect([j2, a2, unrel].every((x) => x.entry.entityId)).toBe(true);
  });

  it("L1: a refused mutation writes no change entry (400, 404, 412), a refusal by policy only its denial", async () => {
    const before = await lastId();
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/jurisdictions",
      payload: { slug: "Bad Slug" },
    });
    expect(bad.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/matters/00000000-0000-4000-8000-000000000000",
      headers: { "if-match": '"1"' },
      payload: { title: "x" },
    });
    expect(missing.statusCode).toBe(404);
    const j = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/jurisdictions",
        payload: { slug: uniqueSlug("t"), name: "S", kind: "city", stateCode: "MD" },
      })
    ).json();
    const afterCreate = await lastId();
    const stale = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/jurisdictions/${j.id}`,
      headers: { "if-match": '"99"' },
      payload: { name: "Stale" },
    });
    expect(stale.statusCode).toBe(412);
    expect((await rowsAfter(before)).map((r) => r.action)).toHaveLength(1);
    const viewer = await t.tokenFor("viewer", "l1-viewer");
    const sinceViewer = await lastId();
    const denied = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/jurisdictions/${j.id}`,
      headers: { authorization: `Bearer ${viewer}`, "if-match": '"1"' },
      payload: { name: "Denied" },
    });
    expect(denied.statusCode).toBe(403);
    const rows = await rowsAfter(Math.max(afterCreate, sinceViewer));
    expect(rows.map((r) => r.action)).toEqual(["ACCESS_DENIED"]);
    expect(rows[0]).toMatchObject({
      actor: "l1-viewer",
      actorRole: "viewer",
      atType: "timestamp with time zone",
    });
  });

  it("L1: every mutating route of the inventory is called above, or listed as not called here or not audited", () => {
    const mutations = apiRoutes(t.app)
      .filter((r) => r.method !== "GET")
      .map(routeName);
    const unlisted = mutations.filter((m) => !called.has(m) && !NOT_CALLED_HERE.has(m));
    expect(unlisted).toEqual([]);
    // The lists name real routes, and nothing called is still listed as not called.
    for (const listed of [...NOT_CALLED_HERE, ...NOT_AUDITED]) expect(mutations, listed).toContain(listed);
    expect([...called].filter((c) => NOT_CALLED_HERE.has(c))).toEqual([]);
    console.info(
      `L1: ${called.size - NOT_AUDITED.size} of ${mutations.length} mutating routes called with their audit entry checked, ${NOT_AUDITED.size} checked to write none`,
    );
  });
});
