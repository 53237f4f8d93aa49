/**
 * What finding a request's caller costs on PostgreSQL, this process's CPU (the server's share) and
 * the backends' (from /proc: the server must be on this machine), a request, for the ways
 * auth.plugin.ts has done it, each with and without named prepared statements (pg-statements.ts):
 *
 *   bash scripts/with-postgres.sh node --import tsx --conditions=@accord/source bench/explain-auth.ts
 *
 * - `version`: the data version alone, the credential remembered in memory (before b0640f6);
 * - `joined`: the session's row with the data version in one statement (b0640f6, every request);
 * - `known`: the same statement, the row looked for only if the version moved (3c5ea9b; LD1 has
 *   no writes, so never).
 * In a database of its own on TEST_DATABASE_URL (migrated, one user and session, dropped after),
 * BENCH_EXPLAIN_RUNS (3) rounds, the order flipped each round, of BENCH_EXPLAIN_REQUESTS (3,000)
 * requests, 10 at a time on a pool of 10.
 */

import { sql } from "drizzle-orm";
import pg from "pg";
import { readDataVersion } from "../packages/server/src/db/data-version.js";
import { type Database, openDatabase } from "../packages/server/src/db/open.js";
import { createSession, resolveSessionAndVersion } from "../packages/server/src/modules/auth/sessions.js";
import { ownCpuMs, processCpuMs } from "./harness/explain.js";

const rounds = Number(process.env.BENCH_EXPLAIN_RUNS ?? 3);
const requests = Number(process.env.BENCH_EXPLAIN_REQUESTS ?? 3000);
const url = process.env.TEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
if (!url) throw new Error("TEST_DATABASE_URL is not set (run under scripts/with-postgres.sh)");
const name = `accord_explain_auth_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create database ${name}`);
const target = new URL(url);
target.pathname = `/${name}`;

async function backendsCpuMs(): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1", [
    name,
  ]);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      ms += processCpuMs(pid);
    } catch {}
  }
  return ms;
}

const databases: Record<string, Database> = {
  kept: await openDatabase({ databaseUrl: target.toString(), poolSize: 10 }),
  unnamed: await openDatabase({ databaseUrl: target.toString(), poolSize: 10, pgKept: false }),
};
try {
  await databases.kept!.migrate();
  const user = (
    (await databases.kept!.db.execute(
      sql`insert into users (username, role) values ('bench-auth', 'approver') returning id`,
    )) as unknown as { rows: { id: string }[] }
  ).rows[0]!.id;
  const now = new Date();
  const { cookieValue } = await createSession(databases.kept!.db, user, {
    address: null,
    userAgent: null,
    now,
  });
  const limits = { idleMinutes: 60, maxHours: 12 };
  const version = await readDataVersion(databases.kept!.db);
  const ways = {
    version: (d: Database) => readDataVersion(d.db),
    joined: (d: Database) => resolveSessionAndVersion(d.db, cookieValue, limits, now, null),
    known: (d: Database) => resolveSessionAndVersion(d.db, cookieValue, limits, now, version),
  };
  const results: Record<string, { server: number[]; database: number[] }> = {};
  const variants = Object.keys(ways).flatMap((w) => Object.keys(databases).map((d) => `${w}/${d}`));
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 ? [...variants].reverse() : variants) {
      const [way, db] = variant.split("/") as [keyof typeof ways, string];
      const run = ways[way];
      const database = databases[db]!;
      for (let k = 0; k < 200; k++) await run(database); // warm: connections open, statements kept
      const cpu0 = ownCpuMs();
      const backends0 = await backendsCpuMs();
      let left = requests;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (left-- > 0) await run(database);
        }),
      );
      const server = (ownCpuMs() - cpu0) / requests;
      const backends = ((await backendsCpuMs()) - backends0) / requests;
      results[variant] ??= { server: [], database: [] };
      results[variant]!.server.push(Math.round(server * 1000) / 1000);
      results[variant]!.database.push(Math.round(backends * 1000) / 1000);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const report = Object.fromEntries(
    Object.entries(results).map(([v, r]) => [
      v,
      { serverMs: median(r.server), databaseMs: median(r.database), runs: r },
    ]),
  );
  console.log(JSON.stringify({ requests, rounds, note: "CPU ms a request (medians)", report }, null, 1));
} finally {
  for (const d of Object.values(databases)) await d.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
