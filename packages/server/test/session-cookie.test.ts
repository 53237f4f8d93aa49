import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, chosenPassword, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * RELIABILITY-CHECKS A7 (issue 16, item 6): over TLS — directly, or through a proxy the
 * trust-proxy setting trusts — the session cookie is `__Host-accord_session`, Secure, HttpOnly,
 * Path=/, without Domain, SameSite=Lax. Over plain http (127.0.0.1 in development) a browser would
 * drop a Secure or `__Host-` cookie, so there it keeps its plain name and works as before.
 */
describe(`A7: the session cookie (${ENGINE})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // One proxy in front, on the loopback address: what it says of the client counts.
    t = await buildTestApp({ trustProxy: ["127.0.0.1"] });
  });
  afterAll(() => t?.close());

  async function newUser() {
    const username = uniqueSlug("cookie");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "viewer", password: chosenPassword(username) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { username, password: res.json().password as string };
  }
  /** Through the TLS-terminating proxy (trusted), or from a peer that only claims TLS. */
  const PROXY = { remoteAddress: "127.0.0.1", tls: { "x-forwarded-proto": "https" } };
  const STRANGER = { remoteAddress: "192.0.2.80", tls: { "x-forwarded-proto": "https" } };
  const signIn = (u: { username: string; password: string }, via: { remoteAddress: string; tls?: object }) =>
    t.anonymous({
      method: "POST",
      url: "/api/v1/session",
      remoteAddress: via.remoteAddress,
      headers: { ...(via.tls ?? {}) },
      payload: u,
    });
  /** A read only a signed-in user may make (public reading is off): 200 with a session, else 401. */
  const whoAmI = (cookie: string, via: { remoteAddress: string; tls?: object }) =>
    t.anonymous({
      method: "GET",
      url: "/api/v1/matters?limit=1",
      remoteAddress: via.remoteAddress,
      headers: { cookie, ...(via.tls ?? {}) },
    });

  it("A7: over TLS through the trusted proxy: __Host- prefix, Secure, HttpOnly, Path=/, no Domain, SameSite=Lax", async () => {
    const u = await newUser();
    const res = await signIn(u, PROXY);
    expect(res.statusCode, res.body).toBe(200);
    const raw = String(res.headers["set-cookie"]);
    expect(raw).toMatch(/^__Host-accord_session=/);
    expect(res.cookies).toHaveLength(1);
    const [c] = res.cookies;
    expect(c).toMatchObject({
      name: "__Host-accord_session",
      path: "/",
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
    });
    expect(c!.domain).toBeUndefined();
    expect(raw).not.toMatch(/domain=/i);
    // No token in the body: only the anti-CSRF proof.
    expect(JSON.stringify(res.json())).not.toContain(c!.value);

    expect((await whoAmI(`__Host-accord_session=${c!.value}`, PROXY)).statusCode).toBe(200);
    // Over TLS a plain-named cookie is not the session (anyone on a sibling host or on plain
    // http could have planted it).
    expect((await whoAmI(`accord_session=${c!.value}`, PROXY)).statusCode).toBe(401);

    // Signing out clears the prefixed cookie.
    const out = await t.anonymous({
      method: "DELETE",
      url: "/api/v1/session",
      remoteAddress: PROXY.remoteAddress,
      headers: {
        ...PROXY.tls,
        cookie: `__Host-accord_session=${c!.value}`,
        "x-csrf-token": res.json().csrfToken,
      },
    });
    expect(out.statusCode, out.body).toBeLessThan(300);
    expect(String(out.headers["set-cookie"])).toMatch(/^__Host-accord_session=;.*Secure/i);
    expect((await whoAmI(`__Host-accord_session=${c!.value}`, PROXY)).statusCode).toBe(401);
  });

  it("A7: over plain http (development on 127.0.0.1): the plain name, not Secure, and it works", async () => {
    const u = await newUser();
    const res = await signIn(u, { remoteAddress: "127.0.0.1" });
    expect(res.statusCode, res.body).toBe(200);
    const [c] = res.cookies;
    expect(c).toMatchObject({ name: "accord_session", path: "/", httpOnly: true, sameSite: "Lax" });
    expect(c!.secure).toBeUndefined();
    expect((await whoAmI(`accord_session=${c!.value}`, { remoteAddress: "127.0.0.1" })).statusCode).toBe(200);
  });

  it("A7: a peer that is not the trusted proxy cannot claim TLS", async () => {
    const u = await newUser();
    const res = await signIn(u, STRANGER);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.cookies[0]).toMatchObject({ name: "accord_session" });
    expect(res.cookies[0]!.secure).toBeUndefined();
  });
});
