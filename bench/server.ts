/**
 * The server under test, run as a child process of bench/run.ts so that the load generator does
 * not share its event loop:
 *
 *   node --import tsx --conditions=@accord/source bench/server.ts
 *
 * Configured by environment: BENCH_DATABASE_URL (PostgreSQL) or BENCH_PGLITE_DIR (PGlite),
 * BENCH_MATTERS, BENCH_EVENTS_PER_MATTER, BENCH_SEED, BENCH_IMPORT_BATCH (matters per import of
 * the initial load, 0 for one import), BENCH_EXTRA_MATTERS (for POST /bench/import),
 * BENCH_DOCUMENTS and BENCH_PAGES_PER_DOCUMENT (generated pages for search; default 250 × 20),
 * BENCH_SEARCH_PAGES (instead of those documents, the large search corpus of that many pages,
 * bench/load-search-corpus.ts; default 0),
 * BENCH_COMPLIANCE_PROVISIONS (provisions per matter for the compliance case; default 0: none),
 * BENCH_COMPLIANCE_MATTERS and BENCH_COMPLIANCE_PERIODS (default 100 and 20), BENCH_AWARDS (grant
 * awards with a condition each, for the portfolio case; default 0), BENCH_STATISTICS=1 (the real
 * registry instead of a generated one, then the bundled crime files: `STATISTICS {json}` times the
 * Real-Time Crime Index import).
 * Opens and migrates the database, imports the generated bundle, loads the generated documents,
 * builds the app, adds the bench-only routes (/bench/search: the search without the read cache;
 * /bench/search-plain: the plain ts_rank + ts_headline SQL; /bench/cache: the read cache's hits and
 * misses; /bench/ratable: ratings the mixed case saves again), prints `TOKEN` (a viewer's),
 * `WRITER` (an admin's API token) and `READER` (an approver's user name and password, to sign in with), listens on 127.0.0.1 on a free port and prints
 * `DOCUMENTS {json}`, `COMPLIANCE {json}` (when loaded), `IMPORTED {json}` then `READY <port>` on stdout. Exits when stdin closes (the
 * parent went away) or on SIGTERM/SIGINT.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  parseCsv,
  parseSearchQuery,
  SearchQuerySchema,
  toTsQueryText,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { buildApp } from "../packages/server/src/app.js";
import { loadConfig } from "../packages/server/src/config.js";
import { systemContext } from "../packages/server/src/context/command-context.js";
import { openDatabase } from "../packages/server/src/db/open.js";
import { startJobRunner } from "../packages/server/src/jobs/job-runner.js";
import { randomToken, sha256 } from "../packages/server/src/modules/auth/secrets.js";
import { countRollups } from "../packages/server/src/modules/compliance/index.js";
import { searchRegistry } from "../packages/server/src/modules/search/index.js";
import {
  importStatFile,
  MARSHALL_FILE,
  MARSHALL_SOURCE,
  parseMarshall,
  parseRtci,
  RTCI_FILE,
  RTCI_SOURCE,
} from "../packages/server/src/modules/statistics/bundled.js";
import { importBundle, parseBundle } from "../packages/server/src/modules/transfer/index.js";
import { createUser } from "../packages/server/src/modules/users/index.js";
import { generateBundle } from "./generate/bundle.js";
import { generateDocuments } from "./generate/documents.js";
import { loadCompliance } from "./load-compliance.js";
import { loadDocuments } from "./load-documents.js";
import { loadSearchCorpus } from "./load-search-corpus.js";

const env = (name: string, fallback: number) => {
  const v = process.env[name];
  return v ? Number(v) : fallback;
};
const rootDir = dirname(dirname(fileURLToPath(import.meta.url)));
const log = (msg: string) => process.stderr.write(`[server ${process.pid}] ${msg}\n`);

const database = await openDatabase(
  process.env.BENCH_DATABASE_URL
    ? { databaseUrl: process.env.BENCH_DATABASE_URL, poolSize: 10 }
    : {
        pgliteDir: process.env.BENCH_PGLITE_DIR,
        pgliteWorker: process.env.BENCH_PGLITE_WORKER === "1",
        pglitePrepared: process.env.BENCH_PGLITE_PREPARED !== "0",
      },
);
let closing = false;
let app: Awaited<ReturnType<typeof buildApp>> | null = null;
async function shutdown(code: number) {
  if (closing) return;
  closing = true;
  const timer = setTimeout(() => process.exit(code), 5000);
  timer.unref();
  try {
    if (app) await app.close();
    await database.close();
  } catch (e) {
    log(`close failed: ${String(e)}`);
  }
  process.exit(code);
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
process.stdin.on("end", () => void shutdown(0));
process.stdin.on("error", () => void shutdown(0));
process.stdin.resume();

await database.migrate();

const matters = env("BENCH_MATTERS", 10_000);
const eventsPerMatter = env("BENCH_EVENTS_PER_MATTER", 10);
const seed = env("BENCH_SEED", 1);

type Bundle = ReturnType<typeof parseBundle>;

/** Times importBundle alone: the bundle is generated and validated beforehand. */
async function timedImport(bundle: Bundle) {
  const t0 = performance.now();
  const summary = await importBundle(bundle, systemContext(database.db, "bench"));
  return { importSeconds: Math.round(performance.now() - t0) / 1000, created: summary.created };
}

/**
 * Loads a bundle in several imports of `batch` matters each (with their events), after one of
 * the jurisdictions and agencies; `batch` 0 is one import of everything.
 */
async function importInBatches(bundle: Bundle, batch: number) {
  if (batch <= 0 || bundle.matters.length <= batch) return { ...(await timedImport(bundle)), batches: 1 };
  const eventsOf = new Map<string, Bundle["events"]>();
  for (const e of bundle.events) {
    const key = e.matter ?? "";
    const list = eventsOf.get(key) ?? [];
    list.push(e);
    eventsOf.set(key, list);
  }
  const parts: Bundle[] = [{ ...bundle, matters: [], events: eventsOf.get("") ?? [] }];
  for (let i = 0; i < bundle.matters.length; i += batch) {
    const matters = bundle.matters.slice(i, i + batch);
    parts.push({
      ...bundle,
      jurisdictions: [],
      agencies: [],
      matters,
      events: matters.flatMap((m) => eventsOf.get(m.slug) ?? []),
      awards: [],
      conditions: [],
    });
  }
  let importSeconds = 0;
  let slowestBatchSeconds = 0;
  for (const [k, part] of parts.entries()) {
    const { importSeconds: s } = await timedImport(part);
    importSeconds += s;
    slowestBatchSeconds = Math.max(slowestBatchSeconds, s);
    if (k % 10 === 0) log(`batch ${k + 1}/${parts.length}: ${s} s`);
  }
  return {
    importSeconds: Math.round(importSeconds * 1000) / 1000,
    batches: parts.length,
    slowestBatchSeconds,
  };
}

const batch = env("BENCH_IMPORT_BATCH", 0);
// The statistics case matches the crime files' places to the real registry's jurisdictions.
const statistics = process.env.BENCH_STATISTICS === "1";
log(
  statistics
    ? "importing the registry of data/bundle/registry.json"
    : `importing ${matters} matters × ${eventsPerMatter} events (${database.engine}, ${batch > 0 ? `${batch} matters per import` : "one import"})`,
);
/**
 * BENCH_REUSE=1: the database was filled by an earlier bench server (the search case restarts
 * its server on the loaded corpus, to read its memory as a server started on that data would
 * hold it): nothing is imported or loaded, only the bench users are added.
 */
const reuse = process.env.BENCH_REUSE === "1";
const initial = reuse
  ? { importSeconds: 0, reused: true }
  : await importInBatches(
      parseBundle(
        statistics
          ? JSON.parse(readFileSync(join(rootDir, "data", "bundle", "registry.json"), "utf8"))
          : generateBundle({ matters, eventsPerMatter, seed, awards: env("BENCH_AWARDS", 0) }),
      ),
      batch,
    );
log(`imported in ${initial.importSeconds} s`);
if (statistics && !reuse) {
  // The Real-Time Crime Index monthly file, timed from its text to the committed import (parse,
  // match, insert, audit: one transaction); then the Marshall Project's file, untimed, so that the
  // series also hold years.
  const dir = join(rootDir, "data", "crime");
  const rtciText = readFileSync(join(dir, RTCI_FILE), "utf8");
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rtci = await importStatFile(systemContext(database.db, "bench"), RTCI_SOURCE, rtciText, parseRtci);
  const rtciSeconds = Math.round(performance.now() - t0) / 1000;
  // PGlite works in this process: its CPU time is the import's work, whatever else the machine runs.
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = Math.round((cpu.user + cpu.system) / 1000) / 1000;
  await importStatFile(
    systemContext(database.db, "bench"),
    MARSHALL_SOURCE,
    readFileSync(join(dir, MARSHALL_FILE), "utf8"),
    parseMarshall,
  );
  const rows = parseCsv(rtciText).length - 1;
  log(
    `imported the RTCI file (${rows} rows, ${rtci.values} values) in ${rtciSeconds} s (CPU ${cpuSeconds} s)`,
  );
  process.stdout.write(
    `STATISTICS ${JSON.stringify({ file: RTCI_FILE, rows, ...rtci, seconds: rtciSeconds, cpuSeconds })}\n`,
  );
}
// Documents with extracted pages for the search measurement, attached to the matters above.
const matterIds = (
  (await database.db.execute(sql`select id from matters order by slug`)) as unknown as {
    rows: { id: string }[];
  }
).rows.map((row) => row.id);
const corpusPages = env("BENCH_SEARCH_PAGES", 0);
const documents = reuse
  ? { documents: 0, pages: 0, seconds: 0, reused: true }
  : corpusPages > 0
    ? await loadSearchCorpus(
        database.db,
        { pages: corpusPages, pagesPerDocument: env("BENCH_PAGES_PER_DOCUMENT", 20), seed },
        matterIds,
        log,
      )
    : await loadDocuments(
        database.db,
        generateDocuments({
          documents: env("BENCH_DOCUMENTS", 250),
          pagesPerDocument: env("BENCH_PAGES_PER_DOCUMENT", 20),
          matters: matterIds.length,
          seed,
        }),
        matterIds,
      );
log(`loaded ${documents.documents} documents, ${documents.pages} pages in ${documents.seconds} s`);
process.stdout.write(`DOCUMENTS ${JSON.stringify(documents)}\n`);
// Compliance ratings of the first matters, for the compliance case (BENCH_COMPLIANCE_PROVISIONS > 0).
const complianceProvisions = env("BENCH_COMPLIANCE_PROVISIONS", 0);
if (complianceProvisions > 0 && !reuse) {
  const loaded = await loadCompliance(
    database.db,
    {
      matters: env("BENCH_COMPLIANCE_MATTERS", 100),
      provisionsPerMatter: complianceProvisions,
      periods: env("BENCH_COMPLIANCE_PERIODS", 20),
    },
    log,
  );
  log(`loaded ${loaded.assessments} ratings in ${loaded.seconds} s`);
  process.stdout.write(`COMPLIANCE ${JSON.stringify(loaded)}\n`);
}
// importBundle refreshes the planner statistics of the tables it loads (PGlite has no autovacuum).
// The bundle of POST /bench/import, made now so that the route times the import alone.
const extra = parseBundle(
  generateBundle({
    matters: env("BENCH_EXTRA_MATTERS", 2_000),
    eventsPerMatter,
    seed: seed + 1000,
    prefix: "bench-extra",
  }),
);
process.stdout.write(`IMPORTED ${JSON.stringify(initial)}\n`);
// Every API route needs a signed-in caller: the load runs as a viewer with an API token.
const { user: benchUser } = await createUser(
  { username: reuse ? `bench-viewer-${process.pid}` : "bench-viewer", role: "viewer" },
  systemContext(database.db, "bench"),
);
const benchToken = `acc_${randomToken()}`;
await database.db.execute(
  sql`insert into api_tokens (user_id, name, token_hash) values (${benchUser.id}, 'bench', ${sha256(benchToken)})`,
);
process.stdout.write(`TOKEN ${benchToken}\n`);
// The mixed case's writes (edits, ratings, uploads) run as an admin with a token of its own.
const { user: benchWriter } = await createUser(
  { username: reuse ? `bench-writer-${process.pid}` : "bench-writer", role: "admin" },
  systemContext(database.db, "bench"),
);
const writerToken = `acc_${randomToken()}`;
await database.db.execute(
  sql`insert into api_tokens (user_id, name, token_hash) values (${benchWriter.id}, 'bench-writer', ${sha256(writerToken)})`,
);
process.stdout.write(`WRITER ${writerToken}\n`);
// The reliability case's LD1 reads sign in with a password and read with the session cookie, as a
// browser does: a read-only user who may read review drafts too (an approver).
const readerPassword = randomToken();
const readerName = reuse ? `bench-reader-${process.pid}` : "bench-reader";
await createUser(
  { username: readerName, role: "approver", password: readerPassword },
  systemContext(database.db, "bench"),
);
process.stdout.write(`READER ${JSON.stringify({ username: readerName, password: readerPassword })}\n`);

// The search limits as the server reads them (ACCORD_STATEMENT_TIMEOUT_MS, ACCORD_SEARCH_*), by engine.
const searchLimits = loadConfig({
  ...process.env,
  DATABASE_URL: database.engine === "postgres" ? "postgres://bench" : "",
}).search;
log(`search limits ${JSON.stringify(searchLimits)}`);
app = await buildApp({
  db: database.db,
  engine: database.engine,
  localVersion: database.localVersion,
  searchLimits,
});
// Whether the read cache answered each request, in a bench-only header (x-bench-cache: hit or
// miss; none when the route keeps no cached answer), for the mixed case's figures by kind. The
// routes pass the data version they already read, so a hit is counted before json() first awaits.
const cacheUse = new AsyncLocalStorage<{ use?: "hit" | "miss" }>();
const cachedJson = app.readCache.json.bind(app.readCache);
app.readCache.json = ((...args: Parameters<typeof cachedJson>) => {
  const hits = app!.readCache.hits;
  const answer = cachedJson(...args);
  const store = cacheUse.getStore();
  if (store) store.use = app!.readCache.hits > hits ? "hit" : "miss";
  return answer;
}) as typeof cachedJson;
app.addHook("onRequest", (_req, _reply, done) => cacheUse.run({}, done));
app.addHook("onSend", async (_req, reply, payload) => {
  const use = cacheUse.getStore()?.use;
  if (use) reply.header("x-bench-cache", use);
  return payload;
});
app.get("/bench/bare", async () => ({ ok: true }));
app.get("/bench/select1", async () => {
  await app!.db.execute(sql`select 1`);
  return { ok: true };
});
app.post("/bench/import", async () => timedImport(extra));
// The monitor's ratings of the loaded compliance data (bench-only): what the mixed case saves again.
app.get("/bench/ratable", async (req) => {
  const n = Number((req.query as { n?: string }).n ?? 500);
  const result = (await app!.db.execute(
    sql`select a.provision_id as "provisionId", a.period_id as "periodId", a.level, a.version
        from assessments a where a.rater = 'monitor' order by a.provision_id, a.period_id limit ${n}`,
  )) as unknown as { rows: { provisionId: string; periodId: string; level: string; version: number }[] };
  return result.rows;
});
// Where this process's memory is (bench-only): resident, V8's heap, memory outside it (buffers),
// and on PGlite the WebAssembly memory of the database, which grows to the most it has needed
// and never gives back.
app.get("/bench/memory", async () => {
  const mb = (n: number) => Math.round(n / 1024 / 10.24) / 100;
  const m = process.memoryUsage();
  const heap = (database.db as unknown as { $client?: { mod?: { HEAPU8?: Uint8Array } } }).$client?.mod
    ?.HEAPU8;
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    ...(heap ? { pgliteWasmMemoryMb: mb(heap.byteLength) } : {}),
  };
});
// The read cache's counts (bench-only, not the public API): how many answers came from it.
app.get("/bench/cache", async () => ({ hits: app!.readCache.hits, misses: app!.readCache.misses }));
// The raw scans the compliance roll-ups spare: one decree's counts from its ratings, and every
// decree's latest period by topic.
app.get("/bench/compliance-raw/:matterId", async (req) => {
  const rows = await countRollups(app!.db, (req.params as { matterId: string }).matterId);
  return { rows: rows.length };
});
app.get("/bench/compliance-raw-all", async () => {
  const result = (await app!.db.execute(
    sql`with latest as (select distinct on (matter_id) matter_id, id from reporting_periods order by matter_id, ends_on desc)
        select t.topic, a.level, count(*)::int as n
        from latest l join provisions p on p.matter_id = l.matter_id
          join assessments a on a.provision_id = p.id and a.period_id = l.id and a.rater = 'monitor'
          cross join lateral jsonb_array_elements_text(jsonb_path_query_array(p.topics, '$[*].topic')) as t(topic)
        group by 1, 2`,
  )) as unknown as { rows: unknown[] };
  return { rows: result.rows.length };
});

// Search without the read cache: the statement itself, every time (GET /api/v1/search's query,
// in its turn and under its time limit as there).
// ?candidates=N overrides the candidate cap, to see what ranking more costs.
app.get("/bench/search", async (req) => {
  const { candidates, ...query } = req.query as Record<string, string>;
  return searchRegistry(systemContext(app!.db, "bench"), SearchQuerySchema.parse(query), {
    gate: app!.searchGate,
    ...(candidates ? { candidates: Number(candidates) } : {}),
  });
});
// The search queue now: searches running, waiting, refused so far (503 search_busy), dropped
// (their client went away), the longest wait and run, and on PGlite the rounds of hand-overs
// and the most searches handed the turn in one (see SearchGate).
app.get("/bench/search-gate", async () => {
  const gate = app!.searchGate;
  return {
    running: gate.running,
    waiting: gate.waiting,
    shed: gate.shed,
    abandoned: gate.abandoned,
    longestWaitMs: Math.round(gate.longestWaitMs),
    longestRunMs: Math.round(gate.longestRunMs),
    rounds: gate.rounds,
    mostInRound: gate.mostInRound,
    limits: gate.limits,
  };
});
// The plain SQL beside it: every matching page ranked with ts_rank and counted, the best 20
// with ts_headline snippets (PostgreSQL computes the headline after the limit).
app.get("/bench/search-plain", async (req) => {
  const text = toTsQueryText(parseSearchQuery((req.query as { q: string }).q));
  if (!text) return { total: 0, items: [] };
  const query = sql`to_tsquery('english', ${text})`;
  const result = (await app!.db.execute(sql`select d.id, d.title, p.page, count(*) over ()::int as total,
      ts_rank(p.search, ${query}) as rank,
      ts_headline('english', p.text, ${query},
        ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
    from document_pages p join documents d on d.id = p.document_id
    where p.search @@ ${query}
    order by rank desc, d.id, p.page limit 20`)) as unknown as { rows: { total: number }[] };
  return { total: result.rows[0]?.total ?? 0, items: result.rows };
});

await app.listen({ host: "127.0.0.1", port: 0 });
// BENCH_JOBS=1: the background job runner as the server runs it (uploaded PDFs are extracted in
// worker processes), over the files of the app's default data directory (the reliability case).
if (process.env.BENCH_JOBS === "1") {
  // The generated registry is the bench's own load, as Accord's bundled data is its own: nobody is
  // told of it (dispatching thousands of entries first would hold the embedded database for minutes).
  await database.db.execute(
    sql`insert into settings (key, value) select 'notification_cursor', jsonb_build_object('seq', coalesce(max(chain_seq), 0))
        from audit_entries on conflict (key) do update set value = excluded.value`,
  );
  const runner = startJobRunner({
    db: database.db,
    dataDir: join(tmpdir(), `accord-${process.pid}`),
    soleOwner: database.engine === "pglite",
    pollMs: 1000,
    log,
  });
  // Its extraction workers end with it (shutdown() above exits the process).
  process.once("SIGTERM", () => void runner.stop());
}

const address = app.server.address();
if (!address || typeof address === "string") throw new Error("No TCP address");
process.stdout.write(`READY ${address.port}\n`);
