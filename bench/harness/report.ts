/** The report's frame: the machine it ran on, and where the JSON document goes. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { round } from "./log.js";
import { ALL_CASES, benchDir, CASES } from "./settings.js";

export const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGb: round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
});

/**
 * Writes the report to bench/results/latest.json and prints it on stdout. A run of some cases
 * only keeps the full run's file: it writes latest-compliance.json, say.
 */
export function writeReport(report: unknown) {
  const json = JSON.stringify(report, null, 2);
  mkdirSync(join(benchDir, "results"), { recursive: true });
  const all = ALL_CASES.every((c) => CASES.includes(c));
  writeFileSync(
    join(benchDir, "results", all ? "latest.json" : `latest-${CASES.join("-")}.json`),
    `${json}\n`,
  );
  process.stdout.write(`${json}\n`);
}
