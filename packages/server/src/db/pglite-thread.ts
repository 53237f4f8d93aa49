/**
 * The worker thread of a PGlite run off the main thread (see pglite-worker.ts): it opens the
 * database and answers the main thread's queries, one at a time as PGlite runs them; a
 * transaction holds the database until the main thread ends it. It imports nothing of ours but
 * pglite-statements.ts (which imports only PGlite), so that it loads fast (from the sources,
 * pglite-worker.ts bundles these two files).
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction, types } from "@electric-sql/pglite";
import { usePreparedStatements } from "./pglite-statements.js";

/** Drizzle's parsers (drizzle-orm/pglite/session.js): dates, times and intervals stay text. */
const keep = (value: string) => value;
const PARSERS = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((t) => [
    t,
    keep,
  ]),
);

type Request =
  | { id: number; op: "query"; sql: string; params?: unknown[]; rowMode?: "array" | "object"; tx?: number }
  | { id: number; op: "exec"; sql: string; tx?: number }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "forget" }
  | { id: number; op: "close" };

const port = parentPort;
if (!port) throw new Error("pglite-thread.ts runs as a worker thread");
const { dataDir, load, startParams, prepared } = workerData as {
  dataDir?: string;
  load?: ArrayBuffer;
  startParams?: string[];
  prepared?: boolean;
};
// A dump to start from (tests: a migrated template), else the data directory, else memory.
const db = await PGlite.create(dataDir ?? "memory://", {
  ...(load ? { loadDataDir: new Blob([load]) } : {}),
  ...(startParams ? { startParams } : {}),
});
// Reads with parameters through named prepared statements (pglite-statements.ts).
const statements = prepared ? usePreparedStatements(db) : undefined;
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void }>();
/** Each open transaction's outcome, once the main thread has ended it. */
const ends = new Map<number, Promise<{ ok: true } | { ok: false; e: unknown }>>();
class RolledBack extends Error {}
let nextTx = 0;

const fail = (id: number, e: unknown) => {
  const error = e as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of [
    "code",
    "detail",
    "hint",
    "position",
    "severity",
    "schema",
    "table",
    "column",
    "constraint",
  ])
    if (error[key] !== undefined) fields[key] = error[key];
  port.postMessage({
    id,
    error: { message: String(error.message ?? e), name: String(error.name ?? "Error"), ...fields },
  });
};

port.on("message", async (req: Request) => {
  try {
    switch (req.op) {
      case "query": {
        const on = req.tx === undefined ? db : open.get(req.tx)?.tx;
        if (!on) throw new Error(`no transaction ${req.tx}`);
        const result = await on.query(req.sql, req.params ?? [], {
          rowMode: req.rowMode ?? "object",
          parsers: PARSERS,
        });
        port.postMessage({
          id: req.id,
          result: { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows },
        });
        return;
      }
      case "exec": {
        const on = req.tx === undefined ? db : open.get(req.tx)?.tx;
        if (!on) throw new Error(`no transaction ${req.tx}`);
        const results = await on.exec(req.sql);
        port.postMessage({
          id: req.id,
          result: results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows })),
        });
        return;
      }
      case "begin": {
        const txId = ++nextTx;
        // The transaction runs until the main thread ends it: rolled back by throwing.
        const done = db
          .transaction(
            (tx) =>
              new Promise<void>((resolve, reject) => {
                open.set(txId, {
                  tx,
                  end: (commit) => (commit ? resolve() : reject(new RolledBack())),
                });
                port.postMessage({ id: req.id, result: txId });
              }),
          )
          .then(
            () => ({ ok: true as const }),
            (e: unknown) => (e instanceof RolledBack ? { ok: true as const } : { ok: false as const, e }),
          );
        ends.set(txId, done);
        return;
      }
      case "end": {
        const entry = open.get(req.tx);
        if (!entry) throw new Error(`no transaction ${req.tx}`);
        open.delete(req.tx);
        entry.end(req.commit);
        const outcome = await ends.get(req.tx);
        ends.delete(req.tx);
        if (outcome && !outcome.ok) throw outcome.e;
        port.postMessage({ id: req.id, result: null });
        return;
      }
      case "forget":
        await (statements ? statements.clear() : db.exec("deallocate all"));
        port.postMessage({ id: req.id, result: null });
        return;
      case "close":
        await db.close();
        port.postMessage({ id: req.id, result: null });
        return;
    }
  } catch (e) {
    fail(req.id, e);
  }
});
port.postMessage({ ready: true });
