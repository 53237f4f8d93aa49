/**
 * `npm run bench`: loads a synthetic registry (bench/generate.ts) into PGlite and into PostgreSQL,
 * serves it from a child process (bench/server.ts) and loads it with autocannon from this one,
 * on 127.0.0.1 only. Prints one JSON document on stdout (progress goes to stderr) and writes it
 * to bench/results/latest.json (latest-<cases>.json when BENCH_CASES names only some cases).
 *
 * Environment: BENCH_DURATION (seconds per endpoint, default 10), BENCH_MATTERS (default 10000),
 * BENCH_IMPORT_BATCH (matters per import of the initial load; default 0: one import),
 * BENCH_IMPORT_LIMIT (seconds the reads-during-import phase waits for its import, default 60),
 * BENCH_ENGINES (default "pglite,postgres"), BENCH_DOCUMENTS and BENCH_PAGES_PER_DOCUMENT (generated
 * pages for the search measurement, default 250 × 20), TEST_DATABASE_URL (set by scripts/with-postgres.sh;
 * PostgreSQL is skipped without it).
 *
 * BENCH_CASES (default "registry,compliance,parse,search,extract") picks what is measured (parse: bench/cases/parse.ts;
 * search: see benchSearch below, BENCH_SEARCH_PAGES, BENCH_SEARCH_MATTERS, BENCH_SEARCH_REPEAT). The compliance case loads
 * BENCH_COMPLIANCE_MATTERS decrees (default 100) × BENCH_COMPLIANCE_PROVISIONS provisions (1000)
 * × BENCH_COMPLIANCE_PERIODS periods (20) of ratings into a database of its own and times the
 * per-decree dashboard and the all-decrees roll-up (BENCH_COMPLIANCE_REQUESTS requests each,
 * default 200, over BENCH_COMPLIANCE_CONNECTIONS connections, default 1).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon, { type Request as AcRequest, type Result } from "autocannon";
import pg from "pg";
import { benchExtract } from "./cases/extract.js";
import { benchParse } from "./cases/parse.js";
import { CONTENT_WORDS, generateBundle, prng, STOCK_PHRASES } from "./generate.js";

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(benchDir);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const MATTERS = Number(process.env.BENCH_MATTERS ?? 10_000);
const EVENTS_PER_MATTER = 10;
const EXTRA_MATTERS = Math.max(1, Math.round(MATTERS / 5));
const SEED = 1;
const CONNECTIONS = 50;
/** Matters per importBundle call of the initial load (0: one import of everything). */
const IMPORT_BATCH = Number(process.env.BENCH_IMPORT_BATCH ?? 0);
/** How long the reads-during-import phase waits for the import before giving up. */
const IMPORT_LIMIT_SECONDS = Number(process.env.BENCH_IMPORT_LIMIT ?? 60);
const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",").map((s) => s.trim());
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 250);
const PAGES_PER_DOCUMENT = Number(process.env.BENCH_PAGES_PER_DOCUMENT ?? 20);
const CASES = (process.env.BENCH_CASES ?? "registry,compliance,parse,search,extract")
  .split(",")
  .map((s) => s.trim());
const SEARCH = {
  pages: Number(process.env.BENCH_SEARCH_PAGES ?? 200_000),
  matters: Number(process.env.BENCH_SEARCH_MATTERS ?? 1000),
  repeat: Number(process.env.BENCH_SEARCH_REPEAT ?? 5),
};
const COMPLIANCE = {
  matters: Number(process.env.BENCH_COMPLIANCE_MATTERS ?? 100),
  provisions: Number(process.env.BENCH_COMPLIANCE_PROVISIONS ?? 1000),
  periods: Number(process.env.BENCH_COMPLIANCE_PERIODS ?? 20),
  requests: Number(process.env.BENCH_COMPLIANCE_REQUESTS ?? 200),
  connections: Number(process.env.BENCH_COMPLIANCE_CONNECTIONS ?? 1),
};

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// ------------------------------------------------------------------ cleanup, also on Ctrl-C

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const cleanups = new Set<() => Promise<void>>();

function killChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      children.delete(child);
      resolve();
      return;
    }
    const hard = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(hard);
      children.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function cleanupAll() {
  await Promise.all([...children].map(killChild));
  for (const c of [...cleanups]) {
    await c().catch((e) => log(`cleanup failed: ${String(e)}`));
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping servers and removing temporary files`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

// ------------------------------------------------------------------ the server child

interface Server {
  child: ChildProcess;
  base: string;
  imported: { importSeconds: number; batches: number; slowestBatchSeconds?: number };
  documents: { documents: number; pages: number; seconds: number; indexSeconds?: number } | null;
  compliance: import("./load-compliance.js").ComplianceLoad | null;
}

function startServer(env: Record<string, string>, timeoutMs: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@accord/source", join(benchDir, "server.ts")],
    {
      cwd: rootDir,
      env: {
        ...process.env,
        BENCH_MATTERS: String(MATTERS),
        BENCH_EVENTS_PER_MATTER: String(EVENTS_PER_MATTER),
        BENCH_EXTRA_MATTERS: String(EXTRA_MATTERS),
        BENCH_SEED: String(SEED),
        BENCH_IMPORT_BATCH: String(IMPORT_BATCH),
        BENCH_DOCUMENTS: String(DOCUMENTS),
        BENCH_PAGES_PER_DOCUMENT: String(PAGES_PER_DOCUMENT),
        // The case's own settings win.
        ...env,
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  children.add(child);
  return new Promise((resolve, reject) => {
    let imported: Server["imported"] | null = null;
    let documents: Server["documents"] = null;
    let compliance: Server["compliance"] = null;
    const timer = setTimeout(() => reject(new Error(`server not ready after ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})`));
    });
    child.once("error", reject);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("IMPORTED ")) imported = JSON.parse(line.slice(9));
      if (line.startsWith("DOCUMENTS ")) documents = JSON.parse(line.slice(10));
      if (line.startsWith("COMPLIANCE ")) compliance = JSON.parse(line.slice(11));
      if (line.startsWith("TOKEN ")) authorization = `Bearer ${line.slice(6)}`;
      const m = /^READY (\d+)$/.exec(line);
      if (m && imported) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${m[1]}`, imported, documents, compliance });
      }
    });
  });
}

// ------------------------------------------------------------------ load

interface Figures {
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const figures = (r: Result): Figures => ({
  rps: round(r.requests.average),
  p50: r.latency.p50,
  p97_5: r.latency.p97_5,
  p99: r.latency.p99,
  max: r.latency.max,
  requests: r.totalCompletedRequests ?? Math.round(r.requests.average * r.duration),
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

/** Requests that cycle through `paths`, one after the other over all connections. */
function cycling(paths: readonly string[]) {
  let i = 0;
  return [
    {
      method: "GET",
      setupRequest: (req: AcRequest) => ({ ...req, path: paths[i++ % paths.length]! }),
    },
  ];
}

/** The API token of the viewer the bench server creates (every API route needs a signed-in caller). */
let authorization = "";

function load(base: string, paths: readonly string[], duration: number, timeout = 10) {
  return autocannon({
    url: base,
    // The floors (bare, select 1) are outside the API and measured without credentials.
    headers: paths.every((p) => p.startsWith("/api/")) ? { authorization } : {},
    connections: CONNECTIONS,
    duration,
    timeout,
    requests: cycling(paths),
  });
}

// ------------------------------------------------------------------ what is measured

/** What the parent needs of the dataset; the bundle itself is not kept, so that this process
 * (the load generator) does not carry a large heap through the measurements. */
const dataset = (() => {
  const b = generateBundle({ matters: MATTERS, eventsPerMatter: EVENTS_PER_MATTER, seed: SEED });
  return {
    jurisdictions: b.jurisdictions.length,
    agencies: b.agencies.length,
    matters: b.matters.length,
    events: b.events.length,
    states: new Set(b.jurisdictions.map((j) => j.stateCode)).size,
    pageSlugs: Array.from(
      { length: 300 },
      (_, k) => b.matters[Math.floor((k * b.matters.length) / 300)]!.slug,
    ),
  };
})();

/** Filtered and searched list queries: a town name with "police", two kinds, three states. */
const LIST_TOWNS = ["springfield", "riverton", "oakdale", "fairview", "greenville"];
const STATE_SETS = ["MD,IL,CA", "TX,NY,FL", "PA,OH,GA", "WA,AZ,LA"];
const LIST_PATHS = LIST_TOWNS.flatMap((town) =>
  STATE_SETS.map(
    (states) =>
      `/api/v1/matters?q=${town}%20police&kind=consent_decree,pattern_or_practice_investigation&state=${states}&sort=-openedOn&limit=50`,
  ),
);
/** A broad search: many matches, so the page is full and the total needs a count. */
const BROAD_PATHS = STATE_SETS.map(
  (states) => `/api/v1/matters?q=police&state=${states}&sort=-openedOn&limit=50`,
);
/**
 * Searches over matters and the generated document pages: every path a different query (one
 * word, two words, a quoted phrase and a word, a prefix, a word without another), so that the
 * read cache does not answer them and each request runs the search.
 */
const SEARCH_PATHS = (() => {
  const r = prng(SEED + 7);
  const words = CONTENT_WORDS;
  const at = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
  const seen = new Set<string>();
  for (let tries = 0; seen.size < 6000 && tries < 100_000; tries++) {
    const [a, b] = [at(words), at(words)];
    if (a === b) continue;
    const forms = [a, `${a} ${b}`, `"${at(STOCK_PHRASES)}" ${b}`, `${a.slice(0, 4)}* ${b}`, `${a} -${b}`];
    seen.add(at(forms));
  }
  return [...seen].map((q) => `/api/v1/search?q=${encodeURIComponent(q)}&limit=20`);
})();
/** The same few searches again and again: what the read cache makes of popular queries. */
const SEARCH_REPEATED_PATHS = SEARCH_PATHS.slice(0, 20);
/** Searches whose totals the report gives (not among the measured ones, so nothing is cached). */
const SEARCH_SAMPLE_PATHS = [
  "police",
  "use of force",
  '"use of force"',
  "canine",
  "interpreter -jail",
  "train*",
  "zebra",
].map((q) => `/api/v1/search?q=${encodeURIComponent(q)}&limit=1`);

/** Matter pages over a few hundred slugs spread through the dataset. */
const MATTER_PATHS = dataset.pageSlugs.map((slug) => `/api/v1/matters/${slug}`);

/**
 * Requests still queued in the server when autocannon stops are served anyway (nothing cancels
 * their queries): waits until a `select 1` gets through, so that the next measurement starts on
 * an idle server, and returns how long that took.
 */
async function drain(base: string): Promise<number> {
  const t0 = performance.now();
  await (await fetch(`${base}/bench/select1`, { signal: AbortSignal.timeout(120_000) })).arrayBuffer();
  await new Promise((r) => setTimeout(r, 250));
  return Math.round(performance.now() - t0 - 250);
}

async function totalsOf(base: string, paths: readonly string[]) {
  const totals: number[] = [];
  for (const p of paths) {
    const res = await fetch(base + p, { headers: { authorization } });
    if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
    totals.push(((await res.json()) as { total: number }).total);
  }
  totals.sort((a, b) => a - b);
  return { min: totals[0]!, median: totals[Math.floor(totals.length / 2)]!, max: totals.at(-1)! };
}

/**
 * A fresh database for one case on the engine, removed at the end: a PGlite directory, or a
 * database of its own on the PostgreSQL server (null without TEST_DATABASE_URL).
 */
async function engineDatabase(
  engine: "pglite" | "postgres",
  tag: string,
): Promise<Record<string, string> | null> {
  if (engine === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "accord-bench-"));
    tempDirs.add(dir);
    return { BENCH_PGLITE_DIR: join(dir, "db") };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const name = `accord_bench_${tag}_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
    cleanups.delete(drop);
  };
  cleanups.add(drop);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { BENCH_DATABASE_URL: target.toString() };
}

const NO_POSTGRES = {
  skipped: "TEST_DATABASE_URL is not set (npm run bench sets it via scripts/with-postgres.sh)",
};

async function benchEngine(engine: "pglite" | "postgres") {
  const env = await engineDatabase(engine, "registry");
  if (!env) return NO_POSTGRES;

  log(`${engine}: starting the server and importing ${MATTERS} matters × ${EVENTS_PER_MATTER} events`);
  const server = await startServer(env, 5 * 60_000);
  try {
    log(`${engine}: import took ${server.imported.importSeconds} s; server at ${server.base}`);
    const listMatches = await totalsOf(server.base, LIST_PATHS);
    const broadMatches = await totalsOf(server.base, BROAD_PATHS);
    const searchMatches: Record<string, number> = {};
    for (const p of SEARCH_SAMPLE_PATHS) {
      const q = new URL(p, server.base).searchParams.get("q")!;
      searchMatches[q] = (await totalsOf(server.base, [p])).min;
    }
    for (const p of MATTER_PATHS.slice(0, 20)) {
      await (await fetch(server.base + p, { headers: { authorization } })).arrayBuffer();
    }

    const endpoints: Record<string, Figures & { backlogMs: number }> = {};
    const runs: [string, readonly string[]][] = [
      ["bare", ["/bench/bare"]],
      ["select1", ["/bench/select1"]],
      ["list", LIST_PATHS],
      ["listBroad", BROAD_PATHS],
      ["matter", MATTER_PATHS],
      ["search", SEARCH_PATHS],
      ["searchRepeated", SEARCH_REPEATED_PATHS],
    ];
    for (const [name, paths] of runs) {
      log(`${engine}: ${name} for ${DURATION} s at ${CONNECTIONS} connections`);
      endpoints[name] = {
        ...figures(await load(server.base, paths, DURATION)),
        backlogMs: await drain(server.base),
      };
      log(`${engine}: ${name} ${JSON.stringify(endpoints[name])}`);
    }
    const { select1, list } = endpoints as Record<"select1" | "list", Figures>;

    // Reads while a second import runs in the same server: the readers start first, the import
    // is posted once they are going, and they stop when it has returned (or after the limit).
    log(
      `${engine}: list reads while importing ${EXTRA_MATTERS} more matters (limit ${IMPORT_LIMIT_SECONDS} s)`,
    );
    const instance = load(server.base, LIST_PATHS, IMPORT_LIMIT_SECONDS + 60, IMPORT_LIMIT_SECONDS + 30);
    // The longest time without any read completing: how long the import kept readers waiting.
    let lastResponse = performance.now();
    let longestStall = 0;
    instance.on("response", () => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - lastResponse);
      lastResponse = now;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = performance.now();
    let second: { importSeconds: number } | null = null;
    try {
      const res = await fetch(`${server.base}/bench/import`, {
        method: "POST",
        signal: AbortSignal.timeout(IMPORT_LIMIT_SECONDS * 1000),
      });
      if (!res.ok) throw new Error(`POST /bench/import: ${res.status} ${await res.text()}`);
      second = (await res.json()) as { importSeconds: number };
    } catch (e) {
      if (!(e instanceof Error && e.name === "TimeoutError")) throw e;
      log(`${engine}: the import did not finish within ${IMPORT_LIMIT_SECONDS} s; stopping`);
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    longestStall = Math.max(longestStall, performance.now() - lastResponse);
    instance.stop();
    // After an unfinished import the server is killed, not drained.
    const during = { ...figures(await instance), backlogMs: second ? await drain(server.base) : null };
    log(`${engine}: reads during import ${JSON.stringify(during)}`);

    return {
      importSeconds: server.imported.importSeconds,
      importBatches: server.imported.batches,
      importSlowestBatchSeconds: server.imported.slowestBatchSeconds ?? server.imported.importSeconds,
      listMatches,
      listBroadMatches: broadMatches,
      documents: server.documents,
      searchMatches,
      endpoints,
      targets: {
        listRpsAtLeastHalfSelect1: list.rps >= select1.rps / 2,
        listP99AtMostTwiceSelect1: list.p99 <= select1.p99 * 2,
        listRpsRatio: round(list.rps / select1.rps, 2),
        listP99Ratio: round(list.p99 / Math.max(select1.p99, 1), 2),
        /** RELIABILITY.md P10: reads p99 ≤ 500 ms with no 5xx; p99 ≤ 1 s while an import runs. */
        p10ReadsP99Under500ms: ["list", "listBroad", "matter"].every(
          (n) => endpoints[n]!.p99 <= 500 && endpoints[n]!.non2xx === 0 && endpoints[n]!.errors === 0,
        ),
        /** The same bound for searches, each one a different query (none answered from the cache). */
        p10SearchP99Under500ms:
          endpoints.search!.p99 <= 500 && endpoints.search!.non2xx === 0 && endpoints.search!.errors === 0,
        p10ReadsDuringImportP99Under1s:
          second !== null && during.p99 <= 1000 && during.errors === 0 && longestStall <= 1000,
      },
      readsDuringImport: {
        importMatters: EXTRA_MATTERS,
        importEvents: EXTRA_MATTERS * EVENTS_PER_MATTER,
        importFinished: second !== null,
        importSeconds: second ? second.importSeconds : null,
        importWallSeconds: round(wallSeconds, 3),
        longestStallMs: Math.round(longestStall),
        note: `list reads at ${CONNECTIONS} connections from 1 s before one import of this size until up to 1 s after it returned (at most ${IMPORT_LIMIT_SECONDS} s); reads still waiting when the load stops are not in the percentiles, longestStallMs counts them`,
        ...during,
      },
    };
  } finally {
    await killChild(server.child);
  }
}

// ------------------------------------------------------------------ compliance

interface Latencies {
  requests: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * `requests` GETs cycling through `paths` over `connections` connections, each timed from send to
 * the last byte (autocannon reports no 95th percentile); a few first requests warm up, untimed.
 */
async function timeRequests(base: string, paths: readonly string[], requests: number, connections: number) {
  const get = async (path: string) => {
    const res = await fetch(base + path, {
      headers: { authorization },
      signal: AbortSignal.timeout(120_000),
    });
    const body = await res.arrayBuffer();
    return { ok: res.ok, bytes: body.byteLength };
  };
  for (const p of paths.slice(0, Math.min(10, requests))) await get(p);
  const times: number[] = [];
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  let bytes = 0;
  const worker = async () => {
    for (let i = next++; i < requests; i = next++) {
      const t0 = performance.now();
      try {
        const res = await get(paths[i % paths.length]!);
        if (!res.ok) non2xx++;
        bytes = Math.max(bytes, res.bytes);
      } catch {
        errors++;
      }
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    round(times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))]!);
  const latencies: Latencies = {
    requests: times.length,
    mean: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: round(times.at(-1) ?? 0),
    non2xx,
    errors,
  };
  return { ...latencies, largestResponseBytes: bytes };
}

/**
 * The compliance case: 100 decrees × 1,000 provisions × 20 periods of ratings (2,000,000) with
 * their roll-ups, loaded by set-based SQL into a database of its own; then the per-decree
 * dashboard and the all-decrees roll-up, against the raw scans the roll-ups spare.
 */
async function benchCompliance(engine: "pglite" | "postgres") {
  const env = await engineDatabase(engine, "compliance");
  if (!env) return NO_POSTGRES;
  const { matters, provisions, periods, requests, connections } = COMPLIANCE;
  log(
    `${engine}: compliance: loading ${matters} decrees × ${provisions} provisions × ${periods} periods of ratings`,
  );
  const server = await startServer(
    {
      ...env,
      BENCH_MATTERS: String(matters),
      BENCH_EVENTS_PER_MATTER: "0",
      BENCH_EXTRA_MATTERS: "1",
      BENCH_DOCUMENTS: "0",
      BENCH_COMPLIANCE_MATTERS: String(matters),
      BENCH_COMPLIANCE_PROVISIONS: String(provisions),
      BENCH_COMPLIANCE_PERIODS: String(periods),
    },
    60 * 60_000,
  );
  try {
    log(`${engine}: compliance: loaded ${JSON.stringify(server.compliance)}`);
    const all = (await (
      await fetch(`${server.base}/api/v1/compliance`, { headers: { authorization } })
    ).json()) as {
      matters: { matter: { id: string; slug: string } }[];
    };
    const decrees = all.matters.map((m) => m.matter);
    if (!decrees.length) throw new Error("GET /api/v1/compliance lists no decree");
    log(`${engine}: compliance: per-decree dashboard, ${requests} requests at ${connections} connection(s)`);
    const matterDashboard = await timeRequests(
      server.base,
      decrees.map((d) => `/api/v1/matters/${d.slug}/compliance`),
      requests,
      connections,
    );
    log(`${engine}: compliance: dashboard ${JSON.stringify(matterDashboard)}`);
    const allDecrees = await timeRequests(server.base, ["/api/v1/compliance"], requests, connections);
    log(`${engine}: compliance: all decrees ${JSON.stringify(allDecrees)}`);
    const rawMatter = await timeRequests(
      server.base,
      decrees.map((d) => `/bench/compliance-raw/${d.id}`),
      Math.min(50, requests),
      1,
    );
    const rawAll = await timeRequests(server.base, ["/bench/compliance-raw-all"], Math.min(10, requests), 1);
    log(`${engine}: compliance: raw scans ${JSON.stringify({ rawMatter, rawAll })}`);
    return {
      dataset: server.compliance,
      settings: {
        requests,
        connections,
        note: "latency from send to last byte, after 10 untimed warm-up requests",
      },
      matterDashboard,
      allDecrees,
      rawScan: {
        /** One decree's counts per period, level, topic and section, counted from its ratings. */
        matterCounts: rawMatter,
        /** Every decree's latest period by topic and level, counted from the ratings. */
        allDecreesByTopic: rawAll,
      },
      targets: {
        matterDashboardP95Under50ms:
          matterDashboard.p95 < 50 && matterDashboard.non2xx + matterDashboard.errors === 0,
        allDecreesP95Under100ms: allDecrees.p95 < 100 && allDecrees.non2xx + allDecrees.errors === 0,
        allDecreesFasterThanRawScan: allDecrees.p95 < rawAll.p50,
      },
    };
  } finally {
    await killChild(server.child);
  }
}

// ------------------------------------------------------------------ search at scale

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

const percentile = (sorted: readonly number[], q: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0);

/**
 * The search case: SEARCH.pages pages of generated prose (bench/load-search-corpus.ts) in a
 * database of their own; each of the twenty queries run SEARCH.repeat times, one at a time, through
 * the search statement (without the read cache) and through the plain ts_rank + ts_headline SQL,
 * each after one untimed run. Latency from send to last byte.
 */
async function benchSearch(engine: "pglite" | "postgres") {
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
    const listIdle = await timeRequests(server.base, listPaths.slice(0, 100), 100, 1);
    let searching = true;
    const searcher = (async () => {
      for (let i = 0; searching; i++) {
        const q = encodeURIComponent(SEARCH_CASE_QUERIES[i % SEARCH_CASE_QUERIES.length]!);
        await (await fetch(`${server.base}/bench/search?q=${q}&limit=20`)).arrayBuffer();
      }
    })();
    const listDuringSearch = await timeRequests(server.base, listPaths.slice(100), 100, 1);
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

// ------------------------------------------------------------------ main

async function main() {
  const started = performance.now();
  const report = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    settings: {
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      host: "127.0.0.1",
      initialImportBatchMatters: IMPORT_BATCH,
      duringImportLimitSeconds: IMPORT_LIMIT_SECONDS,
    },
    searchCase: { pages: SEARCH.pages, matters: SEARCH.matters, repeat: SEARCH.repeat },
    dataset: {
      seed: SEED,
      jurisdictions: dataset.jurisdictions,
      agencies: dataset.agencies,
      matters: dataset.matters,
      events: dataset.events,
      states: dataset.states,
      eventsPerMatter: EVENTS_PER_MATTER,
      listQueries: LIST_PATHS.length,
      listQueryExample: LIST_PATHS[0],
      listBroadExample: BROAD_PATHS[0],
      matterSlugs: MATTER_PATHS.length,
      documents: DOCUMENTS,
      pagesPerDocument: PAGES_PER_DOCUMENT,
      searchQueries: SEARCH_PATHS.length,
      searchExample: SEARCH_PATHS[1],
    },
    engines: {} as Record<string, unknown>,
    parse: CASES.includes("parse") ? benchParse(rootDir) : null,
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
        result = await benchEngine(engine);
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
    if (CASES.includes("compliance")) {
      try {
        result.compliance = await benchCompliance(engine);
      } catch (e) {
        result.compliance = failed(`${engine} compliance`, e);
      }
    }
    report.engines[engine] = result;
  }
  report.totalSeconds = round((performance.now() - started) / 1000);
  const json = JSON.stringify(report, null, 2);
  mkdirSync(join(benchDir, "results"), { recursive: true });
  // A run of some cases only keeps the full run's file: latest-compliance.json, say.
  const all = ["registry", "compliance", "parse", "search", "extract"].every((c) => CASES.includes(c));
  writeFileSync(
    join(benchDir, "results", all ? "latest.json" : `latest-${CASES.join("-")}.json`),
    `${json}\n`,
  );
  process.stdout.write(`${json}\n`);
}

try {
  await main();
} catch (e) {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
