import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { randomToken } from "../src/modules/auth/secrets.js";
import { createSession } from "../src/modules/auth/sessions.js";
import { createUser } from "../src/modules/users/index.js";
import { buildTestApp, chosenPassword, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * A5: session ids. 1,000 of them, drawn as createSession draws them, are all different and each
 * carries at least 128 random bits by its encoding: base64url of 32 random bytes is 43 characters
 * of 6 bits (256 bits). Sessions and the cookie a sign-in sets get such ids, and the database
 * keeps only their hash. (That the id changes at sign-in and the old one ends: auth.test.ts.)
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const BASE64URL_ID = /^[A-Za-z0-9_-]{43}$/;

describe(`A5: session ids (${ENGINE})`, () => {
  it("A5: 1,000 session ids are unique, each of 43 base64url characters (256 bits)", () => {
    // The id createSession draws (randomToken, 32 random bytes); 1,000 sessions written to the
    // database would take seconds, and add nothing to what is drawn.
    const ids = Array.from({ length: 1000 }, () => randomToken());
    expect(new Set(ids).size).toBe(1000);
    // 43 characters of 6 bits: 256 bits (at least 128 even if some characters carried none).
    for (const id of ids) expect(id).toMatch(BASE64URL_ID);
    // The characters spread over the whole alphabet, at every position but the last (which holds
    // 4 bits: 256 = 42 × 6 + 4): not a counter, a timestamp or a narrow draw.
    for (let position = 0; position < 42; position++)
      expect(new Set(ids.map((id) => id[position])).size, `position ${position}`).toBeGreaterThan(48);
    expect(new Set(ids.join("")).size).toBe(64);
  });

  it("A5: sessions get such ids, all different, and the database keeps none of them", async () => {
    const { user } = await createUser(
      { username: uniqueSlug("ids"), role: "viewer", password: "a-password-of-some-length" },
      systemContext(t.database.db, "test"),
    );
    const sessions = [];
    for (let k = 0; k < 20; k++)
      sessions.push(
        await createSession(t.database.db, user.id, { address: null, userAgent: null, now: new Date() }),
      );
    const ids = sessions.flatMap((s) => [s.cookieValue, s.csrfToken]);
    expect(new Set(ids).size).toBe(40);
    for (const id of ids) expect(id).toMatch(BASE64URL_ID);
    const { rows } = (await t.database.db.execute(
      sql`select id_hash as "idHash", csrf_token as "csrfToken" from sessions where user_id = ${user.id}`,
    )) as unknown as { rows: { idHash: string; csrfToken: string }[] };
    expect(rows).toHaveLength(20);
    // Only the id's hash is stored (the anti-CSRF proof is kept as it is: it is not a credential alone).
    const cookies = new Set(sessions.map((s) => s.cookieValue));
    expect(rows.filter((r) => cookies.has(r.idHash) || cookies.has(r.csrfToken))).toEqual([]);
  });

  it("A5: the cookie a sign-in sets is such an id, another at every sign-in", async () => {
    const username = uniqueSlug("ids");
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "viewer", password: chosenPassword(username) },
    });
    expect(created.statusCode, created.body).toBe(201);
    const cookies: string[] = [];
    for (let k = 0; k < 3; k++) {
      const res = await t.anonymous({
        method: "POST",
        url: "/api/v1/session",
        payload: { username, password: chosenPassword(username) },
      });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = res.cookies.find((c) => c.name === "accord_session")!.value;
      expect(cookie).toMatch(BASE64URL_ID);
      cookies.push(cookie);
    }
    expect(new Set(cookies).size).toBe(3);
  });
});
