import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "../src/db/open.js";
import { ReadCache } from "../src/http/read-cache.js";

// With a local version (as on the embedded database) the cache never asks the database.
const noDb = {} as Db;
const Answer = z.object({ text: z.string() });
const answer = (chars: number, mark = "") => ({ text: `${mark}${"x".repeat(chars)}` });
/** The serialised answer's bytes as the cache counts them: two a character. */
const bytesOf = (value: { text: string }) => 2 * JSON.stringify(value).length;

describe("read cache", () => {
  it("keeps answers within its byte budget, the least recently used going first", async () => {
    const one = answer(1000);
    const cache = new ReadCache(() => 1, 100, 3 * bytesOf(one));
    let computed = 0;
    const get = (key: string) =>
      cache.json(noDb, key, Answer, async () => {
        computed++;
        return one;
      });
    await get("a");
    await get("b");
    await get("c");
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * bytesOf(one));
    await get("a"); // a hit: a is now the most recently used
    expect(computed).toBe(3);
    await get("d"); // over budget: b, the least recently used, goes
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * bytesOf(one));
    await get("b");
    expect(computed).toBe(5);
    await get("a");
    expect(computed).toBe(5);
  });

  it("sends an answer larger than the whole budget without keeping it", async () => {
    const cache = new ReadCache(() => 1, 100, 1000);
    const body = await cache.json(noDb, "big", Answer, async () => answer(2000, "\u{E000}"));
    expect(JSON.parse(body.body).text).toHaveLength(2001);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it("counts an answer once when a newer version replaces it", async () => {
    let version = 1;
    const cache = new ReadCache(() => version, 100, 1_000_000);
    await cache.json(noDb, "k", Answer, async () => answer(100));
    version = 2;
    await cache.json(noDb, "k", Answer, async () => answer(300));
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(bytesOf(answer(300)));
  });
});
