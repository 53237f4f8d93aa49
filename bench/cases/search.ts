/**
 * The search case: BENCH_SEARCH_PAGES pages of generated prose on the documents of
 * BENCH_SEARCH_MATTERS matters, twenty queries run BENCH_SEARCH_REPEAT times each through the
 * search statement and through the plain SQL beside it; then list reads while one user searches.
 */
import { killChild } from "../harness/cleanup.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { log, round } from "../harness/log.js";
import { startServer } from "../harness/start-server.js";
import { percentile, timeRequests } from "../harness/timing.js";

/** The corpus and the runs of each query, as the report gives them. */
export const SEARCH = {
  pages: Number(process.env.BENCH_SEARCH_PAGES ?? 200_000),
  matters: Number(process.env.BENCH_SEARCH_MATTERS ?? 1000),
  repeat: Number(process.env.BENCH_SEARCH_REPEAT ?? 5),
};

/**
 * The twenty queries of the search case: common words (on nearly every page), words of middling
 * and rare frequency, phrases quoted and not, prefixes, an exclusion, a made-up name on a dozen
 * pages and a word on none.
 */
const SEARCH_CASE_QUERIES = [
  "police",
  "officers department",
  "use of force",
  "review report",
  "training supervisors",
  '"use of force"',
  '"crisis intervention team"',
  '"body-worn cameras"',
  '"probable cause"',
  "youth",
  "protest",
  "canine",
  "hospital transport",
  "juvenile interpreter",
  "homeless encampment",
  "train*",
  "disc*",
  "police -canine",
  "kalomiren",
  "zebra",
];

/**
 * The search case: SEARCH.pages pages of generated prose (bench/load-search-corpus.ts) in a
 * database of their own; each of the twenty queries run SEARCH.repeat times, one at a time, through
 * the search statement (without the read cache) and through the plain ts_rank + ts_headline SQL,
 * each after one untimed run. Latency from send to last byte.
 */
export async function benchSearch(engine: Engine) {
  const env = await engineDatabase(engine, "search");
  if (!env) return NO_POSTGRES;
  log(`${engine}: search: loading ${SEARCH.matters} matters and a corpus of ${SEARCH.pages} pages`);
  const server = await startServer(
    {
      ...env,
      BENCH_MATTERS: String(SEARCH.matters),
      BENCH_EVENTS_PER_MATTER: "0",
      BENCH_EXTRA_MATTERS: "1",
      BENCH_SEARCH_PAGES: String(SEARCH.pages),
      BENCH_PAGES_PER_DOCUMENT: "20",
    },
    30 * 60_000,
  );
  try {
    log(`${engine}: search: loaded ${JSON.stringify(server.documents)}`);
    const time = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(server.base + path, { signal: AbortSignal.timeout(120_000) });
      const body = (await res.json()) as { total: number; capped?: boolean; items: unknown[] };
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t0, body };
    };
    const measure = async (route: string) => {
      const all: number[] = [];
      const queries = [];
      for (const text of SEARCH_CASE_QUERIES) {
        const path = `${route}?q=${encodeURIComponent(text)}&limit=20`;
        const first = await time(path);
        const times: number[] = [];
        for (let i = 0; i < SEARCH.repeat; i++) times.push((await time(path)).ms);
        times.sort((a, b) => a - b);
        all.push(...times);
        queries.push({
          q: text,
          total: first.body.total,
          ...(first.body.capped === undefined ? {} : { capped: first.body.capped }),
          shown: first.body.items.length,
          p50: percentile(times, 0.5),
          max: round(times.at(-1) ?? 0),
        });
      }
      all.sort((a, b) => a - b);
      return {
        requests: all.length,
        p50: percentile(all, 0.5),
        p95: percentile(all, 0.95),
        max: percentile(all, 1),
        queries,
      };
    };
    log(`${engine}: search: ${SEARCH_CASE_QUERIES.length} queries × ${SEARCH.repeat}, the search statement`);
    const search = await measure("/bench/search");
    log(`${engine}: search: p50 ${search.p50} ms, p95 ${search.p95} ms; now the plain SQL`);
    const plain = await measure("/bench/search-plain");
    log(`${engine}: search: plain SQL p50 ${plain.p50} ms, p95 ${plain.p95} ms`);
    // PGlite runs one query at a time: list reads (each another page, so none is cached) while
    // one user searches without pause, beside the same reads with nobody searching.
    const listPaths = Array.from(
      { length: 200 },
      (_, i) => `/api/v1/matters?limit=20&offset=${i * 5}&sort=-openedOn`,
    );
    const listIdle = await timeRequests(server, listPaths.slice(0, 100), 100, 1);
    let searching = true;
    const searcher = (async () => {
      for (let i = 0; searching; i++) {
        const q = encodeURIComponent(SEARCH_CASE_QUERIES[i % SEARCH_CASE_QUERIES.length]!);
        await (await fetch(`${server.base}/bench/search?q=${q}&limit=20`)).arrayBuffer();
      }
    })();
    const listDuringSearch = await timeRequests(server, listPaths.slice(100), 100, 1);
    searching = false;
    await searcher;
    log(`${engine}: search: list p95 ${listIdle.p95} ms idle, ${listDuringSearch.p95} ms while searching`);
    const target = engine === "postgres" ? 100 : 200;
    return {
      corpus: server.documents,
      settings: {
        queries: SEARCH_CASE_QUERIES.length,
        repeat: SEARCH.repeat,
        limit: 20,
        note: "one request at a time, latency from send to last byte, after one untimed run of each query; /bench/search is GET /api/v1/search's statement without the read cache",
      },
      search,
      plainSql: plain,
      listWhileSearching: { idle: listIdle, duringSearch: listDuringSearch },
      targets: {
        [`searchP95Under${target}ms`]: search.p95 < target,
        searchP95BelowPlainSql: search.p95 < plain.p95,
      },
    };
  } finally {
    await killChild(server.child);
  }
}
