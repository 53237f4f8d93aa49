import { randomBytes, scryptSync } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { SCRYPT_GUIDANCE, setPasswordHashCost } from "../src/modules/auth/secrets.js";
import { buildTestApp, ENGINE, TEST_HASH_COST, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * Issue 16, item 6 (RELIABILITY-CHECKS A2, with scrypt in place of argon2id: Node 20 has no
 * argon2 and no new dependency is taken): passwords are hashed at current guidance (scrypt
 * N = 2^17, r = 8, p = 1); an older, cheaper hash is redone at the next sign-in; a user without a
 * password (single sign-on only) costs a password sign-in the same hash as anyone else.
 */
describe(`A2: password hashes (${ENGINE})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());
  // The suite's cheap cost again after a test that raised it (test/helpers.ts).
  afterEach(() => setPasswordHashCost(TEST_HASH_COST));

  const storedHash = async (username: string) =>
    (await queryOne<{ hash: string | null }>(
      t.database.db,
      sql`select password_hash as hash from users where username = ${username}`,
    ))!.hash;
  async function newUser() {
    const username = uniqueSlug("hash");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      payload: { username, role: "viewer" },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { username, password: res.json().password as string };
  }
  const signIn = (username: string, password: string, from = "198.51.100.60") =>
    t.anonymous({
      method: "POST",
      url: "/api/v1/session",
      remoteAddress: from,
      payload: { username, password },
    });

  it("A2: a new password is hashed with scrypt at N ≥ 2^17, r ≥ 8; no column holds the password", async () => {
    expect(SCRYPT_GUIDANCE.N).toBeGreaterThanOrEqual(2 ** 17);
    setPasswordHashCost(SCRYPT_GUIDANCE.N);
    const u = await newUser();
    const hash = (await storedHash(u.username))!;
    const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$[\w-]{22}\$[\w-]{43}$/.exec(hash);
    expect(m, hash).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(2 ** 17);
    expect(Number(m![2])).toBeGreaterThanOrEqual(8);
    const row = await queryOne(t.database.db, sql`select * from users where username = ${u.username}`);
    expect(JSON.stringify(row)).not.toContain(u.password);
    // And it signs in.
    expect((await signIn(u.username, u.password)).statusCode).toBe(200);
  });

  it("A2: an older, cheaper hash is redone at the current cost when its password signs in", async () => {
    const u = await newUser();
    // As an earlier release stored it: N = 2^10.
    const salt = randomBytes(16);
    const old = `scrypt$1024$8$1$${salt.toString("base64url")}$${scryptSync(u.password, salt, 32, { N: 1024, r: 8, p: 1 }).toString("base64url")}`;
    await t.database.db.execute(sql`update users set password_hash = ${old} where username = ${u.username}`);

    // A wrong password proves nothing: the hash stays.
    expect((await signIn(u.username, "not-the-password")).statusCode).toBe(401);
    expect(await storedHash(u.username)).toBe(old);

    expect((await signIn(u.username, u.password)).statusCode).toBe(200);
    const now = (await storedHash(u.username))!;
    expect(now).not.toBe(old);
    expect(now).toMatch(new RegExp(`^scrypt\\$${TEST_HASH_COST}\\$8\\$1\\$`));
    // The new hash is the password's, and a current one is not redone again.
    expect((await signIn(u.username, u.password)).statusCode).toBe(200);
    expect(await storedHash(u.username)).toBe(now);
  });

  it("A2: a user without a password (single sign-on only) costs a password sign-in a full hash", async () => {
    // A cost whose time stands out from a query's (about 0.1–0.5 s a hash).
    setPasswordHashCost(2 ** 15);
    const withPassword = await newUser();
    const ssoOnly = uniqueSlug("sso-only");
    await t.database.db.execute(
      sql`insert into users (username, role, password_hash, oidc_issuer, oidc_subject)
          values (${ssoOnly}, 'viewer', null, 'https://idp.example', ${ssoOnly})`,
    );
    const timed = async (username: string, from: string) => {
      const start = performance.now();
      const res = await signIn(username, "a-wrong-password", from);
      expect(res.statusCode).toBe(401);
      return performance.now() - start;
    };
    const start = performance.now();
    scryptSync("x", randomBytes(16), 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const oneHash = performance.now() - start;
    const real = await timed(withPassword.username, "198.51.100.61");
    const sso = await timed(ssoOnly, "198.51.100.62");
    const unknown = await timed(uniqueSlug("nobody"), "198.51.100.63");
    // Each pays at least most of one hash: nothing tells them apart by time.
    for (const ms of [real, sso, unknown]) expect(ms).toBeGreaterThan(oneHash * 0.5);
  });
});
