import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { type AppliedMigration, appliedMigration } from "../db/migrations.js";
import type { Db, Queryable } from "../db/open.js";
import { queryOne, queryRows } from "../db/sql.js";
import { BlobStore } from "../modules/documents/storage.js";

export const MANIFEST = "manifest.json";
export const BACKUP_FORMAT = "accord-backup";
export const BACKUP_FORMAT_VERSION = 1;

export interface TableEntry {
  name: string;
  rows: number;
  /** md5 of the rows' text, one a line in primary-key order, computed by the database. */
  checksum: string;
  /** The rows as JSON lines (`row_to_json`), and that file's sha256. */
  file: string;
  sha256: string;
}

export interface FileEntry {
  /** Relative to the backup (and to the data directory): `blobs/aa/bb/<sha256>`. */
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  engine: "pglite" | "postgres";
  postgresVersion: string;
  /** The schema the rows belong to: restore brings an empty database to it before loading them. */
  migration: AppliedMigration;
  tables: TableEntry[];
  files: FileEntry[];
}

export interface BackupSource {
  db: Db;
  engine: "pglite" | "postgres";
  dataDir: string;
}

/**
 * The session settings every row text and checksum is computed under, so that the same rows give
 * the same text on PGlite and PostgreSQL, at backup and at restore.
 */
export async function canonicalSession(tx: Queryable) {
  await tx.execute(sql`set local timezone = 'UTC'`);
  await tx.execute(sql`set local datestyle = 'ISO, YMD'`);
  await tx.execute(sql`set local intervalstyle = 'postgres'`);
  await tx.execute(sql`set local extra_float_digits = 1`);
  await tx.execute(sql`set local bytea_output = 'hex'`);
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table of the application's schema, by name. */
export async function listTables(db: Queryable): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        order by c.relname`,
  );
  return rows.map((r) => r.name);
}

/** The order rows are read and summed in: the primary key, else the whole row's text. */
async function canonicalOrder(db: Queryable, table: string): Promise<string> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select a.attname as name from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ${`public.${ident(table)}`}::regclass and i.indisprimary
        order by array_position(i.indkey::int2[], a.attnum)`,
  );
  return rows.length ? rows.map((r) => `t.${ident(r.name)}`).join(", ") : "t::text";
}

/** A table's row count and checksum, computed in SQL over its rows in primary-key order. */
export async function tableChecksum(
  db: Queryable,
  table: string,
): Promise<{ rows: number; checksum: string }> {
  const order = await canonicalOrder(db, table);
  const row = await queryOne<{ rows: number; checksum: string }>(
    db,
    sql.raw(`select count(*)::int as rows,
        md5(coalesce(string_agg(t::text, E'\\n' order by ${order}), '')) as checksum
      from public.${ident(table)} t`),
  );
  return { rows: row?.rows ?? 0, checksum: row?.checksum ?? "" };
}

/** Rows read at a time: a large table never sits whole in memory. */
const PAGE = 2000;

async function dumpTable(db: Queryable, table: string, path: string): Promise<string> {
  const order = await canonicalOrder(db, table);
  const hash = createHash("sha256");
  const out = createWriteStream(path, { flags: "wx" });
  const write = (text: string) =>
    new Promise<void>((ok, fail) => {
      hash.update(text);
      out.write(text, (e) => (e ? fail(e) : ok()));
    });
  try {
    for (let offset = 0; ; offset += PAGE) {
      const rows = await queryRows<{ j: string }>(
        db,
        sql.raw(
          `select row_to_json(t)::text as j from public.${ident(table)} t order by ${order} limit ${PAGE} offset ${offset}`,
        ),
      );
      if (rows.length) await write(`${rows.map((r) => r.j).join("\n")}\n`);
      if (rows.length < PAGE) break;
    }
  } finally {
    await new Promise<void>((ok, fail) => out.end((e?: Error | null) => (e ? fail(e) : ok())));
  }
  return hash.digest("hex");
}

/** Copies a file while hashing it; answers its sha256 and size. */
export async function copyHashed(from: string, to: string): Promise<{ sha256: string; size: number }> {
  await mkdir(dirname(to), { recursive: true });
  const hash = createHash("sha256");
  let size = 0;
  await pipeline(
    createReadStream(from),
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(to, { flags: "wx" }),
  );
  return { sha256: hash.digest("hex"), size };
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** The hashes of the files present in a blob store (its two levels of folders; not tmp/). */
export async function storedBlobs(store: BlobStore): Promise<string[]> {
  const found: string[] = [];
  const list = (dir: string) => readdir(dir).catch(() => [] as string[]);
  for (const a of await list(store.root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await list(join(store.root, a)))
      for (const name of await list(join(store.root, a, b)))
        if (/^[0-9a-f]{64}$/.test(name)) found.push(name);
  }
  return found.sort();
}

export const blobPath = (sha256: string) => `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

/** A folder to write into must not exist yet, or be empty. */
async function ensureEmptyDir(dir: string) {
  if (!existsSync(dir)) return;
  const names = await readdir(dir).catch(() => null);
  if (names === null) throw new Error(`${dir} exists and is not a folder`);
  if (names.length) throw new Error(`${dir} is not empty: give a new folder for the backup`);
}

/**
 * A consistent, online backup of everything: every table of the database (one JSON-lines file
 * each, read in one REPEATABLE READ snapshot), the stored files the snapshot's `blobs` rows name,
 * and `manifest.json` with each table's row count and checksum (computed by the database over its
 * rows in primary-key order) and each file's sha256. Written into `out.partial-…` and renamed to
 * `out` when whole, so a folder named `out` is always a complete backup.
 *
 * Files are content-addressed and never change once stored. They are copied before the snapshot
 * (all present) and after it (any the snapshot names that were stored meanwhile); a file the
 * snapshot names that was removed in between fails the backup, naming it.
 */
export async function takeBackup(source: BackupSource, outDir: string): Promise<Manifest> {
  const out = resolve(outDir);
  await ensureEmptyDir(out);
  const work = `${out}.partial-${process.pid}-${Date.now()}`;
  await mkdir(join(work, "tables"), { recursive: true });
  try {
    const store = new BlobStore(source.dataDir);
    const copied = new Map<string, { sha256: string; size: number }>();
    const copyBlob = async (sha256: string) => {
      const copy = await copyHashed(store.pathOf(sha256), join(work, blobPath(sha256)));
      if (copy.sha256 !== sha256)
        throw new Error(
          `The stored file ${blobPath(sha256)} does not match its name (its sha256 is ${copy.sha256})`,
        );
      copied.set(sha256, copy);
    };
    for (const sha256 of await storedBlobs(store)) {
      await copyBlob(sha256).catch((e: NodeJS.ErrnoException) => {
        // Removed since it was listed: the snapshot will say whether it is still needed.
        if (e.code !== "ENOENT") throw e;
      });
    }

    const snapshot = await source.db.transaction(
      async (tx) => {
        await canonicalSession(tx);
        const migration = await appliedMigration(tx);
        if (!migration) throw new Error("The database has never been migrated: there is nothing to back up");
        const version = await queryOne<{ v: string }>(tx, sql`select current_setting('server_version') as v`);
        const tables: TableEntry[] = [];
        for (const name of await listTables(tx)) {
          const { rows, checksum } = await tableChecksum(tx, name);
          const file = `tables/${name}.jsonl`;
          const sha256 = await dumpTable(tx, name, join(work, file));
          tables.push({ name, rows, checksum, file, sha256 });
        }
        const blobs = await queryRows<{ sha256: string }>(tx, sql`select sha256 from blobs order by sha256`);
        return { migration, version: version?.v ?? "", tables, blobs: blobs.map((b) => b.sha256) };
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );

    const files: FileEntry[] = [];
    const named = new Set(snapshot.blobs);
    for (const sha256 of snapshot.blobs) {
      if (!copied.has(sha256)) {
        await copyBlob(sha256).catch((e: NodeJS.ErrnoException) => {
          if (e.code === "ENOENT")
            throw new Error(
              `The stored file ${blobPath(sha256)} was removed while the backup ran; run the backup again`,
            );
          throw e;
        });
      }
      const copy = copied.get(sha256)!;
      files.push({ path: blobPath(sha256), sha256, size: copy.size });
    }
    // Files stored after the snapshot (or orphans): not part of this backup.
    for (const sha256 of copied.keys()) if (!named.has(sha256)) await rm(join(work, blobPath(sha256)));

    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      engine: source.engine,
      postgresVersion: snapshot.version,
      migration: snapshot.migration,
      tables: snapshot.tables,
      files,
    };
    await writeFile(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx" });
    await mkdir(dirname(out), { recursive: true });
    if (existsSync(out)) await rm(out, { recursive: true });
    await rename(work, out);
    return manifest;
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
}

/** A one-line account of a backup, for the command line and the log. */
export function describeBackup(dir: string, manifest: Manifest): string {
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  return `Backed up ${manifest.tables.length} tables (${rows} rows) and ${manifest.files.length} files to ${dir}`;
}
