import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { joinSignatureParts, type SignaturePart } from "@accord/domain";
import type { ExtractionInput, WorkerMessage } from "./extract/messages.js";
import { ExtractProcess, type MemoryLimitHit, type ProcessLimits } from "./extract-process.js";

/** A worker: an extraction child process (see extract-process.ts). */
type Worker = ExtractProcess;

/** How much an extraction may take before it is stopped. */
export interface ExtractionLimits {
  /** A document with more pages fails (ACCORD_MAX_PAGES, default 2000). */
  maxPages: number;
  /** The worker is killed after this long (ACCORD_EXTRACT_TIMEOUT_S, default 120 s). */
  timeoutMs: number;
  /** The worker's V8 heap limit (ACCORD_EXTRACT_HEAP_MB, default 512). */
  heapMb: number;
  /** The worker process's memory limit, set by the operating system (RLIMIT_DATA): its heap, the
   * buffers pdf.js decodes streams into, WebAssembly memory, everything it writes to
   * (ACCORD_EXTRACT_MEMORY_MB, default 1024). */
  memoryMb: number;
  /** A page's text is cut past this many characters. */
  maxPageChars: number;
  /** Worker threads one document may be read with (ACCORD_EXTRACT_THREADS; default: two where
   * the machine has two cores or more, see runExtraction). */
  threads?: number;
  /** How long a warmed spare worker waits for a file before it ends (ACCORD_EXTRACT_SPARE_IDLE_S,
   * default 60 s): a warm worker holds 100 MB or more, worth keeping while uploads come in, not
   * all day; the next document after that waits about a second for a worker to load pdf.js. */
  spareIdleMs?: number;
}

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxPages: 2000,
  timeoutMs: 120_000,
  heapMb: 512,
  memoryMb: 1024,
  maxPageChars: 200_000,
};

export type ExtractionOutcome = (
  | {
      ok: true;
      /** The near-duplicate signature of the document's text. */
      signature: number[];
      /** What a worker said of its part (for joining the parts read by several workers). */
      part?: SignaturePart;
    }
  | { ok: false; failure: string; aborted?: boolean }
) & {
  /** The process id of the worker that read the file (the first half's when two did; the tests
   * see workers reused). */
  pid?: number;
  /** How many workers read it at once (two for a PDF read in halves). */
  workers?: number;
};

let sourceWorker: Promise<string> | null = null;

/**
 * Running from the sources (tsx, vitest), the worker entry is bundled once per process with
 * esbuild (a plain node child loads it fast, with no TypeScript loader) into node_modules/.cache, from where its npm imports resolve as usual.
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
async function workerFile(): Promise<string> {
  return import.meta.url.endsWith(".ts")
    ? await bundleSourceWorker()
    : fileURLToPath(new URL("./extract-worker.js", import.meta.url));
}

/** The limits a worker process is started with: a spare is used only for the same ones. */
const limitsKey = (l: ProcessLimits) => `${l.heapMb}/${l.memoryMb}`;

/**
 * The spares: idle workers that have loaded pdf.js and wait for a file, as many as extraction
 * may use threads (`ExtractionLimits.threads`). At first a spare is a worker started ahead of
 * need (it opens a tiny PDF, about a second of work a document would otherwise wait for); then
 * it is a worker that read its last file without trouble, its pdf.js compiled and its fonts
 * loaded (a second document reads two to three times faster in it). A worker that timed out, ran
 * out of memory, died or was stopped is never used again, and one retires after
 * MAX_FILES_PER_WORKER files so that its heap starts afresh. Unreferenced once warmed and idle,
 * so a spare never keeps the process alive.
 */
interface Spare {
  /** The limits it was started with (limitsKey). */
  key: string;
  worker: Promise<Worker>;
  ready: Promise<void>;
  /** pdf.js is loaded: a file sent now is read at once. */
  warmed: boolean;
  /** Ends the spare once it has waited SPARE_IDLE_MS for a file. */
  idle?: NodeJS.Timeout;
}
let spares: Spare[] = [];
/** How many spares to keep: the threads extraction may use (the last run's limits). */
let poolSize = 1;

const MAX_FILES_PER_WORKER = 25;
/** How long a warmed spare waits for a file (the last run's limits' spareIdleMs). */
let spareIdleMs = 60_000;

/** Starts the spare's idle clock: it ends, and leaves the pool, unless taken before. */
function idleClock(spare: Spare) {
  clearTimeout(spare.idle);
  spare.idle = setTimeout(() => {
    const i = spares.indexOf(spare);
    if (i < 0) return;
    spares.splice(i, 1);
    terminateSpare(spare);
  }, spareIdleMs);
  spare.idle.unref();
}
const filesRead = new WeakMap<Worker, number>();
/** Workers that have exited (one listener each, set when the worker is made). */
const exited = new WeakSet<Worker>();

function newWorker(file: string, limits: ProcessLimits, warm = false) {
  const w = new ExtractProcess(file, limits, warm ? ["--warm"] : []);
  w.once("exit", () => exited.add(w));
  w.once("error", () => exited.add(w));
  // An idle worker that fails (it should not) is simply not used again; a busy one's failure is
  // its file's (watchWorker).
  w.on("error", () => {});
  return w;
}

function startSpare(limits: ProcessLimits) {
  let warmed = () => {};
  const ready = new Promise<void>((resolve) => {
    warmed = resolve;
  });
  const spare: Spare = { key: limitsKey(limits), worker: null as never, ready, warmed: false };
  // While it warms, a spare keeps the process alive (as one waiting for spareReady needs); once
  // warmed, an idle one does not.
  spare.worker = workerFile().then((file) => {
    const w = newWorker(file, limits, true);
    w.once("message", () => {
      if (spares.includes(spare)) w.unref();
      warmed();
    });
    w.once("exit", warmed);
    return w;
  });
  spare.worker.catch(warmed);
  void ready.then(() => {
    spare.warmed = true;
    idleClock(spare);
  });
  spares.push(spare);
}

function terminateSpare(s: Spare) {
  clearTimeout(s.idle);
  void s.worker.then(
    (w) => w.terminate(),
    () => {},
  );
}

/** Starts spares until there are as many as extraction may use threads. */
function fillSpares(limits: ProcessLimits) {
  while (spares.length < poolSize) startSpare(limits);
}

/** Keeps a worker whose file was read without trouble as a spare, or ends it. */
function release(worker: Worker, limits: ProcessLimits) {
  const n = (filesRead.get(worker) ?? 0) + 1;
  filesRead.set(worker, n);
  if (n >= MAX_FILES_PER_WORKER) {
    worker.terminate();
    return;
  }
  worker.unref();
  // The most recently used first: it is the warmest.
  const spare: Spare = {
    key: limitsKey(limits),
    worker: Promise.resolve(worker),
    ready: Promise.resolve(),
    warmed: true,
  };
  spares.unshift(spare);
  idleClock(spare);
  for (const extra of spares.splice(poolSize)) terminateSpare(extra);
}

/**
 * Ends the spares beyond the `n` most recently used. The job runner keeps one once its queue is
 * empty: a second spare only lets a PDF be read in halves, and each holds 100 MB or more (pdf.js,
 * its fonts, the heap of the last file) for as long as it waits.
 */
export function keepSpares(n: number) {
  for (const extra of spares.splice(Math.max(0, n))) terminateSpare(extra);
}

/** The spares kept now (warming or warmed). */
export const spareCount = () => spares.length;

/** Resolves once every spare has loaded pdf.js (at once when there is none): for the benchmark. */
export const spareReady = () => Promise.all(spares.map((s) => s.ready)).then(() => {});

/** Ends the spares (when the server stops). */
export async function stopSpareWorker() {
  const current = spares;
  spares = [];
  for (const s of current) clearTimeout(s.idle);
  await Promise.all(current.map(async (s) => (await s.worker.catch(() => null))?.terminate()));
}

/** Takes a spare: a warmed one if any (or, unless `warmedOnly`, one still warming). */
function takeSpare(warmedOnly: boolean): Spare | null {
  let i = spares.findIndex((s) => s.warmed);
  if (i < 0 && !warmedOnly) i = spares.length ? 0 : -1;
  if (i < 0) return null;
  const spare = spares.splice(i, 1)[0]!;
  clearTimeout(spare.idle);
  return spare;
}

/** A worker for this file: the spare taken when it is live, else a new one. */
async function createWorker(
  taken: Spare | null,
  input: ExtractionInput,
  limits: ProcessLimits,
): Promise<Worker> {
  const worker = taken ? await taken.worker.catch(() => null) : null;
  if (worker && taken!.key === limitsKey(limits) && !exited.has(worker)) {
    worker.ref();
    worker.postMessage(input);
    return worker;
  }
  if (worker) worker.terminate();
  const fresh = newWorker(await workerFile(), limits);
  fresh.postMessage(input);
  return fresh;
}

/** The threads extraction may use by default: two where the machine has two cores or more. */
export const DEFAULT_THREADS = Math.min(2, availableParallelism());

/**
 * Runs one extraction in worker threads, handing each message to `onMessage` (the caller writes
 * pages to the database; messages of one worker come in order). A worker that runs out of time
 * or memory, or dies, is a failure of this document only.
 *
 * A PDF is read in two halves by two workers at once when extraction may use two threads and a
 * second warmed spare is at hand (a long PDF then takes about half the time; one of fewer than
 * PART_MIN_PAGES pages is read by the first alone). The halves' near-duplicate signatures join
 * into exactly the whole text's (joinSignatureParts); a failure of either half is the document's.
 */
export async function runExtraction(
  input: Omit<ExtractionInput, "maxPages" | "maxPageChars" | "part">,
  limits: ExtractionLimits,
  onMessage: (m: WorkerMessage) => Promise<void>,
  signal?: AbortSignal,
): Promise<ExtractionOutcome> {
  poolSize = Math.max(1, limits.threads ?? DEFAULT_THREADS);
  spareIdleMs = limits.spareIdleMs ?? 60_000;
  const full: ExtractionInput = { ...input, maxPages: limits.maxPages, maxPageChars: limits.maxPageChars };
  const first = takeSpare(false);
  const second = first && input.type === "pdf" && poolSize >= 2 ? takeSpare(true) : null;
  const outcome = second
    ? await runInParts([first!, second], full, limits, onMessage, signal)
    : await runOne(first, full, limits, onMessage, signal);
  // The next document should not wait for pdf.js to load.
  if (!signal?.aborted) fillSpares(limits);
  return outcome;
}

function runOne(
  taken: Spare | null,
  input: ExtractionInput,
  limits: ExtractionLimits,
  onMessage: (m: WorkerMessage) => Promise<void>,
  signal?: AbortSignal,
): Promise<ExtractionOutcome> {
  let created: Promise<Worker>;
  try {
    created = createWorker(taken, input, limits);
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

async function runInParts(
  taken: Spare[],
  input: ExtractionInput,
  limits: ExtractionLimits,
  onMessage: (m: WorkerMessage) => Promise<void>,
  signal?: AbortSignal,
): Promise<ExtractionOutcome> {
  // A half that fails stops the other: the document has failed.
  const sibling = new AbortController();
  const partSignal = signal ? AbortSignal.any([signal, sibling.signal]) : sibling.signal;
  let counted = false;
  const forward = async (m: WorkerMessage) => {
    // Both halves open the whole PDF and say its page count: it is told once.
    if (m.kind === "pageCount") {
      if (counted) return;
      counted = true;
    }
    await onMessage(m);
  };
  const outcomes = await Promise.all(
    taken.map((spare, index) =>
      runOne(spare, { ...input, part: { index, of: taken.length } }, limits, forward, partSignal).then(
        (o) => {
          if (!o.ok) sibling.abort();
          return o;
        },
      ),
    ),
  );
  const pid = outcomes[0]!.pid;
  const workers = taken.length;
  if (signal?.aborted) return { ok: false, failure: "The server is stopping", aborted: true, pid, workers };
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [o]));
  // The half that failed, not the other one stopped because of it.
  const failed = failures.find((o) => !o.aborted) ?? failures[0];
  if (failed) return { ok: false, failure: failed.failure, pid, workers };
  const parts = outcomes as Extract<ExtractionOutcome, { ok: true }>[];
  return { ok: true, signature: joinSignatureParts(parts[0]!.part!, parts[1]!.part!), pid, workers };
}

/** The failure of a worker that hit its V8 heap limit or the operating system's memory limit. */
const outOfMemory = (limits: ExtractionLimits, hit: Exclude<MemoryLimitHit, null>) =>
  `Extraction needed more memory than its limit of ${(hit === "heap" ? limits.heapMb : limits.memoryMb).toLocaleString("en-US")} MB and was stopped`;

function watchWorker(
  worker: Worker,
  limits: ExtractionLimits,
  onMessage: (m: WorkerMessage) => Promise<void>,
  signal?: AbortSignal,
): Promise<ExtractionOutcome> {
  return new Promise((resolve) => {
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
      if (healthy && !signal?.aborted) release(worker, limits);
      else worker.terminate();
      // Pages already received are written before the outcome is told.
      void queue.then(() =>
        resolve({
          ...(handlerError
            ? {
                ok: false,
                failure: `Saving the text failed: ${String((handlerError as Error).message ?? handlerError).slice(0, 200)}`,
              }
            : outcome),
          pid: worker.pid,
          workers: 1,
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
      if (m.kind === "done") {
        const { signature, head, tail, words } = m;
        return finish({ ok: true, signature, part: { signature, head, tail, words } }, true);
      }
      // A file that failed may have left pdf.js in any state: that worker reads nothing more.
      if (m.kind === "failed")
        return finish({ ok: false, failure: m.outOfMemory ? outOfMemory(limits, "os") : m.failure });
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
    const onError = (e: Error) => {
      finish({
        ok: false,
        failure: `The extraction worker could not start: ${String(e.message).slice(0, 200)}`,
      });
    };
    const onExit = (code: number | null, signal: string | null, memory: MemoryLimitHit) => {
      if (memory) return finish({ ok: false, failure: outOfMemory(limits, memory) });
      finish({
        ok: false,
        failure: `Extraction stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`,
      });
    };
    worker.on("message", onWorkerMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}
