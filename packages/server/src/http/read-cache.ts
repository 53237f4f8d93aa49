import type { z } from "zod";
import { readDataVersion } from "../db/data-version.js";
import type { Db } from "../db/open.js";

export interface CachedJson {
  /** The answer, serialised once. */
  body: string;
  etag?: string;
}

/** The most the read cache's answers may hold, in bytes (see ReadCache). */
export const READ_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Bytes an answer holds in memory: V8 keeps a string with any character beyond Latin-1 (a
 * search snippet's highlight marks, U+E000 and U+E001) at two bytes a character, so two a
 * character is counted, whatever the answer.
 */
const bytesOf = (value: CachedJson) => 2 * (value.body.length + (value.etag?.length ?? 0));

/**
 * Answers of read endpoints, serialised, kept until the data changes. Each lookup costs one
 * tiny query (the data version, bumped by every write in its own transaction), so a cached
 * answer is never older than the last committed change, also when several servers share one
 * PostgreSQL. The version is read before the answer is computed, so an entry can only be newer
 * than its tag, never older. Bounded by entries and by bytes: a search's answer is some 23 kB
 * (twenty snippets and the facets), so 2,000 of them would hold some 90 MB; the least recently
 * used answers go first.
 */
export class ReadCache {
  readonly #entries = new Map<string, { version: number; value: CachedJson }>();
  hits = 0;
  misses = 0;
  /** What the answers kept hold now, in bytes (two a character). */
  bytes = 0;

  /**
   * @param localVersion the embedded database's in-memory count of committed changes: cached
   *   answers are then served without a query, even while a long write holds the database.
   */
  constructor(
    readonly localVersion?: () => number,
    readonly maxEntries = 2000,
    readonly maxBytes = READ_CACHE_MAX_BYTES,
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
    this.#remove(key);
    const size = bytesOf(value);
    // An answer larger than the whole budget is sent, never kept.
    if (size > this.maxBytes) return value;
    this.#entries.set(key, { version, value });
    this.bytes += size;
    while (this.#entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
    return value;
  }

  #remove(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.bytes -= bytesOf(entry.value);
  }

  /** Answers kept now. */
  get size() {
    return this.#entries.size;
  }

  #hit(key: string, entry: { version: number; value: CachedJson }): CachedJson {
    this.hits++;
    // The map's order is the eviction order: a hit moves to the back.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }
}
