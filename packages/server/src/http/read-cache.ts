import { readDataVersion } from "../db/data-version.js";
import type { Db } from "../db/open.js";

/**
 * Answers of read endpoints, kept until the data changes. Each lookup costs one tiny query
 * (the data version, bumped by every write in its own transaction), so a cached answer is
 * never older than the last committed change, also when several servers share one PostgreSQL.
 * The version is read before the answer is computed, so an entry can only be newer than its tag.
 */
export class ReadCache {
  readonly #entries = new Map<string, { version: number; value: unknown }>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = 2000) {}

  async get<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
    const version = await readDataVersion(db);
    const entry = this.#entries.get(key);
    if (entry && entry.version === version) {
      this.hits++;
      // Refresh its place: the map's order is the eviction order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value as T;
    }
    this.misses++;
    const value = await compute();
    this.#entries.delete(key);
    this.#entries.set(key, { version, value });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return value;
  }

  clear() {
    this.#entries.clear();
  }
}
