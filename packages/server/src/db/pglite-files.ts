/**
 * How the embedded database is started, and how a new one is made without initdb's memory.
 *
 * PGlite makes a new database by running initdb in a second WebAssembly instance and copying its
 * files over as a tar held in memory: about 500 MB more resident memory on the first start, most
 * of which the process never gives back. `npm run build` therefore makes one empty database
 * (packages/server/dist/pglite-template, stamped with the PGlite version that made it), and a new
 * data directory starts as a copy of it: plain file copies, then PGlite opens an existing database.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { findUp } from "./open.js";

export const PGLITE_TEMPLATE_DIR = "pglite-template";
const STAMP = "ACCORD_PGLITE_VERSION";

/**
 * PGlite's own start parameters with a smaller buffer pool: its default of 128 MB is resident
 * for the life of the process, and the pages it would cache are in the operating system's file
 * cache anyway (PGlite reads them from ordinary files).
 */
export function pgliteStartParams(sharedBuffers = DEFAULT_SHARED_BUFFERS): string[] {
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers}`, "-c", "wal_buffers=1MB"];
}
export const DEFAULT_SHARED_BUFFERS = "32MB";

/** The version of the installed PGlite (a template made by another version is not used). */
export function pgliteVersion(): string {
  const pkg = findUp("node_modules/@electric-sql/pglite/package.json");
  return pkg ? (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version : "unknown";
}

/** Where the build leaves the template, if it did. */
export function pgliteTemplateDir(): string | null {
  return findUp(join("dist", PGLITE_TEMPLATE_DIR));
}

const isEmptyDir = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

/** The embedded database's directory holds no database yet (the first start makes it). */
export const isNewPgliteDir = (dir: string) => isEmptyDir(dir);

/**
 * Before the first open of `dir`: when it holds no database yet and a template made by this
 * PGlite version exists, `dir` becomes a copy of the template (whole or not at all: copied
 * beside it, then renamed). Returns whether it did.
 */
export function seedFromTemplate(dir: string, template = pgliteTemplateDir()): boolean {
  if (!template || !isEmptyDir(dir)) return false;
  let stamp: string;
  try {
    stamp = readFileSync(join(template, STAMP), "utf8").trim();
  } catch {
    return false;
  }
  if (stamp !== pgliteVersion()) return false;
  const partial = `${dir}.copying-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(template, partial, { recursive: true, filter: (src) => !src.endsWith(STAMP) });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return true;
}

/** Makes the template (the build calls this): an empty database, closed, stamped with the version. */
export async function makePgliteTemplate(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const db = await PGlite.create(dir);
  await db.query("select 1");
  await db.close();
  writeFileSync(join(dir, STAMP), `${pgliteVersion()}\n`);
}

/**
 * The embedded database's directory holds a database that cannot be opened as it is. The server
 * refuses to start rather than let PGlite write into it (a run of initdb over a half-made
 * database, or a crash recovery over a cut log), so that the directory stays as it was found.
 */
export class DatabaseDamagedError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(
      `The database in ${dir} cannot be opened: ${reason}. It was left as it was found. Restore the latest backup into an empty data directory (ACCORD_DATA_DIR=NEW_DIR accord restore BACKUP_DIR) and start the server on that directory; keep this one for inspection.`,
    );
  }
}

/** The files of a PostgreSQL write-ahead log segment (timeline, log, segment: 24 hex digits). */
const WAL_SEGMENT = /^[0-9A-F]{24}$/;
/** pg_control is one 8 kB page. */
const PG_CONTROL_SIZE = 8192;

/**
 * Before PGlite opens `dir`: the reason it holds a damaged database, or null when it is empty
 * (a new database) or looks whole. Reads only. What it catches: a first initdb cut short (files
 * without PG_VERSION or pg_control, or no log), a cut pg_control, and a write-ahead log segment
 * that is not whole (every segment is written at its full size, a power of two of 1 MB to 1 GB,
 * before it is used, so a shorter one was truncated). Damage it cannot see (a page's bytes) is
 * left to PGlite, whose failure to open says the same (openDatabase).
 */
export function pgliteDirDamage(dir: string): string | null {
  if (isEmptyDir(dir)) return null;
  const has = (p: string) => existsSync(join(dir, p));
  if (!has("PG_VERSION") || !has("global/pg_control") || !has("pg_wal"))
    return `it is incomplete (${["PG_VERSION", "global/pg_control", "pg_wal"].filter((p) => !has(p)).join(", ")} missing), as a first start cut short leaves it; if no server ever started on it, it holds no data and can be emptied instead`;
  const control = statSync(join(dir, "global/pg_control")).size;
  if (control !== PG_CONTROL_SIZE)
    return `its control file global/pg_control is ${control} bytes long, not ${PG_CONTROL_SIZE}`;
  const segments = readdirSync(join(dir, "pg_wal")).filter((f) => WAL_SEGMENT.test(f));
  if (!segments.length) return "its write-ahead log (pg_wal) has no segment";
  for (const name of segments) {
    const size = statSync(join(dir, "pg_wal", name)).size;
    const whole = size >= 1 << 20 && size <= 1 << 30 && (size & (size - 1)) === 0;
    if (!whole) return `its write-ahead log segment pg_wal/${name} is cut short (${size} bytes)`;
  }
  return null;
}
