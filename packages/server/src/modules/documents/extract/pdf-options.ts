// What the server's pdf.js wrapper (pdf.ts) passes to getDocument, apart from pdf.ts so that a test
// can check the very object without loading pdf.js (RELIABILITY-CHECKS U7).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const pdfjsDir = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
const dir = (name: string) => `${join(pdfjsDir, name)}/`;

/**
 * The parameters of every getDocument call: nothing in the document runs. Scripting is off (pdf.js
 * runs none in Node), eval is off (`isEvalSupported`: CVE-2024-4367 ran a font's FontMatrix as
 * code when it was on; the option is gone from the types of this version, whose build has no eval
 * at all, but saying it costs nothing if an older build is ever installed), fonts are not loaded
 * into the runtime, XFA forms are not read, and nothing is fetched but pdf.js's own data files.
 * `worker`: the pdf.js worker to read with (pdf.ts keeps one for every document of its process).
 */
export function pdfjsParams<W>(data: Uint8Array, worker?: W) {
  return {
    data,
    ...(worker ? { worker } : {}),
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
}
