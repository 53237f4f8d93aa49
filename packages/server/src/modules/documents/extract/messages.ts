/** What the extraction worker is given and what it says back (structured-clone messages). */

import type { SignaturePart } from "@accord/domain";

export type ReadableType = "pdf" | "docx" | "html" | "text";

export interface ExtractionInput {
  /** The stored file (inside the blob store). */
  path: string;
  type: ReadableType;
  maxPages: number;
  /** A page's text is cut past this length. */
  maxPageChars: number;
  /**
   * A PDF read in parts by several workers at once: this worker reads the `index`-th of `of`
   * consecutive page ranges (see `partPages`). Unset: every page.
   */
  part?: { index: number; of: number };
}

/** A PDF shorter than this is read by one worker even when parts were asked for. */
export const PART_MIN_PAGES = 16;

/** The pages (first and last, 1-based; last < first when none) the part reads of `count`. */
export function partPages(count: number, part: ExtractionInput["part"]): [number, number] {
  if (!part || part.of < 2) return [1, count];
  if (count < PART_MIN_PAGES) return part.index === 0 ? [1, count] : [1, 0];
  return [Math.floor((count * part.index) / part.of) + 1, Math.floor((count * (part.index + 1)) / part.of)];
}

export type WorkerMessage =
  /** A warm spare has loaded pdf.js and waits for its file (see extract-worker.ts). */
  | { kind: "ready" }
  | { kind: "pageCount"; count: number }
  | { kind: "pages"; pages: { page: number; text: string }[] }
  /** The text's MinHash signature (computed here, off the server's main thread), with what
   * joining it to another part's needs (see joinSignatureParts). */
  | ({ kind: "done" } & SignaturePart)
  /** `outOfMemory`: an allocation was refused (the operating system's limit on the process). */
  | { kind: "failed"; failure: string; outOfMemory?: boolean };
