import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { installStatusSpans } from "../modules/matters/status-spans.js";
import { changingTransactions } from "./data-version.js";
import { type KeptStatementsState, keepStatements, newKeptStatementsState } from "./pg-statements.js";
import {
  DatabaseDamagedError,
  pgliteDirDamage,
  pgliteStartParams,
  seedFromTemplate,
} from "./pglite-files.js";
import { type PreparedStatements, usePreparedStatements } from "./pglite-statements.js";
import { PGliteInWorker } from "./pglite-worker.js";
import * as schema from "./schema.js";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The handle inside `db.transaction(async (tx) => …)`; queries inside must use it, never `db`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or a transaction: what read helpers accept. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  engine: "pglite" | "postgres";
  /**
   * On the embedded database (one process holds it): a count of committed changes kept in
   * memory, so read caches need not ask the database, which a long write may be holding.
   */
  localVersion?: () => number;
  /**
   * On the embedded database in a worker thread: settles, with why, should the thread stop
   * unasked (pglite-worker.ts); every statement fails from then on.
   */
  lost?: Promise<Error>;
  /** On PostgreSQL: the connections' kept statements (pg-statements.ts), for tests and benches. */
  keptStatements?: KeptStatementsState;
  /** Applies the pending migrations (of `folder`, default the server's) in one transaction. */
  migrate(folder?: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` for a PostgreSQL server; otherwise PGlite. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite's files; `memory://` or undefined for an in-memory database. */
  pgliteDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** An already-open PGlite instance to use (tests clone a migrated template). */
  pglite?: PGlite;
  /** PGlite's buffer pool (ACCORD_PGLITE_SHARED_BUFFERS), e.g. "32MB". */
  pgliteSharedBuffers?: string | undefined;
  /**
   * PGlite in a worker thread of its own (pglite-worker.ts), so that a long statement does not
   * hold the thread serving HTTP (`accord serve` with ACCORD_PGLITE_WORKER=1; the bench with
   * BENCH_PGLITE_WORKER=1; the tests with TEST_PGLITE_WORKER=1).
   */
  pgliteWorker?: boolean;
  /**
   * PGlite's reads with parameters through named prepared statements, their plans kept
   * (pglite-statements.ts); default on, off with false (the benches compare: BENCH_PGLITE_PREPARED=0).
   */
  pglitePrepared?: boolean;
  /**
   * PostgreSQL's statements marked `kept` as named prepared statements on each connection
   * (pg-statements.ts); default on, off with false (bench/explain-auth.ts compares the two).
   */
  pgKept?: boolean;
  /** With `pgliteWorker`: a dump (PGlite's dumpDataDir) to start from instead of `pgliteDir` (tests). */
  pgliteLoad?: ArrayBuffer;
}

/** Walks up from this module until `relative` exists: works from src/, dist/ and a bundle alike. */
export function findUp(relative: string, from = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function migrationsFolder(): string {
  const dir = findUp("drizzle/meta/_journal.json");
  if (!dir) throw new Error("The migrations folder (drizzle/) was not found next to the server");
  return dirname(dirname(dir));
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // A dropped idle connection must not crash the process.
    pool.on("error", () => {});
    // Each connection keeps the statements marked `kept` prepared under names of its own.
    const keptStatements = newKeptStatementsState();
    if (options.pgKept !== false) pool.on("connect", (client) => keepStatements(client, keptStatements));
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return {
      db,
      engine: "postgres",
      keptStatements,
      migrate: async (folder) => {
        await migratePg(drizzlePg({ client: pool, schema }), {
          migrationsFolder: folder ?? migrationsFolder(),
        });
        await installStatusSpans(db);
        // A table whose columns changed makes PostgreSQL refuse a statement prepared before:
        // every connection forgets its kept statements.
        keptStatements.generation++;
      },
      close: () => pool.end(),
    };
  }
  const dir = options.pgliteDir ?? "memory://";
  const onDisk = !options.pglite && !options.pgliteLoad && !dir.startsWith("memory://");
  if (onDisk) {
    // A damaged directory is refused before PGlite writes into it (pglite-files.ts).
    const damage = pgliteDirDamage(dir);
    if (damage) throw new DatabaseDamagedError(dir, damage);
  }
  if (!options.pglite && !dir.startsWith("memory://")) seedFromTemplate(dir);
  // PGlite writes its postmaster.pid before it reads the log: a start that fails puts back what
  // was there, so that a refused directory is left byte for byte as it was found.
  const pidFile = join(dir, "postmaster.pid");
  const pidBefore = onDisk && existsSync(pidFile) ? readFileSync(pidFile) : null;
  let client: PGlite;
  const prepared = options.pglitePrepared ?? true;
  let statements: PreparedStatements | undefined;
  try {
    if (options.pgliteWorker && !options.pglite) {
      const inWorker = await PGliteInWorker.open({
        dataDir: options.pgliteLoad ? undefined : dir,
        load: options.pgliteLoad,
        startParams: pgliteStartParams(options.pgliteSharedBuffers),
        prepared,
      });
      client = inWorker as unknown as PGlite;
    } else {
      client =
        options.pglite ??
        (await PGlite.create(dir, { startParams: pgliteStartParams(options.pgliteSharedBuffers) }));
      if (prepared) statements = usePreparedStatements(client);
    }
  } catch (e) {
    if (!onDisk) throw e;
    if (pidBefore) writeFileSync(pidFile, pidBefore);
    else rmSync(pidFile, { force: true });
    const reason = (e as Error).message.split(". ")[0];
    throw new DatabaseDamagedError(dir, `PGlite failed to open it (${reason}); it may be damaged`);
  }
  const pgliteDb = drizzlePglite({ client, schema });
  let committedChanges = 0;
  const transaction = pgliteDb.transaction.bind(pgliteDb);
  // Count a change once its transaction has committed, never before.
  pgliteDb.transaction = (async (run, config) => {
    let handle: object | undefined;
    const result = await transaction(async (tx) => {
      handle = tx;
      return run(tx);
    }, config);
    if (handle && changingTransactions.has(handle)) committedChanges++;
    return result;
  }) as typeof pgliteDb.transaction;
  return {
    db: pgliteDb as unknown as Db,
    engine: "pglite",
    localVersion: () => committedChanges,
    ...(client instanceof PGliteInWorker ? { lost: client.lost } : {}),
    migrate: async (folder) => {
      await migratePglite(pgliteDb, { migrationsFolder: folder ?? migrationsFolder() });
      await installStatusSpans(pgliteDb as unknown as Db);
      // PostgreSQL plans a changed table's statements again, but refuses one whose columns
      // changed: the statements are parsed anew after migrations (the thread's, on its side).
      if (statements) await statements.clear();
      else if (client instanceof PGliteInWorker) await client.forgetStatements();
    },
    close: () => client.close(),
  };
}
