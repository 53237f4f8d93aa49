import type { z } from "zod";
import { readDataVersion } from "../db/data-version.js";
import type { Db } from "../db/open.js";

export interface CachedJson {
  /** The answer, serialised once. */
  body: string;
  etag?: string;
}

/**
 * Answers of read endpoints, serialised, kept until the data changes. Each lookup costs one
 * tiny query (the data version, bumped by every write in its own transaction), so a cached
 * answer is never older than the last committed change, also when several servers share one
 * PostgreSQL. The version is read before the answer is computed, so an entry can only be newer
 * than its tag, never older.
 */
export class ReadCache {
  readonly #entries = new Map<string, { version: number; value: CachedJson }>();
  #frozenAt: number | null = null;
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = 2000) {}

  /** The answer for `key`, as JSON validated and encoded by `schema`. */
  async json<S extends z.ZodType>(
    db: Db,
    key: string,
    schema: S,
    compute: () => Promise<z.input<S>>,
    etagOf?: (value: z.output<S>) => string,
  ): Promise<CachedJson> {
    if (this.#frozenAt !== null) {
      const entry = this.#entries.get(key);
      if (entry && entry.version === this.#frozenAt) return this.#hit(key, entry);
    }
    const version = await readDataVersion(db);
    const entry = this.#entries.get(key);
    if (entry && entry.version === version) return this.#hit(key, entry);
    this.misses++;
    const parsed = schema.parse(await compute());
    const value: CachedJson = { body: JSON.stringify(parsed) };
    if (etagOf) value.etag = etagOf(parsed);
    this.#entries.delete(key);
    this.#entries.set(key, { version, value });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return value;
  }

  #hit(key: string, entry: { version: number; value: CachedJson }): CachedJson {
    this.hits++;
    // The map's order is the eviction order: a hit moves to the back.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * While a long write holds the embedded database (one connection), answers cached at the
   * version it started from are served without asking the database: exactly what readers of
   * PostgreSQL see meanwhile (the last committed state). Only for a single-process database.
   */
  async whileWriting<T>(versionBefore: number, write: () => Promise<T>): Promise<T> {
    this.#frozenAt = versionBefore;
    try {
      return await write();
    } finally {
      this.#frozenAt = null;
    }
  }
}
