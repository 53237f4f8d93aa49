// The extraction worker's entry point: reads a stored file and posts its pages back. It runs in a
// child process of the server (extract-process.ts) under a V8 heap limit and an operating-system
// memory limit, and is killed when it takes too long or fails in any way but a clear failure of
// its file, so a hostile or broken file can neither crash, stall nor swell the server. It reads
// one file at a time, each sent as a message over the IPC channel.
//
// A worker may be started ahead of need, as the server's warm spare (argument `--warm`): it loads
// pdf.js and opens a tiny PDF, so that pdf.js's own worker code is compiled, then waits for a file.
import { readFile } from "node:fs/promises";
import { signaturePart } from "@accord/domain";
import { DocxError, docxPages } from "./docx.js";
import { htmlToText } from "./html.js";
import { type ExtractionInput, partPages, type WorkerMessage } from "./messages.js";
import { cleanPageText, decodeText, splitTextPages } from "./text.js";

let input: ExtractionInput;
const post = (m: WorkerMessage) => {
  process.send?.(m);
};

/** Pages are sent in small batches, so progress shows and memory stays bounded. */
const BATCH_PAGES = 8;
const BATCH_MS = 250;
/** Text beyond this many characters does not count towards the near-duplicate signature (a
 * document read in parts: this many in all, shared between the parts). */
const SIGNATURE_CHARS = 5_000_000;
const signatureChars = () => SIGNATURE_CHARS / (input.part?.of ?? 1);
let signatureText = "";
let batch: { page: number; text: string }[] = [];
let lastSent = Date.now();
function flush() {
  if (batch.length) post({ kind: "pages", pages: batch });
  batch = [];
  lastSent = Date.now();
}
function addPage(page: number, text: string) {
  const clean = cleanPageText(text, input.maxPageChars);
  if (signatureText.length < signatureChars()) signatureText += `${clean}\n`;
  batch.push({ page, text: clean });
  if (batch.length >= BATCH_PAGES || Date.now() - lastSent > BATCH_MS) flush();
}

class Failure extends Error {}

/** The operating system refused this process more memory (its RLIMIT_DATA), here or inside pdf.js. */
const REFUSED = /Array buffer allocation failed|could not allocate memory|Out of memory/i;
const memoryRefused = (e: unknown) => REFUSED.test(String((e as Error)?.message ?? e));

function tooMany(count: number) {
  return new Failure(
    `The document has ${count.toLocaleString("en-US")} pages; Accord reads at most ${input.maxPages.toLocaleString("en-US")}`,
  );
}

function sendTextPages(pages: string[]) {
  if (pages.length > input.maxPages) throw tooMany(pages.length);
  post({ kind: "pageCount", count: pages.length });
  pages.forEach((text, i) => {
    addPage(i + 1, text);
  });
}

async function run() {
  const bytes = new Uint8Array(await readFile(input.path));
  switch (input.type) {
    case "pdf": {
      // Imported here only: pdf.js is loaded for PDFs, and in this thread alone.
      const { extractPdf, PdfFailure } = await import("./pdf.js");
      try {
        await extractPdf(
          bytes,
          input.maxPages,
          {
            onPageCount: (count) => post({ kind: "pageCount", count }),
            onPage: (n, text) => addPage(n, text),
          },
          (count) => partPages(count, input.part),
        );
      } catch (e) {
        if (e instanceof PdfFailure) throw new Failure(e.message);
        throw e;
      }
      break;
    }
    case "docx":
      try {
        sendTextPages(docxPages(bytes));
      } catch (e) {
        if (e instanceof DocxError) throw new Failure(e.message);
        throw e;
      }
      break;
    case "html":
      sendTextPages([htmlToText(decodeText(bytes))]);
      break;
    case "text":
      sendTextPages(splitTextPages(decodeText(bytes)));
      break;
  }
  flush();
  post({ kind: "done", ...signaturePart(signatureText.slice(0, signatureChars())) });
}

function start(given: ExtractionInput) {
  input = given;
  signatureText = "";
  batch = [];
  lastSent = Date.now();
  run().then(
    () => {},
    (e: unknown) => {
      batch = [];
      const failure =
        e instanceof Failure
          ? e.message
          : `The file could not be read: ${String((e as Error)?.message ?? e).slice(0, 200)}`;
      post({ kind: "failed", failure, ...(memoryRefused(e) ? { outOfMemory: true } : {}) });
    },
  );
}

/** The smallest well-formed PDF: one empty page. Opening it loads everything pdf.js needs. */
const EMPTY_PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj
trailer << /Root 1 0 R >>
%%EOF`;

async function warmUp() {
  try {
    const { extractPdf } = await import("./pdf.js");
    await extractPdf(new TextEncoder().encode(EMPTY_PDF), 1, { onPageCount() {}, onPage() {} });
  } catch {
    // Warming is only a head start: the real file still gets a full attempt.
  }
}

// Each message is a file to read, sent once the previous one is done or failed: the server hands
// a worker that read a file without trouble the next one (see extraction.ts), so pdf.js is
// compiled and its fonts are loaded once, not per document.
// The server gone (its IPC channel closed), there is no one to read for.
process.on("disconnect", () => process.exit(0));
if (process.argv.includes("--warm")) {
  // A file may arrive while warming: it then waits for the warm-up to finish.
  const warmed = warmUp().then(() => post({ kind: "ready" }));
  process.on("message", (given: ExtractionInput) => void warmed.then(() => start(given)));
} else {
  process.on("message", start);
}
