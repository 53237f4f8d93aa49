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

/** One statement's share of the run, from pg_stat_statements. */
export interface StatementCost {
  calls: number;
  totalMs: number;
  meanMs: number;
  planMs: number;
  query: string;
}

/**
 * BENCH_PG_STATEMENTS=1 (PostgreSQL started with ACCORD_PG_OPTIONS="-c
 * shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"): the
 * statements of the run by total time. Null when it is not asked for or not loaded.
 */
async function statements(databaseUrl: string, phase: "reset" | "read"): Promise<StatementCost[] | null> {
  if (process.env.BENCH_PG_STATEMENTS !== "1") return null;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("create extension if not exists pg_stat_statements");
    if (phase === "reset") {
      await client.query("select pg_stat_statements_reset()");
      return null;
    }
    const { rows } = await client.query<StatementCost>(
      `select calls::int, round(total_exec_time::numeric, 1)::float as "totalMs",
         round(mean_exec_time::numeric, 2)::float as "meanMs", round(total_plan_time::numeric, 1)::float as "planMs",
         left(regexp_replace(query, '\\s+', ' ', 'g'), 300) as query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
       order by total_exec_time + total_plan_time desc limit 20`,
    );
    return rows;
  } catch (e) {
    return [{ calls: 0, totalMs: 0, meanMs: 0, planMs: 0, query: `pg_stat_statements: ${String(e)}` }];
  } finally {
    await client.end();
  }
}

export interface Metered {
  /** The read cache's answers during the run: from the cache, and computed. */
  readCache: { hits: number; misses: number };
  /** CPU milliseconds per completed request: the server process, and PostgreSQL's backends (null on PGlite). */
  serverCpuMsPerRequest: number;
  databaseCpuMsPerRequest: number | null;
  /** The machine's 1-minute load average at the start and end of the run (2 cores: above 2 is queueing). */
  loadAverage: { start: number; end: number };
  /** With BENCH_PG_STATEMENTS=1 on PostgreSQL: the run's costliest statements. */
  statements?: StatementCost[];
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
  if (databaseUrl) await statements(databaseUrl, "reset");
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
    const costliest = databaseUrl ? await statements(databaseUrl, "read") : null;
    return {
      ...(costliest ? { statements: costliest } : {}),
      readCache: { hits: cache.hits - start.cache.hits, misses: cache.misses - start.cache.misses },
      serverCpuMsPerRequest: per(server1 - start.server),
      databaseCpuMsPerRequest: database === null ? null : per(database),
      loadAverage: { start: start.load, end: load1() },
    };
  };
}
