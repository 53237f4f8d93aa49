/** The monitoring facts file: who monitors a decree (and since when), and when a decree took effect. */
import type { Source } from "@accord/domain";
import { cmp } from "./shared.js";
import { parseSourcesColumn } from "./sources-column.js";

/** One row of monitoring_facts.csv, by column name. */
export type MonitoringFact = Record<string, string>;

/** The monitor most recently named for a case (by as_of), if any. */
export function latestMonitor(rows: MonitoringFact[], caseId: string): MonitoringFact | undefined {
  const monitorRows = rows
    .filter((m) => m.case_id === caseId && m.fact_type === "monitor")
    .sort((a, b) => cmp(b.as_of ?? "", a.as_of ?? ""));
  return monitorRows[0];
}

/** The monitor row's sources, each noting who the monitor is, as of when, and the detail. */
export function monitorSources(monitorRow: MonitoringFact | undefined): Source[] {
  return monitorRow
    ? parseSourcesColumn(monitorRow.source ?? "").map((s) => ({
        ...s,
        note: `Monitor: ${monitorRow.value}${monitorRow.as_of ? ` (as of ${monitorRow.as_of})` : ""}; ${monitorRow.detail}`,
      }))
    : [];
}

/** The date a case's decree took effect, when the file states one. */
export function effectiveDate(rows: MonitoringFact[], caseId: string): MonitoringFact | undefined {
  return rows.find((m) => m.case_id === caseId && m.fact_type === "effective_date");
}
