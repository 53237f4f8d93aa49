import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { totpCode } from "../src/modules/auth/totp.js";
import { auditChecks, type Caller } from "./audit-coverage.js";
import {
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  chosenPassword,
  ENGINE,
  type TestApp,
  uniqueSlug,
} from "./helpers.js";

/**
 * L1 (RELIABILITY-CHECKS), the people's area of `L1_AREAS`: sessions (signing in and out, a
 * password, a second factor), grants and their conditions, statistics, a notification read,
 * webhooks, assigning monitors in bulk, and a review cycle's reviews from assignment to approval.
 * Each call succeeds and writes exactly one full audit entry whose before/after fit it, as the
 * person who made it; refusals beside them (412 stale, 403 by role or by CSRF) write none, or only
 * the denial. audit-coverage.test.ts also refuses every route with a 4xx.
 */

let t: TestApp;
let l1: ReturnType<typeof auditChecks>;
const now = new Date();
beforeAll(async () => {
  t = await buildTestApp({ clock: () => now, webhookAllowPrivate: true });
  l1 = auditChecks(t);
});
afterAll(async () => {
  await t?.close();
});

const bearer = async (role: string, username: string): Promise<Caller> => ({
  headers: { authorization: `Bearer ${await t.tokenFor(role as "reviewer", username)}` },
  actor: username,
  role,
  anonymous: true,
});

describe(`L1: sessions, grants, webhooks and reviews, each one audit entry (${ENGINE})`, () => {
  it("L1: signing in, a password, a second factor, signing out", async () => {
    const { audited, unaudited, refused } = l1;
    const username = uniqueSlug("l1-session");
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "reviewer", password: chosenPassword(username) },
    });
    expect(created.statusCode, created.body).toBe(201);
    const userId = created.json().user.id as string;
    const anonymous = { actor: username, role: "reviewer", anonymous: true };

    const signedIn = await audited("POST /api/v1/session", "/api/v1/session", {
      as: anonymous,
      payload: { username, password: chosenPassword(username) },
      diff: { event: "a sign-in changes no record: the entry says how (after: its method)" },
      action: "SIGNED_IN",
    });
    expect(signedIn.entry.entityId).toBe(userId);
    const cookie = signedIn.res.cookies.find((c) => c.name.endsWith("accord_session"))!;
    const session: Caller = {
      headers: {
        cookie: `${cookie.name}=${cookie.value}`,
        "x-csrf-token": signedIn.body.csrfToken as string,
      },
      actor: username,
      role: "reviewer",
      anonymous: true,
    };

    // A second factor: starting writes nothing (a secret not in force until confirmed).
    const start = await unaudited("POST /api/v1/session/totp", "/api/v1/session/totp", { as: session });
    await refused("POST /api/v1/session/totp/confirm", "/api/v1/session/totp/confirm", 400, {
      as: session,
      payload: { code: "000000" },
    });
    const enrolled = await audited("POST /api/v1/session/totp/confirm", "/api/v1/session/totp/confirm", {
      as: session,
      payload: { code: totpCode(start.secret as string, now) },
      diff: { updated: ["totpEnabled"] },
      action: "SECOND_FACTOR_ENROLLED",
    });
    expect(enrolled.entry.entityId).toBe(userId);
    await refused("POST /api/v1/session/totp/remove", "/api/v1/session/totp/remove", 400, {
      as: session,
      payload: { password: "not-the-password" },
    });
    await audited("POST /api/v1/session/totp/remove", "/api/v1/session/totp/remove", {
      as: session,
      payload: { password: chosenPassword(username) },
      diff: { updated: ["totpEnabled"] },
      action: "SECOND_FACTOR_REMOVED",
    });

    const changed = await audited("POST /api/v1/session/password", "/api/v1/session/password", {
      as: session,
      payload: { currentPassword: chosenPassword(username), newPassword: `${username}-another-password` },
      diff: { event: "a password is a secret: the entry says it changed, and keeps nothing of it" },
      action: "PASSWORD_CHANGED",
    });
    // Changing the password starts a new session (the others end).
    const renewed = changed.res.cookies.find((c) => c.name.endsWith("accord_session"))!;
    const after = {
      ...session,
      headers: {
        cookie: `${renewed.name}=${renewed.value}`,
        "x-csrf-token": (changed.body.csrfToken as string) ?? session.headers!["x-csrf-token"]!,
      },
    };
    // Signing out without the anti-CSRF proof is refused; with it, recorded.
    await refused("DELETE /api/v1/session", "/api/v1/session", 403, {
      as: { ...after, headers: { cookie: after.headers.cookie } },
    });
    await audited("DELETE /api/v1/session", "/api/v1/session", {
      as: after,
      diff: { event: "a sign-out ends a session, no record the log shows" },
      action: "SIGNED_OUT",
    });
  });

  it("L1: grants, conditions, statistics, a notification read, webhooks", async () => {
    const { audited, unaudited, refused } = l1;
    const place = await buildJurisdiction(t.app);
    const award = await audited("POST /api/v1/grants", "/api/v1/grants", {
      payload: {
        slug: uniqueSlug("award"),
        program: "byrne_jag",
        fiscalYear: 2017,
        amount: 1000,
        amountMeaning: "total_award",
        jurisdictionId: place.id,
      },
      diff: "created",
      action: "AWARD_CREATED",
    });
    await refused("PATCH /api/v1/grants/:key", `/api/v1/grants/${award.body.id}`, 412, {
      payload: { amount: 5 },
      headers: { "if-match": `"${award.body.version + 1}"` },
    });
    await audited("PATCH /api/v1/grants/:key", `/api/v1/grants/${award.body.id}`, {
      payload: { amount: 5, notes: "Corrected" },
      headers: { "if-match": `"${award.body.version}"` },
      diff: { updated: ["amount"] },
      action: "AWARD_UPDATED",
    });
    const condition = await audited("POST /api/v1/conditions", "/api/v1/conditions", {
      payload: {
        slug: uniqueSlug("condition"),
        program: "byrne_jag",
        fiscalYear: 2017,
        kind: "jail_access",
        status: "imposed",
        date: "2017-07-25",
        jurisdictionId: place.id,
      },
      diff: "created",
      action: "CONDITION_CREATED",
    });
    await audited("POST /api/v1/conditions/:key/status", `/api/v1/conditions/${condition.body.id}/status`, {
      payload: { status: "documentation_demanded", date: "2017-10-12" },
      headers: { "if-match": `"${condition.body.version}"` },
      diff: { updated: ["status"] },
      action: "CONDITION_STATUS_CHANGED",
    });
    const metric = `l1_metric_${process.pid}`;
    await audited("POST /api/v1/statistics/import", "/api/v1/statistics/import?source=L1%20figures", {
      payload: [
        "metric,jurisdiction,period,value,population,months_reported,unit,label,note",
        `${metric},${place.slug},2015,120,600000,12,incidents,Use of force,`,
      ].join("\n"),
      headers: { "content-type": "text/csv" },
      diff: "created",
      action: "STATISTICS_IMPORTED",
    });

    // A notification of the administrator's own, read: their reading state, no entry.
    const note = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into notifications (user_id, kind, title, link, entity)
          select id, 'document_added', 'A document was added', '/matters', 'matter' from users where username = 'tester'
          returning id`,
    );
    await unaudited("POST /api/v1/notifications/:id/read", `/api/v1/notifications/${note!.id}/read`);

    // A webhook, a delivery of it sent again, the webhook removed.
    const hook = await audited("POST /api/v1/webhooks", "/api/v1/webhooks", {
      payload: { url: "http://127.0.0.1:9/hooks/accord", kinds: ["matter.created"] },
      diff: "created",
      action: "WEBHOOK_CREATED",
    });
    expect(JSON.stringify(hook.entry.after)).not.toContain(String(hook.body.secret ?? "no secret answered"));
    const delivery = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into webhook_deliveries (webhook_id, kind, body, status, attempts)
          values (${hook.body.id}, 'matter.created', '{}', 'failed', 5) returning id`,
    );
    await audited(
      "POST /api/v1/webhook-deliveries/:id/redeliver",
      `/api/v1/webhook-deliveries/${delivery!.id}/redeliver`,
      { diff: { updated: ["status"] }, action: "WEBHOOK_REDELIVERED" },
    );
    const removed = await audited("DELETE /api/v1/webhooks/:id", `/api/v1/webhooks/${hook.body.id}`, {
      diff: "deleted",
      action: "WEBHOOK_DELETED",
    });
    expect(removed.entry.before).toMatchObject({ url: "http://127.0.0.1:9/hooks/accord" });
  });

  it("L1: monitors assigned in bulk; a cycle copied; a review assigned, drafted, submitted, returned, approved, reopened", async () => {
    const { audited, refused } = l1;
    const decree = await buildMatter(t.app, {
      kind: "consent_decree",
      status: "active",
      title: "Reviewed decree",
    });
    const other = await buildMatter(t.app, {
      kind: "consent_decree",
      status: "terminated",
      title: "Another decree",
    });

    // Bulk assignment of one matter: one entry (one per matter assigned).
    const monitorName = uniqueSlug("l1-mon");
    await t.tokenFor("monitor", monitorName);
    const monitor = await t.app.inject(`/api/v1/users/${monitorName}`);
    await refused("POST /api/v1/assignments", "/api/v1/assignments", 412, {
      payload: { user: monitorName, matterIds: [other.id] },
      headers: { "if-match": '"7"' },
    });
    const bulk = await audited("POST /api/v1/assignments", "/api/v1/assignments", {
      payload: { user: monitorName, matterIds: [other.id] },
      headers: { "if-match": monitor.headers.etag as string },
      diff: "created",
      action: "MONITOR_ASSIGNED",
    });
    expect(bulk.entry.entityId).toBe(other.id);

    const slug = uniqueSlug("l1-cycle");
    const cycle = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles",
      payload: {
        slug,
        name: "L1 review",
        scope: { kinds: ["consent_decree"], statuses: ["active"] },
        criteria: [{ code: "1", title: "Advances the safety and protection of the public" }],
      },
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    const copy = await audited("POST /api/v1/review-cycles/:key/copy", `/api/v1/review-cycles/${slug}/copy`, {
      payload: { slug: uniqueSlug("l1-copy"), name: "L1 review, next year" },
      diff: "created",
      action: "CYCLE_COPIED",
    });
    expect(copy.entry.entityId).toBe(copy.body.id);
    const started = await t.app.inject({
      method: "POST",
      url: `/api/v1/review-cycles/${slug}/start`,
      headers: { "if-match": '"1"' },
    });
    expect(started.statusCode, started.body).toBe(200);
    const list = (await t.app.inject(`/api/v1/reviews?cycle=${slug}`)).json();
    const review = list.items.find((r: { matter: { id: string } }) => r.matter.id === decree.id);
    const url = `/api/v1/reviews/${review.id}`;
    const reviewerName = uniqueSlug("l1-rev");
    const reviewer = await bearer("reviewer", reviewerName);
    const approver = await bearer("approver", uniqueSlug("l1-appr"));
    const versionNow = async () => (await t.app.inject(url)).json().version as number;

    await audited("POST /api/v1/reviews/assign", "/api/v1/reviews/assign", {
      payload: { assignee: reviewerName, reviewIds: [review.id] },
      diff: { updated: ["assignee"] },
      action: "REVIEW_ASSIGNED",
    });
    await refused("PATCH /api/v1/reviews/:id", url, 412, {
      as: reviewer,
      payload: { recommendation: "retain" },
      headers: { "if-match": `"${(await versionNow()) - 1}"` },
    });
    await audited("PATCH /api/v1/reviews/:id", url, {
      as: reviewer,
      payload: { findings: { "1": { rating: "advances" } }, recommendation: "retain" },
      headers: { "if-match": `"${await versionNow()}"` },
      diff: { updated: ["recommendation"] },
      action: "REVIEW_DRAFTED",
    });
    const move = async (who: Caller, verb: string, action: string, payload?: object) =>
      audited(`POST /api/v1/reviews/:id/${verb}`, `${url}/${verb}`, {
        as: who,
        payload,
        headers: { "if-match": `"${await versionNow()}"` },
        diff: { updated: ["status"] },
        action,
      });
    await move(reviewer, "submit", "REVIEW_SUBMITTED");
    // A reviewer may not approve: refused by policy, only the denial written.
    await refused("POST /api/v1/reviews/:id/approve", `${url}/approve`, 403, {
      as: reviewer,
      headers: { "if-match": `"${await versionNow()}"` },
    });
    await move(approver, "return", "REVIEW_RETURNED", { comment: "Cite the monitor's report" });
    await move(reviewer, "submit", "REVIEW_SUBMITTED");
    await move(approver, "approve", "REVIEW_APPROVED");
    await move({ actor: "tester", role: "admin" }, "reopen", "REVIEW_REOPENED", {
      reason: "The decree was modified",
    });
  });

  it("L1: every route of the people's area was called", () => {
    l1.expectAreaCovered("people");
  });
});
