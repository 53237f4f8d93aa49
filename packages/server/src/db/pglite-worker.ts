/**
 * PGlite in a worker thread (pglite-thread.ts), so that a long statement holds that thread and
 * not the one serving HTTP: while a search runs, the server still answers cached reads, /healthz
 * and everything that needs no database. What Drizzle's PGlite driver asks of its client (query,
 * exec, transaction) is forwarded over the thread's message port; rows come back by structured
 * clone, errors with their PostgreSQL fields (code, constraint…), so problem+json mapping works.
 *
 * The database still runs one statement at a time, and a transaction holds it until it ends:
 * within one, a query through the outer handle waits forever, as in-process (pitfall 1).
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface WorkerQueryable {
  query<T>(
    sql: string,
    params?: unknown[],
    options?: { rowMode?: "array" | "object" },
  ): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown[]>;
}

export interface PGliteInWorkerOptions {
  /** The data directory; undefined or `memory://…` for an in-memory database. */
  dataDir?: string | undefined;
  /** A dump (dumpDataDir's tar) to start from instead of `dataDir` (tests: a migrated template). */
  load?: ArrayBuffer | undefined;
  /** PGlite's start parameters (pgliteStartParams: the buffer pool's size). */
  startParams?: string[] | undefined;
  /** Reads with parameters through named prepared statements (pglite-statements.ts). */
  prepared?: boolean | undefined;
}

let sourceThread: Promise<string> | null = null;

/**
 * Running from the sources (tsx, vitest), the thread's entry is compiled once per process with
 * esbuild into node_modules/.cache, from where its one npm import (PGlite) resolves as usual: a
 * worker thread does not inherit tsx's loader, and registering it in each one costs a second.
 */
function compileSourceThread(): Promise<string> {
  sourceThread ??= (async () => {
    const { build } = await import("esbuild");
    const outfile = fileURLToPath(
      new URL(`../../node_modules/.cache/accord/pglite-thread-${process.pid}.mjs`, import.meta.url),
    );
    await build({
      entryPoints: [fileURLToPath(new URL("./pglite-thread.ts", import.meta.url))],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "silent",
    });
    process.once("exit", () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return sourceThread;
}

/** Built, the thread is dist/pglite-thread.js, an entry point beside dist/cli.js (build.mjs). */
async function threadFile(): Promise<string> {
  return import.meta.url.endsWith(".ts")
    ? await compileSourceThread()
    : fileURLToPath(new URL("./pglite-thread.js", import.meta.url));
}

/** Rebuilds an error the thread sent: its message and PostgreSQL's fields, as PGlite threw it. */
function threadError(fields: Record<string, unknown>): Error {
  const { message, name, ...rest } = fields;
  const error = Object.assign(new Error(String(message)), rest);
  if (typeof name === "string") error.name = name;
  return error;
}

export class PGliteInWorker implements WorkerQueryable {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  /** Why the thread can no longer answer (it exited or failed), once it cannot. */
  #gone: Error | null = null;
  /** Set once `close` is called: the thread's end is then asked for, not a failure. */
  #closing = false;
  #onLost: (reason: Error) => void = () => {};
  /**
   * Settles, with why, should the thread stop unasked (it failed, or PGlite ended it): every
   * statement from then on fails, so `accord serve` exits and is started again (server.ts).
   * Never settles once `close` has been called.
   */
  readonly lost = new Promise<Error>((resolve) => {
    this.#onLost = resolve;
  });

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (m: { id?: number; result?: unknown; error?: Record<string, unknown> }) => {
      if (m.id === undefined) return;
      const pending = this.#pending.get(m.id);
      if (!pending) return;
      this.#settled(m.id);
      if (m.error) pending.reject(threadError(m.error));
      else pending.resolve(m.result);
    });
    const stop = (reason: Error) => {
      if (!this.#gone && !this.#closing) this.#onLost(reason);
      this.#gone ??= reason;
      for (const p of this.#pending.values()) p.reject(this.#gone);
      this.#pending.clear();
    };
    worker.on("error", (e) =>
      stop(new Error(`The embedded database's thread failed: ${e.message}`, { cause: e })),
    );
    worker.on("exit", (code) =>
      stop(new Error(`The embedded database's thread has stopped (exit code ${code})`)),
    );
  }

  /** Starts the thread and opens the database in it; rejects if PGlite cannot open it. */
  static async open(options: PGliteInWorkerOptions): Promise<PGliteInWorker> {
    const { load } = options;
    const worker = new Worker(await threadFile(), {
      workerData: {
        dataDir: options.dataDir,
        load,
        startParams: options.startParams,
        prepared: options.prepared ?? false,
      },
      // The dump moves to the thread rather than being copied.
      ...(load ? { transferList: [load] } : {}),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const onMessage = (m: { ready?: boolean }) => {
          if (!m.ready) return;
          cleanup();
          resolve();
        };
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        const onExit = (code: number) => {
          cleanup();
          reject(
            new Error(`The embedded database's thread exited (code ${code}) before the database was open`),
          );
        };
        const cleanup = () => {
          worker.off("message", onMessage);
          worker.off("error", onError);
          worker.off("exit", onExit);
        };
        worker.on("message", onMessage);
        worker.once("error", onError);
        worker.once("exit", onExit);
      });
    } catch (e) {
      await worker.terminate();
      throw e;
    }
    const inWorker = new PGliteInWorker(worker);
    // An idle thread does not keep the process alive (an in-process PGlite would not either);
    // one with a statement under way does (#send), so a command awaiting its answer is not cut short.
    worker.unref();
    return inWorker;
  }

  #settled(id: number) {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #send<T>(message: Record<string, unknown>): Promise<T> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }

  query<T>(sql: string, params: unknown[] = [], options: { rowMode?: "array" | "object" } = {}) {
    return this.#query<T>(sql, params, options);
  }

  exec(sql: string) {
    return this.#exec(sql);
  }

  // A transaction's statements go through these, not the public methods: whatever wraps or
  // watches the outer handle's `query` (the tests' C3 watchdog) must not see them as outer ones.
  #query<T>(
    sql: string,
    params: unknown[] = [],
    options: { rowMode?: "array" | "object" } = {},
    tx?: number,
  ) {
    // Drizzle's parsers are functions, which cannot cross to the thread: the thread has the same.
    return this.#send<{ rows: T[] }>({ op: "query", sql, params, rowMode: options.rowMode ?? "object", tx });
  }

  #exec(sql: string, tx?: number) {
    return this.#send<unknown[]>({ op: "exec", sql, tx });
  }

  async transaction<T>(run: (tx: WorkerQueryable & { rollback(): never }) => Promise<T>): Promise<T> {
    const txId = await this.#send<number>({ op: "begin" });
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: { rowMode?: "array" | "object" }) =>
        this.#query<R>(sql, params, options, txId),
      exec: (sql: string) => this.#exec(sql, txId),
      rollback: (): never => {
        throw new Error("rolled back");
      },
    };
    let result: T;
    try {
      result = await run(tx);
    } catch (e) {
      // The caller's error is what it sees, even if the thread has gone meanwhile.
      await this.#send({ op: "end", tx: txId, commit: false }).catch(() => {});
      throw e;
    }
    await this.#send({ op: "end", tx: txId, commit: true });
    return result;
  }

  /** Forgets the thread's prepared statements (after migrations: their tables' columns changed). */
  forgetStatements() {
    return this.#send<null>({ op: "forget" });
  }

  /** Closes the database (PGlite's files are consistent on disk once it resolves), then the thread. */
  async close() {
    this.#closing = true;
    if (!this.#gone) await this.#send({ op: "close" });
    this.#gone ??= new Error("The embedded database is closed");
    await this.#worker.terminate();
  }

  /** Ends the thread at once, its database not closed, as a crash of the thread would (tests). */
  async kill() {
    await this.#worker.terminate();
  }
}
