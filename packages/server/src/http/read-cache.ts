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
  hits = 0;
  misses = 0;

  /**
   * @param localVersion the embedded database's in-memory count of committed changes: cached
   *   answers are then served without a query, even while a long write holds the database.
   */
  constructor(
    readonly localVersion?: () => number,
    readonly maxEntries = 2000,
  ) {}

  /** The answer for `key`, as JSON validated and encoded by `schema`. */
  async json<S extends z.ZodType>(
    db: Db,
    key: string,
    schema: S,
    compute: () => Promise<z.input<S>>,
    etagOf?: (value: z.output<S>) => string,
    /** The data version this request already read (see the auth plugin), to spare a query. */
    knownVersion?: number | null,
  ): Promise<CachedJson> {
    const version = this.localVersion ? this.localVersion() : (knownVersion ?? (await readDataVersion(db)));
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
}
