import { rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ExtractionInput, WorkerMessage } from "./extract/messages.js";

/** How much an extraction may take before it is stopped. */
export interface ExtractionLimits {
  /** A document with more pages fails (ACCORD_MAX_PAGES, default 2000). */
  maxPages: number;
  /** The worker is terminated after this long (ACCORD_EXTRACT_TIMEOUT_S, default 120 s). */
  timeoutMs: number;
  /** The worker's heap limit (ACCORD_EXTRACT_HEAP_MB, default 512). */
  heapMb: number;
  /** A page's text is cut past this many characters. */
  maxPageChars: number;
}

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxPages: 2000,
  timeoutMs: 120_000,
  heapMb: 512,
  maxPageChars: 200_000,
};

export type ExtractionOutcome = (
  | { ok: true; signature: number[] }
  | { ok: false; failure: string; aborted?: boolean }
) & {
  /** The worker thread that read the file (the tests see workers reused). */
  threadId?: number;
};

let sourceWorker: Promise<string> | null = null;

/**
 * Running from the sources (tsx, vitest), a worker thread cannot load TypeScript (loaders are
 * not inherited by workers on Node 20), so the worker entry is bundled once per process with
 * esbuild into node_modules/.cache, from where its npm imports resolve as usual.
 */
function bundleSourceWorker(): Promise<string> {
  sourceWorker ??= (async () => {
    const { build } = await import("esbuild");
    const outfile = fileURLToPath(
      new URL(`../../../node_modules/.cache/accord/extract-worker-${process.pid}.mjs`, import.meta.url),
    );
    await build({
      entryPoints: [fileURLToPath(new URL("./extract/extract-worker.ts", import.meta.url))],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // As build.mjs does: our packages inlined from their sources, npm packages left external.
      conditions: ["@accord/source"],
      plugins: [
        {
          name: "externals",
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.kind === "entry-point" || args.path.startsWith("@accord/")) return undefined;
              return { path: args.path, external: true };
            });
          },
        },
      ],
      logLevel: "silent",
    });
    process.once("exit", () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return sourceWorker;
}

/** From the build, the worker is dist/extract-worker.js, a second entry point beside dist/cli.js. */
async function workerFile(): Promise<URL> {
  return import.meta.url.endsWith(".ts")
    ? pathToFileURL(await bundleSourceWorker())
    : new URL("./extract-worker.js", import.meta.url);
}

const workerOptions = (heapMb: number) => ({
  resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 },
  stdout: true,
  stderr: true,
});

/**
 * The spare: an idle worker that has loaded pdf.js and waits for a file. At first it is a worker
 * started ahead of need (it opens a tiny PDF, about a second of work a document would otherwise
 * wait for); then it is the worker that read the last file without trouble, its pdf.js compiled
 * and its fonts loaded (a second document reads two to three times faster in it). A worker that
 * timed out, ran out of memory, died or was stopped is never used again, and one retires after
 * MAX_FILES_PER_WORKER files so that its heap starts afresh. Unreferenced while idle, so a spare
 * never keeps the process alive.
 */
let spare: { heapMb: number; worker: Promise<Worker>; ready: Promise<void> } | null = null;
const MAX_FILES_PER_WORKER = 25;
const filesRead = new WeakMap<Worker, number>();
/** Workers that have exited (one listener each, set when the worker is made). */
const exited = new WeakSet<Worker>();

function newWorker(file: URL, workerData: unknown, heapMb: number) {
  const w = new Worker(file, { workerData, ...workerOptions(heapMb) });
  w.once("exit", () => exited.add(w));
  // An idle worker that fails (it should not) is simply not used again; a busy one's failure is
  // its file's (watchWorker).
  w.on("error", () => {});
  return w;
}

function startSpare(heapMb: number) {
  let warmed = () => {};
  const ready = new Promise<void>((resolve) => {
    warmed = resolve;
  });
  const worker = workerFile().then((file) => {
    const w = newWorker(file, { warm: true }, heapMb);
    w.unref();
    w.stdout?.resume();
    w.stderr?.resume();
    w.once("message", warmed);
    w.once("exit", warmed);
    return w;
  });
  worker.catch(warmed);
  spare = { heapMb, worker, ready };
}

/** Keeps a worker whose file was read without trouble as the spare, or ends it. */
function release(worker: Worker, heapMb: number) {
  const n = (filesRead.get(worker) ?? 0) + 1;
  filesRead.set(worker, n);
  if (n >= MAX_FILES_PER_WORKER) {
    void worker.terminate();
    startSpare(heapMb);
    return;
  }
  const previous = spare;
  worker.unref();
  spare = { heapMb, worker: Promise.resolve(worker), ready: Promise.resolve() };
  if (previous)
    void previous.worker.then(
      (w) => w.terminate(),
      () => {},
    );
}

/** Resolves once the spare has loaded pdf.js (at once when there is none): for the benchmark. */
export const spareReady = () => spare?.ready ?? Promise.resolve();

/** Ends the spare (when the server stops). */
export async function stopSpareWorker() {
  const current = spare;
  spare = null;
  if (current) await (await current.worker.catch(() => null))?.terminate();
}

/** A worker for this file: the spare when there is a live one, else a new one. */
async function createWorker(input: ExtractionInput, heapMb: number): Promise<Worker> {
  const taken = spare;
  spare = null;
  const worker = taken ? await taken.worker.catch(() => null) : null;
  if (worker && taken!.heapMb === heapMb && !exited.has(worker)) {
    worker.ref();
    worker.postMessage(input);
    return worker;
  }
  if (worker) void worker.terminate();
  return newWorker(await workerFile(), input, heapMb);
}

/**
 * Runs one extraction in a worker thread, handing each message to `onMessage` in order (the
 * caller writes pages to the database). A worker that runs out of time or memory, or dies, is
 * a failure of this document only.
 */
export function runExtraction(
  input: Omit<ExtractionInput, "maxPages" | "maxPageChars">,
  limits: ExtractionLimits,
  onMessage: (m: WorkerMessage) => Promise<void>,
  signal?: AbortSignal,
): Promise<ExtractionOutcome> {
  let created: Promise<Worker>;
  try {
    created = createWorker(
      { ...input, maxPages: limits.maxPages, maxPageChars: limits.maxPageChars },
      limits.heapMb,
    );
  } catch (e) {
    created = Promise.reject(e);
  }
  return created.then(
    (worker) => watchWorker(worker, limits, onMessage, signal),
    (e: Error) => ({
      ok: false,
      failure: `The extraction worker could not start: ${String(e.message).slice(0, 200)}`,
    }),
  );
}

function watchWorker(
  worker: Worker,
  limits: ExtractionLimits,
  onMessage: (m: WorkerMessage) => Promise<void>,
  signal?: AbortSignal,
): Promise<ExtractionOutcome> {
  return new Promise((resolve) => {
    // The worker's console output is not ours to print (pdf.js warns about fonts and structure).
    worker.stdout?.resume();
    worker.stderr?.resume();
    let settled = false;
    let queue = Promise.resolve();
    let handlerError: unknown = null;
    /** `healthy`: the worker read its file without trouble; it may read the next one. */
    const finish = (outcome: ExtractionOutcome, healthy = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      worker.off("message", onWorkerMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (healthy && !signal?.aborted) release(worker, limits.heapMb);
      else {
        void worker.terminate();
        // The next document should not wait for pdf.js to load.
        if (!signal?.aborted && !spare) startSpare(limits.heapMb);
      }
      // Pages already received are written before the outcome is told.
      void queue.then(() =>
        resolve({
          ...(handlerError
            ? {
                ok: false,
                failure: `Saving the text failed: ${String((handlerError as Error).message ?? handlerError).slice(0, 200)}`,
              }
            : outcome),
          threadId: worker.threadId,
        }),
      );
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          failure: `Extraction took longer than ${limits.timeoutMs / 1000} s and was stopped`,
        }),
      limits.timeoutMs,
    );
    const onAbort = () => finish({ ok: false, failure: "The server is stopping", aborted: true });
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const onWorkerMessage = (m: WorkerMessage) => {
      if (settled || m.kind === "ready") return;
      if (m.kind === "done") return finish({ ok: true, signature: m.signature }, true);
      // A file that failed may have left pdf.js in any state: that worker reads nothing more.
      if (m.kind === "failed") return finish({ ok: false, failure: m.failure });
      queue = queue.then(async () => {
        if (handlerError) return;
        try {
          await onMessage(m);
        } catch (e) {
          handlerError = e;
          finish({ ok: false, failure: "" });
        }
      });
    };
    const onError = (e: Error & { code?: string }) => {
      finish({
        ok: false,
        failure:
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `Extraction needed more memory than its limit of ${limits.heapMb} MB and was stopped`
            : `Extraction failed: ${String(e.message).slice(0, 200)}`,
      });
    };
    const onExit = (code: number) => {
      finish({ ok: false, failure: `Extraction stopped unexpectedly (exit code ${code})` });
    };
    worker.on("message", onWorkerMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}
