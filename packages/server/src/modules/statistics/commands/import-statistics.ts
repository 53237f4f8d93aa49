import { randomUUID } from "node:crypto";
import {
  MetricKeySchema,
  parseCsv,
  type StatImportResult,
  StatPeriodSchema,
  type StatSource,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, type FieldError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import type { Queryable } from "../../../db/open.js";
import { statMetrics } from "../../../db/schema.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import type { ImportRecorder } from "../../imports/index.js";
import {
  analyzeStatistics,
  discardStaged,
  ensureBuiltinMetrics,
  type NewStatValue,
  publishSource,
  STAGE_ROWS,
  stageSource,
  stageValues,
} from "../store.js";

export interface ImportStatisticsOptions {
  csv: string;
  /** Where the figures come from, as people should cite it (default: the import, its actor and day). */
  source?: string | undefined;
  sourceUrl?: string | undefined;
}

const COLUMNS = [
  "metric",
  "jurisdiction",
  "agency",
  "period",
  "value",
  "population",
  "months_reported",
  "unit",
  "label",
  "note",
] as const;
type Column = (typeof COLUMNS)[number];

const invalid = (errors: FieldError[]) =>
  appError(
    "import_invalid",
    `The CSV file is invalid at ${errors[0]!.path}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}; nothing was imported`,
    { errors },
  );

interface Place {
  id: string;
  slug: string;
  name: string;
}

/** Places by id, slug and lower-case name (a name two places share is not a key). */
async function placeLookup(db: Queryable, table: "jurisdictions" | "agencies") {
  const rows = await queryRows<Place>(db, sql`select id, slug, name from ${sql.raw(table)}`);
  const byKey = new Map<string, Place | null>();
  for (const r of rows) {
    byKey.set(r.id, r);
    byKey.set(r.slug, r);
    const name = r.name.toLowerCase();
    byKey.set(name, byKey.has(name) ? null : r);
  }
  return (key: string) => byKey.get(key) ?? byKey.get(key.toLowerCase()) ?? undefined;
}

/**
 * Imports a CSV of any metric for jurisdictions or agencies: columns metric, jurisdiction or
 * agency (id, slug or name), period (YYYY or YYYY-MM), value, and optionally population,
 * months_reported, unit and label (for a new metric) and note. Every row is checked first, and any
 * bad row, named by its number (the header is row 1), leaves nothing written; the values are then
 * staged in short statements and published at once, so that readers see all of them or none.
 */
export async function importStatistics(
  input: ImportStatisticsOptions,
  ctx: CommandContext,
  /** The HTTP import's record, written in the publishing transaction (none: the import is not recorded). */
  recorder?: ImportRecorder,
): Promise<StatImportResult> {
  const [header, ...records] = parseCsv(input.csv);
  if (!header) throw invalid([{ path: "row 1", message: "The CSV file is empty" }]);
  const names = header.map((h) => h.trim().toLowerCase());
  const col = (c: Column) => names.indexOf(c);
  const missing = (["metric", "period", "value"] as const).filter((c) => col(c) < 0);
  if (missing.length) throw invalid(missing.map((c) => ({ path: "row 1", message: `No ${c} column` })));
  if (col("jurisdiction") < 0 && col("agency") < 0)
    throw invalid([{ path: "row 1", message: "No jurisdiction or agency column" }]);
  const rows = records
    .map((cells, i) => ({ cells, n: i + 2 }))
    .filter((r) => r.cells.some((cell) => cell.trim() !== ""));
  if (!rows.length) throw invalid([{ path: "row 2", message: "The CSV file has no rows" }]);

  // Every row is checked before anything is written, outside any transaction: the places and
  // metrics are read in statements of their own, between which other requests are served.
  await ensureBuiltinMetrics(ctx.db);
  const findJurisdiction = await placeLookup(ctx.db, "jurisdictions");
  const findAgency = await placeLookup(ctx.db, "agencies");
  const known = new Map(
    (await queryRows<{ key: string; unit: string }>(ctx.db, sql`select key, unit from stat_metrics`)).map(
      (m) => [m.key, m.unit],
    ),
  );
  const added = new Map<string, { key: string; label: string; unit: string }>();
  const errors: FieldError[] = [];
  const values: NewStatValue[] = [];
  const seen = new Map<string, number>();
  for (const { cells, n } of rows) {
    const get = (c: Column) => (col(c) >= 0 ? (cells[col(c)] ?? "").trim() : "");
    const bad = (column: Column, message: string) => errors.push({ path: `row ${n}.${column}`, message });
    const metric = get("metric");
    if (!MetricKeySchema.safeParse(metric).success)
      bad("metric", `"${metric}" is not a metric key (lower case letters, digits and underscores)`);
    else if (!known.has(metric) && !added.has(metric))
      added.set(metric, {
        key: metric,
        label: get("label") || metric.replaceAll("_", " "),
        unit: get("unit") || "count",
      });
    const jKey = get("jurisdiction");
    const aKey = get("agency");
    let jurisdictionId: string | null = null;
    let agencyId: string | null = null;
    if (jKey && aKey) bad("agency", "Give a jurisdiction or an agency, not both");
    else if (jKey) {
      const p = findJurisdiction(jKey);
      if (p) jurisdictionId = p.id;
      else bad("jurisdiction", `No jurisdiction "${jKey}" (or more than one has that name)`);
    } else if (aKey) {
      const p = findAgency(aKey);
      if (p) agencyId = p.id;
      else bad("agency", `No agency "${aKey}" (or more than one has that name)`);
    } else bad("jurisdiction", "No place: give a jurisdiction or an agency");
    const period = get("period");
    if (!StatPeriodSchema.safeParse(period).success)
      bad("period", `"${period}" is not a month (2017-04) or a year (2017)`);
    const valueText = get("value");
    const value = Number(valueText.replaceAll(",", ""));
    if (valueText === "" || !Number.isFinite(value)) bad("value", `"${valueText}" is not a number`);
    else if (value < 0) bad("value", `${valueText} is negative: a count cannot be`);
    const popText = get("population");
    const population = popText === "" ? null : Number(popText.replaceAll(",", ""));
    if (population !== null && !(Number.isInteger(population) && population > 0))
      bad("population", `"${popText}" is not a positive whole number`);
    const monthsText = get("months_reported");
    const monthsReported = monthsText === "" ? null : Number(monthsText);
    const maxMonths = period.length === 4 ? 12 : 1;
    if (
      monthsReported !== null &&
      !(Number.isInteger(monthsReported) && monthsReported >= 0 && monthsReported <= maxMonths)
    )
      bad("months_reported", `"${monthsText}" is not a number of months from 0 to ${maxMonths}`);
    const key = `${metric}|${jurisdictionId ?? agencyId}|${period}`;
    if (seen.has(key))
      bad("period", `Row ${seen.get(key)} already gives ${metric} for this place and period`);
    else seen.set(key, n);
    values.push({
      metric,
      jurisdictionId,
      agencyId,
      period,
      value,
      population,
      monthsReported,
      note: get("note") || null,
    });
  }
  if (errors.length) throw invalid(errors);

  // Another import (through this server or another) may be adding the same metric right now:
  // the first to commit adds it, and this one goes on with it rather than failing.
  const addedKeys = added.size
    ? (
        await ctx.db
          .insert(statMetrics)
          .values([...added.values()])
          .onConflictDoNothing()
          .returning({ key: statMetrics.key })
      ).map((m) => m.key)
    : [];
  const source: StatSource = {
    key: `import-${randomUUID()}`,
    name: input.source ?? `Imported by ${ctx.actor} on ${ctx.now().toISOString().slice(0, 10)}`,
    url: input.sourceUrl ?? null,
    licence: null,
  };
  // The values are staged under a source that is not yet published (`staged_at` set: no read
  // sees its values), STAGE_ROWS to a short statement, and published together in one short
  // transaction. One transaction writing them all would hold PGlite, which runs one statement at
  // a time, for seconds: every other request would wait that long (RELIABILITY-CHECKS LD3).
  const sourceId = await stageSource(ctx.db, source);
  let imported: StatImportResult;
  try {
    for (let i = 0; i < values.length; i += STAGE_ROWS) {
      await stageValues(ctx.db, sourceId, values.slice(i, i + STAGE_ROWS));
      await new Promise((resolve) => setImmediate(resolve));
    }
    imported = await ctx.db.transaction(async (tx) => {
      await publishSource(tx, sourceId);
      const result: StatImportResult = {
        source,
        values: values.length,
        metricsAdded: addedKeys,
        places: new Set(values.map((v) => v.jurisdictionId ?? v.agencyId)).size,
      };
      await recordAudit(tx, ctx, {
        action: "STATISTICS_IMPORTED",
        entity: "stat_source",
        entityId: sourceId,
        after: result,
      });
      await recorder?.succeeded(tx, {
        rowCount: rows.length,
        rowsWritten: values.length,
        status: 201,
        body: result,
      });
      return result;
    });
  } catch (error) {
    // Nothing of it stays: its staged values go with their source, and so do the metrics it
    // added that nothing else uses.
    await discardStaged(ctx.db, sourceId, addedKeys);
    throw error;
  }
  await analyzeStatistics(ctx.db);
  return imported;
}
