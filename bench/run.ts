/**
 * `npm run bench`: runs the cases of BENCH_CASES (default "registry,compliance,parse,outline,search,extract,portfolio,statistics,mixed,start,reliability",
 * one file each in bench/cases) on the engines of BENCH_ENGINES (default "pglite,postgres"; PostgreSQL
 * needs TEST_DATABASE_URL, which scripts/with-postgres.sh sets). Each engine case serves a database of
 * its own from a child process (bench/server.ts) on 127.0.0.1 and measures it from this one. Prints
 * one JSON document on stdout (progress goes to stderr) and writes it to bench/results/latest.json
 * (latest-<cases>.json when BENCH_CASES names only some cases). The settings are in bench/README.md.
 */
import { benchCompliance } from "./cases/compliance.js";
import { benchExtract } from "./cases/extract.js";
import { benchMixed, MIXED } from "./cases/mixed.js";
import { benchOutline } from "./cases/outline.js";
import { benchParse } from "./cases/parse.js";
import { benchPortfolio } from "./cases/portfolio.js";
import { benchRegistry, registryDataset, registrySettings } from "./cases/registry.js";
import { benchReliability } from "./cases/reliability.js";
import { benchSearch, SEARCH } from "./cases/search.js";
import { benchStart } from "./cases/start.js";
import { benchStatistics } from "./cases/statistics.js";
import { cleanupAll, cleanupOnSignals } from "./harness/cleanup.js";
import { log, round } from "./harness/log.js";
import { machine, writeReport } from "./harness/report.js";
import { CASES, ENGINES, rootDir } from "./harness/settings.js";

async function main() {
  const started = performance.now();
  const report = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    settings: registrySettings,
    searchCase: { pages: SEARCH.pages, matters: SEARCH.matters, repeat: SEARCH.repeat },
    mixedCase: { users: MIXED.users, durationSeconds: MIXED.durationSeconds },
    dataset: registryDataset,
    engines: {} as Record<string, unknown>,
    parse: CASES.includes("parse") ? benchParse(rootDir) : null,
    outline: CASES.includes("outline") ? benchOutline(rootDir) : null,
    extract: CASES.includes("extract") ? await benchExtract(rootDir) : null,
    totalSeconds: 0,
  };
  for (const engine of ["pglite", "postgres"] as const) {
    if (!ENGINES.includes(engine)) {
      report.engines[engine] = { skipped: "not in BENCH_ENGINES" };
      continue;
    }
    // One case or engine failing still leaves the others' figures in the report.
    const failed = (what: string, e: unknown) => {
      log(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
      return { error: e instanceof Error ? e.message : String(e) };
    };
    let result: Record<string, unknown> = { skipped: "registry is not in BENCH_CASES" };
    if (CASES.includes("registry")) {
      try {
        result = await benchRegistry(engine);
      } catch (e) {
        result = failed(engine, e);
      }
    }
    if (CASES.includes("search")) {
      try {
        result.search = await benchSearch(engine);
      } catch (e) {
        result.search = failed(`${engine} search`, e);
      }
    }
    if (CASES.includes("portfolio")) {
      try {
        result.portfolio = await benchPortfolio(engine);
      } catch (e) {
        result.portfolio = failed(`${engine} portfolio`, e);
      }
    }
    if (CASES.includes("statistics")) {
      try {
        result.statistics = await benchStatistics(engine);
      } catch (e) {
        result.statistics = failed(`${engine} statistics`, e);
      }
    }
    if (CASES.includes("start")) {
      try {
        result.start = await benchStart(engine);
      } catch (e) {
        result.start = failed(`${engine} start`, e);
      }
    }
    if (CASES.includes("compliance")) {
      try {
        result.compliance = await benchCompliance(engine);
      } catch (e) {
        result.compliance = failed(`${engine} compliance`, e);
      }
    }
    if (CASES.includes("mixed")) {
      try {
        result.mixed = await benchMixed(engine);
      } catch (e) {
        result.mixed = failed(`${engine} mixed`, e);
      }
    }
    if (CASES.includes("reliability")) {
      try {
        result.reliability = await benchReliability(engine);
      } catch (e) {
        result.reliability = failed(`${engine} reliability`, e);
      }
    }
    report.engines[engine] = result;
  }
  report.totalSeconds = round((performance.now() - started) / 1000);
  writeReport(report);
}

cleanupOnSignals();
try {
  await main();
} catch (e) {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
