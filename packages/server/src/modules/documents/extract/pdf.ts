// The only module that imports pdf.js (see RELIABILITY.md pitfall 4). It runs in the
// extraction worker thread, never on the server's main thread.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// pdf.js's legacy build (the one that runs on Node 20) carries core-js, whose Array.prototype.push
// replaces V8's on Node 20 with a slower one written in JavaScript, for an edge case of arrays
// longer than 2^32 that pdf.js never meets: a quarter of the time of extracting a text-heavy PDF.
// V8's own is kept aside before pdf.js loads and put back once pdf.js and its worker code have
// loaded (this thread is the extraction worker's: nothing else runs in it).
const nativePush = Array.prototype.push;
const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
function restoreNativePush() {
  if (Array.prototype.push !== nativePush)
    Object.defineProperty(Array.prototype, "push", { value: nativePush, writable: true, configurable: true });
}

export class PdfFailure extends Error {}

export interface PdfCallbacks {
  /** Called once, before any page, with the page count the PDF declares. */
  onPageCount(count: number): void;
  onPage(page: number, text: string): Promise<void> | void;
}

const pdfjsDir = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const dir = (name: string) => `${join(pdfjsDir, name)}/`;

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

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string };
  const message = String(err?.message ?? e).slice(0, 200);
  if (err?.name === "PasswordException") return "The PDF is encrypted (password-protected)";
  if (err?.name === "InvalidPDFException") return `The PDF is damaged: ${message || "invalid structure"}`;
  return `The PDF is damaged: ${message}`;
}

/**
 * Reads the text of every page. Document JavaScript never runs: scripting is off (pdf.js runs
 * none in Node), eval is off (and absent from this version's build), fonts are not loaded into
 * the runtime. A PDF that claims more than `maxPages` pages is refused before any page is read.
 */
export async function extractPdf(
  data: Uint8Array,
  maxPages: number,
  callbacks: PdfCallbacks,
  /** The pages to read (first and last) of the `count` the PDF has: all by default. */
  range: (count: number) => [number, number] = (count) => [1, count],
) {
  // Through a variable: the option is gone from the types of this version (the build has no
  // eval at all), but saying it costs nothing if an older build is ever installed.
  const params = {
    data,
    isEvalSupported: false,
    enableScripting: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
    standardFontDataUrl: dir("standard_fonts"),
    cMapUrl: dir("cmaps"),
    cMapPacked: true,
    wasmUrl: dir("wasm"),
    iccUrl: dir("iccs"),
  };
  const task = getDocument(params as Parameters<typeof getDocument>[0]);
  try {
    let pdf: Awaited<typeof task.promise>;
    try {
      pdf = await task.promise;
    } catch (e) {
      throw new PdfFailure(describe(e));
    } finally {
      restoreNativePush();
    }
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
        throw new PdfFailure(`${describe(e)} (page ${n} of ${count} could not be read)`);
      }
      await callbacks.onPage(n, text);
    }
  } finally {
    await task.destroy();
  }
}
