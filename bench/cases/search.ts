/**
 * The search case: BENCH_SEARCH_PAGES pages of generated prose on the documents of
 * BENCH_SEARCH_MATTERS matters, twenty queries run BENCH_SEARCH_REPEAT times each through the
 * search statement and through the plain SQL beside it; then list reads while one user searches.
 */
import { loadavg } from "node:os";
import { CONTENT_WORDS, STOCK_PHRASES } from "../generate/documents.js";
import { killChild } from "../harness/cleanup.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { figures, load } from "../harness/load.js";
import { log, round } from "../harness/log.js";
import { type Server, startServer } from "../harness/start-server.js";
import { percentile, timeRequests } from "../harness/timing.js";
import { rssOf } from "./start.js";

/** The corpus and the runs of each query, as the report gives them. */
export const SEARCH = {
  pages: Number(process.env.BENCH_SEARCH_PAGES ?? 200_000),
  matters: Number(process.env.BENCH_SEARCH_MATTERS ?? 1000),
  repeat: Number(process.env.BENCH_SEARCH_REPEAT ?? 5),
  /** The load phase: searches at once, its length in seconds and its most requests. */
  loadConnections: Number(process.env.BENCH_SEARCH_LOAD_CONNECTIONS ?? 50),
  loadSeconds: Number(process.env.BENCH_SEARCH_LOAD_SECONDS ?? 20),
  loadRequests: Number(process.env.BENCH_SEARCH_LOAD_REQUESTS ?? 5000),
  /** A request of the load phase not answered within this is a timeout (seconds). */
  loadTimeout: Number(process.env.BENCH_SEARCH_LOAD_TIMEOUT ?? 10),
  /** Whether to time the plain SQL beside the statement (minutes at 200,000 pages: it ranks every match). */
  plain: process.env.BENCH_SEARCH_PLAIN !== "0",
  /** Seconds at rest before the server's resident memory is read (after the load, after the searches). */
  restSeconds: Number(process.env.BENCH_SEARCH_REST_SECONDS ?? 10),
};

const MB = 1024 * 1024;

/**
 * The server process's resident memory at rest (as bench/cases/start.ts reads it, from /proc):
 * sampled every 100 ms for `seconds`, the median of the last half (steady) and the most.
 */
async function restingRss(pid: number, seconds: number) {
  const samples: number[] = [];
  for (const until = performance.now() + seconds * 1000; performance.now() < until; ) {
    samples.push(rssOf(pid));
    await new Promise((r) => setTimeout(r, 100));
  }
  const last = samples.slice(Math.floor(samples.length / 2)).sort((a, b) => a - b);
  return {
    steadyMb: round((last[Math.floor(last.length / 2)] ?? 0) / MB),
    maxMb: round(Math.max(...samples) / MB),
  };
}

/**
 * The twenty queries of the search case: common words (on nearly every page), words of middling
 * and rare frequency, phrases quoted and not, prefixes, an exclusion, a made-up name on a dozen
 * pages and a word on none.
 */
export const SEARCH_CASE_QUERIES = [
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
 * Distinct searches of the load phase, every one a text of its own (so none is answered from the
 * read cache), in the shapes people type, cycling through them: one word, two words, a quoted
 * stock phrase and a word, a prefix and a word, a word without another. The words are the
 * corpus's own, common and rare alike (many shapes match most pages: broad searches included).
 */
export function distinctSearches(count: number): string[] {
  const words = CONTENT_WORDS.filter((w) => /^[a-z]+$/.test(w));
  const shapes = [
    (a: string, _b: string) => a,
    (a: string, b: string) => `${a} ${b}`,
    (_a: string, b: string, k: number) => `"${STOCK_PHRASES[k % STOCK_PHRASES.length]}" ${b}`,
    (a: string, b: string) => `${a.slice(0, Math.max(3, a.length - 3))}* ${b}`,
    (a: string, b: string) => `${a} -${b}`,
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (let k = 0; out.length < count && k < words.length ** 2 * shapes.length; k++) {
    const pair = Math.floor(k / shapes.length);
    const a = words[pair % words.length]!;
    const b = words[(Math.floor(pair / words.length) + pair) % words.length]!;
    if (a === b) continue;
    const text = shapes[k % shapes.length]!(a, b, pair);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}

/** The machine's load average (1, 5, 15 minutes) now: the machine may be shared. */
const loadAverage = () => loadavg().map((n) => round(n, 2));

/**
 * The load phase: SEARCH.loadConnections clients each sending distinct searches to
 * GET /api/v1/search (the route itself: its queue and time limit included) one after the other,
 * for SEARCH.loadSeconds or SEARCH.loadRequests requests, whichever comes first; meanwhile a
 * second client reads a cached answer and /healthz in turn, one at a time, to see whether the
 * server stays responsive. Answers are counted by status: 503 is the queue shedding load or the
 * time limit (its Retry-After kept), a request with no answer within SEARCH.loadTimeout s a
 * timeout.
 */
async function searchLoad(server: Server) {
  const texts = distinctSearches(SEARCH.loadRequests + 100);
  const headers = { authorization: server.authorization };
  const get = (path: string, timeoutS: number) =>
    fetch(server.base + path, { headers, signal: AbortSignal.timeout(timeoutS * 1000) });
  // The cached read of the probe, answered once before so that it is cached.
  const cachedPath = "/api/v1/matters?limit=20&sort=-openedOn";
  await (await get(cachedPath, 60)).arrayBuffer();
  const times: number[] = [];
  const ok: number[] = [];
  const counts = { ok: 0, unavailable503: 0, otherNon2xx: 0, errors: 0, timeouts: 0 };
  const codes: Record<string, number> = {};
  const retryAfter = new Set<string>();
  let next = 0;
  const t0 = performance.now();
  const until = t0 + SEARCH.loadSeconds * 1000;
  const client = async () => {
    for (let i = next++; i < SEARCH.loadRequests && performance.now() < until; i = next++) {
      const path = `/api/v1/search?q=${encodeURIComponent(texts[i]!)}&limit=20`;
      const s = performance.now();
      try {
        const res = await get(path, SEARCH.loadTimeout);
        const body = await res.text();
        const ms = performance.now() - s;
        times.push(ms);
        if (res.ok) {
          counts.ok++;
          ok.push(ms);
        } else {
          const code = (JSON.parse(body) as { code?: string }).code ?? String(res.status);
          codes[code] = (codes[code] ?? 0) + 1;
          if (res.status === 503) {
            counts.unavailable503++;
            retryAfter.add(res.headers.get("retry-after") ?? "none");
          } else counts.otherNon2xx++;
        }
      } catch (e) {
        times.push(performance.now() - s);
        if ((e as Error).name === "TimeoutError") counts.timeouts++;
        else counts.errors++;
      }
    }
  };
  // The second client: a cached read, then /healthz, in turn, until the load ends.
  const probes = { cached: [] as number[], healthz: [] as number[], failed: 0 };
  let loading = true;
  const prober = (async () => {
    for (let k = 0; loading; k++) {
      const which = k % 2 === 0 ? "cached" : "healthz";
      const s = performance.now();
      try {
        const res = await get(which === "cached" ? cachedPath : "/healthz", SEARCH.loadTimeout);
        await res.arrayBuffer();
        if (!res.ok) probes.failed++;
      } catch {
        probes.failed++;
      }
      probes[which].push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const loadBefore = loadAverage();
  await Promise.all(Array.from({ length: SEARCH.loadConnections }, client));
  const seconds = (performance.now() - t0) / 1000;
  loading = false;
  await prober;
  const gate = await (await fetch(`${server.base}/bench/search-gate`)).json();
  const spread = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return {
      requests: sorted.length,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      max: percentile(sorted, 1),
    };
  };
  return {
    connections: SEARCH.loadConnections,
    seconds: round(seconds),
    distinctQueries: new Set(texts.slice(0, times.length)).size,
    rps: round(times.length / seconds),
    okRps: round(counts.ok / seconds),
    all: spread(times),
    answered200: spread(ok),
    ...counts,
    ...(Object.keys(codes).length ? { codes } : {}),
    ...(retryAfter.size ? { retryAfter: [...retryAfter] } : {}),
    secondClient: {
      note: "one request at a time, 50 ms apart, while the searches run: a cached read (token remembered, answer cached) and /healthz (select 1), in turn",
      cachedRead: spread(probes.cached),
      healthz: spread(probes.healthz),
      failed: probes.failed,
    },
    gate,
    loadAverage: { before: loadBefore, after: loadAverage() },
  };
}

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
    const pid = server.child.pid!;
    const memoryAfterLoad = await restingRss(pid, SEARCH.restSeconds);
    log(`${engine}: search: server RSS at rest after the load ${JSON.stringify(memoryAfterLoad)} MB`);
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
    const plain = SEARCH.plain ? await measure("/bench/search-plain") : null;
    if (plain) log(`${engine}: search: plain SQL p50 ${plain.p50} ms, p95 ${plain.p95} ms`);
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
    // The floor of this run: select 1 through the server, 50 connections, 5 s.
    const floor = figures(await load(server, ["/bench/select1"], 5));
    log(`${engine}: search: select 1 floor ${floor.rps} rps, p99 ${floor.p99} ms`);
    log(
      `${engine}: search: load: ${SEARCH.loadConnections} clients of distinct searches for ${SEARCH.loadSeconds} s (load average ${loadAverage().join(" ")})`,
    );
    let peakRss = rssOf(pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssOf(pid));
    }, 100);
    const underLoad = await searchLoad(server).finally(() => clearInterval(sampler));
    const memoryAfterSearches = await restingRss(pid, SEARCH.restSeconds);
    const breakdownAfterSearches = await (await fetch(`${server.base}/bench/memory`)).json();
    // The same data served by a server started on it (as after a restart): what a server holds
    // with this corpus, without what loading it took (the generator's strings, the index build's
    // memory on PGlite, which WebAssembly never gives back). Then the load phase again on it.
    await killChild(server.child);
    const again = await startServer({ ...env, BENCH_REUSE: "1", BENCH_EXTRA_MATTERS: "1" }, 5 * 60_000);
    let restarted: Record<string, unknown>;
    try {
      const againPid = again.child.pid!;
      const atRest = await restingRss(againPid, SEARCH.restSeconds);
      let againPeak = rssOf(againPid);
      const againSampler = setInterval(() => {
        againPeak = Math.max(againPeak, rssOf(againPid));
      }, 100);
      const againLoad = await searchLoad(again).finally(() => clearInterval(againSampler));
      restarted = {
        atRest,
        peakDuringLoadPhaseMb: round(againPeak / MB),
        afterSearches: await restingRss(againPid, SEARCH.restSeconds),
        breakdownAfterSearches: await (await fetch(`${again.base}/bench/memory`)).json(),
        underLoad: {
          rps: againLoad.rps,
          all: againLoad.all,
          unavailable503: againLoad.unavailable503,
          errors: againLoad.errors,
          timeouts: againLoad.timeouts,
        },
      };
    } finally {
      await killChild(again.child);
    }
    const memory = {
      note: `the server process's resident memory (VmRSS, /proc), sampled every 100 ms: steady is the median of the last half of ${SEARCH.restSeconds} s at rest; on PGlite the database works in this process. restarted: a server started again on the loaded data (BENCH_REUSE=1), at rest, then through a second load phase`,
      afterLoad: memoryAfterLoad,
      peakDuringLoadPhaseMb: round(peakRss / MB),
      afterSearches: memoryAfterSearches,
      breakdownAfterSearches,
      restarted,
    };
    log(`${engine}: search: server RSS ${JSON.stringify(memory)}`);
    log(
      `${engine}: search: load: ${underLoad.rps} rps, p50 ${underLoad.all.p50} ms, p99 ${underLoad.all.p99} ms, ${underLoad.unavailable503} × 503, ${underLoad.timeouts} timeouts, ${underLoad.errors} errors; cached read p99 ${underLoad.secondClient.cachedRead.p99} ms, healthz p99 ${underLoad.secondClient.healthz.p99} ms`,
    );
    const target = engine === "postgres" ? 100 : 200;
    const loadTarget = engine === "postgres" ? 500 : 1500;
    return {
      corpus: server.documents,
      settings: {
        queries: SEARCH_CASE_QUERIES.length,
        repeat: SEARCH.repeat,
        limit: 20,
        note: "one request at a time, latency from send to last byte, after one untimed run of each query; /bench/search is GET /api/v1/search's statement without the read cache",
      },
      search,
      plainSql: plain ?? { skipped: "BENCH_SEARCH_PLAIN=0" },
      listWhileSearching: { idle: listIdle, duringSearch: listDuringSearch },
      floorSelect1: floor,
      underLoad,
      memory,
      targets: {
        [`searchP95Under${target}ms`]: search.p95 < target,
        ...(plain ? { searchP95BelowPlainSql: search.p95 < plain.p95 } : {}),
        [`underLoadP99Under${loadTarget}ms`]: underLoad.all.p99 <= loadTarget,
        underLoadNoErrorNoTimeout:
          underLoad.errors === 0 && underLoad.timeouts === 0 && underLoad.otherNon2xx === 0,
        underLoadNo503: underLoad.unavailable503 === 0,
        ...(engine === "pglite"
          ? {
              steadyAfterSearchesUnder450Mb:
                (memory.restarted.afterSearches as { steadyMb: number }).steadyMb <= 450,
            }
          : {}),
      },
    };
  } finally {
    await killChild(server.child);
  }
}
