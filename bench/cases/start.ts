/**
 * The start case (issue 18, targets 4 and 6): the built server (`accord serve`, packages/server/dist,
 * as `make start` runs it) on a fresh data directory, so that it loads all the bundled data (the
 * first start, in a child process, `accord load-bundled`), then started again `BENCH_START_RESTARTS`
 * times on the same data. The resident memory of the server process (and, apart, with the loader
 * child, the extraction workers and any other children) is
 * sampled every 100 ms from /proc: the peak over the first start and its rest, and the steady
 * figure, the median of the samples of the last 5 of `BENCH_START_REST_SECONDS` seconds at rest
 * after each start. A start's time is from spawning the process to the first 200 from /healthz,
 * with the process's CPU time by then (on a shared machine the fairer figure).
 * Targets: steady ≤ 300 MB and peak ≤ 600 MB with the bundled data, a start on an existing data
 * directory answering within 3 s.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { children, killChild, tempDirs } from "../harness/cleanup.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { log, round } from "../harness/log.js";
import { rootDir } from "../harness/settings.js";

const START = {
  restarts: Number(process.env.BENCH_START_RESTARTS ?? 3),
  restSeconds: Number(process.env.BENCH_START_REST_SECONDS ?? 20),
};
const MB = 2 ** 20;
const CLK_TCK = 100;

/** Resident memory of a process, in bytes (0 once it has gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The process's descendants (extraction workers and what they start). */
function descendants(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {}
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of byParent.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** User and system CPU seconds the process has used. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Sample {
  at: number;
  server: number;
  withChildren: number;
}

/** One start: until /healthz answers, then `restSeconds` at rest; then SIGTERM. */
async function oneStart(env: Record<string, string>, label: string) {
  const port = await freePort();
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(rootDir, "packages/server/bin/accord.mjs"), "serve"],
    {
      cwd: rootDir,
      env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const pid = child.pid!;
  const samples: Sample[] = [];
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const sample = () => {
    const server = rssOf(pid);
    const withChildren = server + descendants(pid).reduce((sum, c) => sum + rssOf(c), 0);
    samples.push({ at: performance.now() - t0, server, withChildren });
  };
  const sampler = setInterval(sample, 100);
  let readyMs: number | null = null;
  let cpuAtReady = 0;
  try {
    const deadline = t0 + 15 * 60_000;
    while (readyMs === null) {
      if (exited) throw new Error(`${label}: the server exited before answering: ${stderr}`);
      if (performance.now() > deadline) throw new Error(`${label}: no answer after 15 minutes`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.ok) {
          readyMs = performance.now() - t0;
          cpuAtReady = cpuSecondsOf(pid);
        }
      } catch {}
      if (readyMs === null) await new Promise((r) => setTimeout(r, 25));
    }
    const restFrom = performance.now() - t0;
    await new Promise((r) => setTimeout(r, START.restSeconds * 1000));
    sample();
    const tail = samples.filter((s) => s.at >= restFrom + (START.restSeconds - 5) * 1000);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const result = {
      readyMs: Math.round(readyMs),
      cpuSecondsAtReady: round(cpuAtReady, 2),
      peakMB: round(Math.max(...samples.map((s) => s.server)) / MB),
      peakWithChildrenMB: round(Math.max(...samples.map((s) => s.withChildren)) / MB),
      steadyMB: round(median(tail.map((s) => s.server)) / MB),
      steadyWithChildrenMB: round(median(tail.map((s) => s.withChildren)) / MB),
    };
    log(`${label}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    clearInterval(sampler);
    await killChild(child);
  }
}

export async function benchStart(engine: Engine) {
  if (!existsSync(join(rootDir, "packages/server/dist/cli.js")))
    throw new Error("the server is not built: run `make build` (or `make bench`) first");
  const db = await engineDatabase(engine, "start");
  if (!db) return NO_POSTGRES;
  const dataDir = mkdtempSync(join(tmpdir(), "accord-bench-start-"));
  tempDirs.add(dataDir);
  const env: Record<string, string> = {
    ACCORD_DATA_DIR: dataDir,
    ACCORD_ADMIN_PASSWORD: "bench-start-Admin-Password-1",
    ...(db.BENCH_DATABASE_URL ? { DATABASE_URL: db.BENCH_DATABASE_URL } : {}),
    // The served database's thread as the other cases' bench server has it (BENCH_PGLITE_WORKER).
    ...(process.env.BENCH_PGLITE_WORKER ? { ACCORD_PGLITE_WORKER: process.env.BENCH_PGLITE_WORKER } : {}),
  };
  log(`${engine}: start: the first start on an empty data directory (loads the bundled data)`);
  const first = await oneStart(env, `${engine} first start`);
  const restarts = [];
  for (let i = 0; i < START.restarts; i++) restarts.push(await oneStart(env, `${engine} restart ${i + 1}`));
  const restartReady = restarts.map((r) => r.readyMs).sort((a, b) => a - b);
  const all = [first, ...restarts];
  return {
    settings: START,
    firstStart: first,
    restarts,
    targets: {
      restartReadyMedianMs: restartReady[Math.floor(restartReady.length / 2)] ?? null,
      restartWithin3s: restarts.length > 0 && restarts.every((r) => r.readyMs <= 3000),
      steadyAtMost300MB: all.every((r) => r.steadyMB <= 300),
      peakAtMost600MB: all.every((r) => r.peakMB <= 600),
      // With its children: the first start's loader process and the extraction workers (the
      // loader's, and the server's warm ones, which end after ACCORD_EXTRACT_SPARE_IDLE_S at rest).
      peakWithChildrenAtMost600MB: all.every((r) => r.peakWithChildrenMB <= 600),
      steadyWithChildrenAtMost300MB: all.every((r) => r.steadyWithChildrenMB <= 300),
      note: "AtMost…MB: the server process only; …WithChildren…: with the loader child and the extraction workers",
    },
  };
}
