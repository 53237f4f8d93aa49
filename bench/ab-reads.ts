/**
 * Alternated CPU pairs of bench servers from several worktrees (AB_DIRS, comma-separated) on one
 * PostgreSQL database: the database is filled once (by the first), then each round starts every
 * variant's bench/server.ts (BENCH_REUSE=1) in turn (the order flips each round), runs the same
 * reads at 50 connections for AB_SECONDS, and reports rps, the server's and PostgreSQL's CPU a
 * request and (BENCH_PG_STATEMENTS=1) the costliest statements with their planning time.
 *
 *   AB_KIND=ld1: LD1's reads (lists, review details, document metadata, with a session cookie);
 *   AB_KIND=list: the registry case's listDistinct (distinct list URLs, an API token).
 *
 *   ACCORD_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" \
 *   BENCH_PG_STATEMENTS=1 AB_DIRS=/work/wt/a,/work/wt/b bash scripts/with-postgres.sh \
 *     node --import tsx --conditions=@accord/source bench/ab-reads.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import pg from "pg";
import { distinctListPaths } from "./harness/distinct.js";
import { meter } from "./harness/meter.js";
import type { Server } from "./harness/start-server.js";

const dirs = (process.env.AB_DIRS ?? "").split(",").filter(Boolean);
const kind = process.env.AB_KIND ?? "ld1";
const rounds = Number(process.env.AB_ROUNDS ?? 3);
const seconds = Number(process.env.AB_SECONDS ?? 15);
const matters = Number(process.env.AB_MATTERS ?? (kind === "ld1" ? 2000 : 10000));
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

function start(
  dir: string,
  env: Record<string, string>,
): Promise<Server & { reader: { username: string; password: string } }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.AB_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      "--conditions=@accord/source",
      join(dir, "bench", "server.ts"),
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        BENCH_MATTERS: String(matters),
        BENCH_EVENTS_PER_MATTER: "10",
        BENCH_EXTRA_MATTERS: "1",
        BENCH_SEED: "42",
        BENCH_IMPORT_BATCH: "0",
        BENCH_DOCUMENTS: "50",
        BENCH_PAGES_PER_DOCUMENT: "5",
        ...env,
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let authorization = "";
    let writer = "";
    let reader = { username: "", password: "" };
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("TOKEN ")) authorization = `Bearer ${line.slice(6)}`;
      if (line.startsWith("WRITER ")) writer = `Bearer ${line.slice(7)}`;
      if (line.startsWith("READER ")) reader = JSON.parse(line.slice(7));
      const m = /^READY (\d+)$/.exec(line);
      if (m)
        resolve({
          child,
          base: `http://127.0.0.1:${m[1]}`,
          authorization,
          writerAuthorization: writer,
          reader,
          imported: { importSeconds: 0, batches: 0 },
          documents: null,
          compliance: null,
          statistics: null,
        });
    });
  });
}

async function stop(server: Server) {
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await exited;
}

async function signIn(server: Server & { reader: { username: string; password: string } }) {
  const res = await fetch(`${server.base}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(server.reader),
  });
  if (!res.ok) throw new Error(`sign-in ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

async function getJson<T>(server: Server, path: string, authorization: string): Promise<T> {
  const res = await fetch(server.base + path, { headers: { authorization } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

function load(
  server: Server,
  paths: readonly string[],
  headers: Record<string, string>,
  connections: number,
  secs: number,
) {
  let i = 0;
  return autocannon({
    url: server.base,
    headers,
    connections,
    duration: secs,
    timeout: 10,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
}

const url = process.env.TEST_DATABASE_URL!;
const name = `accord_ab_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const target = new URL(url);
target.pathname = `/${name}`;
const dbEnv = { BENCH_DATABASE_URL: target.toString() };

log(`filling ${matters} matters with ${dirs[0]}`);
const filler = await start(dirs[0]!, { ...dbEnv, BENCH_JOBS: "1" });
const documents = (
  await getJson<{ items: { id: string }[] }>(filler, "/api/v1/documents?limit=50", filler.authorization)
).items.map((d) => `/api/v1/documents/${d.id}`);
const reviews: string[] = [];
if (kind === "ld1") {
  const post = async (path: string, body: unknown, ifMatch?: string) => {
    const res = await fetch(filler.base + path, {
      method: "POST",
      headers: {
        authorization: filler.writerAuthorization,
        "content-type": "application/json",
        ...(ifMatch ? { "if-match": ifMatch } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const created = await post("/api/v1/review-cycles", {
    slug: "ab-review",
    name: "AB review",
    criteria: [{ code: "C1", title: "Use of force policy" }],
  });
  await post("/api/v1/review-cycles/ab-review/start", {}, created.headers.get("etag")!);
  for (let offset = 0; ; offset += 500) {
    const body = await getJson<{ items: { id: string }[]; total: number }>(
      filler,
      `/api/v1/reviews?cycle=ab-review&limit=500&offset=${offset}`,
      filler.writerAuthorization,
    );
    reviews.push(...body.items.map((r) => `/api/v1/reviews/${r.id}`));
    if (!body.items.length || reviews.length >= body.total) break;
  }
}
await stop(filler);
await new Promise((r) => setTimeout(r, 3000));

// The same URLs for every run: each server starts with an empty read cache.
const lists = distinctListPaths(60_000, 1601);
const warmLists = distinctListPaths(2_000, 77);
const mix = (ls: readonly string[]) => {
  if (kind !== "ld1") return [...ls];
  const out: string[] = [];
  for (let k = 0; k < ls.length; k++)
    out.push(ls[k]!, reviews[k % reviews.length]!, documents[k % documents.length]!);
  return out;
};
const results: Record<string, unknown>[] = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? dirs : [...dirs].reverse();
  for (const dir of order) {
    const server = await start(dir, { ...dbEnv, BENCH_REUSE: "1" });
    const headers: Record<string, string> =
      kind === "ld1" ? { cookie: await signIn(server) } : { authorization: server.authorization };
    await load(server, mix(warmLists), headers, 5, 3);
    const metered = await meter(server, dbEnv.BENCH_DATABASE_URL);
    const r = await load(server, mix(lists), headers, 50, seconds);
    const total = (r.requests as unknown as { total: number }).total;
    const m = await metered(total);
    const row = {
      dir,
      round,
      rps: Math.round(r.requests.average),
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      serverCpu: m.serverCpuMsPerRequest,
      dbCpu: m.databaseCpuMsPerRequest,
      load: m.loadAverage,
      statements: m.statements?.slice(0, Number(process.env.AB_STATEMENTS ?? 8)).map((s) => ({
        ...s,
        perRequestMs: Math.round(((s.totalMs + s.planMs) / total) * 1000) / 1000,
        query: s.query.slice(0, 160),
      })),
    };
    results.push(row);
    log(JSON.stringify({ ...row, statements: undefined }));
    await stop(server);
  }
}
const summary = dirs.map((dir) => {
  const rs = results.filter((r) => r.dir === dir) as {
    rps: number;
    serverCpu: number;
    dbCpu: number;
    p99: number;
  }[];
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    dir,
    rps: rs.map((r) => r.rps),
    serverCpu: rs.map((r) => r.serverCpu),
    dbCpu: rs.map((r) => r.dbCpu),
    p99: rs.map((r) => r.p99),
    median: {
      rps: med(rs.map((r) => r.rps)),
      serverCpu: med(rs.map((r) => r.serverCpu)),
      dbCpu: med(rs.map((r) => r.dbCpu)),
    },
  };
});
process.stdout.write(`${JSON.stringify({ kind, seconds, matters, summary, results }, null, 1)}\n`);
const drop = new pg.Client({ connectionString: url });
await drop.connect();
await drop.query(`drop database if exists ${name} with (force)`);
await drop.end();
