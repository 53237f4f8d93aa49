// The only module that imports pdf.js (see RELIABILITY.md pitfall 4; a lint rule in biome.json
// refuses it anywhere else). It runs in the extraction worker process, never in the server's.
import { inflateSync } from "node:zlib";
import { pdfjsParams } from "./pdf-options.js";

// pdf.js's legacy build (the one that runs on Node 20) carries core-js, whose Array.prototype.push
// replaces V8's on Node 20 with a slower one written in JavaScript, for an edge case of arrays
// longer than 2^32 that pdf.js never meets: a quarter of the time of extracting a text-heavy PDF.
// V8's own is kept aside before pdf.js loads and put back once pdf.js and its worker code have
// loaded (this process is the extraction worker's: nothing else runs in it).
const nativePush = Array.prototype.push;
const { getDocument, PDFWorker } = await import("pdfjs-dist/legacy/build/pdf.mjs");
// pdf.js's worker code, run in this thread (as pdf.js runs it in Node); it has no type declarations.
const WORKER_MODULE: string = "pdfjs-dist/legacy/build/pdf.worker.mjs";
const { WorkerMessageHandler } = (await import(WORKER_MODULE)) as {
  WorkerMessageHandler: { initializeFromPort(port: DirectPort): void };
};
function restoreNativePush() {
  if (Array.prototype.push !== nativePush)
    Object.defineProperty(Array.prototype, "push", { value: nativePush, writable: true, configurable: true });
}

type PortListener = (event: { data: unknown }) => void;

/**
 * The channel between pdf.js's API and its worker code, both in this thread. In Node, pdf.js
 * joins them with a LoopbackPort that passes every message through structuredClone, as a real
 * worker's postMessage would: every page's text items (each with its transform, width, font…)
 * copied once more for nothing, a sixth of the time of reading a court filing. This port hands
 * the message itself on, in a later microtask as LoopbackPort does. One copy is kept, one level
 * deep: of the message and of a stream's chunk, because the worker reuses the text-content object
 * it sends (it gives it new `items` and `styles` arrays right after sending it).
 */
class DirectPort {
  #listeners = new Map<PortListener, (() => void) | null>();
  postMessage(message: Record<string, unknown>) {
    const data = { ...message };
    if (data.chunk && typeof data.chunk === "object") data.chunk = { ...data.chunk };
    const event = { data };
    void Promise.resolve().then(() => {
      for (const listener of [...this.#listeners.keys()]) listener.call(this, event);
    });
  }
  addEventListener(_type: "message", listener: PortListener, options?: { signal?: AbortSignal }) {
    const signal = options?.signal;
    if (signal?.aborted) return;
    const onAbort = () => this.removeEventListener("message", listener);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#listeners.set(listener, signal ? () => signal.removeEventListener("abort", onAbort) : null);
  }
  removeEventListener(_type: "message", listener: PortListener) {
    this.#listeners.get(listener)?.();
    this.#listeners.delete(listener);
  }
  terminate() {
    for (const stop of this.#listeners.values()) stop?.();
    this.#listeners.clear();
  }
}

/** One pdf.js worker for every document this process reads (each document is its own there). */
const port = new DirectPort();
WorkerMessageHandler.initializeFromPort(port);
type WorkerPort = NonNullable<NonNullable<ConstructorParameters<typeof PDFWorker>[0]>["port"]>;
const worker = new PDFWorker({ port: port as unknown as WorkerPort, verbosity: 0 });
restoreNativePush();

export class PdfFailure extends Error {}

/** The most bytes one decoded stream may take. */
export const MAX_STREAM_BYTES = 128 * 1024 * 1024;
/** Once a stream has been refused, the most any further buffer may take (the document has failed). */
const AFTER_CAP_BYTES = 1024 * 1024;

/**
 * Caps every decoded stream; pdf.js has no option for it. It decodes a FlateDecode stream in one of
 * two ways, and both are capped here, so that a bomb of a few KB that inflates to gigabytes fails in
 * a moment, with a clear word, long before this process's operating-system memory limit
 * (extract-process.ts), which is the backstop (a refused allocation can bring V8 down silently).
 *
 * First, with the runtime's DecompressionStream, gathering every chunk before copying them into
 * one array: the global DecompressionStream is replaced, for "deflate", by one that inflates with
 * zlib and `maxOutputLength` (and errors past it; pdf.js then falls back to the second way).
 * Second, with its own decoder, into a buffer it doubles as it goes (DecodeStream.ensureBuffer,
 * `new Uint8Array(size)`): the global Uint8Array, which pdf.js's code looks up when it runs, is
 * replaced by a function that refuses a length past the cap and otherwise makes a plain native
 * Uint8Array (the same class and shape, so pdf.js runs as fast). pdf.js may swallow the errors
 * (it reads on past a bad stream), so extractPdf checks after each step whether a cap was hit.
 * Nothing else runs in this process (the extraction worker's), so nothing else sees either.
 */
let capHit = false;
/** An allocation within the cap was refused all the same: the process is out of memory. */
let memoryRefused = false;
function installCaps() {
  const Native = Uint8Array;
  if ((Native as { capped?: boolean }).capped) return;
  const Capped = function CappedUint8Array(...args: unknown[]) {
    if (typeof args[0] === "number" && args[0] > (capHit ? AFTER_CAP_BYTES : MAX_STREAM_BYTES)) {
      capHit = true;
      throw new RangeError(`A stream decodes to more than ${MAX_STREAM_BYTES / 1024 / 1024} MB`);
    }
    try {
      return new Native(...(args as [number]));
    } catch (e) {
      // Within the cap, but the operating system's limit on this process refused it.
      if (e instanceof RangeError) memoryRefused = true;
      throw e;
    }
  } as unknown as Uint8ArrayConstructor & { capped: boolean };
  Object.setPrototypeOf(Capped, Object.getPrototypeOf(Native));
  for (const key of Reflect.ownKeys(Native))
    if (key !== "length" && key !== "name")
      Object.defineProperty(Capped, key, Object.getOwnPropertyDescriptor(Native, key)!);
  Capped.capped = true;
  Object.defineProperty(globalThis, "Uint8Array", { value: Capped, writable: true, configurable: true });

  const NativeDecompression = globalThis.DecompressionStream;
  // Called with `new`: the object it returns is the stream. Only what pdf.js uses of a stream
  // (DecodeStream.asyncGetBytesFromDecompressionStream: a writer it writes the whole input to and
  // closes, a readable it iterates), without the machinery of web streams around one zlib call.
  function CappedDecompressionStream(format: string) {
    if (format !== "deflate") return new NativeDecompression(format as "deflate");
    let input: Uint8Array | null = null;
    let close = () => {};
    const closed = new Promise<void>((resolve) => {
      close = resolve;
    });
    return {
      writable: {
        getWriter: () => ({
          ready: Promise.resolve(),
          write: async (chunk: Uint8Array) => {
            input = input ? Buffer.concat([input, chunk]) : chunk;
          },
          close: async () => close(),
        }),
      },
      readable: {
        async *[Symbol.asyncIterator]() {
          await closed;
          try {
            const out = inflateSync(input ?? new Native(0), { maxOutputLength: MAX_STREAM_BYTES });
            yield new Native(out.buffer, out.byteOffset, out.byteLength);
          } catch (e) {
            if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") capHit = true;
            throw e;
          }
        },
      },
    };
  }
  Object.defineProperty(globalThis, "DecompressionStream", {
    value: CappedDecompressionStream,
    writable: true,
    configurable: true,
  });
}
installCaps();

export interface PdfCallbacks {
  /** Called once, before any page, with the page count the PDF declares. */
  onPageCount(count: number): void;
  onPage(page: number, text: string): Promise<void> | void;
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

/** One page's text, in reading order as pdf.js gives it, a line break where it sees one. */
function pageText(items: readonly TextItemLike[]): string {
  let out = "";
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    out += item.str;
    if (item.hasEOL) out += "\n";
  }
  return out;
}

/** A stream past MAX_STREAM_BYTES, or memory refused, fails the document, whether or not pdf.js read on. */
function checkStreamCap() {
  // The words the worker knows an out-of-memory failure by (extract-worker.ts).
  if (memoryRefused) throw new PdfFailure("Array buffer allocation failed: the process is out of memory");
  if (capHit)
    throw new PdfFailure(
      `The PDF has a stream that decodes to more than ${MAX_STREAM_BYTES / 1024 / 1024} MB (a "decompression bomb"); Accord reads at most that`,
    );
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string };
  const message = String(err?.message ?? e).slice(0, 200);
  if (err?.name === "PasswordException") return "The PDF is encrypted (password-protected)";
  if (err?.name === "InvalidPDFException") return `The PDF is damaged: ${message || "invalid structure"}`;
  return `The PDF is damaged: ${message}`;
}

/**
 * Reads the text of every page. Document JavaScript never runs (see pdfjsParams). A stream that
 * decodes past MAX_STREAM_BYTES fails the document (installCaps). A PDF that claims more than `maxPages` pages is refused before any page is read.
 */
export async function extractPdf(
  data: Uint8Array,
  maxPages: number,
  callbacks: PdfCallbacks,
  /** The pages to read (first and last) of the `count` the PDF has: all by default. */
  range: (count: number) => [number, number] = (count) => [1, count],
) {
  capHit = false;
  memoryRefused = false;
  const task = getDocument(pdfjsParams(data, worker) as Parameters<typeof getDocument>[0]);
  try {
    let pdf: Awaited<typeof task.promise>;
    try {
      pdf = await task.promise;
    } catch (e) {
      checkStreamCap();
      throw new PdfFailure(describe(e));
    } finally {
      restoreNativePush();
    }
    checkStreamCap();
    const count = pdf.numPages;
    if (!Number.isInteger(count) || count < 1) throw new PdfFailure("The PDF is damaged: it has no pages");
    if (count > maxPages)
      throw new PdfFailure(
        `The PDF claims ${count.toLocaleString("en-US")} pages; Accord reads at most ${maxPages.toLocaleString("en-US")}`,
      );
    callbacks.onPageCount(count);
    const [first, last] = range(count);
    for (let n = first; n <= last; n++) {
      let text: string;
      try {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        text = pageText(content.items as TextItemLike[]);
        page.cleanup();
      } catch (e) {
        checkStreamCap();
        throw new PdfFailure(`${describe(e)} (page ${n} of ${count} could not be read)`);
      }
      checkStreamCap();
      await callbacks.onPage(n, text);
    }
  } finally {
    await task.destroy();
  }
}
