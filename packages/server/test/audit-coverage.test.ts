import { can } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { allAreaRoutes, auditChecks, NOT_AUDITED } from "./audit-coverage.js";
import { buildTestApp, ENGINE, monitorIfMatch, type TestApp, uniqueSlug } from "./helpers.js";
import { apiRoutes, concrete, routeName } from "./route-inventory.js";

/**
 * L1: audit coverage, from the route inventory. Every mutating route (POST, PUT, PATCH, DELETE)
 * is in one area of `L1_AREAS` (audit-coverage.ts), whose file calls it successfully, and it must
 * then write exactly one audit entry with its fields (who, as what role, from where, in which
 * request, what action of the closed vocabulary, on which record, what it was and became, when:
 * a timestamptz, in UTC), and then with a 4xx, which writes no change entry (a 403 only its
 * denial). This file holds the registry's area and the check that every route of the app is in
 * an area; audit-coverage-decrees and audit-coverage-people hold the others.
 */

let t: TestApp;
let l1: ReturnType<typeof auditChecks>;
beforeAll(async () => {
  t = await buildTestApp();
  l1 = auditChecks(t);
});
afterAll(async () => {
  await t?.close();
});

/** Mutations whose empty call, with no record in the address, is a whole request (nothing to refuse). */
const EMPTY_CALL_IS_WHOLE = [
  // Starts an enrolment: a new secret for the caller's authenticator, not in force until confirmed.
  "POST /api/v1/session/totp",
  // Signs out: with an API token there is no session, and nothing to do.
  "DELETE /api/v1/session",
  // The caller's own reading state (NOT_AUDITED): every field is optional.
  "POST /api/v1/notifications/read-all",
  "PUT /api/v1/notifications/preferences",
  "POST /api/v1/since-last-visit/seen",
];

/** Refused where a session of its own can be made: audit-coverage-people.test.ts. */
const REFUSED_ELSEWHERE = ["DELETE /api/v1/session"];

describe(`L1: every mutation writes one full audit entry (${ENGINE})`, () => {
  it("L1: registry, users, tokens, assignments, periods, ratings and cycles, each call one entry with its before/after", async () => {
    const { audited, unaudited } = l1;
    const j = await audited("POST /api/v1/jurisdictions", "/api/v1/jurisdictions", {
      payload: { slug: uniqueSlug("town"), name: "Auditville", kind: "city", stateCode: "MD" },
      diff: "created",
      action: "JURISDICTION_CREATED",
    });
    expect(j.entry.entityId).toBe(j.body.id);
    await audited("PATCH /api/v1/jurisdictions/:key", `/api/v1/jurisdictions/${j.body.id}`, {
      payload: { name: "Auditville City" },
      headers: { "if-match": j.etag },
      diff: { updated: ["name"] },
    });
    const a = await audited("POST /api/v1/agencies", "/api/v1/agencies", {
      payload: {
        slug: uniqueSlug("agency"),
        name: "Auditville Police",
        kind: "police",
        jurisdictionId: j.body.id,
      },
      diff: "created",
    });
    await audited("PATCH /api/v1/agencies/:key", `/api/v1/agencies/${a.body.id}`, {
      payload: { name: "Auditville PD" },
      headers: { "if-match": a.etag },
      diff: { updated: ["name"] },
    });
    const matter = (title: string) => ({
      slug: uniqueSlug("matter"),
      kind: "consent_decree",
      status: "active",
      title,
      jurisdictionId: j.body.id,
    });
    const m = await audited("POST /api/v1/matters", "/api/v1/matters", {
      payload: matter("Audited decree"),
      diff: "created",
    });
    expect(m.entry).toMatchObject({ entity: "matter", entityId: m.body.id });
    const other = await audited("POST /api/v1/matters", "/api/v1/matters", {
      payload: matter("Other decree"),
      diff: "created",
    });
    const m2 = await audited("PATCH /api/v1/matters/:key", `/api/v1/matters/${m.body.id}`, {
      payload: { title: "Audited decree, amended" },
      headers: { "if-match": m.etag },
      diff: { updated: ["title"] },
    });
    expect(m2.entry.entityId).toBe(m.body.id);
    const rel = await audited("POST /api/v1/matters/:key/related", `/api/v1/matters/${m.body.id}/related`, {
      payload: { relatedId: other.body.id, relation: "related" },
      headers: { "if-match": m2.etag },
      diff: { updated: ["related"] },
    });
    await audited(
      "DELETE /api/v1/matters/:key/related/:relatedKey",
      `/api/v1/matters/${m.body.id}/related/${other.body.id}`,
      { headers: { "if-match": `"${rel.body.version}"` }, diff: { updated: ["related"] } },
    );
    const e = await audited("POST /api/v1/events", "/api/v1/events", {
      payload: {
        slug: uniqueSlug("event"),
        kind: "hearing",
        date: "2030-01-15",
        title: "Audited hearing",
        matterId: m.body.id,
      },
      diff: "created",
    });
    const e2 = await audited("PATCH /api/v1/events/:key", `/api/v1/events/${e.body.id}`, {
      payload: { title: "Audited hearing, moved" },
      headers: { "if-match": e.etag },
      diff: { updated: ["title"] },
    });
    await audited("DELETE /api/v1/events/:key", `/api/v1/events/${e.body.id}`, {
      headers: { "if-match": e2.etag },
      diff: "deleted",
    });

    // Users and tokens (a token is created for the caller; reading it back needs no audit).
    const u = await audited("POST /api/v1/users", "/api/v1/users", {
      payload: { username: "l1-monitor", role: "monitor", password: "a-long-password-1" },
      diff: "created",
    });
    const user = (u.body as unknown as { user: { id: string } }).user;
    expect(u.entry.entityId).toBe(user.id);
    expect(JSON.stringify(u.entry.after)).not.toContain("a-long-password-1");
    const u2 = await audited("PATCH /api/v1/users/:key", "/api/v1/users/l1-monitor", {
      payload: { displayName: "Monitor of audits" },
      headers: await monitorIfMatch(t.app, "l1-monitor"),
      diff: { updated: ["displayName"] },
    });
    expect(u2.entry.entityId).toBe(user.id);
    await audited("POST /api/v1/users/:key/reset-password", "/api/v1/users/l1-monitor/reset-password", {
      diff: { event: "a password is a secret: the entry says it was reset, and keeps nothing of it" },
      action: "PASSWORD_RESET",
    });
    const tok = await audited("POST /api/v1/tokens", "/api/v1/tokens", {
      payload: { name: "l1 token" },
      diff: "created",
    });
    const tokenId = (tok.body as unknown as { token?: { id: string } }).token?.id ?? tok.body.id;
    const revoked = await audited("DELETE /api/v1/tokens/:id", `/api/v1/tokens/${tokenId}`, {
      diff: "deleted",
    });
    expect(revoked.entry.before).toMatchObject({ name: "l1 token" });
    const assigned = await audited(
      "PUT /api/v1/matters/:key/assignments/:user",
      `/api/v1/matters/${m.body.id}/assignments/l1-monitor`,
      { headers: await monitorIfMatch(t.app, "l1-monitor"), diff: "created" },
    );
    expect(assigned.entry.after).toMatchObject({ monitor: "l1-monitor", userId: user.id });
    await audited(
      "DELETE /api/v1/matters/:key/assignments/:user",
      `/api/v1/matters/${m.body.id}/assignments/l1-monitor`,
      { headers: await monitorIfMatch(t.app, "l1-monitor"), diff: "deleted" },
    );

    // A reporting period and a rating of a provision in it.
    const provision = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, path, text, position, depth)
          values (${m.body.id as string}, 1, '¶ 1', '¶ 1', 'A paragraph', 1, 0) returning id`,
    );
    const p = await audited("POST /api/v1/matters/:key/periods", `/api/v1/matters/${m.body.id}/periods`, {
      payload: { label: "P1", endsOn: "2024-06-30" },
      diff: "created",
    });
    const p2 = await audited("PATCH /api/v1/periods/:id", `/api/v1/periods/${p.body.id}`, {
      payload: { label: "First period" },
      headers: { "if-match": `"${p.body.version}"` },
      diff: { updated: ["label"] },
    });
    const ratingUrl = `/api/v1/provisions/${provision!.id}/ratings/${p.body.id}/monitor`;
    const r = await audited("PUT /api/v1/provisions/:id/ratings/:periodId/:rater", ratingUrl, {
      payload: { level: "full" },
      headers: { "if-match": '"0"' },
      diff: { updated: ["ratings"] },
    });
    await audited("DELETE /api/v1/provisions/:id/ratings/:periodId/:rater", ratingUrl, {
      headers: { "if-match": r.etag || `"${r.body.version ?? 1}"` },
      diff: { updated: ["ratings"] },
    });
    await audited("DELETE /api/v1/periods/:id", `/api/v1/periods/${p.body.id}`, {
      headers: { "if-match": `"${p2.body.version}"` },
      diff: "deleted",
    });

    // A review cycle, edited and started (starting writes one entry for the cycle).
    const c = await audited("POST /api/v1/review-cycles", "/api/v1/review-cycles", {
      payload: {
        slug: uniqueSlug("cycle"),
        name: "Audit cycle",
        scope: { kinds: ["settlement_agreement"], statuses: [] },
        criteria: [{ code: "1", title: "Complies" }],
      },
      diff: "created",
    });
    const c2 = await audited("PATCH /api/v1/review-cycles/:key", `/api/v1/review-cycles/${c.body.id}`, {
      payload: { name: "Audit cycle, renamed" },
      headers: { "if-match": c.etag },
      diff: { updated: ["name"] },
    });
    await audited("POST /api/v1/review-cycles/:key/start", `/api/v1/review-cycles/${c.body.id}/start`, {
      headers: { "if-match": c2.etag },
      diff: { updated: ["status"] },
    });

    // A user's own saved search is audited like the rest (a calendar feed can serve it).
    const s1 = await audited("POST /api/v1/saved-searches", "/api/v1/saved-searches", {
      payload: { kind: "search", name: "Audited search", query: { q: "decree" } },
      diff: "created",
    });
    const s2 = await audited("PATCH /api/v1/saved-searches/:id", `/api/v1/saved-searches/${s1.body.id}`, {
      payload: { name: "Renamed search" },
      headers: { "if-match": s1.etag || `"${s1.body.version}"` },
      diff: { updated: ["name"] },
    });
    await audited("DELETE /api/v1/saved-searches/:id", `/api/v1/saved-searches/${s1.body.id}`, {
      headers: { "if-match": s2.etag || `"${s2.body.version}"` },
      diff: "deleted",
    });

    // A calendar feed is a credential: audited. Following a matter and reading are not (NOT_AUDITED).
    const feed = await audited("POST /api/v1/calendar-feeds", "/api/v1/calendar-feeds", {
      payload: { name: "Audited feed" },
      diff: "created",
    });
    const feedId = (feed.body as unknown as { feed?: { id: string } }).feed?.id ?? feed.body.id;
    const feedGone = await audited("DELETE /api/v1/calendar-feeds/:id", `/api/v1/calendar-feeds/${feedId}`, {
      diff: "deleted",
    });
    expect(feedGone.entry.before).toMatchObject({ name: "Audited feed" });
    const watch = await unaudited("POST /api/v1/watches", "/api/v1/watches", {
      payload: { target: "matter", key: m.body.id },
    });
    await unaudited("DELETE /api/v1/watches/:id", `/api/v1/watches/${watch.id}`);
    await unaudited("POST /api/v1/notifications/read-all", "/api/v1/notifications/read-all");
    await unaudited("PUT /api/v1/notifications/preferences", "/api/v1/notifications/preferences", {
      payload: { emailMode: "off" },
    });
    await unaudited("POST /api/v1/since-last-visit/seen", "/api/v1/since-last-visit/seen");

    // Deletions last.
    await audited("DELETE /api/v1/matters/:key", `/api/v1/matters/${other.body.id}`, {
      headers: { "if-match": `"${(await t.app.inject(`/api/v1/matters/${other.body.id}`)).json().version}"` },
      diff: "deleted",
    });
    const lone = await audited("POST /api/v1/jurisdictions", "/api/v1/jurisdictions", {
      payload: { slug: uniqueSlug("town"), name: "Lone", kind: "city", stateCode: "MD" },
      diff: "created",
    });
    const loneAgency = await audited("POST /api/v1/agencies", "/api/v1/agencies", {
      payload: { slug: uniqueSlug("agency"), name: "Lone PD", kind: "police", jurisdictionId: lone.body.id },
      diff: "created",
    });
    await audited("DELETE /api/v1/agencies/:key", `/api/v1/agencies/${loneAgency.body.id}`, {
      headers: { "if-match": loneAgency.etag },
      diff: "deleted",
    });
    await audited("DELETE /api/v1/jurisdictions/:key", `/api/v1/jurisdictions/${lone.body.id}`, {
      headers: { "if-match": lone.etag },
      diff: "deleted",
    });
  });

  it("L1: a refused mutation writes no change entry (400, 404, 412), a refusal by policy only its denial", async () => {
    const { refused } = l1;
    const viewer = {
      headers: { authorization: `Bearer ${await t.tokenFor("viewer", "l1-viewer")}` },
      actor: "l1-viewer",
      role: "viewer",
      anonymous: true,
    };
    await refused("POST /api/v1/jurisdictions", "/api/v1/jurisdictions", 400, {
      payload: { slug: "Bad Slug" },
    });
    await refused("PATCH /api/v1/matters/:key", "/api/v1/matters/00000000-0000-4000-8000-000000000000", 404, {
      headers: { "if-match": '"1"' },
      payload: { title: "x" },
    });
    const j = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/jurisdictions",
        payload: { slug: uniqueSlug("t"), name: "S", kind: "city", stateCode: "MD" },
      })
    ).json();
    await refused("PATCH /api/v1/jurisdictions/:key", `/api/v1/jurisdictions/${j.id}`, 412, {
      headers: { "if-match": '"99"' },
      payload: { name: "Stale" },
    });
    await refused("PATCH /api/v1/jurisdictions/:key", `/api/v1/jurisdictions/${j.id}`, 403, {
      as: viewer,
      headers: { "if-match": '"1"' },
      payload: { name: "Denied" },
    });
  });

  it("L1: every mutating route is refused without credentials (401) and with unknown records and an empty body (4xx), writing no entry", async () => {
    // Anonymous requests must not grow the log: a 401 writes nothing (the sign-in routes, open to
    // anyone, answer the empty body with 400). The administrator may do everything: each refusal
    // of theirs is for the request (400, 404, 409, 412, 428), never by policy, so it writes no
    // entry at all.
    const { refused } = l1;
    const anonymous = { actor: "anonymous", role: "", anonymous: true };
    const json = { "if-match": '"1"', "content-type": "application/json" };
    const emptyAccepted: string[] = [];
    for (const r of apiRoutes(t.app).filter((x) => x.method !== "GET")) {
      const name = routeName(r);
      if (name === "POST /api/v1/session")
        await refused(name, r.url, 400, { as: anonymous, headers: json, payload: "{}" });
      else if (r.policy === "public") {
        // Signing in or out, open to anyone: nothing to sign out of, or no credentials, is no entry.
        const before = await l1.lastId();
        const res = await t.anonymous({
          method: r.method as "POST",
          url: r.url,
          headers: json,
          payload: "{}",
        });
        expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(500);
        expect(await l1.rowsAfter(before), name).toEqual([]);
      } else await refused(name, concrete(r.url), 401, { as: anonymous, headers: json, payload: "{}" });
      const before = await l1.lastId();
      const res = await t.app.inject({
        method: r.method as "POST",
        url: concrete(r.url),
        headers: json,
        payload: "{}",
      });
      if (res.statusCode < 300) {
        emptyAccepted.push(name);
        continue;
      }
      expect(res.statusCode, `${name}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(500);
      expect(
        (await l1.rowsAfter(before)).map((x) => x.action),
        `${name} → ${res.statusCode}`,
      ).toEqual([]);
    }
    // Routes with no record in their address and nothing required in their body: an empty call
    // is a whole one (it was sent as the administrator, so its entry, if any, is checked in its
    // area's file).
    expect(emptyAccepted).toEqual(EMPTY_CALL_IS_WHOLE);
  });

  it("L1: a viewer is refused every mutation but their own reading state: a 403 writes its denial alone", async () => {
    const { refused } = l1;
    const viewer = {
      headers: { authorization: `Bearer ${await t.tokenFor("viewer", "l1-viewer-2")}` },
      actor: "l1-viewer-2",
      role: "viewer",
      anonymous: true,
    };
    for (const r of apiRoutes(t.app).filter((x) => x.method !== "GET")) {
      const name = routeName(r);
      // Routes open to every signed-in user (their own tokens, feeds, saved searches, reading
      // state) or to anyone (signing in) have no refusal by role: their 4xx is the sweep above.
      if (r.policy === "public" || r.policy === "signed-in" || can({ role: "viewer" }, r.policy)) continue;
      await refused(name, concrete(r.url), 403, {
        as: viewer,
        headers: { "if-match": '"1"', "content-type": "application/json" },
        payload: "{}",
      });
    }
  });

  it("L1: every mutating route of the app is in an area of L1_AREAS, called there and refused there", () => {
    const mutations = apiRoutes(t.app)
      .filter((r) => r.method !== "GET")
      .map(routeName);
    const areas = allAreaRoutes();
    expect(
      mutations.filter((m) => !areas.includes(m)),
      "routes in no L1 area",
    ).toEqual([]);
    expect(
      areas.filter((a) => !mutations.includes(a)),
      "area routes the app does not have",
    ).toEqual([]);
    expect(areas.length, "no route in two areas").toBe(new Set(areas).size);
    for (const listed of Object.keys(NOT_AUDITED)) expect(areas, listed).toContain(listed);
    l1.expectAreaCovered("registry");
    expect(
      mutations.filter((m) => !l1.refusedRoutes.has(m) && !REFUSED_ELSEWHERE.includes(m)),
      "routes not refused with a 4xx",
    ).toEqual([]);
    console.info(
      `L1: ${mutations.length} mutating routes, each called with its entry checked; ${Object.keys(NOT_AUDITED).length} write none by decision (NOT_AUDITED)`,
    );
  });
});
