/**
 * The reliability case: the load checks LD1 to LD5 of RELIABILITY-CHECKS.md (issue 16), each
 * asserted: its report says `pass: true|false` with the figures measured, and a failed check makes
 * `npm run bench` exit 1. On one bench server per engine (bench/server.ts with its job runner, so an
 * uploaded PDF is extracted as the server would), on 127.0.0.1, in the order LD1, LD3, LD2, LD4, LD5:
 *
 * - LD1: a reader signed in with a password (its session cookie) reads, in turn, matters lists
 *   (every one a URL of its own), a review's detail and a document's metadata: 5 connections for
 *   5 s (the warm-up), then 50 for 30 s. p95 ≤ 250 ms, p99 ≤ 500 ms, no error, timeout or non-2xx.
 * - LD3: the same reads at 50 connections while a 10,000-row statistics CSV is imported over HTTP
 *   (`POST /api/v1/statistics/import`, one transaction): the import 201 with every row, the reads
 *   in flight during it p99 ≤ 1 s, no error; the longest time no read was answered is reported.
 * - LD2: 45 reader connections (autocannon over the LD1 reads: matters lists, matter pages,
 *   document metadata) and 5 writers, each reading a matter then changing it with If-Match, all on
 *   the same few matters so that they race, for 30 s. Only 200 and 412 answers; afterwards each
 *   matter's versions from the 200s are distinct and run from the version before up to the version
 *   after, one by one, and its audit history grew by exactly its successful writes.
 * - LD5: 200 sign-in attempts a second (wrong passwords for a real account, sent on a clock, not
 *   waiting for answers) for 15 s while the LD1 reads run at 10 connections. The attempts get 429
 *   (with Retry-After) once the limit is reached: at most the address's limit of them are checked
 *   (401) and every attempt sent after the first 429 arrived gets 429; the reads' p99 ≤ 500 ms.
 * - LD4: 5 concurrent 20 MB PDF uploads during the LD1 reads at 50 connections: uploads 201, read
 *   p99 ≤ 1 s; the server's resident memory back within 50 MB of its baseline within 30 s; the
 *   upload staging folder empty; then a soak of BENCH_LD4_SOAK_SECONDS (600) at 10 connections:
 *   memory grows < 10% per 10 minutes and the open file count is stable. The same reads at 50
 *   connections without uploads come first, reported beside them (not asserted).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import autocannon, { type Request as AcRequest, type Instance, type Result } from "autocannon";
import { THROTTLE } from "../../packages/server/src/modules/auth/throttle.js";
import { prng } from "../generate/random.js";
import { killChild, tempDirs } from "../harness/cleanup.js";
import { distinctListPaths } from "../harness/distinct.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { drain } from "../harness/load.js";
import { log, round } from "../harness/log.js";
import { meter } from "../harness/meter.js";
import { fdCountOf, MB, machineLoad, median, rssOf } from "../harness/proc.js";
import { type Server, startServer } from "../harness/start-server.js";
import { percentile } from "../harness/timing.js";

const num = (name: string, fallback: number) => {
  const v = process.env[name];
  return v ? Number(v) : fallback;
};

export const RELIABILITY = {
  /** Which checks to run (BENCH_RELIABILITY_CHECKS, default all five). */
  checks: (process.env.BENCH_RELIABILITY_CHECKS ?? "LD1,LD2,LD3,LD4,LD5").split(",").map((s) => s.trim()),
  /** Matters of the generated registry the reads and writes go to. */
  matters: num("BENCH_RELIABILITY_MATTERS", 2000),
  ld1: {
    connections: 50,
    seconds: num("BENCH_LD1_SECONDS", 30),
    warmupConnections: 5,
    warmupSeconds: 5,
    p95Ms: 250,
    p99Ms: 500,
    /** Distinct list URLs drawn for each of the LD1 run, its warm-up and LD3 (a third of the reads are lists). */
    listUrls: 40_000,
    /** Requests of each kind timed one at a time before the warm-up (reported). */
    serialRequests: 30,
  },
  ld3: {
    rows: num("BENCH_LD3_ROWS", 10_000),
    connections: 50,
    readP99Ms: 1000,
    /** Seconds of reads before the import is posted, and after its answer. */
    beforeSeconds: 5,
    afterSeconds: 5,
    importTimeoutSeconds: 300,
  },
  ld2: {
    seconds: num("BENCH_LD2_SECONDS", 30),
    readers: 45,
    writers: 5,
    /** The matters every writer picks from: few, so that writers race for the same version. */
    records: num("BENCH_LD2_RECORDS", 3),
  },
  ld4: {
    uploads: 5,
    uploadMb: num("BENCH_LD4_UPLOAD_MB", 20),
    readers: 50,
    /** The reads at `readers` connections without uploads first (reported, not asserted). */
    readsAloneSeconds: 15,
    readP99Ms: 1000,
    rssToleranceMb: 50,
    recoverySeconds: 30,
    soakSeconds: num("BENCH_LD4_SOAK_SECONDS", 600),
    soakConnections: 10,
    /** The soak's memory growth allowed, per 10 minutes. */
    soakGrowthPercentPer10Min: 10,
    /** Open files at the end of the soak beyond those at its start. */
    fdSlack: 5,
  },
  ld5: {
    seconds: num("BENCH_LD5_SECONDS", 15),
    attemptsPerSecond: num("BENCH_LD5_RATE", 200),
    readers: 10,
    readP99Ms: 500,
    /** The account the attempts guess at (the bench server's admin). */
    username: "bench-writer",
  },
};

/** A failed fetch in words, with its cause (fetch's own message says only "fetch failed"). */
const withCause = (e: unknown) => {
  const cause = (e as Error).cause as Error | undefined;
  return `${String(e)}${cause ? ` (${cause.message ?? String(cause)})` : ""}`;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** autocannon over `paths` in turn with the server's read token, for `seconds` (or until stopped). */
function readLoad(server: Server, paths: readonly string[], connections: number, seconds: number): Instance {
  let i = 0;
  return autocannon({
    url: server.base,
    headers: { authorization: server.authorization },
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      { method: "GET", setupRequest: (req: AcRequest) => ({ ...req, path: paths[i++ % paths.length]! }) },
    ],
  });
}

/** What a read load did: its latencies, status codes and failures, and whether it had none. */
const readFigures = (r: Result) => ({
  requests: r.totalCompletedRequests ?? Math.round(r.requests.average * r.duration),
  rps: round(r.requests.average),
  p50: r.latency.p50,
  p97_5: r.latency.p97_5,
  p99: r.latency.p99,
  max: r.latency.max,
  statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});
const readsClean = (f: ReturnType<typeof readFigures>) => f.non2xx + f.errors + f.timeouts === 0;

const count = (values: readonly (number | string)[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
};

interface Context {
  server: Server;
  /** The LD1 reads: matters lists, matter pages and document metadata. */
  reads: string[];
  slugs: string[];
  writer: string;
  /** LD1's reads (and LD3's): lists, reviews and documents, with the reader's session cookie. */
  ld1Reads: Ld1Reads;
  /** The PostgreSQL database the server uses (undefined on PGlite), for its backends' CPU time. */
  databaseUrl: string | undefined;
}

async function getJson<T>(server: Server, path: string, authorization = server.authorization) {
  const res = await fetch(server.base + path, { headers: { authorization } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return { body: (await res.json()) as T, etag: res.headers.get("etag") };
}

/** LD2: readers and racing If-Match writers; only 200/412, versions and audit consistent. */
async function ld2({ server, reads, slugs, writer }: Context) {
  const { seconds, readers, writers, records } = RELIABILITY.ld2;
  const targets = slugs.slice(0, records);
  const versionOf = async (slug: string) =>
    (await getJson<{ version: number }>(server, `/api/v1/matters/${slug}`, writer)).body.version;
  const historyOf = async (slug: string) =>
    (await getJson<{ total: number }>(server, `/api/v1/history/matter/${slug}?limit=1`, writer)).body.total;
  const before = new Map<string, { version: number; history: number }>();
  for (const s of targets) before.set(s, { version: await versionOf(s), history: await historyOf(s) });

  const statuses: { get: number[]; patch: number[] } = { get: [], patch: [] };
  const failures: string[] = [];
  /** Each record's versions of the successful writes, in the order their answers came. */
  const written = new Map<string, number[]>(targets.map((s) => [s, []]));
  const patchTimes: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const note = (what: string) => failures.length < 10 && failures.push(what);

  const writerLoop = async (w: number) => {
    const r = prng(7000 + w);
    let n = 0;
    while (performance.now() < deadline) {
      const slug = targets[Math.floor(r() * targets.length)]!;
      try {
        const read = await fetch(`${server.base}/api/v1/matters/${slug}`, {
          headers: { authorization: writer },
          signal: AbortSignal.timeout(30_000),
        });
        await read.arrayBuffer();
        statuses.get.push(read.status);
        const etag = read.headers.get("etag");
        if (!read.ok || !etag) {
          note(`GET ${slug}: ${read.status}`);
          continue;
        }
        const t0 = performance.now();
        const res = await fetch(`${server.base}/api/v1/matters/${slug}`, {
          method: "PATCH",
          headers: { authorization: writer, "content-type": "application/json", "if-match": etag },
          body: JSON.stringify({ statusNote: `LD2 writer ${w} edit ${n++}` }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = await res.text();
        patchTimes.push(performance.now() - t0);
        statuses.patch.push(res.status);
        if (res.status === 200) written.get(slug)!.push((JSON.parse(body) as { version: number }).version);
        else if (res.status !== 412) note(`PATCH ${slug}: ${res.status} ${body.slice(0, 200)}`);
      } catch (e) {
        statuses.patch.push(0);
        note(`${slug}: ${String(e)}`);
      }
    }
  };
  const load = machineLoad();
  const readRun = readLoad(server, reads, readers, seconds);
  await Promise.all(Array.from({ length: writers }, (_, w) => writerLoop(w)));
  const readResult = readFigures(await readRun);
  await drain(server);

  const perRecord = [];
  for (const slug of targets) {
    const was = before.get(slug)!;
    const versions = written.get(slug)!;
    const version = await versionOf(slug);
    const history = await historyOf(slug);
    const sorted = [...versions].sort((a, b) => a - b);
    const contiguous = sorted.every((v, k) => v === was.version + k + 1);
    perRecord.push({
      slug,
      versionBefore: was.version,
      versionAfter: version,
      successfulWrites: versions.length,
      auditRowsAdded: history - was.history,
      /** Distinct, one after the other from the version before to the version after. */
      versionsMonotonic: contiguous && version === was.version + versions.length,
      /** Each answer's version above those answered before it. */
      versionsInAnswerOrder: versions.every((v, k) => k === 0 || v > versions[k - 1]!),
    });
  }
  const patchCodes = count(statuses.patch);
  const successes = statuses.patch.filter((s) => s === 200).length;
  const conflicts = statuses.patch.filter((s) => s === 412).length;
  const auditRows = perRecord.reduce((n, r) => n + r.auditRowsAdded, 0);
  const sortedPatch = [...patchTimes].sort((a, b) => a - b);
  const criteria = {
    readsAll200: readsClean(readResult),
    writesOnly200Or412: statuses.patch.every((s) => s === 200 || s === 412),
    writerReadsAll200: statuses.get.every((s) => s === 200),
    versionsMonotonic: perRecord.every((r) => r.versionsMonotonic),
    auditRowsEqualSuccessfulWrites: perRecord.every((r) => r.auditRowsAdded === r.successfulWrites),
    /** The writers did race (some 412): otherwise the check proved nothing. */
    writersRaced: conflicts > 0,
  };
  return {
    id: "LD2",
    pass: Object.values(criteria).every(Boolean),
    criteria,
    seconds,
    readers,
    writers,
    records: targets.length,
    reads: readResult,
    writes: {
      patches: statuses.patch.length,
      statusCodes: patchCodes,
      successes,
      conflicts412: conflicts,
      auditRowsAdded: auditRows,
      p50: percentile(sortedPatch, 0.5),
      p99: percentile(sortedPatch, 0.99),
      max: round(sortedPatch.at(-1) ?? 0),
      writerReadStatusCodes: count(statuses.get),
    },
    perRecord,
    failures,
    machineLoadBefore: load,
    machineLoadAfter: machineLoad(),
  };
}

interface Attempt {
  sentMs: number;
  answeredMs: number;
  status: number;
  retryAfter: string | null;
  error?: string;
}

/**
 * LD5's flood, in a worker thread: wrong passwords for one account, the k-th sent at k / rate
 * seconds (or as soon as the thread can, when behind) without waiting for answers (as an attacker
 * sends them); posts every attempt's times (from the flood's start), status and Retry-After, once
 * all are answered. The rate achieved is reported: on a loaded machine the thread sends fewer.
 */
const FLOOD = `
const { parentPort, workerData: w } = require("node:worker_threads");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  const t0 = performance.now();
  const attempts = [];
  const pending = [];
  const total = Math.round(w.seconds * w.rate);
  for (let k = 0; k < total; k++) {
    const due = (k * 1000) / w.rate - (performance.now() - t0);
    // Yield at every attempt, behind time too: a loop that only calls fetch() opens no connection
    // and reads no answer until it ends (on a loaded machine it fell behind at once, and the
    // flood's answers were all read together, tens of seconds late).
    if (due > 1) await sleep(due);
    else await new Promise((r) => setImmediate(r));
    const sentMs = performance.now() - t0;
    pending.push(
      fetch(w.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: w.username, password: "not the password " + k }),
        signal: AbortSignal.timeout(60000),
      }).then(
        async (res) => {
          await res.arrayBuffer();
          const answeredMs = performance.now() - t0;
          attempts.push({ sentMs, answeredMs, status: res.status, retryAfter: res.headers.get("retry-after") });
        },
        (e) => {
          const cause = e.cause ? " (" + (e.cause.message || String(e.cause)) + ")" : "";
          attempts.push({ sentMs, answeredMs: performance.now() - t0, status: 0, retryAfter: null, error: String(e) + cause });
        },
      ),
    );
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(pending);
  parentPort.postMessage({ attempts, sendSeconds, lastAnswerSeconds: (performance.now() - t0) / 1000 });
})();
`;

/** LD5: a sign-in flood while reads run; 429 after the limit, reads unharmed. */
async function ld5({ server, reads }: Context) {
  const { seconds, attemptsPerSecond, readers, readP99Ms, username } = RELIABILITY.ld5;
  const load = machineLoad();
  // The flood comes from a thread of its own: sharing the readers' event loop, it would slow
  // the reads it is meant to leave alone (on a busy machine, by seconds).
  const flood = new Worker(FLOOD, {
    eval: true,
    workerData: { url: `${server.base}/api/v1/session`, username, seconds, rate: attemptsPerSecond },
  });
  const flooded = new Promise<{ attempts: Attempt[]; sendSeconds: number; lastAnswerSeconds: number }>(
    (resolve, reject) => {
      flood.once("message", resolve);
      flood.once("error", reject);
    },
  );
  const readRun = readLoad(server, reads, readers, seconds);
  const readResult = readFigures(await readRun);
  const { attempts, sendSeconds, lastAnswerSeconds } = await flooded;
  await flood.terminate();
  await drain(server);

  const statuses = attempts.map((a) => a.status);
  const first429 = Math.min(...attempts.filter((a) => a.status === 429).map((a) => a.answeredMs));
  const sentAfterFirst429 = attempts.filter((a) => a.sentMs > first429);
  const checked = attempts.filter((a) => a.status === 401);
  const answerTimes = attempts.map((a) => a.answeredMs - a.sentMs).sort((a, b) => a - b);
  const criteria = {
    onlyRefusals401Or429: statuses.every((s) => s === 401 || s === 429),
    refusedWith429: statuses.includes(429),
    every429HasRetryAfter: attempts.every((a) => a.status !== 429 || Number(a.retryAfter) > 0),
    /** At most the address's limit of passwords checked (every later attempt refused unchecked). */
    passwordsCheckedWithinLimit: checked.length <= THROTTLE.addressLimit,
    allSentAfterFirst429Got429: sentAfterFirst429.every((a) => a.status === 429),
    [`readP99AtMost${readP99Ms}ms`]: readResult.p99 <= readP99Ms,
    readsAll200: readsClean(readResult),
  };
  return {
    id: "LD5",
    pass: Object.values(criteria).every(Boolean),
    criteria,
    seconds,
    attemptsPerSecond,
    attempts: attempts.length,
    sentInSeconds: round(sendSeconds, 2),
    achievedAttemptsPerSecond: round(attempts.length / sendSeconds),
    lastAnswerAfterSeconds: round(lastAnswerSeconds, 2),
    statusCodes: count(statuses),
    passwordsChecked401: checked.length,
    limits: { account: THROTTLE.accountLimit, address: THROTTLE.addressLimit },
    first429AfterMs: Number.isFinite(first429) ? Math.round(first429) : null,
    attemptLatency: {
      p50: percentile(answerTimes, 0.5),
      p99: percentile(answerTimes, 0.99),
      max: round(answerTimes.at(-1) ?? 0),
    },
    errorCount: attempts.filter((a) => a.error).length,
    errors: [...new Set(attempts.filter((a) => a.error).map((a) => a.error))].slice(0, 5),
    reads: readResult,
    machineLoadBefore: load,
    machineLoadAfter: machineLoad(),
  };
}

/**
 * A PDF of `bytes` or so: a page of text and one image of random bytes (so no two are alike and
 * nothing compresses them). Its text is read at extraction; the image is not decoded.
 */
function largePdf(bytes: number, label: string): Buffer {
  const side = Math.ceil(Math.sqrt(bytes));
  const image = randomBytes(side * side);
  const content = `BT /F1 12 Tf 72 720 Td (${label}) Tj ET\nq 200 0 0 200 72 400 cm /Im1 Do Q`;
  const objects: (string | Buffer)[][] = [
    ["<< /Type /Catalog /Pages 2 0 R >>"],
    ["<< /Type /Pages /Kids [3 0 R] /Count 1 >>"],
    [
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R >> >> /Contents 6 0 R >>",
    ],
    ["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"],
    [
      `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${image.length} >>\nstream\n`,
      image,
      "\nendstream",
    ],
    [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`],
  ];
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((pieces, k) => {
    offsets.push(offset);
    const chunk = Buffer.concat([
      Buffer.from(`${k + 1} 0 obj\n`),
      ...pieces.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p)),
      Buffer.from("\nendobj\n"),
    ]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    "startxref",
    String(offset),
    "%%EOF",
    "",
  ].join("\n");
  parts.push(Buffer.from(xref, "latin1"));
  return Buffer.concat(parts);
}

/** LD4: concurrent large uploads during reads, memory back, staging folder empty, then a soak. */
async function ld4({ server, reads, slugs, writer }: Context) {
  const o = RELIABILITY.ld4;
  const pid = server.child.pid!;
  // bench/server.ts stores files in the app's default data directory (its job runner reads there).
  const staging = join(tmpdir(), `accord-${pid}`, "blobs", "tmp");
  const load = machineLoad();
  const files = Array.from({ length: o.uploads }, (_, k) =>
    largePdf(o.uploadMb * 1_000_000, `LD4 upload ${k + 1} of ${o.uploads}, bench run ${Date.now()}`),
  );
  // The LD1 warm-up (5 connections, 5 s); the same reads at 50 connections without uploads (not
  // asserted: what the machine and the engine give the reads alone, beside what they give them
  // during the uploads); then the baseline at rest.
  await readLoad(server, reads, 5, 5);
  const aloneMeter = await meter(server);
  const aloneRun = readFigures(await readLoad(server, reads, o.readers, o.readsAloneSeconds));
  const readsAlone = { ...aloneRun, ...(await aloneMeter(aloneRun.requests)) };
  await drain(server);
  await sleep(2000);
  const rest: number[] = [];
  for (let k = 0; k < 5; k++) {
    rest.push(rssOf(pid));
    await sleep(500);
  }
  const baseline = median(rest);
  const fdBaseline = fdCountOf(pid);
  // What the process's memory is made of (V8's heap, memory outside it, array buffers), at the
  // baseline and through the recovery: which of them holds what is not given back.
  const memoryOf = async () => (await getJson<Record<string, number>>(server, "/bench/memory")).body;
  const memoryAtBaseline = await memoryOf();

  // The uploads, all at once, 2 s into the read load; the reads go on 3 s after the last answer.
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 200);
  const duringMeter = await meter(server);
  const readRun = readLoad(server, reads, o.readers, 3600);
  await sleep(2000);
  const t0 = performance.now();
  const uploads = await Promise.all(
    files.map(async (bytes, k) => {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "application/pdf" }), `ld4-${k + 1}.pdf`);
      form.append("kind", "other");
      const started = performance.now();
      try {
        const res = await fetch(`${server.base}/api/v1/matters/${slugs[k]}/documents`, {
          method: "POST",
          headers: { authorization: writer },
          body: form,
          signal: AbortSignal.timeout(300_000),
        });
        const body = (await res.json()) as { items?: { document: { id: string; status: string } }[] };
        return {
          status: res.status,
          ms: Math.round(performance.now() - started),
          id: body.items?.[0]?.document.id ?? null,
        };
      } catch (e) {
        return { status: 0, ms: Math.round(performance.now() - started), id: null, error: withCause(e) };
      }
    }),
  );
  const uploadSeconds = (performance.now() - t0) / 1000;
  await sleep(3000);
  readRun.stop();
  const readFigured = readFigures(await readRun);
  const readResult = { ...readFigured, ...(await duringMeter(readFigured.requests)) };
  clearInterval(sampler);
  await drain(server);
  const stagingLeft = existsSync(staging) ? readdirSync(staging) : [];

  // Memory back within the tolerance of the baseline within the recovery time.
  const recovery: { second: number; rssMb: number }[] = [];
  const memoryAfterUploads = await memoryOf();
  let recoveredAfterSeconds: number | null = null;
  const r0 = performance.now();
  while (performance.now() - r0 < o.recoverySeconds * 1000) {
    const rss = rssOf(pid);
    const second = round((performance.now() - r0) / 1000);
    recovery.push({ second, rssMb: round(rss / MB) });
    if (rss <= baseline + o.rssToleranceMb * MB) {
      recoveredAfterSeconds = second;
      break;
    }
    await sleep(1000);
  }
  const memoryAtRecoveryEnd = await memoryOf();
  const documents = [];
  for (const u of uploads) {
    if (!u.id) continue;
    const { body } = await getJson<{ status: string; pageCount?: number | null }>(
      server,
      `/api/v1/documents/${u.id}`,
    );
    documents.push({ id: u.id, status: body.status });
  }

  // The soak: reads at 10 connections; memory and open files sampled every few seconds.
  log(`LD4 soak: ${o.soakSeconds} s at ${o.soakConnections} connections`);
  const samples: { second: number; rssMb: number; fds: number }[] = [];
  const every = Math.max(1, Math.min(10, o.soakSeconds / 20));
  const soakRun = readLoad(server, reads, o.soakConnections, o.soakSeconds);
  const s0 = performance.now();
  await sleep(1000);
  const soakSampler = setInterval(() => {
    samples.push({
      second: round((performance.now() - s0) / 1000),
      rssMb: round(rssOf(pid) / MB),
      fds: fdCountOf(pid),
    });
  }, every * 1000);
  const soakResult = readFigures(await soakRun);
  clearInterval(soakSampler);
  await drain(server);
  // Memory rises and falls by a hundred MB as garbage is collected: the growth is the slope of
  // a least-squares line through every sample, relative to their mean, not two samples' difference.
  const xs = samples.map((x) => x.second);
  const ys = samples.map((x) => x.rssMb);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  const mx = mean(xs);
  const my = mean(ys);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slopeMbPerSecond = sxx ? xs.reduce((a, x, k) => a + (x - mx) * (ys[k]! - my), 0) / sxx : 0;
  const growthPer10Min = my ? ((slopeMbPerSecond * 600) / my) * 100 : 0;
  const edge = Math.max(3, Math.ceil(samples.length / 10));
  const startRss = median(ys.slice(0, edge));
  const endRss = median(ys.slice(-edge));
  const fdStart = samples[0]?.fds ?? -1;
  const fdEnd = samples.at(-1)?.fds ?? -1;

  const criteria = {
    uploadsAll201: uploads.every((u) => u.status === 201),
    [`readP99AtMost${o.readP99Ms}ms`]: readResult.p99 <= o.readP99Ms,
    readsAll200: readsClean(readResult),
    [`rssWithin${o.rssToleranceMb}MbOfBaselineWithin${o.recoverySeconds}s`]: recoveredAfterSeconds !== null,
    stagingFolderEmpty: stagingLeft.length === 0,
    [`soakRssGrowthUnder${o.soakGrowthPercentPer10Min}PercentPer10Min`]:
      growthPer10Min < o.soakGrowthPercentPer10Min,
    soakFdCountStable: fdStart > 0 && fdEnd <= fdStart + o.fdSlack,
    soakReadsAll200: readsClean(soakResult),
  };
  return {
    id: "LD4",
    pass: Object.values(criteria).every(Boolean),
    criteria,
    uploads: {
      count: o.uploads,
      megabytesEach: round(files[0]!.length / 1_000_000),
      seconds: round(uploadSeconds, 2),
      results: uploads,
      documentsAfterRecovery: documents,
    },
    reads: readResult,
    readsWithoutUploads: readsAlone,
    rss: {
      baselineMb: round(baseline / MB),
      peakDuringUploadsMb: round(peak / MB),
      toleranceMb: o.rssToleranceMb,
      recoveredAfterSeconds,
      recovery,
      breakdown: {
        atBaseline: memoryAtBaseline,
        afterUploads: memoryAfterUploads,
        atRecoveryEnd: memoryAtRecoveryEnd,
      },
    },
    fdBaseline,
    stagingFolder: { path: staging, left: stagingLeft.slice(0, 10) },
    soak: {
      seconds: o.soakSeconds,
      connections: o.soakConnections,
      sampleEverySeconds: every,
      startRssMb: startRss,
      endRssMb: endRss,
      meanRssMb: round(my),
      minRssMb: Math.min(...ys),
      maxRssMb: Math.max(...ys),
      slopeMbPerMinute: round(slopeMbPerSecond * 60, 2),
      growthPercentPer10Min: round(growthPer10Min, 2),
      note:
        o.soakSeconds < 600
          ? `a shortened soak (${o.soakSeconds} s, BENCH_LD4_SOAK_SECONDS): its slope is scaled to 10 minutes`
          : undefined,
      fdStart,
      fdEnd,
      fdMin: Math.min(...samples.map((s) => s.fds)),
      fdMax: Math.max(...samples.map((s) => s.fds)),
      reads: soakResult,
      samples,
    },
    machineLoadBefore: load,
    machineLoadAfter: machineLoad(),
  };
}

/**
 * The LD1 reads, signed in with a session cookie as a browser is: each request in turn a matters
 * list (every one a URL of its own, none asked before: the read cache computes each), a review's
 * detail and a document's metadata (neither route keeps a cached answer). `lists` runs out only if
 * more list requests are sent than URLs were drawn (then `distinctLists` in the report is false).
 */
interface Ld1Reads {
  cookie: string;
  lists: string[];
  reviews: string[];
  documents: string[];
}

type ReadKind = "list" | "review" | "document";

/** One answered read: when it ended (performance.now()), how long it took, its status and kind. */
interface Timed {
  endMs: number;
  ms: number;
  status: number;
  kind: ReadKind;
}

/**
 * autocannon over the LD1 reads with the session cookie, every answer's time kept (autocannon's
 * own histogram has no p95). `lists` is consumed from `listFrom` on.
 */
function ld1Load(server: Server, r: Ld1Reads, connections: number, seconds: number, listFrom = 0) {
  let i = 0;
  let list = listFrom;
  const kinds = { list: 0, review: 0, document: 0 };
  const next = (): [ReadKind, string] => {
    const k = i++ % 3;
    if (k === 0) {
      kinds.list++;
      return ["list", r.lists[list++ % r.lists.length]!];
    }
    if (k === 1) {
      kinds.review++;
      return ["review", r.reviews[Math.floor(i / 3) % r.reviews.length]!];
    }
    kinds.document++;
    return ["document", r.documents[Math.floor(i / 3) % r.documents.length]!];
  };
  // A connection has one request in flight: autocannon calls onResponse with that request's
  // context just before it emits the answer's time, so the kind is passed from one to the other.
  let answered: ReadKind = "list";
  const timed: Timed[] = [];
  const instance = autocannon({
    url: server.base,
    headers: { cookie: r.cookie },
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "GET",
        setupRequest: (req: AcRequest, context: Record<string, unknown>) => {
          const [kind, path] = next();
          context.kind = kind;
          return { ...req, path };
        },
        onResponse: (_status: number, _body: string, context: Record<string, unknown>) => {
          answered = context.kind as ReadKind;
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    timed.push({ endMs: performance.now(), ms, status, kind: answered });
  });
  return { instance, timed, kinds, listsUsed: () => list - listFrom, listEnd: () => list };
}

/** Percentiles of some answered reads, p95 included, and of each kind of read. */
function latencies(timed: readonly Timed[]) {
  const kinds: ReadKind[] = ["list", "review", "document"];
  return {
    ...percentiles(timed),
    byKind: Object.fromEntries(kinds.map((k) => [k, percentiles(timed.filter((t) => t.kind === k))])),
  };
}

function percentiles(timed: readonly Timed[]) {
  const sorted = timed.map((t) => t.ms).sort((a, b) => a - b);
  return {
    answered: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: round(sorted.at(-1) ?? 0),
  };
}

/**
 * LD1: the reads at 5 connections for 5 s (the warm-up, its own list URLs), then at 50 for 30 s:
 * p95 ≤ 250 ms, p99 ≤ 500 ms, no error, timeout or non-2xx answer.
 */
async function ld1({ server, ld1Reads, databaseUrl }: Context) {
  const o = RELIABILITY.ld1;
  const load = machineLoad();
  // Each kind one request at a time first (reported, not asserted): what a read costs without a
  // queue, to tell which kind the run's latencies come from. Its lists: the warm-up's last URLs.
  const serial = {
    list: ld1Reads.lists.slice(2 * o.listUrls - o.serialRequests, 2 * o.listUrls),
    review: ld1Reads.reviews.slice(-o.serialRequests),
    document: ld1Reads.documents.slice(0, o.serialRequests),
  };
  const oneAtATime: Record<string, ReturnType<typeof percentiles> & { non2xx: number }> = {};
  for (const [kind, paths] of Object.entries(serial)) {
    const timed: Timed[] = [];
    let non2xx = 0;
    for (const path of paths) {
      const t0 = performance.now();
      const res = await fetch(server.base + path, {
        headers: { cookie: ld1Reads.cookie },
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      if (!res.ok) non2xx++;
      timed.push({ endMs: performance.now(), ms: performance.now() - t0, status: res.status, kind: "list" });
    }
    oneAtATime[kind] = { ...percentiles(timed), non2xx };
  }
  // The warm-up's lists are URLs of their own (the measured run's are all asked for the first time).
  const warm = ld1Load(server, ld1Reads, o.warmupConnections, o.warmupSeconds, o.listUrls);
  const warmup = readFigures(await warm.instance);
  await drain(server);
  const metered = await meter(server, databaseUrl);
  const run = ld1Load(server, ld1Reads, o.connections, o.seconds);
  const result = readFigures(await run.instance);
  const cost = await metered(result.requests);
  await drain(server);
  const measured = latencies(run.timed);
  const criteria = {
    [`p95AtMost${o.p95Ms}ms`]: measured.p95 <= o.p95Ms,
    [`p99AtMost${o.p99Ms}ms`]: measured.p99 <= o.p99Ms,
    noErrorsTimeoutsOrNon2xx: readsClean(result),
  };
  const listRequests = run.kinds.list;
  return {
    id: "LD1",
    pass: Object.values(criteria).every(Boolean),
    criteria,
    connections: o.connections,
    seconds: o.seconds,
    auth: "session cookie (an approver signed in with a password)",
    reads: { ...result, ...measured, autocannonP99: result.p99 },
    requestsByKind: {
      ...run.kinds,
      distinctListUrls: ld1Reads.lists.length,
      reviewsCycled: ld1Reads.reviews.length,
      documentsCycled: ld1Reads.documents.length,
    },
    /**
     * Lists: every request a URL of its own (computed, never from the read cache); reviews and
     * documents: routes that keep no cached answer (computed every time too).
     */
    distinctLists: listRequests <= o.listUrls,
    cache: {
      ...cost.readCache,
      cachedShare: round(cost.readCache.hits / Math.max(1, result.requests), 4),
      withoutCache: Math.max(0, result.requests - cost.readCache.hits - cost.readCache.misses),
    },
    serverCpuMsPerRequest: cost.serverCpuMsPerRequest,
    databaseCpuMsPerRequest: cost.databaseCpuMsPerRequest,
    loadAverage: cost.loadAverage,
    oneAtATime,
    warmup: { connections: o.warmupConnections, seconds: o.warmupSeconds, ...warmup },
    machineLoadBefore: load,
    machineLoadAfter: machineLoad(),
  };
}

/**
 * LD3's CSV: `rows` values of a metric new to the registry, for its jurisdictions (by slug) month
 * by month from 2000-01, each place and month once (what a spreadsheet of monthly figures holds).
 */
function statisticsCsv(places: readonly string[], rows: number, metric: string) {
  const lines = ["metric,jurisdiction,period,value,label,unit"];
  const r = prng(3300);
  for (let k = 0; k < rows; k++) {
    const month = Math.floor(k / places.length);
    const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`;
    lines.push(
      `${metric},${places[k % places.length]},${period},${Math.floor(r() * 500)},LD3 bench figure,count`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * LD3: the LD1 reads at 50 connections; after a few seconds, a 10,000-row statistics CSV posted to
 * `POST /api/v1/statistics/import` (the import a user starts over HTTP; one transaction); the reads
 * go on a few seconds after its answer. Pass: the import 201 with every row, and the reads in
 * flight during it (answered after it began, sent before it ended) p99 ≤ 1 s, with no error,
 * timeout or non-2xx answer in the whole run. The longest time no read was answered is reported.
 */
async function ld3({ server, ld1Reads, writer }: Context) {
  const o = RELIABILITY.ld3;
  const load = machineLoad();
  const places: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const { body } = await getJson<{ items: { slug: string }[]; total: number }>(
      server,
      `/api/v1/jurisdictions?limit=500&offset=${offset}`,
    );
    places.push(...body.items.map((j) => j.slug));
    if (!body.items.length || places.length >= body.total) break;
  }
  const metric = `ld3_bench_${Date.now()}`;
  const csv = statisticsCsv(places, o.rows, metric);
  // Lists the LD1 run and its warm-up did not ask.
  const run = ld1Load(server, ld1Reads, o.connections, 3600, 2 * RELIABILITY.ld1.listUrls);
  let last = performance.now();
  let longestStall = { ms: 0, endedAfterImportStartMs: 0 };
  let importStart = Number.POSITIVE_INFINITY;
  run.instance.on("response", () => {
    const now = performance.now();
    if (now - last > longestStall.ms)
      longestStall = { ms: now - last, endedAfterImportStartMs: now - importStart };
    last = now;
  });
  await sleep(o.beforeSeconds * 1000);
  importStart = performance.now();
  let imported: { status: number; body: unknown; error?: string };
  try {
    const res = await fetch(`${server.base}/api/v1/statistics/import`, {
      method: "POST",
      headers: { authorization: writer, "content-type": "text/csv" },
      body: csv,
      signal: AbortSignal.timeout(o.importTimeoutSeconds * 1000),
    });
    imported = { status: res.status, body: await res.json() };
  } catch (e) {
    imported = { status: 0, body: null, error: withCause(e) };
  }
  const importEnd = performance.now();
  await sleep(o.afterSeconds * 1000);
  // Reads still waiting when the load stops count in the stall (not in the percentiles).
  const stopped = performance.now();
  if (stopped - last > longestStall.ms)
    longestStall = { ms: stopped - last, endedAfterImportStartMs: stopped - importStart };
  run.instance.stop();
  const result = readFigures(await run.instance);
  await drain(server);
  const inFlight = run.timed.filter((t) => t.endMs >= importStart && t.endMs - t.ms <= importEnd);
  const before = run.timed.filter((t) => t.endMs < importStart);
  const during = latencies(inFlight);
  const values = (imported.body as { values?: number } | null)?.values ?? 0;
  const criteria = {
    import201: imported.status === 201,
    [`importedAll${o.rows}Rows`]: values === o.rows,
    [`readP99DuringImportAtMost${o.readP99Ms}ms`]: inFlight.length > 0 && during.p99 <= o.readP99Ms,
    noErrorsTimeoutsOrNon2xx: readsClean(result),
  };
  return {
    id: "LD3",
    pass: Object.values(criteria).every(Boolean),
    criteria,
    import: {
      route:
        "POST /api/v1/statistics/import (text/csv: checked, staged 1,000 rows a statement, published in one transaction)",
      rows: o.rows,
      places: places.length,
      csvBytes: csv.length,
      status: imported.status,
      result: imported.body,
      error: imported.error,
      seconds: round((importEnd - importStart) / 1000, 2),
    },
    readsDuringImport: during,
    readsBeforeImport: latencies(before),
    /** The longest time without any read answered, and when it began and ended (ms after the import began). */
    longestStallMs: Math.round(longestStall.ms),
    longestStallFromMs: Math.round(longestStall.endedAfterImportStartMs - longestStall.ms),
    longestStallToMs: Math.round(longestStall.endedAfterImportStartMs),
    reads: { ...result, ...latencies(run.timed) },
    connections: o.connections,
    distinctLists: run.listsUsed() <= RELIABILITY.ld1.listUrls,
    note: `reads from ${o.beforeSeconds} s before the import until ${o.afterSeconds} s after its answer; readsDuringImport: those answered after it began and sent before it ended`,
    machineLoadBefore: load,
    machineLoadAfter: machineLoad(),
  };
}

/**
 * What LD1 reads: the reader signs in (its session cookie); a review cycle over every matter is
 * started as the writer (one review a matter, drafts); the list URLs are drawn.
 */
async function prepareLd1(server: Server, documentIds: string[]): Promise<Ld1Reads> {
  if (!server.reader) throw new Error("the bench server printed no READER");
  const signIn = await fetch(`${server.base}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(server.reader),
  });
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  if (!signIn.ok || !cookie) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
  const writer = server.writerAuthorization;
  const post = async (path: string, body: unknown, ifMatch?: string) => {
    const res = await fetch(server.base + path, {
      method: "POST",
      headers: {
        authorization: writer,
        "content-type": "application/json",
        ...(ifMatch ? { "if-match": ifMatch } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const created = await post("/api/v1/review-cycles", {
    slug: "ld1-bench-review",
    name: "LD1 bench review",
    criteria: [
      { code: "C1", title: "Use of force policy" },
      { code: "C2", title: "Complaints and discipline" },
    ],
  });
  await post("/api/v1/review-cycles/ld1-bench-review/start", {}, created.headers.get("etag")!);
  const reviews: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const { body } = await getJson<{ items: { id: string }[]; total: number }>(
      server,
      `/api/v1/reviews?cycle=ld1-bench-review&limit=500&offset=${offset}`,
      writer,
    );
    reviews.push(...body.items.map((r) => `/api/v1/reviews/${r.id}`));
    if (!body.items.length || reviews.length >= body.total) break;
  }
  // Each a URL of its own: the measured run's, its warm-up's and LD3's, none asked twice.
  const lists = distinctListPaths(3 * RELIABILITY.ld1.listUrls, 1601);
  log(`LD1 reads: ${lists.length} list URLs, ${reviews.length} reviews, ${documentIds.length} documents`);
  return { cookie, lists, reviews, documents: documentIds.map((id) => `/api/v1/documents/${id}`) };
}

export async function benchReliability(engine: Engine) {
  const env = await engineDatabase(engine, "reliability");
  if (!env) return NO_POSTGRES;
  log(`${engine}: reliability: loading ${RELIABILITY.matters} matters`);
  const server = await startServer(
    {
      ...env,
      BENCH_MATTERS: String(RELIABILITY.matters),
      BENCH_EXTRA_MATTERS: "1",
      BENCH_DOCUMENTS: "50",
      BENCH_PAGES_PER_DOCUMENT: "5",
      BENCH_JOBS: "1",
    },
    30 * 60_000,
  );
  tempDirs.add(join(tmpdir(), `accord-${server.child.pid}`));
  try {
    const slugs: string[] = (
      await getJson<{ items: { slug: string }[] }>(server, "/api/v1/matters?limit=200&sort=title")
    ).body.items.map((m) => m.slug);
    const documentIds = (
      await getJson<{ items: { id: string }[] }>(server, "/api/v1/documents?limit=50")
    ).body.items.map((d) => d.id);
    // The LD1 reads: matters lists, matter pages and document metadata.
    const reads = [
      "/api/v1/matters?limit=50",
      "/api/v1/matters?q=police&sort=-openedOn&limit=50",
      "/api/v1/matters?kind=consent_decree&limit=50",
      ...slugs.slice(20, 120).map((s) => `/api/v1/matters/${s}`),
      ...documentIds.map((id) => `/api/v1/documents/${id}`),
    ];
    const wanted = (id: string) => RELIABILITY.checks.includes(id);
    const ld1Reads =
      wanted("LD1") || wanted("LD3")
        ? await prepareLd1(server, documentIds)
        : { cookie: "", lists: [], reviews: [], documents: [] };
    const ctx: Context = {
      server,
      reads,
      slugs,
      writer: server.writerAuthorization,
      ld1Reads,
      databaseUrl: env.BENCH_DATABASE_URL,
    };
    const checks: Record<string, unknown> = {};
    const run = async (id: string, check: (c: Context) => Promise<{ pass: boolean }>) => {
      if (!RELIABILITY.checks.includes(id)) return;
      log(`${engine}: reliability: ${id}`);
      try {
        const result = await check(ctx);
        checks[id] = result;
        log(
          `${engine}: ${id} ${result.pass ? "passed" : "FAILED"}: ${JSON.stringify(result).slice(0, 1500)}`,
        );
        if (!result.pass) process.exitCode = 1;
      } catch (e) {
        checks[id] = { id, pass: false, error: e instanceof Error ? e.message : String(e) };
        log(`${engine}: ${id} failed to run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        process.exitCode = 1;
      }
    };
    // LD5 last: the thousands of connections of its flood linger in the server for a while, and
    // would count among the open files of LD4's soak.
    await run("LD1", ld1);
    await run("LD3", ld3);
    await run("LD2", ld2);
    await run("LD4", ld4);
    await run("LD5", ld5);
    return {
      settings: { ...RELIABILITY, host: "127.0.0.1" },
      pass: Object.values(checks).every((c) => (c as { pass: boolean }).pass),
      checks,
    };
  } finally {
    await killChild(server.child);
  }
}
