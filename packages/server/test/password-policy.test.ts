import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCommonPassword } from "../src/modules/auth/index.js";
import { buildTestApp, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * A1: the password policy. Passwords of at least 12 characters, up to 1,000, any characters
 * (spaces and emoji included, nothing trimmed or folded); sign-in matches exactly.
 * Passwords on the bundled common-password list (data/passwords/, SecLists' top million, its
 * entries of 12 characters or more) are refused when a person chooses them, whatever their case.
 */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** A passphrase of exactly `length` UTF-16 code units, with spaces and emoji in it. */
function passphrase(length: number): string {
  const words = ["correct", "horse", "battery", "staple", "🐴", "🔋", "naïve", "café", "📎"];
  let out = "";
  for (let i = 0; out.length < length; i++) out += `${words[i % words.length]} `;
  // Never cut an emoji (a surrogate pair) in half: pad with letters instead.
  out = out.slice(0, length);
  if (/[\uD800-\uDBFF]$/.test(out)) out = `${out.slice(0, -1)}x`;
  return out;
}

const createUser = (username: string, password: string) =>
  t.app.inject({ method: "POST", url: "/api/v1/users", payload: { username, role: "reviewer", password } });

const signIn = (username: string, password: string) =>
  t.anonymous({ method: "POST", url: "/api/v1/session", payload: { username, password } });

async function session(username: string, password: string) {
  const res = await signIn(username, password);
  expect(res.statusCode, res.body).toBe(200);
  const set = res.cookies.find((c) => c.name === "accord_session")!;
  return { cookie: `accord_session=${set.value}`, csrf: res.json().csrfToken as string };
}

const changePassword = (s: { cookie: string; csrf: string }, currentPassword: string, newPassword: string) =>
  t.anonymous({
    method: "POST",
    url: "/api/v1/session/password",
    headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    payload: { currentPassword, newPassword },
  });

describe(`A1: password policy (${ENGINE})`, () => {
  it("A1: refuses a 7-character password on creation and on change, naming the rule", async () => {
    const refused = await createUser(uniqueSlug("short"), "seven77");
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail ?? JSON.stringify(refused.json())).toMatch(/12 characters/);

    const username = uniqueSlug("short");
    const password = "a-good-long-password";
    expect((await createUser(username, password)).statusCode).toBe(201);
    const s = await session(username, password);
    const change = await changePassword(s, password, "seven77");
    expect(change.statusCode).toBe(400);
    expect(JSON.stringify(change.json())).toMatch(/12 characters/);
    // The old password still works: nothing changed.
    expect((await signIn(username, password)).statusCode).toBe(200);
  });

  it("A1: accepts 64- and 128-character passphrases with spaces and emoji, exactly as typed", async () => {
    for (const length of [64, 128]) {
      const first = passphrase(length);
      expect(first.length).toBe(length);
      expect(first).toMatch(/ /);
      expect(first).toMatch(/\p{Extended_Pictographic}/u);
      const username = uniqueSlug(`long${length}`);
      const created = await createUser(username, first);
      expect(created.statusCode, created.body).toBe(201);
      const s = await session(username, first);

      // Changed to another one of the same length (a leading and a trailing space kept).
      const second = ` ${passphrase(length - 2)
        .split("")
        .reverse()
        .join("")
        .replace(/[\uD800-\uDFFF]/g, "z")} `;
      expect(second.length).toBe(length);
      const changed = await changePassword(s, first, second);
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await signIn(username, first)).statusCode).toBe(401);
      expect((await signIn(username, second)).statusCode).toBe(200);
      // Trimmed is not the same password.
      expect((await signIn(username, second.trim())).statusCode).toBe(401);
    }
  });

  it("A1: refuses a truncated or case-changed password at sign-in (401)", async () => {
    const password = "Exact Password 🔐 with Case";
    const swapped = [...password]
      .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
      .join("");
    // Each altered password on a user of its own: five failures in a row lock an account.
    for (const altered of [
      password.slice(0, -1),
      password.slice(0, 12),
      password.toLowerCase(),
      password.toUpperCase(),
      swapped,
      `${password}x`,
    ]) {
      const username = uniqueSlug("exact");
      expect((await createUser(username, password)).statusCode).toBe(201);
      const res = await signIn(username, altered);
      expect(res.statusCode, JSON.stringify(altered)).toBe(401);
      expect((await signIn(username, password)).statusCode).toBe(200);
    }
  });

  it("A1: refuses a password from the bundled common list, with a reason, on creation and on change", async () => {
    // Read from the list itself, not written here: its first entry, one deep in it, and one case-changed.
    const list = readFileSync(
      new URL("../../../data/passwords/common-passwords.txt", import.meta.url),
      "utf8",
    )
      .split("\n")
      .filter(Boolean);
    expect(list.length).toBeGreaterThan(40_000);
    const listed = [list[0]!, list[30_000]!, list[1]!.toUpperCase()];
    for (const password of listed) {
      expect(isCommonPassword(password)).toBe(true);
      const refused = await createUser(uniqueSlug("common"), password);
      expect(refused.statusCode, password).toBe(400);
      expect(refused.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(refused.json().errors).toEqual([
        { path: "password", message: expect.stringMatching(/commonly used/) },
      ]);
    }

    const username = uniqueSlug("common");
    const good = "a-good-long-password";
    expect(isCommonPassword(good)).toBe(false);
    expect((await createUser(username, good)).statusCode).toBe(201);
    const s = await session(username, good);
    const change = await changePassword(s, good, listed[0]!);
    expect(change.statusCode).toBe(400);
    expect(change.json().errors).toEqual([
      { path: "newPassword", message: expect.stringMatching(/commonly used/) },
    ]);
    expect((await signIn(username, good)).statusCode).toBe(200);

    expect((await signIn(username, good)).statusCode).toBe(200);
  });
});
