import { describe, expect, it } from "vitest";
import { ENGINE } from "./helpers.js";
import { inventoryApp } from "./inventory-app.js";
import { concrete, objectsOf, routeName, schemaOf, unwrap } from "./route-inventory.js";

/**
 * Z1, driven from the route inventory (`app.routePolicies`: every route with its policy and
 * schemas; authorization-matrix.test.ts checks the policies): every route declares its schemas,
 * and every object a request may send refuses unknown keys.
 */

/**
 * Mutations that take no body at all: an action on the record their address names. Any body sent
 * is not read. Adding a mutation with no body schema means adding it here, with that reason.
 */
const BODILESS = new Set([
  "DELETE",
  "POST /api/v1/session/totp", // starts an enrolment: the secret is made by the server
  "POST /api/v1/users/:key/reset-password", // the new password is generated
  "PUT /api/v1/matters/:key/assignments/:user", // the address names both
  "POST /api/v1/review-cycles/:key/start",
  "POST /api/v1/documents/:id/parse",
  "POST /api/v1/rating-drafts/:id/accept",
  "POST /api/v1/notifications/:id/read",
  "POST /api/v1/notifications/read-all",
  "POST /api/v1/since-last-visit/seen",
  "POST /api/v1/webhook-deliveries/:id/redeliver",
]);

/**
 * Request objects that take any key, each with why. The upload is multipart: its parts are read
 * as a stream (documents.routes.ts refuses an unknown text field with 400 itself), and its schema
 * describes the form for the OpenAPI document only.
 */
const OPEN_OBJECTS = new Set(["POST /api/v1/matters/:key/documents body (root)"]);

/**
 * Bodies that are a union (a CSV text, or an object holding it; or objects told apart by a field):
 * the refusal names the union as a whole, not the key.
 */
const EITHER_BODIES = new Set(["POST /api/v1/statistics/import"]);

const inv = inventoryApp();

const name = routeName;

describe(`Z1: route inventory schemas (${ENGINE})`, () => {
  it("Z1: finds the routes (the inventory is not empty)", () => {
    expect(inv.routes.length).toBeGreaterThan(150);
  });

  it("Z1: every route declares a response schema for a success code", () => {
    const missing = inv.routes
      .filter((r) => {
        const response = schemaOf(r).response as Record<string, unknown> | undefined;
        return !response || !Object.keys(response).some((code) => /^2\d\d$/.test(code));
      })
      .map(name);
    expect(missing).toEqual([]);
  });

  it("Z1: every route with a path parameter declares its params schema", () => {
    const missing = inv.routes.filter((r) => r.url.includes("/:") && !schemaOf(r).params).map(name);
    expect(missing).toEqual([]);
  });

  it("Z1: every POST, PUT and PATCH declares its body unless it takes none (listed)", () => {
    const missing = inv.routes
      .filter((r) => ["POST", "PUT", "PATCH"].includes(r.method))
      .filter((r) => !schemaOf(r).body && !BODILESS.has(name(r)))
      .map(name);
    expect(missing).toEqual([]);
    // The list holds no route that does declare a body (or no longer exists).
    const declared = new Set(inv.routes.map(name));
    for (const listed of BODILESS) {
      if (listed === "DELETE") continue;
      expect(declared.has(listed), listed).toBe(true);
      expect(schemaOf(inv.routes.find((r) => name(r) === listed)!).body, listed).toBeUndefined();
    }
  });

  it("Z1: every object of a body, query or params schema refuses unknown keys", () => {
    const loose: string[] = [];
    for (const r of inv.routes) {
      for (const part of ["body", "querystring", "params"] as const) {
        const schema = schemaOf(r)[part];
        if (!schema) continue;
        for (const o of objectsOf(schema)) {
          const where = `${name(r)} ${part} ${o.path}`;
          if (!o.strict && !OPEN_OBJECTS.has(where)) loose.push(where);
        }
      }
    }
    expect(loose).toEqual([]);
  });

  it("Z1: an unknown key is refused with 400 on every route with a body or query schema", async () => {
    const seen: string[] = [];
    for (const r of inv.routes) {
      const s = schemaOf(r);
      if (OPEN_OBJECTS.has(`${name(r)} body (root)`)) continue;
      if (s.querystring) {
        const res = await inv.app.inject({
          method: r.method as "GET",
          url: `${concrete(r.url)}?zzUnknown=1`,
          headers: { "if-match": '"1"' },
          ...(s.body ? { payload: {} } : {}),
        });
        expect(res.statusCode, `${name(r)} ?zzUnknown=1 → ${res.body}`).toBe(400);
        seen.push(name(r));
      }
      if (s.body) {
        const res = await inv.app.inject({
          method: r.method as "POST",
          url: concrete(r.url),
          headers: { "if-match": '"1"' },
          payload: { zzUnknown: 1 },
        });
        expect(res.statusCode, `${name(r)} {zzUnknown} → ${res.body}`).toBe(400);
        // A body that is a CSV text or an object answers "Invalid input" for the union as a whole.
        if (!EITHER_BODIES.has(name(r)) && unwrap(s.body)?._zod.def.type !== "union")
          expect(res.body, name(r)).toContain("zzUnknown");
        seen.push(name(r));
      }
    }
    expect(seen.length).toBeGreaterThan(80);
  });
});
