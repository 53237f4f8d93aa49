import { can, ROLES, type Role } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoutePolicy } from "../src/modules/auth/auth.plugin.js";
import { buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * The policy every API route must declare. A new route that is not listed here, or whose policy
 * differs, fails this suite: adding a route means deciding who may call it.
 */
const EXPECTED: Record<string, RoutePolicy> = {
  "GET /api/v1/matters": "registry:read",
  "GET /api/v1/matters.csv": "registry:read",
  "GET /api/v1/matters/:key": "registry:read",
  "POST /api/v1/matters": "registry:write",
  "PATCH /api/v1/matters/:key": "registry:write",
  "DELETE /api/v1/matters/:key": "registry:write",
  "POST /api/v1/matters/:key/related": "registry:write",
  "DELETE /api/v1/matters/:key/related/:relatedKey": "registry:write",
  "GET /api/v1/events": "registry:read",
  "GET /api/v1/events/:key": "registry:read",
  "POST /api/v1/events": "registry:write",
  "PATCH /api/v1/events/:key": "registry:write",
  "DELETE /api/v1/events/:key": "registry:write",
  "GET /api/v1/jurisdictions": "registry:read",
  "GET /api/v1/jurisdictions/:key": "registry:read",
  "POST /api/v1/jurisdictions": "registry:write",
  "PATCH /api/v1/jurisdictions/:key": "registry:write",
  "DELETE /api/v1/jurisdictions/:key": "registry:write",
  "GET /api/v1/agencies": "registry:read",
  "GET /api/v1/agencies/:key": "registry:read",
  "POST /api/v1/agencies": "registry:write",
  "PATCH /api/v1/agencies/:key": "registry:write",
  "DELETE /api/v1/agencies/:key": "registry:write",
  "GET /api/v1/dashboard": "registry:read",
  "GET /api/v1/grants": "registry:read",
  "GET /api/v1/grants/at-risk": "registry:read",
  "GET /api/v1/grants/at-risk.csv": "registry:read",
  "GET /api/v1/grants/:key": "registry:read",
  "POST /api/v1/grants": "registry:write",
  "PATCH /api/v1/grants/:key": "registry:write",
  "POST /api/v1/conditions": "registry:write",
  "GET /api/v1/conditions/:key": "registry:read",
  "POST /api/v1/conditions/:key/status": "registry:write",
  "GET /api/v1/jurisdictions/:key/portfolio": "registry:read",
  "GET /api/v1/agencies/:key/portfolio": "registry:read",
  "GET /api/v1/program-facts": "registry:read",
  "GET /api/v1/statistics/series": "registry:read",
  "GET /api/v1/statistics/series.csv": "registry:read",
  "GET /api/v1/statistics/metrics": "registry:read",
  "GET /api/v1/statistics/matches": "registry:read",
  "GET /api/v1/statistics/summary": "registry:read",
  "POST /api/v1/statistics/import": "registry:write",
  "GET /api/v1/session": "public",
  "POST /api/v1/session": "public",
  "DELETE /api/v1/session": "public",
  "POST /api/v1/session/password": "signed-in",
  "POST /api/v1/session/totp": "signed-in",
  "POST /api/v1/session/totp/confirm": "signed-in",
  "POST /api/v1/session/totp/remove": "signed-in",
  "GET /api/v1/session/oidc/start": "public",
  "GET /api/v1/session/oidc/callback": "public",
  "GET /api/v1/users": "users:manage",
  "GET /api/v1/users/:key": "users:manage",
  "POST /api/v1/users": "users:manage",
  "PATCH /api/v1/users/:key": "users:manage",
  "POST /api/v1/users/:key/reset-password": "users:manage",
  "GET /api/v1/tokens": "signed-in",
  "POST /api/v1/tokens": "signed-in",
  "DELETE /api/v1/tokens/:id": "signed-in",
  "GET /api/v1/audit": "audit:read",
  "GET /api/v1/audit.csv": "audit:read",
  "GET /api/v1/audit/facets": "audit:read",
  "GET /api/v1/history/:entity/:key": "registry:read",
  "GET /api/v1/imports": "signed-in",
  "GET /api/v1/imports/:id": "signed-in",
  "GET /api/v1/watches": "signed-in",
  "POST /api/v1/watches": "signed-in",
  "DELETE /api/v1/watches/:id": "signed-in",
  "GET /api/v1/notifications": "signed-in",
  "POST /api/v1/notifications/:id/read": "signed-in",
  "POST /api/v1/notifications/read-all": "signed-in",
  "GET /api/v1/notifications/preferences": "signed-in",
  "PUT /api/v1/notifications/preferences": "signed-in",
  "GET /api/v1/since-last-visit": "registry:read",
  "POST /api/v1/since-last-visit/seen": "registry:read",
  "GET /api/v1/webhooks": "webhooks:manage",
  "POST /api/v1/webhooks": "webhooks:manage",
  "DELETE /api/v1/webhooks/:id": "webhooks:manage",
  "GET /api/v1/webhooks/:id/deliveries": "webhooks:manage",
  "POST /api/v1/webhook-deliveries/:id/redeliver": "webhooks:manage",
  "GET /api/v1/assignments": "users:manage",
  "POST /api/v1/assignments": "users:manage",
  "PUT /api/v1/matters/:key/assignments/:user": "users:manage",
  "DELETE /api/v1/matters/:key/assignments/:user": "users:manage",
  "GET /api/v1/review-cycles": "reviews:read",
  "POST /api/v1/review-cycles": "cycles:manage",
  "GET /api/v1/review-cycles/:key": "reviews:read",
  "PATCH /api/v1/review-cycles/:key": "cycles:manage",
  "POST /api/v1/review-cycles/:key/start": "cycles:manage",
  "POST /api/v1/review-cycles/:key/copy": "cycles:manage",
  "GET /api/v1/review-cycles/:key/board": "reviews:read",
  "GET /api/v1/review-cycles/:key/report.pdf": "reviews:read",
  "GET /api/v1/review-cycles/:key/report.csv": "reviews:read",
  "GET /api/v1/review-cycles/:key/report.json": "reviews:read",
  "GET /api/v1/reviews/:id/report.pdf": "reviews:read",
  "GET /api/v1/reviews": "reviews:read",
  "POST /api/v1/reviews/assign": "cycles:manage",
  "GET /api/v1/reviews/:id": "reviews:read",
  "PATCH /api/v1/reviews/:id": "reviews:write",
  "POST /api/v1/reviews/:id/submit": "reviews:write",
  "POST /api/v1/reviews/:id/approve": "reviews:approve",
  "POST /api/v1/reviews/:id/return": "reviews:approve",
  "POST /api/v1/reviews/:id/reopen": "cycles:manage",
  "GET /api/v1/reviews/:id/history": "reviews:read-drafts",
  "POST /api/v1/matters/:key/documents": "registry:write",
  "GET /api/v1/matters/:key/documents": "registry:read",
  "GET /api/v1/documents": "registry:read",
  "GET /api/v1/documents/:id": "registry:read",
  "GET /api/v1/documents/:id/file": "registry:read",
  "GET /api/v1/documents/:id/pages/:n": "registry:read",
  "PATCH /api/v1/documents/:id": "registry:write",
  "DELETE /api/v1/documents/:id": "registry:write",
  "GET /api/v1/search": "registry:read",
  "POST /api/v1/documents/:id/parse": "registry:write",
  "GET /api/v1/matters/:key/parses": "registry:read",
  "GET /api/v1/parses/:id": "registry:read",
  "PATCH /api/v1/parses/:id": "registry:write",
  "POST /api/v1/matters/:key/provisions/accept": "registry:write",
  "GET /api/v1/matters/:key/provisions": "registry:read",
  "GET /api/v1/matters/:key/provisions/:ref": "registry:read",
  "GET /api/v1/provisions": "registry:read",
  "GET /api/v1/provisions/:id": "registry:read",
  "GET /api/v1/provisions/:id/similar": "registry:read",
  "PUT /api/v1/provisions/:id/topics": "registry:write",
  "DELETE /api/v1/provisions/:id/topics": "registry:write",
  "GET /api/v1/matters/:key/deadlines": "registry:read",
  "GET /api/v1/deadlines": "registry:read",
  "PUT /api/v1/deadlines/:id/anchor-date": "registry:write",
  "POST /api/v1/deadlines/:id/met": "deadlines:manage",
  "POST /api/v1/deadlines/:id/waive": "deadlines:manage",
  "POST /api/v1/deadlines/:id/extend": "deadlines:manage",
  "POST /api/v1/deadlines/:id/assign": "deadlines:manage",
  "POST /api/v1/deadlines/:id/reopen": "deadlines:manage",
  "GET /api/v1/calendar": "registry:read",
  "GET /api/v1/calendar.ics": "public",
  "GET /api/v1/matters/:key/calendar.ics": "public",
  "GET /api/v1/calendar-feeds": "signed-in",
  "POST /api/v1/calendar-feeds": "signed-in",
  "DELETE /api/v1/calendar-feeds/:id": "signed-in",
  "GET /api/v1/saved-searches": "signed-in",
  "POST /api/v1/saved-searches": "signed-in",
  "GET /api/v1/saved-searches/:id": "signed-in",
  "PATCH /api/v1/saved-searches/:id": "signed-in",
  "DELETE /api/v1/saved-searches/:id": "signed-in",
  "GET /api/v1/matters/:key/compliance-scale": "registry:read",
  "PUT /api/v1/matters/:key/compliance-scale": "compliance:rate",
  "GET /api/v1/matters/:key/periods": "registry:read",
  "POST /api/v1/matters/:key/periods": "compliance:rate",
  "PATCH /api/v1/periods/:id": "compliance:rate",
  "DELETE /api/v1/periods/:id": "compliance:rate",
  "GET /api/v1/matters/:key/assessments": "registry:read",
  "PUT /api/v1/matters/:key/assessments": "compliance:rate",
  "POST /api/v1/matters/:key/assessments/import": "compliance:rate",
  "PUT /api/v1/provisions/:id/ratings/:periodId/:rater": "compliance:rate",
  "DELETE /api/v1/provisions/:id/ratings/:periodId/:rater": "compliance:rate",
  "POST /api/v1/documents/:id/rating-drafts": "compliance:rate",
  "GET /api/v1/documents/:id/rating-drafts": "registry:read",
  "GET /api/v1/rating-drafts/:id": "registry:read",
  "PATCH /api/v1/rating-drafts/:id": "compliance:rate",
  "POST /api/v1/rating-drafts/:id/accept": "compliance:rate",
  "GET /api/v1/matters/:key/compliance": "registry:read",
  "GET /api/v1/compliance": "registry:read",
  "PUT /api/v1/provisions/:id/sustainment-start": "compliance:rate",
  "PUT /api/v1/matters/:key/sections/:number/termination": "compliance:rate",
};

/** What anonymous visitors may read when the server runs with ACCORD_PUBLIC_READ=1 (public records only). */
const PUBLIC_READ = new Set([
  "GET /api/v1/matters",
  "GET /api/v1/matters.csv",
  "GET /api/v1/matters/:key",
  "GET /api/v1/events",
  "GET /api/v1/events/:key",
  "GET /api/v1/matters/:key/documents",
  "GET /api/v1/documents",
  "GET /api/v1/documents/:id",
  "GET /api/v1/documents/:id/file",
  "GET /api/v1/documents/:id/pages/:n",
  "GET /api/v1/search",
  "GET /api/v1/matters/:key/provisions",
  "GET /api/v1/matters/:key/provisions/:ref",
  "GET /api/v1/provisions",
  "GET /api/v1/provisions/:id",
  "GET /api/v1/provisions/:id/similar",
  "GET /api/v1/matters/:key/deadlines",
  "GET /api/v1/deadlines",
  "GET /api/v1/calendar",
  "GET /api/v1/grants",
  "GET /api/v1/grants/at-risk",
  "GET /api/v1/grants/at-risk.csv",
  "GET /api/v1/grants/:key",
  "GET /api/v1/conditions/:key",
  "GET /api/v1/jurisdictions/:key/portfolio",
  "GET /api/v1/agencies/:key/portfolio",
  "GET /api/v1/program-facts",
  "GET /api/v1/statistics/series",
  "GET /api/v1/statistics/series.csv",
  "GET /api/v1/statistics/metrics",
  "GET /api/v1/statistics/matches",
  "GET /api/v1/statistics/summary",
]);

let t: TestApp;
const tokens = {} as Record<Role, string>;
beforeAll(async () => {
  // Single sign-on routes exist only when configured; discovery waits for a sign-in (none here:
  // nothing listens on port 1, so starting one answers 503).
  t = await buildTestApp({
    oidc: {
      issuer: "http://127.0.0.1:1",
      clientId: "accord",
      clientSecret: "unused",
      roleClaim: "accord_role",
      roleMap: {},
      defaultRole: null,
      label: "Sign in with single sign-on",
      redirectUri: null,
    },
  });
  for (const role of ROLES) tokens[role] = await t.tokenFor(role);
});
afterAll(async () => {
  await t?.close();
});

const NIL = "00000000-0000-4000-8000-000000000000";
const concrete = (url: string) =>
  url
    .replace(":entity", "matter")
    .replace(":number", "1")
    .replace(/:(key|relatedKey|id|user)/g, NIL);

describe(`authorization matrix, from the route table (${ENGINE})`, () => {
  it("has a declared, expected policy for every API route", () => {
    const declared = Object.fromEntries(
      t.app.routePolicies
        .filter((r) => r.url.startsWith("/api/v1"))
        .map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toEqual(EXPECTED);
  });

  const callers: (Role | "anonymous")[] = ["anonymous", ...ROLES];
  for (const [route, policy] of Object.entries(EXPECTED)) {
    it(`${route}: ${policy}`, async () => {
      const [method, url] = route.split(" ") as [string, string];
      for (const caller of callers) {
        const headers: Record<string, string> = { "if-match": '"1"' };
        if (caller !== "anonymous") headers.authorization = `Bearer ${tokens[caller]}`;
        const res = await t.anonymous({
          method: method as "GET",
          url: concrete(url),
          headers,
          ...(method === "GET" || method === "DELETE" ? {} : { payload: {} }),
        });
        const allowed =
          policy === "public" ||
          (caller !== "anonymous" && (policy === "signed-in" || can({ role: caller }, policy)));
        if (allowed) {
          expect([401, 403], `${caller} ${route} → ${res.statusCode} ${res.body}`).not.toContain(
            res.statusCode,
          );
        } else {
          expect(res.statusCode, `${caller} ${route}`).toBe(caller === "anonymous" ? 401 : 403);
        }
      }
    });
  }
});

describe(`authorization matrix with public reading on (${ENGINE})`, () => {
  let p: TestApp;
  beforeAll(async () => {
    p = await buildTestApp({ publicRead: true });
  });
  afterAll(async () => {
    await p?.close();
  });

  it("marks exactly the public reads", () => {
    const marked = p.app.routePolicies
      .filter((r) => r.url.startsWith("/api/v1") && r.publicRead)
      .map((r) => `${r.method} ${r.url}`);
    expect(new Set(marked)).toEqual(PUBLIC_READ);
  });

  it("lets anonymous visitors make those reads and nothing else", async () => {
    for (const [route, policy] of Object.entries(EXPECTED)) {
      if (route.includes("/oidc/")) continue; // not configured in this app
      const [method, url] = route.split(" ") as [string, string];
      const res = await p.anonymous({
        method: method as "GET",
        url: concrete(url),
        headers: { "if-match": '"1"' },
        ...(method === "GET" || method === "DELETE" ? {} : { payload: {} }),
      });
      if (policy === "public" || PUBLIC_READ.has(route)) {
        expect([401, 403], `anonymous ${route} → ${res.statusCode}`).not.toContain(res.statusCode);
      } else {
        expect(res.statusCode, `anonymous ${route}`).toBe(401);
      }
    }
  });
});
