import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/open.js";

/** An empty instance to restore into: a new data directory, and on PostgreSQL a new database. */
export async function emptyTarget(): Promise<{
  dataDir: string;
  databaseUrl: string | undefined;
  open(): Promise<Database>;
  drop(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), "accord-restore-"));
  const adminUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl: string | undefined;
  let name = "";
  if (adminUrl) {
    name = `accord_restore_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  return {
    dataDir,
    databaseUrl,
    open: () => openDatabase(databaseUrl ? { databaseUrl, poolSize: 2 } : { pgliteDir: join(dataDir, "db") }),
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (adminUrl) {
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  };
}
