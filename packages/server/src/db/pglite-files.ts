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
