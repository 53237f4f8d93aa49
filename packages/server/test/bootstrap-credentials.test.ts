import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { systemContext } from "../src/context/command-context.js";
import type { Database } from "../src/db/open.js";
import { createUser, preparePassword, resetPassword } from "../src/modules/users/index.js";
import { createFirstAdmin } from "../src/server.js";
import { ENGINE, openTestDatabase } from "./helpers.js";

/**
 * A4, bootstrap: a fresh database has no account with a default password. The first start creates
 * `admin` with a random password printed once (what the README says: there is no "refuse to
 * start" without ACCORD_ADMIN_PASSWORD), which must be replaced at the first sign-in, then the
 * role's second factor enrolled, before anything else; a second start creates and prints nothing.
 *
 * Invite and password-reset tokens do not exist in Accord: an administrator's reset gives a new
 * generated password, shown once and to be replaced at the first sign-in (tested here too). The
 * one-time tokens that do exist, single sign-on states, are refused replayed or expired
 * (oidc.test.ts); second-factor codes replayed, and password-only sessions of enrolled users,
 * in second-factor.test.ts.
 */
let database: Database;
let app: FastifyInstance;
const printed: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  // As the server starts: its default settings (the roles that must enrol a second factor).
  const config = loadConfig({});
  // Its password generated and hashed ahead, as the first start's loader does.
  await createFirstAdmin(database, undefined, (m) => printed.push(m), await preparePassword(undefined));
  app = await buildApp({
    db: database.db,
    engine: database.engine,
    totpRequiredRoles: config.totpRequiredRoles,
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const signIn = (username: string, password: string, from = "192.0.2.80") =>
  app.inject({
    method: "POST",
    url: "/api/v1/session",
    remoteAddress: from,
    payload: { username, password },
  });

/** The password the first start printed. */
const printedPassword = () => {
  const line = printed.find((m) => m.trim().startsWith("password:"));
  return line?.trim().slice("password:".length).trim() ?? "";
};

describe(`A4: default credentials (${ENGINE})`, () => {
  it("A4: no default user name and password signs in", async () => {
    const guesses: [string, string][] = [
      ["admin", "admin"],
      ["admin", "password"],
      ["admin", "administrator"],
      ["admin", "changeme"],
      ["root", "root"],
      ["administrator", "administrator"],
      ["accord", "accord"],
    ];
    // From different addresses: the guesses are refused as wrong, not by the sign-in limits.
    for (const [k, [username, password]] of guesses.entries()) {
      const res = await signIn(username, password, `192.0.2.${100 + k}`);
      expect(res.statusCode, `${username}/${password}: ${res.body}`).toBe(401);
      expect(res.json().code).toBe("sign_in_failed");
    }
  });

  it("A4: the first start printed a random password for admin, once, without ACCORD_ADMIN_PASSWORD", async () => {
    const password = printedPassword();
    // A generated password: 24 characters without look-alikes, in groups of four.
    expect(password).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{4}(-[a-km-np-zA-HJ-NP-Z2-9]{4}){5}$/);
    expect(printed.join("\n")).toMatch(/shown only once; sign in and change it/);
    // A second start (the database is no longer empty) creates nothing and prints nothing.
    const again: string[] = [];
    await createFirstAdmin(database, undefined, (m) => again.push(m));
    expect(again).toEqual([]);
  });

  it("A4: the printed password must be replaced at the first sign-in, then the second factor enrolled", async () => {
    const password = printedPassword();
    const first = await signIn("admin", password);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().passwordChangeRequired).toBe(true);
    const cookie = { accord_session: first.cookies.find((c) => c.name === "accord_session")!.value };
    const csrf = { "x-csrf-token": first.json().csrfToken as string };
    // Nothing else before the password is changed.
    const users = await app.inject({ method: "GET", url: "/api/v1/users", cookies: cookie });
    expect(users.statusCode).toBe(403);
    expect(users.json().code).toBe("password_change_required");
    const changed = await app.inject({
      method: "POST",
      url: "/api/v1/session/password",
      cookies: cookie,
      headers: csrf,
      payload: { currentPassword: password, newPassword: "a new administrator passphrase 2026" },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().passwordChangeRequired).toBe(false);
    expect(changed.json().totp).toEqual({ enabled: false, required: true });
    const next = {
      accord_session: changed.cookies.find((c) => c.name === "accord_session")!.value,
    };
    // Then the administrator's second factor, before anything else.
    const stillNot = await app.inject({ method: "GET", url: "/api/v1/users", cookies: next });
    expect(stillNot.statusCode).toBe(403);
    expect(stillNot.json().code).toBe("second_factor_required");
    // The printed password no longer works.
    expect((await signIn("admin", password, "192.0.2.81")).statusCode).toBe(401);
  });

  it("A4: a password an administrator resets is shown once, works until replaced, then never again", async () => {
    const ctx = systemContext(database.db, "test");
    const { user } = await createUser(
      { username: "a4-reset", role: "viewer", password: "the user's own passphrase" },
      ctx,
    );
    const { password } = await resetPassword({ key: user.id }, ctx);
    expect((await signIn("a4-reset", "the user's own passphrase", "192.0.2.90")).statusCode).toBe(401);
    const first = await signIn("a4-reset", password, "192.0.2.90");
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().passwordChangeRequired).toBe(true);
    const changed = await app.inject({
      method: "POST",
      url: "/api/v1/session/password",
      cookies: { accord_session: first.cookies.find((c) => c.name === "accord_session")!.value },
      headers: { "x-csrf-token": first.json().csrfToken as string },
      payload: { currentPassword: password, newPassword: "another passphrase of the user" },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    // The reset password was good for that one replacement.
    expect((await signIn("a4-reset", password, "192.0.2.91")).statusCode).toBe(401);
    expect((await signIn("a4-reset", "another passphrase of the user", "192.0.2.91")).statusCode).toBe(200);
  });
});
