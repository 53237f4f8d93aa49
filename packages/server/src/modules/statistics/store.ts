import { BUILTIN_METRICS, type StatSource } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { Queryable, Tx } from "../../db/open.js";
import { statMetrics, statPlaceMatches, statSources } from "../../db/schema.js";

/** One value to store: for a jurisdiction, an agency or a matter (exactly one). */
export interface NewStatValue {
  metric: string;
  jurisdictionId: string | null;
  agencyId: string | null;
  matterId?: string | null;
  period: string;
  value: number;
  population: number | null;
  monthsReported: number | null;
  note: string | null;
}

export interface NewStatMatch {
  sourcePlace: string;
  sourceName: string;
  jurisdictionId: string | null;
  method: string;
  rows: number;
}

/** Creates the source a set of values comes from; its id is what the audit entry is about. */
export async function insertSource(tx: Tx, source: StatSource): Promise<string> {
  const [row] = await tx.insert(statSources).values(source).returning({ id: statSources.id });
  return row!.id;
}

// A few thousand rows a statement.
const CHUNK = 5000;

/**
 * Writes the values of one source, in chunks, each chunk one JSON parameter unpacked by the
 * database: binding tens of thousands of parameters one by one is several times slower on PGlite.
 */
export async function insertValues(tx: Queryable, sourceId: string, values: readonly NewStatValue[]) {
  for (let i = 0; i < values.length; i += CHUNK) {
    const rows = JSON.stringify(values.slice(i, i + CHUNK));
    await tx.execute(sql`insert into stat_values
        (metric, jurisdiction_id, agency_id, matter_id, period, value, population, months_reported, note, source_id)
      select r.metric, r."jurisdictionId", r."agencyId", r."matterId", r.period, r.value, r.population,
        r."monthsReported", r.note, ${sourceId}::uuid
      from json_to_recordset(${rows}::json) as r(metric text, "jurisdictionId" uuid, "agencyId" uuid,
        "matterId" uuid, period text, value float8, population int, "monthsReported" int, note text)`);
  }
}

export async function insertMatches(tx: Queryable, sourceId: string, matches: readonly NewStatMatch[]) {
  for (let i = 0; i < matches.length; i += CHUNK)
    await tx.insert(statPlaceMatches).values(matches.slice(i, i + CHUNK).map((m) => ({ ...m, sourceId })));
}

/** Accord's own metrics, in case the migration's rows were removed. */
export async function ensureBuiltinMetrics(tx: Queryable) {
  await tx
    .insert(statMetrics)
    .values(BUILTIN_METRICS.map((m) => ({ ...m, builtin: true })))
    .onConflictDoNothing();
}

/**
 * Refreshes the planner's statistics of the values after an import (PGlite has no autovacuum):
 * without them a series query plans for an empty table and scans every value. After the commit,
 * never inside the import's transaction.
 */
export async function analyzeStatistics(db: Queryable) {
  await db.execute(sql`analyze stat_values, stat_place_matches`);
}
