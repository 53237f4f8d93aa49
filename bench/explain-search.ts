/**
 * The search statement's plans and cost, on a database a bench server filled with the search
 * corpus (BENCH_SEARCH_PAGES):
 *
 *   BENCH_DATABASE_URL=postgres://… node --import tsx --conditions=@accord/source bench/explain-search.ts
 *   BENCH_PGLITE_DIR=/tmp/…/db      node --import tsx --conditions=@accord/source bench/explain-search.ts
 *
 * Each of the search case's twenty queries is run through searchStatement as GET /api/v1/search
 * runs it (or those of BENCH_EXPLAIN_QUERIES, a JSON array of texts), once with EXPLAIN (ANALYZE,
 * BUFFERS): its plan is printed when its text is in BENCH_EXPLAIN_PLANS (comma-separated, or
 * `all`), its planning and execution times and buffers always. Then each query's CPU time per run,
 * and that of parsing and planning it alone (a plain EXPLAIN), over BENCH_EXPLAIN_RUNS runs (PostgreSQL's backend
 * from /proc, so the server must be on this machine; on PGlite this process's), and with
 * BENCH_EXPLAIN_MIX=200 that many of the load phase's distinct searches by shape: the CPU a
 * search costs, which bounds the searches a second two cores can answer. CPU time and buffers
 * rather than wall time: a busy machine inflates times, not those. Nothing is written.
 */
import { readFileSync } from "node:fs";
import { SearchQuerySchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { ALL } from "../packages/server/src/context/read-scope.js";
import { openDatabase } from "../packages/server/src/db/open.js";
import { searchStatement } from "../packages/server/src/modules/search/index.js";
import { distinctSearches, SEARCH_CASE_QUERIES } from "./cases/search.js";

const runs = Number(process.env.BENCH_EXPLAIN_RUNS ?? 5);
const mix = Number(process.env.BENCH_EXPLAIN_MIX ?? 0);
const plansOf = process.env.BENCH_EXPLAIN_PLANS?.split(",") ?? [];
/** Other queries than the search case's twenty: a JSON array of texts. */
const queries: string[] = process.env.BENCH_EXPLAIN_QUERIES
  ? JSON.parse(process.env.BENCH_EXPLAIN_QUERIES)
  : SEARCH_CASE_QUERIES;

/** CPU milliseconds a process has run, from /proc/<pid>/schedstat (nanoseconds on a CPU: finer than /proc/<pid>/stat's ticks of 10 ms). */
function processCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
}
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const database = await openDatabase(
  process.env.BENCH_DATABASE_URL
    ? { databaseUrl: process.env.BENCH_DATABASE_URL, poolSize: 1 }
    : { pgliteDir: process.env.BENCH_PGLITE_DIR },
);
try {
  const db = database.db;
  const backend =
    database.engine === "postgres"
      ? ((await db.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] })
          .rows[0]!.pid
      : null;
  const cpuNow = () => (backend ? processCpuMs(backend) : ownCpuMs());
  const statementOf = (text: string) => {
    const statement = searchStatement(SearchQuerySchema.parse({ q: text, limit: "20" }), ALL);
    if (!statement) throw new Error(`nothing to search for in ${text}`);
    return statement;
  };
  const rows = async (text: string) =>
    ((await db.execute(statementOf(text))) as unknown as { rows: { total: number; capped: boolean }[] })
      .rows[0]!;

  /**
   * CPU time of parsing and planning the statement alone (a plain EXPLAIN), mean of `n` runs: the
   * part of a search's CPU that does not depend on the matches. (PGlite's named statements skip
   * the parse on a route's later runs; EXPLAIN parses each time.)
   */
  const planCpu = async (text: string, n = runs) => {
    const cpu0 = cpuNow();
    for (let k = 0; k < n; k++) await db.execute(sql`explain ${statementOf(text)}`);
    return (cpuNow() - cpu0) / n;
  };

  const lines: string[] = [];
  for (const text of queries) {
    const first = await rows(text);
    const plan = (
      (await db.execute(sql`explain (analyze, buffers) ${statementOf(text)}`)) as unknown as {
        rows: Record<string, string>[];
      }
    ).rows
      .map((r) => Object.values(r)[0])
      .join("\n");
    if (plansOf.includes("all") || plansOf.includes(text)) process.stdout.write(`\n===== ${text}\n${plan}\n`);
    const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
    const execution = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
    const planning = /Planning Time: ([\d.]+) ms/.exec(plan)?.[1];
    const cpu0 = cpuNow();
    const t0 = performance.now();
    for (let k = 0; k < runs; k++) await rows(text);
    const wall = (performance.now() - t0) / runs;
    const cpu = (cpuNow() - cpu0) / runs;
    const planned = await planCpu(text);
    lines.push(
      `${JSON.stringify(text).padEnd(30)} total ${String(first.total).padStart(5)}${first.capped ? "+" : " "}  buffers ${String(Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0)).padStart(7)}  plan ${String(planning).padStart(7)} ms  run ${String(execution).padStart(8)} ms  CPU ${cpu.toFixed(1).padStart(6)} ms (parse+plan ${planned.toFixed(1).padStart(5)})  wall ${wall.toFixed(1).padStart(6)} ms`,
    );
  }
  process.stdout.write(
    `\n${database.engine}, per query (CPU, parse+plan CPU and wall: mean of ${runs} runs):\n${lines.join("\n")}\n`,
  );

  if (mix > 0) {
    // The load phase's searches, by shape (one word, two words, a phrase and a word, a prefix, an exclusion).
    const shapeOf = (text: string) =>
      text.startsWith('"')
        ? "phrase+word"
        : text.includes("*")
          ? "prefix+word"
          : text.includes(" -")
            ? "word-word"
            : text.includes(" ")
              ? "two words"
              : "one word";
    const byShape = new Map<string, { n: number; cpu: number; wall: number; capped: number }>();
    let total = 0;
    let planned = 0;
    for (const text of distinctSearches(mix)) {
      planned += await planCpu(text, 1);
      const cpu0 = cpuNow();
      const t0 = performance.now();
      const row = await rows(text);
      const cpu = cpuNow() - cpu0;
      total += cpu;
      const s = byShape.get(shapeOf(text)) ?? { n: 0, cpu: 0, wall: 0, capped: 0 };
      s.n++;
      s.cpu += cpu;
      s.wall += performance.now() - t0;
      if (row.capped) s.capped++;
      byShape.set(shapeOf(text), s);
    }
    process.stdout.write(
      `\nmix of ${mix} distinct searches: database CPU ${(total / mix).toFixed(1)} ms a search, of which parsing and planning (a plain EXPLAIN) ${(planned / mix).toFixed(1)} ms\n`,
    );
    for (const [shape, s] of byShape)
      process.stdout.write(
        `${shape.padEnd(12)} n=${String(s.n).padStart(4)}  CPU ${(s.cpu / s.n).toFixed(1).padStart(6)} ms  wall ${(s.wall / s.n).toFixed(1).padStart(6)} ms  capped ${s.capped}\n`,
      );
  }
} finally {
  await database.close();
}
