import { type SQL, sql } from "drizzle-orm";

/*
 * The time order of a matter's reporting periods, the same in every query: by end date; a period
 * that no source dates (a bundled ratings history) comes before the dated ones; periods of one
 * date, or of none, by label in natural order ("IMR-9" before "IMR-10").
 */

/** Earliest first, for the periods aliased `alias`. */
export const periodsOldestFirst = (alias: string): SQL =>
  sql.raw(`${alias}.ends_on asc nulls first, length(${alias}.label), ${alias}.label`);

/** Latest first, for the periods aliased `alias`. */
export const periodsLatestFirst = (alias: string): SQL =>
  sql.raw(`${alias}.ends_on desc nulls last, length(${alias}.label) desc, ${alias}.label desc`);
