import { createReadStream, existsSync, readFileSync } from "node:fs";
import { readdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { systemContext } from "../context/command-context.js";
import { applyMigrations, readMigrations } from "../db/migrations.js";
import { type Database, migrationsFolder, openDatabase, type Tx } from "../db/open.js";
import { queryOne, queryRows } from "../db/sql.js";
import { verifyAuditChain } from "../modules/audit/index.js";
import { BlobStore } from "../modules/documents/storage.js";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  blobPath,
  canonicalSession,
  copyHashed,
  hashFile,
  listTables,
  MANIFEST,
  type Manifest,
  storedBlobs,
  tableChecksum,
} from "./backup.js";

export class RestoreRefusedError extends Error {}

export interface RestoreTarget {
  /** The data directory: its db/ (PGlite, when no databaseUrl) and blobs/ receive the backup. */
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Tests: the migrations folder (default: the server's). */
  migrationsFolder?: string;
}

export interface RestoreResult {
  tables: number;
  rows: number;
  files: number;
  auditEntries: number;
  /** The audit chain's first broken link, if the backed-up log already had one. */
  auditBroken: { id: number; reason: string } | null;
}

/** Reads and checks a backup's manifest and the hash of every file it lists, before anything is written. */
export async function verifyBackup(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path))
    throw new RestoreRefusedError(`${dir} is not a complete backup: ${MANIFEST} is missing`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch (e) {
    throw new RestoreRefusedError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (manifest.format !== BACKUP_FORMAT || manifest.formatVersion !== BACKUP_FORMAT_VERSION)
    throw new RestoreRefusedError(
      `${path} is not an Accord backup manifest (format ${BACKUP_FORMAT} ${BACKUP_FORMAT_VERSION})`,
    );
  const check = async (file: string, expected: string) => {
    const full = join(dir, file);
    if (!existsSync(full)) throw new RestoreRefusedError(`The backup is damaged: ${file} is missing`);
    const actual = await hashFile(full);
    if (actual !== expected)
      throw new RestoreRefusedError(
        `The backup is damaged: ${file} does not match its sha256 in ${MANIFEST} (${actual}, expected ${expected})`,
      );
  };
  for (const table of manifest.tables) await check(table.file, table.sha256);
  for (const file of manifest.files) {
    if (file.path !== blobPath(file.sha256))
      throw new RestoreRefusedError(`The backup is damaged: ${file.path} is not where its sha256 says`);
    await check(file.path, file.sha256);
  }
  return manifest;
}

/** Why a target is not empty, or null when it is. */
async function whyNotEmpty(target: RestoreTarget, database: Database | null): Promise<string | null> {
  if ((await storedBlobs(new BlobStore(target.dataDir))).length)
    return `${join(target.dataDir, "blobs")} already holds stored files`;
  if (database) {
    const found = await queryOne<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p', 'v', 'm', 'S')`,
    );
    if (found && found.n > 0) return `the database already holds ${found.n} tables, views or sequences`;
  } else {
    const dbDir = join(target.dataDir, "db");
    if (existsSync(dbDir) && (await readdir(dbDir)).length) return `${dbDir} already holds a database`;
  }
  return null;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const CHUNK = 1000;

/** Loads a table's JSON lines in chunks, skipping generated columns (the database computes them). */
async function loadTable(tx: Tx, table: string, file: string) {
  const columns = await queryRows<{ name: string }>(
    tx,
    sql`select attname as name from pg_attribute
        where attrelid = ${`public.${ident(table)}`}::regclass and attnum > 0 and not attisdropped
          and attgenerated = '' order by attnum`,
  );
  const list = columns.map((c) => ident(c.name)).join(", ");
  const insert = (lines: string[]) =>
    tx.execute(
      sql`${sql.raw(`insert into public.${ident(table)} (${list}) select ${list} from json_populate_recordset(null::public.${ident(table)}, `)}${`[${lines.join(",")}]`}::json)`,
    );
  let batch: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(line);
    if (batch.length >= CHUNK) {
      await insert(batch);
      batch = [];
    }
  }
  if (batch.length) await insert(batch);
}

/**
 * Restores a backup into an empty instance, in one transaction: the schema the backup was taken
 * on (its migrations), then every table's rows with triggers and foreign keys set aside (the audit
 * log keeps its own hash chain; keys are put back and checked at the end), sequences moved past
 * the restored ids, and each table's count and checksum compared with the manifest before commit.
 * Then the files, each hashed again, and the migrations made since the backup. Refuses a target
 * that is not empty; a failed restore leaves it empty.
 */
export async function restoreBackup(
  dir: string,
  target: RestoreTarget,
  log: (m: string) => void = () => {},
): Promise<RestoreResult> {
  const from = resolve(dir);
  const manifest = await verifyBackup(from);
  log(
    `The backup's ${manifest.tables.length} table files and ${manifest.files.length} stored files match its manifest.`,
  );

  const all = readMigrations(target.migrationsFolder ?? migrationsFolder());
  const upTo = all.findIndex(
    (m) => m.folderMillis === manifest.migration.createdAt && m.hash === manifest.migration.hash,
  );
  if (upTo < 0 || upTo + 1 !== manifest.migration.count)
    throw new RestoreRefusedError(
      `The backup was taken on a schema this version of Accord does not know (migration ${manifest.migration.count}); restore it with the version that made it`,
    );

  const pglite = !target.databaseUrl;
  const finalDir = join(target.dataDir, "db");
  const workDir = join(target.dataDir, "db.restoring");
  if (pglite) {
    const reason = await whyNotEmpty(target, null);
    if (reason)
      throw new RestoreRefusedError(`Refusing to restore: ${reason}. Restore into an empty data directory.`);
    await rm(workDir, { recursive: true, force: true });
  }
  const database = await openDatabase(
    pglite ? { pgliteDir: workDir } : { databaseUrl: target.databaseUrl, poolSize: 1 },
  );
  const writtenBlobs: string[] = [];
  let closed = false;
  let committed = false;
  try {
    if (!pglite) {
      const reason = await whyNotEmpty(target, database);
      if (reason)
        throw new RestoreRefusedError(`Refusing to restore: ${reason}. Restore into an empty database.`);
    }
    const auditEntries = await database.db.transaction(async (tx) => {
      await canonicalSession(tx);
      await applyMigrations(tx, all.slice(0, upTo + 1));
      const tables = await listTables(tx);
      const expected = new Set(manifest.tables.map((t) => t.name));
      const unknown = tables
        .filter((t) => !expected.has(t))
        .concat(manifest.tables.map((t) => t.name).filter((t) => !tables.includes(t)));
      if (unknown.length)
        throw new RestoreRefusedError(`The backup's tables differ from its schema's: ${unknown.join(", ")}`);
      const keys = await queryRows<{ table: string; name: string; definition: string }>(
        tx,
        sql`select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
            from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`,
      );
      for (const k of keys)
        await tx.execute(sql.raw(`alter table ${k.table} drop constraint ${ident(k.name)}`));
      for (const t of tables)
        await tx.execute(sql.raw(`alter table public.${ident(t)} disable trigger user`));
      // Rows the migrations wrote (built-in lists) come back from the backup as they were.
      for (const t of tables) await tx.execute(sql.raw(`delete from public.${ident(t)}`));
      for (const t of manifest.tables) await loadTable(tx, t.name, join(from, t.file));
      for (const t of tables) await tx.execute(sql.raw(`alter table public.${ident(t)} enable trigger user`));
      for (const k of keys)
        await tx.execute(sql.raw(`alter table ${k.table} add constraint ${ident(k.name)} ${k.definition}`));
      const sequences = await queryRows<{ seq: string; table: string; column: string }>(
        tx,
        sql`select s.oid::regclass::text as seq, t.oid::regclass::text as table, a.attname as column
            from pg_class s join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
              join pg_class t on t.oid = d.refobjid
              join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
            where s.relkind = 'S' and s.relnamespace = 'public'::regnamespace`,
      );
      for (const s of sequences)
        await tx.execute(
          sql.raw(
            `select setval('${s.seq.replaceAll("'", "''")}', coalesce((select max(${ident(s.column)}) from ${s.table}), 0) + 1, false)`,
          ),
        );
      for (const t of manifest.tables) {
        const got = await tableChecksum(tx, t.name);
        if (got.rows !== t.rows || got.checksum !== t.checksum)
          throw new Error(
            `Table ${t.name} did not restore identically: ${got.rows} rows, checksum ${got.checksum}; the manifest says ${t.rows} rows, ${t.checksum}`,
          );
      }
      // The files before the commit: a restore that fails leaves neither rows nor files.
      const store = new BlobStore(target.dataDir);
      for (const file of manifest.files) {
        writtenBlobs.push(file.sha256);
        const copy = await copyHashed(join(from, file.path), store.pathOf(file.sha256));
        if (copy.sha256 !== file.sha256) throw new Error(`${file.path} changed while it was restored`);
      }
      return verifyAuditChain({ ...systemContext(database.db), db: tx });
    });
    committed = true;
    log(
      `Restored ${manifest.tables.length} tables and ${manifest.files.length} stored files; every row count, checksum and sha256 matches the manifest.`,
    );
    try {
      // The migrations made since the backup, and the functions installed at each start.
      await database.migrate();
    } finally {
      await database.close();
      closed = true;
      if (pglite) await rename(workDir, finalDir);
    }
    return {
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      files: manifest.files.length,
      auditEntries: auditEntries.entries,
      auditBroken: auditEntries.broken
        ? { id: auditEntries.broken.id, reason: auditEntries.broken.reason }
        : null,
    };
  } catch (e) {
    if (!closed) await database.close().catch(() => {});
    // Once committed the rows and files stay: only the migrations since the backup failed.
    if (committed) throw e;
    if (pglite) await rm(workDir, { recursive: true, force: true });
    const store = new BlobStore(target.dataDir);
    for (const sha256 of writtenBlobs) await store.remove(sha256);
    throw e;
  }
}
