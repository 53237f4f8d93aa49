import { describe, expect, it } from "vitest";
import { generatePassword } from "../src/modules/auth/secrets.js";

/** Issue 17, item 11: a generated password is read off a screen; nothing in it looks like something else. */
describe("generated passwords", () => {
  it("use no look-alike characters, in groups of four, and do not repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{4}(-[a-km-np-zA-HJ-NP-Z2-9]{4}){5}$/);
      expect(password).not.toMatch(/[Il1Oo0]/);
      seen.add(password);
    }
    expect(seen.size).toBe(2000);
  });

  it("draws every character of its alphabet", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++)
      for (const c of generatePassword().replaceAll("-", "")) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(56);
  });
});
