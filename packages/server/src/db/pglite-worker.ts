/**
 * A prototype: PGlite in a worker thread (pglite-thread.ts), so that a long statement holds that
 * thread and not the one serving HTTP. What Drizzle's PGlite driver asks of its client (query,
 * exec, transaction) is forwarded over the thread's message port; rows come back by structured
 * clone. Opened by openDatabase when `pgliteWorker` is set (bench only: see bench/README.md).
 */
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

export class PGliteInWorker implements WorkerQueryable {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  readonly ready: Promise<void>;

  /** `load`: a dump (dumpDataDir's tar) to start from instead of `dataDir`. */
  constructor(dataDir: string | undefined, load?: ArrayBuffer) {
    // Built, the thread is the .js file beside this one. From the sources (run with tsx), the
    // .ts file, which a worker thread loads only once tsx's loader is registered in it.
    const fromSources = import.meta.url.endsWith(".ts");
    const thread = new URL(`./pglite-thread.${fromSources ? "ts" : "js"}`, import.meta.url);
    this.#worker = fromSources
      ? new Worker(
          `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(thread.href)}); })`,
          { eval: true, workerData: { dataDir, load } },
        )
      : new Worker(thread, { workerData: { dataDir, load } });
    this.ready = new Promise((resolve, reject) => {
      this.#worker.once("error", reject);
      const onReady = (m: { ready?: boolean }) => {
        if (m.ready) {
          this.#worker.off("message", onReady);
          resolve();
        }
      };
      this.#worker.on("message", onReady);
    });
    this.#worker.on("message", (m: { id?: number; result?: unknown; error?: Record<string, unknown> }) => {
      if (m.id === undefined) return;
      const pending = this.#pending.get(m.id);
      if (!pending) return;
      this.#pending.delete(m.id);
      if (m.error) pending.reject(Object.assign(new Error(String(m.error.message)), m.error));
      else pending.resolve(m.result);
    });
    this.#worker.on("error", (e) => {
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    });
  }

  #send<T>(message: Record<string, unknown>): Promise<T> {
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }

  query<T>(sql: string, params: unknown[] = [], options: { rowMode?: "array" | "object" } = {}, tx?: number) {
    return this.#send<{ rows: T[] }>({ op: "query", sql, params, rowMode: options.rowMode ?? "object", tx });
  }

  exec(sql: string, tx?: number) {
    return this.#send<unknown[]>({ op: "exec", sql, tx });
  }

  async transaction<T>(run: (tx: WorkerQueryable & { rollback(): never }) => Promise<T>): Promise<T> {
    const txId = await this.#send<number>({ op: "begin" });
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: { rowMode?: "array" | "object" }) =>
        this.query<R>(sql, params, options, txId),
      exec: (sql: string) => this.exec(sql, txId),
      rollback: (): never => {
        throw new Error("rolled back");
      },
    };
    let result: T;
    try {
      result = await run(tx);
    } catch (e) {
      await this.#send({ op: "end", tx: txId, commit: false });
      throw e;
    }
    await this.#send({ op: "end", tx: txId, commit: true });
    return result;
  }

  async close() {
    await this.#send({ op: "close" });
    await this.#worker.terminate();
  }
}
