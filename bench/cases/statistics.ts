/**
 * The statistics case (issue 15): on the real registry, the Real-Time Crime Index monthly file
 * (28,531 rows) imported from its text in one transaction, timed by the server (target: under
 * 10 s on PGlite); then GET /api/v1/statistics/series at one connection with every request a
 * distinct URL (place, metric, from, to and sometimes per=100k vary), so that none is answered
 * from the read cache (target: p95 under 50 ms on both engines).
 */
import { killChild } from "../harness/cleanup.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { log } from "../harness/log.js";
import { startServer } from "../harness/start-server.js";
import { timeRequests } from "../harness/timing.js";

const STATISTICS = {
  requests: Number(process.env.BENCH_STATISTICS_REQUESTS ?? 300),
};
const WARMUP = 10;
const METRICS = ["homicide", "rape", "robbery", "aggravated_assault", "violent_crime", "property_crime"];

/**
 * The k-th series request: a matched place (or two compared), a metric, and bounds that are years
 * (1975-2024) or months (2018-2024). Callers keep only distinct URLs.
 */
function seriesPath(k: number, places: readonly string[]): string {
  const place = places[k % places.length]!;
  const other = places[(k * 7 + 3) % places.length]!;
  const jurisdiction = k % 5 === 4 && other !== place ? `${place},${other}` : place;
  const metric = METRICS[Math.floor(k / places.length) % METRICS.length]!;
  let from: string;
  let to: string;
  if (k % 2 === 0) {
    const y = 1975 + ((k * 13) % 45);
    from = String(y);
    to = String(Math.min(2024, y + 1 + (k % 12)));
  } else {
    const m = (k * 11) % 72; // months from 2018-01
    const month = (n: number) => `${2018 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
    from = month(m);
    to = month(Math.min(78, m + 1 + (k % 18)));
  }
  return `/api/v1/statistics/series?jurisdiction=${jurisdiction}&metric=${metric}&from=${from}&to=${to}${k % 3 === 0 ? "&per=100k" : ""}`;
}

export async function benchStatistics(engine: Engine) {
  const env = await engineDatabase(engine, "statistics");
  if (!env) return NO_POSTGRES;
  const { requests } = STATISTICS;
  log(`${engine}: statistics: loading the registry and the crime files`);
  const server = await startServer(
    { ...env, BENCH_STATISTICS: "1", BENCH_DOCUMENTS: "0", BENCH_EXTRA_MATTERS: "1" },
    30 * 60_000,
  );
  try {
    const res = await fetch(`${server.base}/api/v1/statistics/matches?status=matched`, {
      headers: { authorization: server.authorization },
    });
    if (!res.ok) throw new Error(`GET matches: ${res.status} ${await res.text()}`);
    const matched = (await res.json()) as { items: { jurisdiction: { slug: string } }[] };
    const places = [...new Set(matched.items.map((m) => m.jurisdiction.slug))].sort();
    const n = requests + WARMUP;
    const paths: string[] = [];
    const seen = new Set<string>();
    for (let k = 0; paths.length < n && k < n * 20; k++) {
      const p = seriesPath(k, places);
      if (!seen.has(p)) {
        seen.add(p);
        paths.push(p);
      }
    }
    if (paths.length < n) throw new Error(`only ${paths.length} distinct series requests`);
    log(`${engine}: statistics: series, ${requests} distinct requests at 1 connection`);
    // The warm-up requests are other URLs, never timed nor asked again.
    const series = await timeRequests(server, paths.slice(WARMUP), requests, 1, paths.slice(0, WARMUP));
    log(`${engine}: statistics: series ${JSON.stringify(series)}`);
    const clean = series.non2xx + series.errors === 0;
    const importSeconds = server.statistics?.seconds ?? null;
    return {
      dataset: {
        registry: "data/bundle/registry.json",
        import: server.statistics,
        matchedPlaces: places.length,
      },
      settings: {
        requests,
        connections: 1,
        distinctUrls: new Set(paths).size === paths.length,
        importNote:
          "import.seconds is wall time from the file's text to the commit; import.cpuSeconds is the server process's CPU time over it (PGlite runs in that process), the fairer figure on a shared machine",
        note: "every series request a distinct URL (place or pair of places × metric × from/to as years or months × per=100k or not): none is a cached answer; latency from send to last byte, after 10 untimed warm-up requests of other URLs. The machine is shared with other workers: figures are rough.",
        examples: paths.slice(WARMUP, WARMUP + 3),
      },
      series,
      targets: {
        ...(engine === "pglite" ? { rtciImportUnder10s: importSeconds !== null && importSeconds < 10 } : {}),
        seriesP95Under50ms: series.p95 < 50 && clean,
      },
    };
  } finally {
    await killChild(server.child);
  }
}
