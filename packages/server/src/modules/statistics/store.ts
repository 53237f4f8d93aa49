import { BUILTIN_METRICS, type StatSource } from "@accord/domain";
import { sql } from "drizzle-orm";
import { bumpDataVersion } from "../../db/data-version.js";
import type { Db, Queryable, Tx } from "../../db/open.js";
import { statMetrics, statPlaceMatches, statSources } from "../../db/schema.js";
import { list, queryRows } from "../../db/sql.js";

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

/** Values staged a statement: short enough that a request waiting behind one hardly notices. */
export const STAGE_ROWS = 1000;

/**
 * Creates the source of an import not yet published: its values, staged under it, are read by
 * nothing until publishSource (every read of values joins a published source).
 */
export async function stageSource(db: Queryable, source: StatSource): Promise<string> {
  const [row] = await db
    .insert(statSources)
    .values({ ...source, stagedAt: sql`now()` })
    .returning({ id: statSources.id });
  return row!.id;
}

/** Stages values under an unpublished source, and marks the source as still being written. */
export async function stageValues(db: Queryable, sourceId: string, values: readonly NewStatValue[]) {
  await insertValues(db, sourceId, values);
  await db.execute(sql`update stat_sources set staged_at = now() where id = ${sourceId}`);
}

/** Publishes a staged source: its values are read from the commit on. */
export async function publishSource(tx: Tx, sourceId: string) {
  const published = await queryRows(
    tx,
    sql`update stat_sources set staged_at = null where id = ${sourceId} and staged_at is not null returning id`,
  );
  if (published.length !== 1)
    throw new Error(`the staged statistics source ${sourceId} was removed before it was published`);
  // What readers are answered changes at this commit: cached answers are stale from it.
  await bumpDataVersion(tx);
}

/**
 * Removes an unpublished source and its staged values (a failed import), and the metrics it added
 * that no value uses. Never throws: it runs after a failure, whose error is the one answered.
 */
export async function discardStaged(db: Db, sourceId: string, addedMetrics: readonly string[] = []) {
  try {
    await db.execute(sql`delete from stat_sources where id = ${sourceId} and staged_at is not null`);
    if (addedMetrics.length)
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`delete from stat_metrics m where m.key in (${list(addedMetrics)})
            and not m.builtin and not exists (select 1 from stat_values v where v.metric = m.key)`,
        );
        // A reader may have been answered the new metric meanwhile: that answer is stale now.
        await bumpDataVersion(tx);
      });
  } catch {
    // Left for the sweep of abandoned imports (sweepStagedSources).
  }
}

/** A staged source not written to for this long is an import that died (it writes every second or so). */
export const STAGED_ABANDONED_MINUTES = 15;

/**
 * Removes the sources of imports that died before publishing (the process killed mid-import), with
 * their staged values. `olderThanMinutes` 0 removes every one (at the start of the embedded
 * database, whose data directory only this process holds); on a shared PostgreSQL only those not
 * written to for a while, as another instance may be importing now.
 */
export async function sweepStagedSources(db: Queryable, olderThanMinutes: number): Promise<number> {
  const removed = await queryRows(
    db,
    sql`delete from stat_sources where staged_at is not null
          and staged_at <= now() - make_interval(mins => ${olderThanMinutes}) returning id`,
  );
  return removed.length;
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
