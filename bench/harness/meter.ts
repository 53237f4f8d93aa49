/**
 * What a load run cost besides its latencies, for machines shared with other work: the CPU time the
 * server process used (PGlite works in it) and, on PostgreSQL, the CPU time of the bench database's
 * backends, both from /proc (this machine only); the read cache's hits and misses (the bench-only
 * /bench/cache); and the machine's load average when the run began and ended.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import pg from "pg";
import { round } from "./log.js";
import type { Server } from "./start-server.js";

/** CPU milliseconds of process `pid` (utime + stime, clock ticks of 10 ms); null once it is gone. */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The PostgreSQL backends serving `databaseUrl` now, and their CPU milliseconds. */
async function backendsOf(databaseUrl: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = cpuMsOf(pid);
      if (ms !== null) cpu.set(pid, ms);
    }
    return cpu;
  } finally {
    await client.end();
  }
}

async function cacheOf(server: Server): Promise<{ hits: number; misses: number }> {
  return (await fetch(`${server.base}/bench/cache`)).json() as Promise<{ hits: number; misses: number }>;
}

const load1 = () => round(loadavg()[0]!, 2);

export interface Metered {
  /** The read cache's answers during the run: from the cache, and computed. */
  readCache: { hits: number; misses: number };
  /** CPU milliseconds per completed request: the server process, and PostgreSQL's backends (null on PGlite). */
  serverCpuMsPerRequest: number;
  databaseCpuMsPerRequest: number | null;
  /** The machine's 1-minute load average at the start and end of the run (2 cores: above 2 is queueing). */
  loadAverage: { start: number; end: number };
}

/**
 * Starts metering a run; the returned function ends it, given the requests completed. `databaseUrl`
 * is the PostgreSQL database the server uses (absent on PGlite). A backend that closes during
 * the run takes its CPU time with it: the database figure is then a lower bound.
 */
export async function meter(server: Server, databaseUrl?: string) {
  const start = {
    cache: await cacheOf(server),
    server: cpuMsOf(server.child.pid!) ?? 0,
    backends: databaseUrl ? await backendsOf(databaseUrl) : null,
    load: load1(),
  };
  return async (requests: number): Promise<Metered> => {
    const server1 = cpuMsOf(server.child.pid!) ?? 0;
    const backends = databaseUrl ? await backendsOf(databaseUrl) : null;
    const cache = await cacheOf(server);
    let database: number | null = null;
    if (backends && start.backends) {
      database = 0;
      for (const [pid, ms] of backends) database += ms - (start.backends.get(pid) ?? 0);
    }
    const per = (ms: number) => round(ms / Math.max(1, requests), 3);
    return {
      readCache: { hits: cache.hits - start.cache.hits, misses: cache.misses - start.cache.misses },
      serverCpuMsPerRequest: per(server1 - start.server),
      databaseCpuMsPerRequest: database === null ? null : per(database),
      loadAverage: { start: start.load, end: load1() },
    };
  };
}
