import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { cleanups, tempDirs } from "./cleanup.js";

export type Engine = "pglite" | "postgres";

/** A case's result on PostgreSQL when there is no server to run it on. */
export const NO_POSTGRES = {
  skipped: "TEST_DATABASE_URL is not set (npm run bench sets it via scripts/with-postgres.sh)",
};

/**
 * A fresh database for one case on the engine, removed at the end: a PGlite directory, or a
 * database of its own on the PostgreSQL server (null without TEST_DATABASE_URL).
 */
export async function engineDatabase(engine: Engine, tag: string): Promise<Record<string, string> | null> {
  if (engine === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "accord-bench-"));
    tempDirs.add(dir);
    return { BENCH_PGLITE_DIR: join(dir, "db") };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const name = `accord_bench_${tag}_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
    cleanups.delete(drop);
  };
  cleanups.add(drop);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { BENCH_DATABASE_URL: target.toString() };
}
