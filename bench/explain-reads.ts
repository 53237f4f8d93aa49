/**
 * The plans of LD1's other reads (bench/cases/reliability.ts), on a database a bench server
 * filled and on which a review cycle was started (LD1 starts one):
 *
 *   BENCH_DATABASE_URL=postgres://… node --import tsx --conditions=@accord/source bench/explain-reads.ts
 *   BENCH_PGLITE_DIR=/tmp/…/db      node --import tsx --conditions=@accord/source bench/explain-reads.ts
 *
 * A review's detail (`GET /api/v1/reviews/{id}`, read as an approver, drafts included) and a
 * document's metadata (`GET /api/v1/documents/{id}`), each through the function its route calls,
 * every statement prefixed with EXPLAIN (ANALYZE, BUFFERS): one plan of each is printed, then
 * over BENCH_EXPLAIN_RUNS (200) reads of distinct records the buffers touched and the CPU time a
 * read (the PostgreSQL backend's from /proc, the server must be on this machine; on PGlite this
 * process's, where the database works). An approved review is read too when there is one.
 * Nothing is written.
 */
import { type SQL, sql } from "drizzle-orm";
import { systemContext } from "../packages/server/src/context/command-context.js";
import { findDocument } from "../packages/server/src/modules/documents/queries.js";
import { findReview } from "../packages/server/src/modules/reviews/queries/reviews.js";
import { openExplainDatabase, ownCpuMs, processCpuMs } from "./harness/explain.js";

const runs = Number(process.env.BENCH_EXPLAIN_RUNS ?? 200);

const database = await openExplainDatabase();
try {
  const db = database.db;
  let explaining = false;
  let buffers = 0;
  let planningMs = 0;
  let executionMs = 0;
  const plans: string[] = [];
  const tracing = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "execute") return Reflect.get(target, prop, receiver);
      return async (query: SQL) => {
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
        planningMs += Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0);
        executionMs += Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? 0);
        return target.execute(query);
      };
    },
  });
  // An approver reads drafts too (LD1's reader).
  const ctx = { ...systemContext(tracing as typeof db, "bench"), actorRole: "approver" };
  const backend =
    database.engine === "postgres"
      ? ((await db.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] })
          .rows[0]!.pid
      : null;
  const ids = async (statement: SQL) =>
    ((await db.execute(statement)) as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
  const reviewIds = await ids(sql`select id from reviews order by id limit ${runs}`);
  const approvedIds = await ids(
    sql`select id from reviews where status = 'approved' order by id limit ${runs}`,
  );
  const documentIds = await ids(sql`select id from documents order by id limit ${runs}`);
  const kinds: [string, string[], (id: string) => Promise<unknown>][] = [
    ["review", reviewIds, (id) => findReview(ctx, id)],
    ["approvedReview", approvedIds, (id) => findReview(ctx, id)],
    ["document", documentIds, (id) => findDocument(ctx, id)],
  ];
  const lines: string[] = [];
  for (const [name, list, read] of kinds) {
    if (!list.length) continue;
    explaining = true;
    plans.length = 0;
    await read(list[0]!);
    process.stdout.write(`\n===== ${name} ${list[0]}\n${plans.join("\n---\n")}\n`);
    buffers = 0;
    planningMs = 0;
    executionMs = 0;
    for (const id of list) await read(id);
    explaining = false;
    const explained = { buffers, planningMs, executionMs };
    const cpu0 = backend ? processCpuMs(backend) : ownCpuMs();
    const node0 = ownCpuMs();
    const t0 = performance.now();
    // Each record several times over, so that the CPU ticks (10 ms) add up to a figure.
    const rounds = Math.max(1, Math.ceil(runs / list.length));
    for (let k = 0; k < rounds; k++) for (const id of list) await read(id);
    const n = rounds * list.length;
    const cpu = (backend ? processCpuMs(backend) : ownCpuMs()) - cpu0;
    const node = ownCpuMs() - node0;
    lines.push(
      `${name.padEnd(15)} n=${String(n).padStart(4)}  buffers ${(explained.buffers / list.length).toFixed(0).padStart(5)}  planning ${(explained.planningMs / list.length).toFixed(2)} ms  execution ${(explained.executionMs / list.length).toFixed(2)} ms  database CPU ${(cpu / n).toFixed(2)} ms${backend ? `  node CPU ${(node / n).toFixed(2)} ms` : ""}  wall ${((performance.now() - t0) / n).toFixed(2)} ms`,
    );
  }
  process.stdout.write(
    `\n${database.engine}, a read (buffers, planning and execution from EXPLAIN ANALYZE; CPU and wall without it; on PGlite the database's CPU is this process's):\n${lines.join("\n")}\n`,
  );
} finally {
  await database.close();
}
