/**
 * The plans of the matters list's statements, on a database a bench server filled:
 *
 *   BENCH_DATABASE_URL=postgres://… node --import tsx --conditions=@accord/source bench/explain-list.ts
 *   BENCH_PGLITE_DIR=/tmp/…/db      node --import tsx --conditions=@accord/source bench/explain-list.ts
 *
 * Each list shape (filtered by q, kind and state; a broad q; no filter; other sorts; as of a day;
 * a late page) is run through findMatters as GET /api/v1/matters runs it, every statement it sends
 * prefixed with EXPLAIN (ANALYZE, BUFFERS); the plans are printed, then each shape's CPU time per
 * run over BENCH_EXPLAIN_RUNS runs without EXPLAIN: the PostgreSQL backend's (from /proc, so the
 * server must be on this machine) and this process's (PGlite works in it). CPU time rather than
 * wall time, so that a busy machine's other work does not count. Nothing is written.
 */
import { MatterListQuerySchema, MatterListSchema } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { systemContext } from "../packages/server/src/context/command-context.js";
import { findMatters } from "../packages/server/src/modules/matters/queries.js";
import { distinctListPaths } from "./harness/distinct.js";
import { openExplainDatabase, ownCpuMs, processCpuMs } from "./harness/explain.js";

const SHAPES: Record<string, Record<string, string>> = {
  filtered: {
    q: "springfield police",
    kind: "consent_decree,pattern_or_practice_investigation",
    state: "MD,IL,CA",
    sort: "-openedOn",
    limit: "50",
  },
  filteredNoSort: { q: "riverton police", kind: "consent_decree", state: "TX,NY,FL", limit: "50" },
  broadQ: { q: "police", state: "TX,NY,FL", sort: "-openedOn", limit: "50" },
  broadQOnly: { q: "police", limit: "50" },
  broadQRank: { q: "department", limit: "50" },
  noFilter: { limit: "50" },
  noFilterLatePage: { limit: "50", offset: "5000" },
  kindState: { kind: "grant", state: "CA,TX", sort: "title", limit: "50" },
  sortJurisdiction: { kind: "consent_decree", sort: "-jurisdiction", limit: "50" },
  sortUpdated: { state: "NY", sort: "-updatedAt", limit: "100" },
  sortStatus: { sort: "status", limit: "25", offset: "100" },
  stateOnly: { state: "IA", sort: "-openedOn", limit: "50" },
  kindOnly: { kind: "grant", limit: "50" },
  kindsStates: { kind: "task_force,consent_decree", state: "WA,OH,MN", limit: "50" },
  asOf: { kind: "consent_decree", state: "MD,IL,CA", asOf: "2015-06-30", sort: "-openedOn", limit: "50" },
  asOfBroad: { asOf: "2012-01-01", limit: "50" },
};

const runs = Number(process.env.BENCH_EXPLAIN_RUNS ?? 20);

const only = process.env.BENCH_EXPLAIN_SHAPES?.split(",");
const database = await openExplainDatabase();
try {
  const db = database.db;
  let explaining = false;
  let buffers = 0;
  let planningMs = 0;
  const plans: string[] = [];
  // Every statement findMatters sends goes through this execute: EXPLAIN it when asked.
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
        // The buffers the statement touched (its top node's, and planning's): work that a busy
        // machine does not inflate, unlike times.
        const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(text);
        const planning = /Planning:\n\s+Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(text);
        buffers +=
          Number(top?.[1] ?? 0) +
          Number(top?.[2] ?? 0) +
          Number(planning?.[1] ?? 0) +
          Number(planning?.[2] ?? 0);
        planningMs += Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0);
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
  const times: Record<string, { wallMs: number; databaseCpuMs: number; nodeCpuMs: number }> = {};
  for (const [name, raw] of Object.entries(SHAPES)) {
    if (only && !only.includes(name)) continue;
    const q = MatterListQuerySchema.parse(raw);
    explaining = true;
    plans.length = 0;
    const page = await findMatters(ctx, q);
    explaining = false;
    process.stdout.write(
      `\n===== ${name} ${new URLSearchParams(raw).toString()}: ${page.items.length} items, total ${page.total}${page.totalCapped ? "+ (capped)" : ""}\n`,
    );
    for (const p of plans) process.stdout.write(`${p}\n---\n`);
    const t: number[] = [];
    const db0 = backend ? processCpuMs(backend) : 0;
    const own0 = ownCpuMs();
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      await findMatters(ctx, q);
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    const per = (ms: number) => Math.round((ms / runs) * 100) / 100;
    times[name] = {
      wallMs: Math.round(t[Math.floor(t.length / 2)]! * 10) / 10,
      databaseCpuMs: backend ? per(processCpuMs(backend) - db0) : per(ownCpuMs() - own0),
      nodeCpuMs: backend ? per(ownCpuMs() - own0) : 0,
    };
  }
  // A sample of the bench's distinct list URLs, each run once, by class: the CPU each class costs.
  const mix = Number(process.env.BENCH_EXPLAIN_MIX ?? 0);
  if (mix > 0) {
    const classOf = (path: string) => {
      const p = new URL(path, "http://x").searchParams;
      if (p.has("asOf")) return "asOf";
      const q = p.get("q");
      const qc = q === null ? "none" : /\d/.test(q) ? "town+n" : q.split(" ").length > 1 ? "two" : "one";
      const sort = (p.get("sort") ?? "default").replace("-", "");
      return `q:${qc} ${["default", "openedOn", "title"].includes(sort) ? "sort:indexed" : "sort:other"}`;
    };
    const classes = new Map<string, string[]>();
    for (const path of distinctListPaths(mix, 99)) {
      const c = classOf(path);
      classes.set(c, [...(classes.get(c) ?? []), path]);
    }
    let total = 0;
    let totalBuffers = 0;
    const bufferLines: string[] = [];
    const lines: [string, number, number, number][] = [];
    // On PostgreSQL this process's CPU too: what the driver, Drizzle and findMatters cost the server.
    let nodeTotal = 0;
    // What the route adds to each computed list: the read cache validates and encodes the answer.
    let encodeTotal = 0;
    for (const [c, paths] of [...classes].sort()) {
      const cpu0 = backend ? processCpuMs(backend) : ownCpuMs();
      const node0 = ownCpuMs();
      const t0 = performance.now();
      const answers = [];
      for (const path of paths) {
        answers.push(
          await findMatters(
            ctx,
            MatterListQuerySchema.parse(Object.fromEntries(new URL(path, "http://x").searchParams)),
          ),
        );
      }
      const cpu = (backend ? processCpuMs(backend) : ownCpuMs()) - cpu0;
      total += cpu;
      nodeTotal += ownCpuMs() - node0;
      const encode0 = ownCpuMs();
      for (const answer of answers) JSON.stringify(MatterListSchema.parse(answer));
      encodeTotal += ownCpuMs() - encode0;
      explaining = true;
      buffers = 0;
      planningMs = 0;
      for (const path of paths) {
        const query = MatterListQuerySchema.parse(Object.fromEntries(new URL(path, "http://x").searchParams));
        await findMatters(ctx, query);
      }
      explaining = false;
      plans.length = 0;
      bufferLines.push(
        `${c.padEnd(26)} ${(buffers / paths.length).toFixed(0).padStart(6)} buffers a request, planning ${(planningMs / paths.length).toFixed(2)} ms`,
      );
      totalBuffers += buffers;
      lines.push([c, paths.length, cpu, performance.now() - t0]);
    }
    process.stdout.write(
      `\nmix of ${mix} distinct URLs: database CPU ${Math.round(total)} ms, ${(total / mix).toFixed(2)} ms a request${backend ? `; this process ${(nodeTotal / mix).toFixed(2)} ms a request` : ""}; validating and encoding the answers (the read cache's) ${(encodeTotal / mix).toFixed(2)} ms a request\n`,
    );
    for (const [c, n, cpu, wall] of lines)
      process.stdout.write(
        `${c.padEnd(26)} n=${String(n).padStart(4)}  CPU ${(cpu / n).toFixed(2).padStart(6)} ms a request, ${Math.round((100 * cpu) / total)}% of all; wall ${(wall / n).toFixed(1)} ms\n`,
      );
    process.stdout.write(
      `buffers touched (EXPLAIN BUFFERS): ${(totalBuffers / mix).toFixed(0)} a request\n${bufferLines.join("\n")}\n`,
    );
  }
  process.stdout.write(
    `\n${database.engine}, per run of ${runs} (wall: median; CPU: mean; on PGlite the database's CPU is this process's):\n`,
  );
  for (const [name, x] of Object.entries(times))
    process.stdout.write(`${name.padEnd(18)} ${JSON.stringify(x)}\n`);
} finally {
  await database.close();
}
