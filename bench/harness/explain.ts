/**
 * What the explain-* scripts share: the database a bench server filled (BENCH_DATABASE_URL, or
 * the PGlite directory BENCH_PGLITE_DIR; BENCH_PGLITE_PREPARED=0 leaves out PGlite's statement
 * cache), and CPU time of this process and of another (PostgreSQL's backend).
 */
import { readFileSync } from "node:fs";
import { openDatabase } from "../../packages/server/src/db/open.js";

/** CPU milliseconds a process has used, from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU milliseconds this process has used. */
export const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The filled database, one connection on PostgreSQL. */
export const openExplainDatabase = () =>
  openDatabase(
    process.env.BENCH_DATABASE_URL
      ? { databaseUrl: process.env.BENCH_DATABASE_URL, poolSize: 1 }
      : {
          pgliteDir: process.env.BENCH_PGLITE_DIR,
          pglitePrepared: process.env.BENCH_PGLITE_PREPARED !== "0",
        },
  );
