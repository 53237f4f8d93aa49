/**
 * What a person typed and the server does not have yet is kept in this browser's localStorage
 * (a review's draft), so that a network failure, a closed tab or a crash loses nothing. Every
 * such key starts with this prefix.
 */
export const STORED_DRAFT_PREFIX = "accord.review-draft.";

/**
 * Forgets every draft kept in this browser: at sign-out, so that the next person at a shared
 * computer finds nothing of the last one's work. Answers how many were removed.
 */
export function clearStoredDrafts(
  storage: Pick<Storage, "length" | "key" | "removeItem"> | undefined,
): number {
  if (!storage) return 0;
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(STORED_DRAFT_PREFIX)) keys.push(k);
    }
    for (const k of keys) storage.removeItem(k);
    return keys.length;
  } catch {
    // storage unavailable (private mode): nothing was kept
    return 0;
  }
}

/** This browser's localStorage, when it has one it lets us use. */
export function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
