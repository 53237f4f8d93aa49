import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import pg from "pg";

export class DataDirLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly dir: string,
  ) {
    super(
      `Another Accord process (PID ${pid}) is using the data directory ${dir}. Stop it first, or set ACCORD_DATA_DIR to another directory.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A takeover mark older than this was left by a process that died while taking over. */
const TAKEOVER_STALE_MS = 30_000;

/** The lock file's text, or undefined when there is none. */
function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function pidOf(text: string | undefined): number | null {
  const pid = Number(text?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

const readPid = (path: string) => pidOf(readLock(path));

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * PGlite does not lock its directory, and two processes on one directory corrupt it. This lock
 * file holding our PID keeps a second process out; a lock left by a process that no longer runs
 * (kill -9) is taken over.
 *
 * Two windows are closed. The lock file appears whole: it is written under a name of its own and
 * then hard-linked into place, which fails if a lock exists, so nobody ever reads an empty lock.
 * And a stale lock is removed only by the holder of a takeover mark (created exclusively), who
 * reads it again first: two processes that both saw the same stale lock cannot both remove a
 * lock, the second one removing the first one's fresh lock.
 */
export function acquireDataDirLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "accord.lock");
  const takeover = join(dir, "accord.lock.takeover");
  const mine = join(dir, `accord.lock.${process.pid}.${randomBytes(6).toString("hex")}`);
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        linkSync(mine, path);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          if (readPid(path) === process.pid) rmSync(path, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const seen = readLock(path);
      const pid = pidOf(seen);
      if (pid !== null && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(pid, dir);
      if (seen === undefined) continue; // released meanwhile: link again
      // Stale (or gone meanwhile): only the holder of the takeover mark may remove it.
      let mark: number;
      try {
        mark = openSync(takeover, "wx");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        try {
          if (Date.now() - statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) rmSync(takeover, { force: true });
        } catch {
          // Removed by its holder meanwhile.
        }
        pause(20);
        continue;
      }
      try {
        // Only the stale lock seen above, still there: while the mark is held nobody else may
        // remove it, so nobody can link a fresh one in its place. A lock file gone meanwhile is
        // left alone: another process may link its fresh lock at any moment (removing "nothing"
        // here once removed a lock just taken, and two processes both held the directory).
        if (readLock(path) === seen) rmSync(path, { force: true });
      } finally {
        closeSync(mark);
        rmSync(takeover, { force: true });
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new Error(`Could not take the lock ${path}`);
}

/** The advisory lock of startup work on PostgreSQL (the audit chain's is 727274001). */
export const STARTUP_LOCK_KEY = 727274002;

/**
 * On PostgreSQL several servers may share one database, and may start at the same moment: one at
 * a time migrates it and loads what a first start loads (the first administrator, the bundled
 * data), the others wait and then find the work done. A session-level advisory lock on a
 * connection of its own, so the pool's connections stay free; should the process die, PostgreSQL
 * ends the session and the lock with it. Resolves with the function that releases it.
 */
export async function acquireStartupLock(
  databaseUrl: string,
  log: (m: string) => void = () => {},
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A connection dropped while held: the lock went with it; the error must not end the process.
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1) as ok", [
      STARTUP_LOCK_KEY,
    ]);
    if (!rows[0]?.ok) {
      log("Another Accord server is starting on this database (migrating or loading data); waiting for it");
      await client.query("select pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
    }
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await client.query("select pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]);
    } finally {
      await client.end().catch(() => {});
    }
  };
}
