/**
 * What the runner reads from the environment for every case: the cases and engines to run, and
 * the registry dataset each bench server generates unless its case says otherwise. A case's own
 * settings (BENCH_DURATION, BENCH_SEARCH_*, BENCH_COMPLIANCE_*, BENCH_PARSE_*, BENCH_OUTLINE_*, BENCH_EXTRACT_*, BENCH_MIXED_*)
 * are read in its file under bench/cases.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const rootDir = dirname(benchDir);

/** Every case, in the order the report gives them. */
export const ALL_CASES = [
  "registry",
  "compliance",
  "parse",
  "outline",
  "search",
  "extract",
  "portfolio",
  "statistics",
  "mixed",
  "start",
  "reliability",
] as const;
export const CASES = (process.env.BENCH_CASES ?? ALL_CASES.join(",")).split(",").map((s) => s.trim());
export const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",").map((s) => s.trim());

export const MATTERS = Number(process.env.BENCH_MATTERS ?? 10_000);
export const EVENTS_PER_MATTER = 10;
export const EXTRA_MATTERS = Math.max(1, Math.round(MATTERS / 5));
export const SEED = 1;
/** Matters per importBundle call of the initial load (0: one import of everything). */
export const IMPORT_BATCH = Number(process.env.BENCH_IMPORT_BATCH ?? 0);
export const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 250);
export const PAGES_PER_DOCUMENT = Number(process.env.BENCH_PAGES_PER_DOCUMENT ?? 20);
