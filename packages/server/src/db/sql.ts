import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "./open.js";

/** Runs a raw query and returns its rows typed as the caller says. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function queryOne<T>(db: Queryable, query: SQL): Promise<T | undefined> {
  return (await queryRows<T>(db, query))[0];
}

/**
 * A statement PostgreSQL may keep prepared on each connection, its plan made generic once that
 * costs no more (pg-statements.ts): for statements that read a few rows by key, whose planning
 * costs more than their run (the caller's credential, one record's detail). Never for a statement
 * whose best plan depends on its values (a list, a search): those are planned for their values
 * every time. The mark is a comment at the end, so PGlite's statement cache, which keeps every
 * read, sees the same statement (pglite-statements.ts).
 */
export const kept = (query: SQL): SQL => sql`${query} /* accord:kept */`;

/** A timestamp column as ISO-8601 UTC text, the same on PGlite and PostgreSQL. */
export const isoTimeText = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const isoTime = (column: string) => sql.raw(isoTimeText(column));

/** `a, b, c` of bound parameters, for `IN (…)`. */
export const list = (values: readonly unknown[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * `values` as one `text[]` parameter, for `= any(…)`: one statement text whatever the count of
 * values, where `in (…)` with a parameter each makes every count a statement of its own (parsed,
 * and on PGlite kept in its statement cache, again).
 */
export const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/**
 * A prefix-matching full-text query from what a person typed: every word must match, the
 * last ones as prefixes, so "baltimore pol" finds the Baltimore Police Department.
 * Returns null when nothing searchable is left.
 */
export function toPrefixTsQuery(q: string | undefined): string | null {
  if (!q) return null;
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 20)
    .map((w) => `${w}:*`)
    .join(" & ");
}

/**
 * The first and last day a partial date column may mean (`2017` → 2017-01-01 … 2017-12-31,
 * `2017-03` → 2017-03-01 … 2017-03-31), as text that compares with a YYYY-MM-DD day. The SQL
 * form of the domain's `dayRange`.
 */
export const firstDayOf = (column: string) =>
  sql.raw(`(${column} || substr('-01-01', length(${column}) - 3))`);
export const lastDayOf = (column: string) =>
  sql.raw(`(${column} || substr('-12-31', length(${column}) - 3))`);
