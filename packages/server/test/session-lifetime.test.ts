import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, chosenPassword, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/** Issue 16, item 6: a session ends 12 hours after sign-in however busy, not only when idle. */
describe(`session lifetime (${ENGINE})`, () => {
  let t: TestApp;
  let now = new Date("2026-12-06T08:00:00Z");
  beforeAll(async () => {
    t = await buildTestApp({ clock: () => now });
  });
  afterAll(() => t.close());

  it("ends a session in use all day at its absolute limit", async () => {
    const username = uniqueSlug("busy");
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "viewer", password: chosenPassword(username) },
    });
    const signIn = await t.anonymous({
      method: "POST",
      url: "/api/v1/session",
      payload: { username, password: created.json().password },
    });
    expect(signIn.statusCode).toBe(200);
    const cookie = `accord_session=${signIn.cookies.find((c) => c.name === "accord_session")!.value}`;
    const read = () => t.anonymous({ url: "/api/v1/matters?limit=1", headers: { cookie } });
    // Used every 50 minutes: never idle, still signed in after 11 h 40 min.
    for (let minutes = 50; minutes <= 700; minutes += 50) {
      now = new Date(Date.parse("2026-12-06T08:00:00Z") + minutes * 60_000);
      expect((await read()).statusCode, `after ${minutes} minutes`).toBe(200);
    }
    now = new Date(Date.parse("2026-12-06T20:00:01Z"));
    expect((await read()).statusCode).toBe(401);
  });
});
