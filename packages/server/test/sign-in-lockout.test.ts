import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressKey } from "../src/modules/auth/throttle.js";
import { totpCode } from "../src/modules/auth/totp.js";
import { buildTestApp, chosenPassword, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * Issue 16, item 4: five anonymous wrong passwords used to lock any account (the administrator's
 * too) for 15 minutes, renewable forever. Failures now count per account and address; failures
 * from elsewhere never refuse a correct password with its second factor.
 */
let t: TestApp;
let now = new Date("2026-12-06T12:00:00Z");
beforeAll(async () => {
  t = await buildTestApp({ clock: () => now });
});
afterAll(() => t.close());

const signIn = (username: string, password: string, from: string, code?: string) =>
  t.anonymous({
    method: "POST",
    url: "/api/v1/session",
    remoteAddress: from,
    payload: { username, password, ...(code ? { code } : {}) },
  });

async function createUser(role: "viewer" | "admin") {
  const username = uniqueSlug(`lock-${role}`);
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/users",
    payload: { username, role, password: chosenPassword(username) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { username, password: res.json().password as string };
}

describe("an IPv6 address counts by its /64", () => {
  it("keys addresses", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2::a")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0DB8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
  });
});

describe(`sign-in limits (${ENGINE})`, () => {
  it("locks an account from the address that failed, not from everywhere", async () => {
    const u = await createUser("viewer");
    for (let i = 0; i < 5; i++)
      expect((await signIn(u.username, `wrong-${i}`, "198.51.100.1")).statusCode).toBe(401);
    const there = await signIn(u.username, u.password, "198.51.100.1");
    expect(there.statusCode).toBe(429);
    expect(there.json().detail).toMatch(/for this account from your address/);
    expect((await signIn(u.username, u.password, "198.51.100.2")).statusCode).toBe(200);
  });

  it("counts an IPv6 /64 as one address", async () => {
    const u = await createUser("viewer");
    for (let i = 0; i < 5; i++) {
      expect((await signIn(u.username, `wrong-${i}`, `2001:db8:7:7::${i + 1}`)).statusCode).toBe(401);
    }
    expect((await signIn(u.username, u.password, "2001:db8:7:7::ffff")).statusCode).toBe(429);
    expect((await signIn(u.username, u.password, "2001:db8:7:8::1")).statusCode).toBe(200);
  });

  it("locks a password-only account guessed from many addresses, everywhere", async () => {
    const u = await createUser("viewer");
    for (let i = 0; i < 50; i++) {
      expect((await signIn(u.username, `wrong-${i}`, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    }
    const fresh = await signIn(u.username, u.password, "203.0.113.200");
    expect(fresh.statusCode).toBe(429);
    expect(fresh.json().detail).toMatch(/for this account\. Sign-in is locked/);
  });

  it("never refuses a correct password with its second factor for failures made elsewhere", async () => {
    const admin = await createUser("admin");
    // The administrator sets up an authenticator (admins must).
    const first = await signIn(admin.username, admin.password, "10.9.9.9");
    const cookie = first.cookies.find((c) => c.name === "accord_session")!;
    const headers = { cookie: `accord_session=${cookie.value}`, "x-csrf-token": first.json().csrfToken };
    const start = await t.anonymous({ method: "POST", url: "/api/v1/session/totp", headers });
    const { secret } = start.json();
    const confirm = await t.anonymous({
      method: "POST",
      url: "/api/v1/session/totp/confirm",
      headers,
      payload: { code: totpCode(secret, now) },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);

    // Anyone fails on purpose from many addresses, again and again.
    for (let i = 0; i < 60; i++) {
      const res = await signIn(admin.username, `wrong-${i}`, `198.18.0.${i + 1}`);
      expect([401, 429]).toContain(res.statusCode);
    }
    now = new Date(now.getTime() + 60_000);
    const wrongCode = await signIn(admin.username, admin.password, "203.0.113.77", "000000");
    expect(wrongCode.statusCode).toBe(429);
    now = new Date(now.getTime() + 60_000);
    const ok = await signIn(admin.username, admin.password, "203.0.113.77", totpCode(secret, now));
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
