/*
 * The one module that imports pdf.js (see RELIABILITY.md: pdfjs-dist 6.2.108, which contains no
 * eval, so no 'unsafe-eval' in the CSP). Everything pdf.js parses runs in its worker, a script of
 * our own origin (script-src 'self'); pages are drawn on a canvas and their text laid over it.
 */
import {
  GlobalWorkerOptions,
  getDocument,
  type PDFDocumentLoadingTask,
  type PDFDocumentProxy,
  type PDFPageProxy,
  RenderingCancelledException,
  TextLayer,
} from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy, PDFPageProxy };

/**
 * Start loading a PDF from our API. WebAssembly is not used (the CSP does not allow compiling
 * it): the image decoders' JavaScript builds come from /pdfjs/wasm/, the CMaps from /pdfjs/cmaps/
 * (both copied there by the Vite build).
 */
export function openPdf(url: string): PDFDocumentLoadingTask {
  // Through a variable: `isEvalSupported` is gone from the types of this version (its build has
  // no eval at all; CVE-2024-4367 ran a font's FontMatrix through eval when it was on), but
  // saying it costs nothing if an older build is ever installed (RELIABILITY-CHECKS U7).
  const params = {
    url,
    withCredentials: true,
    isEvalSupported: false,
    useWasm: false,
    wasmUrl: "/pdfjs/wasm/",
    cMapUrl: "/pdfjs/cmaps/",
    cMapPacked: true,
    enableXfa: false,
  };
  return getDocument(params as Parameters<typeof getDocument>[0]);
}

/** Whether an error only says that a render was cancelled (a newer one replaced it). */
export function isCancelled(error: unknown): boolean {
  return error instanceof RenderingCancelledException || (error as Error)?.name === "AbortException";
}

/** Why a PDF could not be opened, in words. */
export function pdfProblem(error: unknown): string {
  const name = (error as Error)?.name;
  if (name === "PasswordException") return "The PDF is encrypted (password-protected).";
  if (name === "InvalidPDFException") return "The PDF is damaged: its structure could not be read.";
  if (name === "ResponseException") return "The file could not be fetched from the server.";
  return `The PDF could not be shown: ${(error as Error)?.message ?? String(error)}`;
}

/** The page's size at scale 1, in CSS pixels. */
export function pageSize(page: PDFPageProxy): { width: number; height: number } {
  const { width, height } = page.getViewport({ scale: 1 });
  return { width, height };
}

/**
 * Draw a page at `scale` on a new canvas (sharp on high-density screens); the caller puts it in
 * place once drawn, so the previous page stays until then. `cancel` stops a render in flight.
 */
export function renderCanvas(page: PDFPageProxy, scale: number) {
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  const task = page.render({
    canvas,
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
  });
  return {
    canvas,
    promise: task.promise.then(() => canvas),
    cancel: () => task.cancel(),
  };
}

/**
 * Lay the page's text over the canvas in `container` (a `.textLayer` element whose page sets
 * `--total-scale-factor` to `scale`): transparent, selectable, and searchable for highlights.
 */
export function renderTextLayer(page: PDFPageProxy, scale: number, container: HTMLElement) {
  const viewport = page.getViewport({ scale });
  container.replaceChildren();
  const layer = new TextLayer({ textContentSource: page.streamTextContent(), container, viewport });
  return { promise: layer.render(), cancel: () => layer.cancel() };
}
