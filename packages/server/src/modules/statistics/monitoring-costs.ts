import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type MonitorInvoice,
  type MonthlyMonitoringCost,
  monthlyMonitoringCosts,
  parseMonitorInvoices,
  parseTidyMonitorInvoices,
  type StatSource,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, systemContext } from "../../context/command-context.js";
import type { Database } from "../../db/open.js";
import { statMetrics } from "../../db/schema.js";
import { queryOne } from "../../db/sql.js";
import { recordAudit } from "../audit/index.js";
import { analyzeStatistics, insertSource, insertValues } from "./store.js";

/** What a monitoring team bills a month: services and expenses, in US dollars. */
export const MONITORING_COST_METRIC = { key: "monitoring_cost", label: "Monitoring cost", unit: "USD" };

export const BALTIMORE_INVOICES_SOURCE: StatSource = {
  key: "baltimore-monitor-invoices",
  name: "Baltimore Police Monitoring Team monthly invoices, extracted by The Baltimore Banner (2017-2023)",
  url: "https://github.com/The-Baltimore-Banner/consent-decree",
  licence: "BSD-3-Clause (© 2023 The Baltimore Banner)",
};
/** The decree the invoices bill (data/bundle/registry.json). */
export const BALTIMORE_DECREE_SLUG = "baltimore-bpd-2017";
/** The raw extractions, and the Banner's hand transcription of the October-November 2017 invoice. */
export const BALTIMORE_INVOICE_FILES = {
  raw: ["2017-2018.csv", "2019-2023.csv"],
  tidy: ["handmade-2017-oct-nov.csv"],
} as const;

/** The bundled invoices beside the dataset: `<bundle dir>/../monitoring/baltimore_monitor_billing/`. */
export function bundledInvoicesDir(bundlePath: string | null): string | null {
  if (!bundlePath) return null;
  const dir = join(dirname(dirname(bundlePath)), "monitoring", "baltimore_monitor_billing");
  return existsSync(dir) ? dir : null;
}

const dollars = (n: number) =>
  `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** What a month's value says of where it comes from. */
function noteOf(c: MonthlyMonitoringCost): string {
  return [
    `Invoice ${c.document}: services ${dollars(c.services)}, expenses ${dollars(c.expenses)}${c.fromTotalRow ? " (its Total row)" : " (summed from its rows)"}.`,
    c.headerMonth ? `The invoice's table is headed "${c.headerMonth}"; the month is the file's.` : null,
    c.duplicates.length ? `Also extracted as ${c.duplicates.join(", ")} (counted once).` : null,
  ]
    .filter(Boolean)
    .join(" ");
}

/** The invoices of the bundled files, one cost a month. */
export function readBaltimoreInvoices(dir: string): MonthlyMonitoringCost[] {
  const invoices: MonitorInvoice[] = [];
  for (const file of BALTIMORE_INVOICE_FILES.tidy)
    invoices.push(...parseTidyMonitorInvoices(readFileSync(join(dir, file), "utf8")));
  for (const file of BALTIMORE_INVOICE_FILES.raw)
    invoices.push(...parseMonitorInvoices(readFileSync(join(dir, file), "utf8")).invoices);
  return monthlyMonitoringCosts(invoices);
}

/**
 * Imports a matter's monthly monitoring costs in one transaction: the metric (if new), the source,
 * one value a month and the audit entry. A source already imported is left as it is.
 */
export async function importMonitoringCosts(
  ctx: CommandContext,
  matterId: string,
  source: StatSource,
  costs: readonly MonthlyMonitoringCost[],
) {
  return ctx.db.transaction(async (tx) => {
    if (await queryOne(tx, sql`select 1 from stat_sources where key = ${source.key}`)) return null;
    await tx.insert(statMetrics).values(MONITORING_COST_METRIC).onConflictDoNothing();
    const sourceId = await insertSource(tx, source);
    await insertValues(
      tx,
      sourceId,
      costs.map((c) => ({
        metric: MONITORING_COST_METRIC.key,
        jurisdictionId: null,
        agencyId: null,
        matterId,
        period: c.month,
        value: c.total,
        population: null,
        monthsReported: 1,
        note: noteOf(c),
      })),
    );
    const summary = {
      source: source.key,
      values: costs.length,
      total: Math.round(costs.reduce((s, c) => s + c.total * 100, 0)) / 100,
      first: costs[0]?.month ?? null,
      last: costs.at(-1)?.month ?? null,
    };
    await recordAudit(tx, ctx, {
      action: "STATISTICS_IMPORTED",
      entity: "stat_source",
      entityId: sourceId,
      after: summary,
    });
    return summary;
  });
}

/**
 * On the first start (and on a later one that finds them missing): the Baltimore monitoring
 * team's invoices as the decree's monthly cost. Nothing when the decree is not in the registry.
 */
export async function loadBundledMonitoringCostsOnce(
  database: Database,
  dir: string | null,
  log: (m: string) => void,
) {
  if (!dir) return;
  const decree = await queryOne<{ id: string }>(
    database.db,
    sql`select id from matters where slug = ${BALTIMORE_DECREE_SLUG}`,
  );
  if (!decree) return;
  if (
    await queryOne(database.db, sql`select 1 from stat_sources where key = ${BALTIMORE_INVOICES_SOURCE.key}`)
  )
    return;
  const done = await importMonitoringCosts(
    systemContext(database.db, "system"),
    decree.id,
    BALTIMORE_INVOICES_SOURCE,
    readBaltimoreInvoices(dir),
  );
  await analyzeStatistics(database.db);
  if (done)
    log(`Loaded monitoring costs ${done.source}: ${done.values} months (${done.first} to ${done.last})`);
}
