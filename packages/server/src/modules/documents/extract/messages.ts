/** What the extraction worker is given and what it says back (structured-clone messages). */

export type ReadableType = "pdf" | "docx" | "html" | "text";

export interface ExtractionInput {
  /** The stored file (inside the blob store). */
  path: string;
  type: ReadableType;
  maxPages: number;
  /** A page's text is cut past this length. */
  maxPageChars: number;
}

export type WorkerMessage =
  /** A warm spare has loaded pdf.js and waits for its file (see extract-worker.ts). */
  | { kind: "ready" }
  | { kind: "pageCount"; count: number }
  | { kind: "pages"; pages: { page: number; text: string }[] }
  /** The text's MinHash signature (computed here, off the server's main thread). */
  | { kind: "done"; signature: number[] }
  | { kind: "failed"; failure: string };
