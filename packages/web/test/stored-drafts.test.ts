import { describe, expect, it } from "vitest";
import { clearStoredDrafts, STORED_DRAFT_PREFIX } from "../src/lib/stored-drafts.js";

/** A Storage in memory, as a browser's localStorage behaves. */
function memoryStorage(entries: Record<string, string>): Storage {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

/** H3 (client storage): review drafts typed in this browser do not outlive the session's sign-out. */
describe("H3: drafts kept in the browser are cleared at sign-out", () => {
  it("H3: removes every review draft and nothing else", () => {
    const storage = memoryStorage({
      [`${STORED_DRAFT_PREFIX}00000000-0000-4000-8000-000000000001@3`]: '{"version":3}',
      [`${STORED_DRAFT_PREFIX}00000000-0000-4000-8000-000000000002@1`]: '{"version":1}',
      "accord-color-scheme": "dark",
    });
    expect(clearStoredDrafts(storage)).toBe(2);
    expect(storage.length).toBe(1);
    expect(storage.key(0)).toBe("accord-color-scheme");
  });

  it("H3: a browser without usable storage has nothing to clear", () => {
    expect(clearStoredDrafts(undefined)).toBe(0);
    const broken = {
      get length(): number {
        throw new Error("SecurityError");
      },
      key: () => null,
      removeItem: () => undefined,
    };
    expect(clearStoredDrafts(broken)).toBe(0);
  });
});
