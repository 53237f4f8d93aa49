import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildJurisdiction, buildMatter, buildTestApp, type TestApp, uniqueSlug } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** Raw JSON bodies: `JSON.stringify` would not write a `__proto__` key of an object literal. */
const hostile = [
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"slug":"x","nested":{"__proto__":{"isAdmin":true}}}',
];

describe("I3: prototype pollution", () => {
  it("I3: answers bodies with __proto__ or constructor.prototype with 400 on every JSON route, polluting nothing", async () => {
    const jurisdiction = await buildJurisdiction(t.app);
    const matter = await buildMatter(t.app, { jurisdictionId: jurisdiction.id });
    const routes: { method: "POST" | "PATCH"; url: string; headers?: Record<string, string> }[] = [
      { method: "POST", url: "/api/v1/matters" },
      { method: "POST", url: "/api/v1/jurisdictions" },
      { method: "POST", url: "/api/v1/events" },
      { method: "POST", url: "/api/v1/users" },
      {
        method: "PATCH",
        url: `/api/v1/matters/${matter.slug}`,
        headers: { "if-match": `"${matter.version}"` },
      },
      { method: "POST", url: "/api/v1/auth/sign-in" },
    ];
    for (const route of routes) {
      for (const payload of hostile) {
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          payload,
          headers: { "content-type": "application/json", ...route.headers },
        });
        expect(res.statusCode, `${route.method} ${route.url} ${payload}: ${res.body}`).toBe(400);
        expect(res.headers["content-type"]).toContain("application/problem+json");
      }
    }
    // Nothing was polluted: not the global prototype, not a new object, not the matter.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("isAdmin");
    const after = await t.app.inject(`/api/v1/matters/${matter.slug}`);
    expect(after.json().version).toBe(matter.version);
    expect(after.json()).not.toHaveProperty("isAdmin");
    // An ordinary body still works afterwards.
    const fine = await t.app.inject({
      method: "POST",
      url: "/api/v1/jurisdictions",
      payload: { slug: uniqueSlug("town"), name: "Okville", kind: "city", stateCode: "MD" },
    });
    expect(fine.statusCode).toBe(201);
  });
});
