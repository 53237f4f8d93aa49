import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMatter, buildTestApp, chosenPassword, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

let t: TestApp;
let now = new Date();
beforeAll(async () => {
  t = await buildTestApp({ clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

/** Creates a user through the API as the test administrator; returns the password. */
async function createUser(role: string, username = uniqueSlug(role)) {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/users",
    payload: { username, role, password: chosenPassword(username) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { username, password: res.json().password as string, id: res.json().user.id as string };
}

async function signIn(username: string, password: string, cookie?: string) {
  const res = await t.anonymous({
    method: "POST",
    url: "/api/v1/session",
    payload: { username, password },
    headers: cookie ? { cookie } : {},
  });
  const set = res.cookies.find((c) => c.name === "accord_session");
  return { res, cookie: set ? `accord_session=${set.value}` : "", csrf: res.json().csrfToken as string, set };
}

describe(`a generated password (${ENGINE})`, () => {
  it("must be replaced at the first sign-in before anything else; a chosen one need not", async () => {
    const username = uniqueSlug("generated");
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "reviewer" },
    });
    const generated = created.json().password as string;
    const { res, cookie, csrf } = await signIn(username, generated);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ passwordChangeRequired: true });
    const headers = { cookie, "x-csrf-token": csrf };
    // Reading and writing are refused, saying what to do; the session itself still answers.
    const refused = await t.anonymous({ url: "/api/v1/matters", headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "password_change_required" });
    expect(refused.json().detail).toMatch(/choose your own password/i);
    const who = await t.anonymous({ url: "/api/v1/session", headers });
    expect(who.json()).toMatchObject({ user: { username }, passwordChangeRequired: true });

    const changed = await t.anonymous({
      method: "POST",
      url: "/api/v1/session/password",
      headers,
      payload: { currentPassword: generated, newPassword: "my-own-password-at-last" },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ passwordChangeRequired: false });
    const again = await signIn(username, "my-own-password-at-last");
    expect(again.res.json()).toMatchObject({ passwordChangeRequired: false });
    const list = await t.anonymous({ url: "/api/v1/matters", headers: { cookie: again.cookie } });
    expect(list.statusCode).toBe(200);

    // An administrator's reset hands over a generated password again; one chosen by the
    // administrator (provisioning) is the user's to keep.
    const id = created.json().user.id as string;
    const reset = await t.app.inject({ method: "POST", url: `/api/v1/users/${id}/reset-password` });
    const afterReset = await signIn(username, reset.json().password as string);
    expect(afterReset.res.json()).toMatchObject({ passwordChangeRequired: true });
    const chosen = await createUser("viewer");
    expect((await signIn(chosen.username, chosen.password)).res.json()).toMatchObject({
      passwordChangeRequired: false,
    });
  });
});

describe(`sign-in and sessions (${ENGINE})`, () => {
  it("signs in with a server-side session in an httpOnly, SameSite cookie, and says who is signed in", async () => {
    const u = await createUser("reviewer");
    const { res, cookie, set } = await signIn(u.username, u.password);
    expect(res.statusCode).toBe(200);
    expect(set).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(res.json()).toMatchObject({
      user: { username: u.username, role: "reviewer" },
      authVia: "session",
    });
    const who = await t.anonymous({ url: "/api/v1/session", headers: { cookie } });
    expect(who.json()).toMatchObject({
      user: { username: u.username },
      permissions: [
        "registry:read",
        "registry:write",
        "reviews:read",
        "reviews:read-drafts",
        "reviews:write",
        "deadlines:manage",
      ],
    });
    const nobody = await t.anonymous("/api/v1/session");
    expect(nobody.json()).toMatchObject({ user: null, csrfToken: null, permissions: [] });
  });

  it("refuses a wrong password without saying whether the user exists", async () => {
    const u = await createUser("viewer");
    const wrong = await signIn(u.username, "not-the-password");
    const unknown = await signIn("nobody-at-all", "whatever-password");
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.json().detail).toBe(unknown.res.json().detail);
  });

  it("gives a new session id at sign-in (no fixation) and ends the old one", async () => {
    const u = await createUser("viewer");
    const first = await signIn(u.username, u.password);
    const second = await signIn(u.username, u.password, first.cookie);
    expect(second.cookie).not.toBe(first.cookie);
    expect(
      (await t.anonymous({ url: "/api/v1/matters", headers: { cookie: first.cookie } })).statusCode,
    ).toBe(401);
    expect(
      (await t.anonymous({ url: "/api/v1/matters", headers: { cookie: second.cookie } })).statusCode,
    ).toBe(200);
  });

  it("refuses a cookie-authenticated change without the anti-CSRF proof (403)", async () => {
    const u = await createUser("reviewer");
    const { cookie, csrf } = await signIn(u.username, u.password);
    const m = await buildMatter(t.app);
    const patch = (headers: Record<string, string>) =>
      t.anonymous({
        method: "PATCH",
        url: `/api/v1/matters/${m.id}`,
        headers: { cookie, "if-match": '"1"', ...headers },
        payload: { judge: "CSRF test" },
      });
    const refused = await patch({});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe("csrf_failed");
    expect((await patch({ "x-csrf-token": "forged" })).statusCode).toBe(403);
    expect((await patch({ "x-csrf-token": csrf })).statusCode).toBe(200);
  });

  it("ends a session on sign-out and after the idle limit", async () => {
    const u = await createUser("viewer");
    const a = await signIn(u.username, u.password);
    const out = await t.anonymous({
      method: "DELETE",
      url: "/api/v1/session",
      headers: { cookie: a.cookie, "x-csrf-token": a.csrf },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.anonymous({ url: "/api/v1/matters", headers: { cookie: a.cookie } })).statusCode).toBe(
      401,
    );

    const b = await signIn(u.username, u.password);
    expect((await t.anonymous({ url: "/api/v1/matters", headers: { cookie: b.cookie } })).statusCode).toBe(
      200,
    );
    const saved = now;
    now = new Date(saved.getTime() + 61 * 60_000);
    try {
      const idle = await t.anonymous({ url: "/api/v1/matters", headers: { cookie: b.cookie } });
      expect(idle.statusCode).toBe(401);
    } finally {
      now = saved;
    }
    // Gone for good, not just while the clock was ahead.
    expect((await t.anonymous({ url: "/api/v1/matters", headers: { cookie: b.cookie } })).statusCode).toBe(
      401,
    );
  });

  it("ends every session of a user who changes their password", async () => {
    const u = await createUser("reviewer");
    const a = await signIn(u.username, u.password);
    const b = await signIn(u.username, u.password);
    const res = await t.anonymous({
      method: "POST",
      url: "/api/v1/session/password",
      headers: { cookie: b.cookie, "x-csrf-token": b.csrf },
      payload: { currentPassword: u.password, newPassword: "a-brand-new-password" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.anonymous({ url: "/api/v1/matters", headers: { cookie: a.cookie } })).statusCode).toBe(
      401,
    );
    expect((await t.anonymous({ url: "/api/v1/matters", headers: { cookie: b.cookie } })).statusCode).toBe(
      401,
    );
    const fresh = res.cookies.find((c) => c.name === "accord_session")!;
    expect(
      (await t.anonymous({ url: "/api/v1/matters", headers: { cookie: `accord_session=${fresh.value}` } }))
        .statusCode,
    ).toBe(200);
    expect((await signIn(u.username, u.password)).res.statusCode).toBe(401);
    expect((await signIn(u.username, "a-brand-new-password")).res.statusCode).toBe(200);
  });

  it("slows repeated failures for one account, then locks it for a while with a clear message", async () => {
    const u = await createUser("viewer");
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect((await signIn(u.username, `wrong-${i}`)).res.statusCode).toBe(401);
      timings.push(Date.now() - started);
    }
    // From the third failure on, answers are delayed (at least 400 ms, growing).
    expect(timings[3]).toBeGreaterThanOrEqual(350);
    const locked = await signIn(u.username, u.password);
    expect(locked.res.statusCode).toBe(429);
    expect(locked.res.json().detail).toMatch(
      /Too many failed sign-ins for this account.*locked for 15 more minutes/,
    );
    expect(locked.res.headers["retry-after"]).toBe("900");
    // An administrator's password reset lifts the lock.
    const reset = await t.app.inject({ method: "POST", url: `/api/v1/users/${u.id}/reset-password` });
    expect((await signIn(u.username, reset.json().password)).res.statusCode).toBe(200);
  });

  it("deactivating a user ends their sessions and refuses their sign-in", async () => {
    const u = await createUser("reviewer");
    const a = await signIn(u.username, u.password);
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${u.id}`,
      headers: { "if-match": '"1"' },
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.anonymous({ url: "/api/v1/matters", headers: { cookie: a.cookie } })).statusCode).toBe(
      401,
    );
    expect((await signIn(u.username, u.password)).res.statusCode).toBe(401);
  });
});

/** The audit entries about one user, of one action, oldest first. */
async function auditOf(userId: string, action: string) {
  const res = await t.app.inject(`/api/v1/audit?entityId=${userId}&action=${action}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Record<string, unknown>[]).reverse();
}

describe(`audit of sign-ins (${ENGINE})`, () => {
  it("records a sign-in by the user, a refusal with its reason, and a sign-out", async () => {
    const u = await createUser("reviewer");
    expect((await signIn(u.username, "not-the-password")).res.statusCode).toBe(401);
    const s = await signIn(u.username, u.password);
    expect(s.res.statusCode).toBe(200);
    const out = await t.anonymous({
      method: "DELETE",
      url: "/api/v1/session",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect(out.statusCode).toBe(204);

    const [failed, ...moreFailed] = await auditOf(u.id, "SIGN_IN_FAILED");
    expect(moreFailed).toEqual([]);
    // The failure was committed although the request answered an error.
    expect(failed).toMatchObject({
      actor: "anonymous",
      entity: "user",
      address: "127.0.0.1",
      after: { reason: "wrong_password" },
    });
    const signedIn = await auditOf(u.id, "SIGNED_IN");
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0]).toMatchObject({
      actor: u.username,
      actorRole: "reviewer",
      entity: "user",
      after: { method: "password" },
    });
    const signedOut = await auditOf(u.id, "SIGNED_OUT");
    expect(signedOut).toHaveLength(1);
    expect(signedOut[0]).toMatchObject({ actor: u.username, entity: "user" });
    // Signing out again (the session is gone) records nothing more.
    await t.anonymous({
      method: "DELETE",
      url: "/api/v1/session",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect(await auditOf(u.id, "SIGNED_OUT")).toHaveLength(1);
  });

  it("records nothing for an unknown user name", async () => {
    const total = async () => (await t.app.inject("/api/v1/audit?action=SIGN_IN_FAILED")).json().total;
    const before = await total();
    const name = uniqueSlug("nobody");
    expect((await signIn(name, "whatever-password")).res.statusCode).toBe(401);
    expect(await total()).toBe(before);
    const csv = await t.app.inject("/api/v1/audit.csv?action=SIGN_IN_FAILED");
    expect(csv.body).not.toContain(name);
  });

  it("records a deactivated account's refusal, and a lock once however often it is tried", async () => {
    const gone = await createUser("viewer");
    const deactivate = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${gone.id}`,
      headers: { "if-match": '"1"' },
      payload: { active: false },
    });
    expect(deactivate.statusCode).toBe(200);
    expect((await signIn(gone.username, gone.password)).res.statusCode).toBe(401);
    expect((await auditOf(gone.id, "SIGN_IN_FAILED")).map((e) => e.after)).toEqual([
      { reason: "deactivated" },
    ]);

    const u = await createUser("viewer");
    for (let i = 0; i < 5; i++) expect((await signIn(u.username, `wrong-${i}`)).res.statusCode).toBe(401);
    expect((await signIn(u.username, u.password)).res.statusCode).toBe(429);
    expect((await signIn(u.username, u.password)).res.statusCode).toBe(429);
    const reasons = (await auditOf(u.id, "SIGN_IN_FAILED")).map((e) => e.after);
    expect(reasons).toEqual([
      ...Array(5).fill({ reason: "wrong_password" }),
      { reason: "locked", lock: "account" },
    ]);
  });
});

describe(`audit of role changes (${ENGINE})`, () => {
  it("records a role change as USER_ROLE_CHANGED besides USER_UPDATED", async () => {
    const u = await createUser("viewer");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${u.id}`,
      headers: { "if-match": '"1"' },
      payload: { role: "reviewer" },
    });
    expect(res.statusCode, res.body).toBe(200);
    const updated = await auditOf(u.id, "USER_UPDATED");
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ before: { role: "viewer" }, after: { role: "reviewer" } });
    const changed = await auditOf(u.id, "USER_ROLE_CHANGED");
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      actor: "tester",
      entity: "user",
      before: { role: "viewer" },
      after: { role: "reviewer" },
    });
    // A change that leaves the role as it is records no role change.
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${u.id}`,
      headers: { "if-match": '"2"' },
      payload: { displayName: "Same role", role: "reviewer" },
    });
    expect(await auditOf(u.id, "USER_ROLE_CHANGED")).toHaveLength(1);
  });
});

describe(`API tokens (${ENGINE})`, () => {
  it("creates a token shown once, stores only its hash, works as Bearer, and can be revoked", async () => {
    const u = await createUser("viewer");
    const s = await signIn(u.username, u.password);
    const created = await t.anonymous({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
      payload: { name: "nightly export" },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    const stored = (await t.database.db.execute(
      (
        await import("drizzle-orm")
      ).sql`select token_hash from api_tokens where id = ${id}`,
    )) as unknown as { rows: { token_hash: string }[] };
    expect(stored.rows[0]!.token_hash).not.toContain(token);
    const list = await t.anonymous({ url: "/api/v1/tokens", headers: { cookie: s.cookie } });
    expect(JSON.stringify(list.json())).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.anonymous({ url: "/api/v1/matters", headers: bearer })).statusCode).toBe(200);
    // A token needs no CSRF proof (no cookie), but keeps its user's role: a viewer cannot write.
    const m = await buildMatter(t.app);
    const write = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { ...bearer, "if-match": '"1"' },
      payload: { judge: "x" },
    });
    expect(write.statusCode).toBe(403);
    const revoked = await t.anonymous({
      method: "DELETE",
      url: `/api/v1/tokens/${id}`,
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect(revoked.statusCode).toBe(204);
    expect((await t.anonymous({ url: "/api/v1/matters", headers: bearer })).statusCode).toBe(401);
  });
});

describe(`roles (${ENGINE})`, () => {
  it("lets a reviewer edit matters but not manage users; a viewer only read", async () => {
    const reviewer = await t.tokenFor("reviewer");
    const viewer = await t.tokenFor("viewer");
    const m = await buildMatter(t.app);
    const as = (token: string, opts: Record<string, unknown>) =>
      t.anonymous({
        ...opts,
        headers: { authorization: `Bearer ${token}`, ...((opts.headers as object) ?? {}) },
      } as never);
    expect((await as(viewer, { url: `/api/v1/matters/${m.id}` })).statusCode).toBe(200);
    const viewerPatch = await as(viewer, {
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { judge: "V" },
    });
    expect(viewerPatch.statusCode).toBe(403);
    expect(viewerPatch.json()).toMatchObject({ code: "forbidden", status: 403 });
    const reviewerPatch = await as(reviewer, {
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { judge: "R" },
    });
    expect(reviewerPatch.statusCode).toBe(200);
    expect((await as(reviewer, { url: "/api/v1/users" })).statusCode).toBe(403);
    expect((await as(reviewer, { url: "/api/v1/audit" })).statusCode).toBe(403);
    expect((await t.app.inject("/api/v1/users")).statusCode).toBe(200);
    expect((await t.anonymous("/api/v1/matters")).statusCode).toBe(401);
  });

  it("records who made each change, with their role and address, and shows it in the record's history", async () => {
    const reviewer = await t.tokenFor("reviewer", uniqueSlug("rhea"));
    const m = await buildMatter(t.app);
    await t.anonymous({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { authorization: `Bearer ${reviewer}`, "if-match": '"1"' },
      payload: { monitor: "History test" },
    });
    const history = (await t.app.inject(`/api/v1/history/matter/${m.slug}`)).json();
    expect(history.items.map((e: { action: string }) => e.action)).toEqual([
      "MATTER_UPDATED",
      "MATTER_CREATED",
    ]);
    expect(history.items[0]).toMatchObject({ actorRole: "reviewer", address: "127.0.0.1" });
    expect(history.items[0].actor).toMatch(/^rhea-/);
    expect(history.items[0].before.monitor).toBeNull();
    expect(history.items[0].after.monitor).toBe("History test");
    const audit = (await t.app.inject(`/api/v1/audit?entityId=${m.id}&action=MATTER_UPDATED`)).json();
    expect(audit.total).toBe(1);
    const csv = await t.app.inject(`/api/v1/audit.csv?entityId=${m.id}`);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.split("\r\n")[0]).toBe(
      "id,at,actor,actorRole,address,action,entity,entityId,requestId,before,after",
    );
    // The filters offer what the log holds.
    const facets = (await t.app.inject("/api/v1/audit/facets")).json();
    expect(facets.actions).toContain("MATTER_UPDATED");
    expect(facets.entities).toContain("matter");
  });

  it("never deletes users, and an admin cannot lock themself out", async () => {
    const routes = t.app.routePolicies.filter((r) => r.url.startsWith("/api/v1/users"));
    expect(routes.map((r) => r.method)).not.toContain("DELETE");
    const me = (await t.app.inject("/api/v1/users/tester")).json();
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${me.id}`,
      headers: { "if-match": `"${me.version}"` },
      payload: { active: false },
    });
    expect(res.statusCode).toBe(409);
  });
});

describe(`HTTP hardening (${ENGINE})`, () => {
  it("sends security headers", async () => {
    const res = await t.anonymous("/healthz");
    const csp = res.headers["content-security-policy"] as string;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline'[^;]*;?\s*script|script-src[^;]*unsafe/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
  });

  it("refuses a body above the limit with 413", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ slug: "big", title: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 413, code: "payload_too_large" });
  });
});
