import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Encode, hotp, matchTotp, timeStep, totpCode } from "../src/modules/auth/totp.js";
import { buildTestApp, chosenPassword, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC's SHA-1 test vectors (6-digit truncation)", () => {
    const secret = base32Encode(Buffer.from("12345678901234567890"));
    // RFC 6238 Appendix B, SHA-1: 94287082, 07081804, 14050471, 89005924 (8 digits).
    expect(hotp(secret, Math.floor(59 / 30))).toBe("287082");
    expect(hotp(secret, Math.floor(1111111109 / 30))).toBe("081804");
    expect(hotp(secret, Math.floor(1111111111 / 30))).toBe("050471");
    expect(hotp(secret, Math.floor(1234567890 / 30))).toBe("005924");
  });

  it("accepts one step of drift and never the same step twice", () => {
    const secret = base32Encode(Buffer.from("12345678901234567890"));
    const now = new Date(1_700_000_000_000);
    const step = timeStep(now);
    expect(matchTotp(secret, totpCode(secret, now), now, null)).toBe(step);
    expect(matchTotp(secret, hotp(secret, step - 1), now, null)).toBe(step - 1);
    expect(matchTotp(secret, hotp(secret, step - 2), now, null)).toBeNull();
    expect(matchTotp(secret, totpCode(secret, now), now, step)).toBeNull();
  });
});

let t: TestApp;
let now = new Date();
beforeAll(async () => {
  t = await buildTestApp({ clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

async function signIn(username: string, password: string, code?: string) {
  const res = await t.anonymous({
    method: "POST",
    url: "/api/v1/session",
    payload: { username, password, ...(code ? { code } : {}) },
  });
  const c = res.cookies.find((x) => x.name === "accord_session");
  return {
    res,
    headers: { cookie: c ? `accord_session=${c.value}` : "", "x-csrf-token": res.json().csrfToken ?? "" },
  };
}

describe(`second factor (${ENGINE})`, () => {
  it("enrols an authenticator, then asks for its code at sign-in; a recovery code works once", async () => {
    const username = uniqueSlug("twofa");
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "approver", password: chosenPassword(username) },
    });
    const password = created.json().password as string;
    const s = await signIn(username, password);
    const start = await t.anonymous({ method: "POST", url: "/api/v1/session/totp", headers: s.headers });
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUrl } = start.json();
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const bad = await t.anonymous({
      method: "POST",
      url: "/api/v1/session/totp/confirm",
      headers: s.headers,
      payload: { code: "000000" },
    });
    expect(bad.statusCode).toBe(400);
    const confirm = await t.anonymous({
      method: "POST",
      url: "/api/v1/session/totp/confirm",
      headers: s.headers,
      payload: { code: totpCode(secret, now) },
    });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json();
    expect(recoveryCodes).toHaveLength(10);

    const noCode = await signIn(username, password);
    expect(noCode.res.statusCode).toBe(401);
    expect(noCode.res.json().code).toBe("second_factor_needed");
    // The code used to confirm cannot be used again; the next step's can.
    expect((await signIn(username, password, totpCode(secret, now))).res.statusCode).toBe(401);
    now = new Date(now.getTime() + 30_000);
    const withCode = await signIn(username, password, totpCode(secret, now));
    expect(withCode.res.statusCode).toBe(200);
    expect(withCode.res.json().totp).toEqual({ enabled: true, required: false });
    expect((await signIn(username, password, recoveryCodes[0])).res.statusCode).toBe(200);
    expect((await signIn(username, password, recoveryCodes[0])).res.statusCode).toBe(401);
    expect((await signIn(username, "wrong-password", totpCode(secret, now))).res.statusCode).toBe(401);
  });
});

describe(`audit of the second factor (${ENGINE})`, () => {
  it("records the enrolment, and a sign-in refused for a wrong code", async () => {
    const username = uniqueSlug("twofa-audit");
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "reviewer", password: chosenPassword(username) },
    });
    const { password, user } = created.json() as { password: string; user: { id: string } };
    const s = await signIn(username, password);
    const start = await t.anonymous({ method: "POST", url: "/api/v1/session/totp", headers: s.headers });
    const { secret } = start.json();
    const confirm = await t.anonymous({
      method: "POST",
      url: "/api/v1/session/totp/confirm",
      headers: s.headers,
      payload: { code: totpCode(secret, now) },
    });
    expect(confirm.statusCode).toBe(200);
    const audit = async (action: string) =>
      (await t.app.inject(`/api/v1/audit?entityId=${user.id}&action=${action}`)).json().items;
    expect(await audit("SECOND_FACTOR_ENROLLED")).toMatchObject([{ actor: username, entity: "user" }]);

    now = new Date(now.getTime() + 30_000);
    const wrong = await signIn(username, password, "000000");
    expect(wrong.res.json().code).toBe("second_factor_failed");
    expect(await audit("SIGN_IN_FAILED")).toMatchObject([
      { actor: "anonymous", after: { reason: "second_factor_failed" } },
    ]);
  });
});

describe(`second factor required for a role (${ENGINE})`, () => {
  it("lets a user of that role do nothing but enrol until they have", async () => {
    const { buildApp } = await import("../src/app.js");
    const app = await buildApp({ db: t.database.db, totpRequiredRoles: ["admin", "approver"] });
    try {
      const username = uniqueSlug("boss");
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/users",
        payload: { username, role: "admin", password: chosenPassword(username) },
      });
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { username, password: created.json().password },
      });
      expect(res.json().totp).toEqual({ enabled: false, required: true });
      const c = res.cookies.find((x) => x.name === "accord_session")!;
      const headers = { cookie: `accord_session=${c.value}`, "x-csrf-token": res.json().csrfToken };
      const blocked = await app.inject({ url: "/api/v1/matters", headers });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().code).toBe("second_factor_required");
      const start = await app.inject({ method: "POST", url: "/api/v1/session/totp", headers });
      const code = totpCode(start.json().secret, new Date());
      expect(
        (
          await app.inject({
            method: "POST",
            url: "/api/v1/session/totp/confirm",
            headers,
            payload: { code },
          })
        ).statusCode,
      ).toBe(200);
      expect((await app.inject({ url: "/api/v1/matters", headers })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
