import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import type { RouteEntry } from "../src/modules/auth/auth.plugin.js";
import { buildTestApp, type TestApp } from "./helpers.js";
import { apiRoutes } from "./route-inventory.js";

/**
 * A test file's app and its route inventory: the app is built before the file's tests and closed after them.
 * For the tests that walk every route (route-fuzz, route-schemas, sql-injection).
 */
export function inventoryApp(): { readonly app: FastifyInstance; readonly routes: RouteEntry[] } {
  let t: TestApp | undefined;
  let routes: RouteEntry[] = [];
  beforeAll(async () => {
    t = await buildTestApp();
    routes = apiRoutes(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });
  return {
    get app() {
      if (!t) throw new Error("inventoryApp: the app is built in beforeAll; use it inside a test");
      return t.app;
    },
    get routes() {
      return routes;
    },
  };
}
