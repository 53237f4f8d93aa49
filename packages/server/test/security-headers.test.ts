import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe("security headers", () => {
  it("are sent on answers the auth hook refuses, as on any other", async () => {
    const refused = [
      await t.anonymous("/api/v1/users"),
      await t.anonymous({ method: "POST", url: "/api/v1/matters", payload: {} }),
      await t.app.inject({ url: "/api/v1/users", headers: { authorization: "Bearer acc_not-a-token" } }),
    ];
    const served = await t.app.inject("/api/v1/users");
    expect(refused.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    expect(served.statusCode).toBe(200);
    for (const res of [...refused, served]) {
      expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(res.headers["x-frame-options"]).toBeDefined();
    }
  });
});
