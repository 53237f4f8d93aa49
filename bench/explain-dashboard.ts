/**
 * The plans of the dashboard's statements, on a database a bench server filled (the mixed case's):
 *
 *   BENCH_DATABASE_URL=postgres://… node --import tsx --conditions=@accord/source bench/explain-dashboard.ts
 *   BENCH_PGLITE_DIR=/tmp/…/db      node --import tsx --conditions=@accord/source bench/explain-dashboard.ts
 *
 * GET /api/v1/dashboard's answer is computed as the route computes it (getDashboard, no read
 * cache) today and as of a few days, every statement it sends prefixed with EXPLAIN (ANALYZE,
 * BUFFERS); the plans are printed, then each shape's time per run over BENCH_EXPLAIN_RUNS runs
 * without EXPLAIN: the wall time, the PostgreSQL backend's CPU time (from /proc, so the server must
 * be on this machine) and this process's (PGlite works in it), and the buffers the statements
 * touched (which, unlike times, a busy machine does not inflate). Nothing is written.
 */
import { type SQL, sql } from "drizzle-orm";
import { systemContext } from "../packages/server/src/context/command-context.js";
import { getDashboard } from "../packages/server/src/modules/dashboard/queries.js";
import { openExplainDatabase, ownCpuMs, processCpuMs } from "./harness/explain.js";

const TODAY = "2026-12-07";
const SHAPES: Record<string, string | undefined> = {
  today: undefined,
  asOf1998: "1998-04-17",
  asOf2011: "2011-03-04",
  asOf2017: "2017-03-31",
  asOf2024: "2024-10-09",
};

const runs = Number(process.env.BENCH_EXPLAIN_RUNS ?? 10);
const quiet = process.env.BENCH_EXPLAIN_PLANS === "0";

const database = await openExplainDatabase();
try {
  const db = database.db;
  let explaining = false;
  let statements = 0;
  let buffers = 0;
  const plans: string[] = [];
  // Every statement getDashboard sends goes through this execute: counted, and EXPLAINed when asked.
  const tracing = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "execute") return Reflect.get(target, prop, receiver);
      return async (query: SQL) => {
        statements++;
        if (!explaining) return target.execute(query);
        const result = (await target.execute(sql`explain (analyze, buffers) ${query}`)) as unknown as {
          rows: Record<string, string>[];
        };
        const text = result.rows.map((r) => Object.values(r)[0]).join("\n");
        plans.push(text);
        const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(text);
        const planning = /Planning:\n\s+Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(text);
        buffers +=
          Number(top?.[1] ?? 0) +
          Number(top?.[2] ?? 0) +
          Number(planning?.[1] ?? 0) +
          Number(planning?.[2] ?? 0);
        return target.execute(query);
      };
    },
  });
  const ctx = systemContext(tracing as typeof db, "bench");
  const backend =
    database.engine === "postgres"
      ? ((await db.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] })
          .rows[0]!.pid
      : null;
  const times: Record<
    string,
    { statements: number; buffers: number; wallMs: number; databaseCpuMs: number; nodeCpuMs: number }
  > = {};
  for (const [name, asOf] of Object.entries(SHAPES)) {
    explaining = true;
    plans.length = 0;
    buffers = 0;
    statements = 0;
    const d = await getDashboard(ctx, TODAY, asOf);
    explaining = false;
    const explained = { statements, buffers };
    if (!quiet) {
      process.stdout.write(`\n===== ${name} (${asOf ?? "today"}): ${d.totals.matters} matters\n`);
      for (const p of plans) process.stdout.write(`${p}\n---\n`);
    }
    const t: number[] = [];
    const db0 = backend ? processCpuMs(backend) : 0;
    const own0 = ownCpuMs();
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      await getDashboard(ctx, TODAY, asOf);
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    const per = (ms: number) => Math.round((ms / runs) * 100) / 100;
    times[name] = {
      ...explained,
      wallMs: Math.round(t[Math.floor(t.length / 2)]! * 10) / 10,
      databaseCpuMs: backend ? per(processCpuMs(backend) - db0) : per(ownCpuMs() - own0),
      nodeCpuMs: backend ? per(ownCpuMs() - own0) : 0,
    };
  }
  process.stdout.write(
    `\n${database.engine}, per run of ${runs} (wall: median; CPU: mean; on PGlite the database's CPU is this process's):\n`,
  );
  for (const [name, x] of Object.entries(times))
    process.stdout.write(`${name.padEnd(10)} ${JSON.stringify(x)}\n`);
} finally {
  await database.close();
}
