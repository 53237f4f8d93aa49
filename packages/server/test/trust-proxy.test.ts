import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMatter, buildTestApp, type TestApp } from "./helpers.js";

/**
 * Issue 16, item 3: behind one proxy, the client's address is what that proxy appended to
 * X-Forwarded-For, never what the client wrote in front of it (which would let anyone forge the
 * audit trail's address or escape the per-address sign-in limit).
 */
describe("X-Forwarded-For behind a trusted proxy", () => {
  let oneHop: TestApp;
  let listed: TestApp;
  beforeAll(async () => {
    oneHop = await buildTestApp({ trustProxy: 1 });
    listed = await buildTestApp({ trustProxy: ["127.0.0.1"] });
  });
  afterAll(async () => {
    await oneHop.close();
    await listed.close();
  });

  const lastAddress = async (t: TestApp) =>
    (await t.app.inject("/api/v1/audit?limit=1")).json().items[0].address as string | null;

  for (const [name, app] of [
    ["one hop", () => oneHop],
    ["a list of proxies", () => listed],
  ] as const) {
    it(`takes the address the proxy appended, not a forged one (${name})`, async () => {
      const t = app();
      const forged = { "x-forwarded-for": "203.0.113.9, 198.51.100.7" };
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/jurisdictions",
        headers: forged,
        remoteAddress: "127.0.0.1",
        payload: {
          slug: `proxyton-${name.replaceAll(" ", "-")}`,
          name: `Proxyton ${name}`,
          kind: "city",
          stateCode: "MD",
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(await lastAddress(t)).toBe("198.51.100.7");
    });
  }

  it("ignores the header from a peer that is not a listed proxy", async () => {
    const res = await listed.app.inject({
      method: "POST",
      url: "/api/v1/jurisdictions",
      headers: { "x-forwarded-for": "203.0.113.9" },
      remoteAddress: "192.0.2.44",
      payload: { slug: "proxyton-direct", name: "Proxyton direct", kind: "city", stateCode: "MD" },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await lastAddress(listed)).toBe("192.0.2.44");
  });

  it("still serves matters through the proxy", async () => {
    await buildMatter(oneHop.app, { title: "Proxied matter" });
  });
});
