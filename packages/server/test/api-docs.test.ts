import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers.js";

/** Issue 16, item 7: the interactive API docs are not public unless configured (or public reading is on). */
describe("the interactive API docs", () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  const build = async (options: Parameters<typeof buildTestApp>[0]) => {
    const t = await buildTestApp(options);
    apps.push(t);
    return t;
  };

  it("are for signed-in users by default", async () => {
    const t = await build({});
    const anonymous = await t.anonymous("/api/docs");
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe("unauthenticated");
    expect((await t.app.inject("/api/docs")).statusCode).toBeLessThan(400);
  });

  it("are public when public reading is on, or when configured so", async () => {
    expect((await (await build({ publicRead: true })).anonymous("/api/docs")).statusCode).toBeLessThan(400);
    expect((await (await build({ apiDocs: "public" })).anonymous("/api/docs")).statusCode).toBeLessThan(400);
  });

  it("can be turned off", async () => {
    const t = await build({ apiDocs: "off" });
    expect((await t.app.inject("/api/docs")).statusCode).toBe(404);
    // The OpenAPI document itself is still served.
    expect((await t.app.inject("/api/openapi.json")).statusCode).toBe(200);
  });
});
