import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "../src/modules/auth/throttle.js";
import { buildTestApp, chosenPassword, createViewer, ENGINE, signInFrom, type TestApp } from "./helpers.js";

/**
 * LD5 (bench/cases/reliability.ts floods sign-in at 200 attempts a second): attempts sent at once,
 * without waiting for answers. The lock counted only failures already answered, so every attempt
 * that arrived before the fifth one was answered had its password hashed (128 MiB and most of a
 * second of a core each, two at a time): the queue grew without bound and the server stopped
 * answering. Attempts still being checked now count against the limits too: past them, 429 at once.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const signIn = (username: string, password: string, from: string) => signInFrom(t, username, password, from);

const createUser = () => createViewer(t, "flood");

describe(`LD5: a sign-in flood (${ENGINE})`, () => {
  it("LD5: attempts sent at once: at most the account's limit are checked, the rest get 429 at once", async () => {
    const username = await createUser();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, k) => signIn(username, `not the password ${k}`, "198.51.100.40")),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(
      codes.every((c) => c === 401 || c === 429),
      codes.join(" "),
    ).toBe(true);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(THROTTLE.accountLimit);
    for (const a of answers.filter((a) => a.statusCode === 429))
      expect(Number(a.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("LD5: many accounts at once from one address: at most the address's limit are checked", async () => {
    const names = await Promise.all(Array.from({ length: 5 }, () => createUser()));
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, k) => signIn(names[k % 5]!, `not the password ${k}`, "198.51.100.41")),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(
      codes.every((c) => c === 401 || c === 429),
      codes.join(" "),
    ).toBe(true);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(THROTTLE.addressLimit);
  });

  it("LD5: a flood from one address refuses nobody elsewhere; the right password still signs in", async () => {
    const username = await createUser();
    await Promise.all(
      Array.from({ length: 20 }, (_, k) => signIn(username, `not the password ${k}`, "198.51.100.42")),
    );
    expect((await signIn(username, chosenPassword(username), "198.51.100.43")).statusCode).toBe(200);
  });
});
