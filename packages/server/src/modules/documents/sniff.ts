import { extname } from "node:path";

/** What a file's bytes say it is; only the first four can be read. */
export type ContentType = "pdf" | "docx" | "html" | "text" | "zip" | "image" | "binary" | "empty";

export const MIME: Record<ContentType, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
  text: "text/plain",
  zip: "application/zip",
  image: "image/*",
  binary: "application/octet-stream",
  empty: "application/octet-stream",
};

const NAMES: Record<ContentType, string> = {
  pdf: "a PDF",
  docx: "a Word document (DOCX)",
  html: "an HTML page",
  text: "plain text",
  zip: "a ZIP archive",
  image: "an image",
  binary: "binary data",
  empty: "empty",
};

/** The type each extension claims; other extensions (or none) claim nothing. */
const CLAIMS: Record<string, ContentType> = {
  ".pdf": "pdf",
  ".docx": "docx",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".txt": "text",
  ".text": "text",
  ".md": "text",
};

const IMAGE_MAGIC: [string, number[]][] = [
  ["PNG", [0x89, 0x50, 0x4e, 0x47]],
  ["JPEG", [0xff, 0xd8, 0xff]],
  ["GIF", [0x47, 0x49, 0x46, 0x38]],
  ["TIFF", [0x49, 0x49, 0x2a, 0x00]],
  ["TIFF", [0x4d, 0x4d, 0x00, 0x2a]],
];

const OTHER_BINARY_MAGIC: number[][] = [
  [0x1f, 0x8b], // gzip
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x4d, 0x5a], // Windows executable
  [0xd0, 0xcf, 0x11, 0xe0], // old Office (OLE2: .doc, .xls)
  [0x52, 0x61, 0x72, 0x21], // RAR
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The file's first bytes and its last ones (a ZIP's table of contents is at its end). */
export interface Sample {
  size: number;
  head: Uint8Array;
  tail: Uint8Array;
}

/**
 * The content type from the bytes alone, never from the name: `%PDF-` near the start, a ZIP
 * holding word/document.xml, markup that opens like HTML, otherwise text unless it holds NUL
 * bytes or a known binary signature.
 */
export function sniff({ size, head, tail }: Sample): ContentType {
  if (size === 0) return "empty";
  const latin = Buffer.from(head.subarray(0, 1024)).toString("latin1");
  // The PDF header may follow a little junk (the specification allows it within 1 KB).
  if (latin.includes("%PDF-")) return "pdf";
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const names = Buffer.concat([Buffer.from(head), Buffer.from(tail)]).toString("latin1");
    return names.includes("word/document.xml") ? "docx" : "zip";
  }
  if (IMAGE_MAGIC.some(([, m]) => startsWith(head, m))) return "image";
  if (OTHER_BINARY_MAGIC.some((m) => startsWith(head, m))) return "binary";
  if (head.includes(0)) return "binary";
  const text = Buffer.from(head.subarray(0, 2048))
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (/^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<html)/.test(text)) return "html";
  return "text";
}

/** What kind of image, for the failure message. */
function imageName(head: Uint8Array): string {
  return IMAGE_MAGIC.find(([, m]) => startsWith(head, m))?.[0] ?? "an";
}

/**
 * Why this file cannot be read, or null when it can: empty, not a type Accord reads, or not the
 * type its name says.
 */
export function unreadableReason(filename: string, type: ContentType, sample: Sample): string | null {
  if (type === "empty") return "The file is empty";
  const ext = extname(filename).toLowerCase();
  const claimed = CLAIMS[ext];
  const actual = type === "image" ? `a ${imageName(sample.head)} image` : NAMES[type];
  // HTML and plain text are both text: a .txt holding markup is read as text, and the reverse.
  const textual = (t: ContentType | undefined) => t === "html" || t === "text";
  if (claimed && claimed !== type && !(textual(claimed) && textual(type)))
    return `The file is named ${ext} but it is ${actual}`;
  if (type === "zip")
    return "The file is a ZIP archive but not a Word document: Accord reads PDF, HTML, plain text and DOCX";
  if (type === "image")
    return `The file is ${actual}: Accord reads PDF, HTML, plain text and DOCX (scanned images need OCR, which Accord does not do)`;
  if (type === "binary") return "The file is binary data, not a PDF, HTML, plain text or DOCX file";
  return null;
}
