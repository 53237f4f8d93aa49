/** Text helpers shared by the extractors; pure (the domain's page marks only), so they run in the worker. */
import { splitAtCourtStamps, splitAtOfficeFooters, splitAtPageNumbers } from "@accord/domain";

/** A page's text as stored: no NUL bytes (PostgreSQL refuses them), tidy line ends, bounded length. */
export function cleanPageText(text: string, maxChars: number): string {
  let out = text
    .replaceAll("\u0000", "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{4,}/g, "\n\n\n")
    .trim();
  if (out.length > maxChars)
    out = `${out.slice(0, maxChars)}\n[… text cut: the page is longer than ${maxChars} characters]`;
  return out;
}

/** Bytes to text: UTF-8 when valid (BOM dropped), else Windows-1252, the usual legacy encoding. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** Text without page marks is cut into pieces of about this many characters, at line breaks. */
export const TEXT_PAGE_CHARS = 20_000;

/**
 * The pages of a plain text, where its own marks put them: one per form feed (what pdftotext
 * writes between pages); else one from each court page stamp ("Case 3:13-cv-00978-HTW-LRA
 * Document 83 Filed 09/18/15 Page 2 of 17", which heads a page of an OCR'd filing); else one
 * ending at each law office's word-processing footer, when every page has one (the page's last
 * line, below its number); else one ending at each bare page-number footer, when those run 1, 2,
 * 3…. So a provision's page is the
 * filing's page. A long text without any of these is cut at line breaks into pieces of about
 * TEXT_PAGE_CHARS, so that a "page" stays a readable, searchable unit.
 */
export function splitTextPages(text: string): string[] {
  const pages = text.split("\f");
  // pdftotext ends with a form feed: no empty last page.
  if (pages.length > 1 && pages[pages.length - 1]!.trim() === "") pages.pop();
  if (pages.length > 1) return pages;
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const marked = splitAtCourtStamps(lines) ?? splitAtOfficeFooters(lines) ?? splitAtPageNumbers(lines);
  if (marked) return marked;
  if (text.length <= TEXT_PAGE_CHARS * 1.5) return pages;
  const out: string[] = [];
  let rest = text;
  while (rest.length > TEXT_PAGE_CHARS * 1.5) {
    let cut = rest.lastIndexOf("\n", TEXT_PAGE_CHARS);
    if (cut < TEXT_PAGE_CHARS / 2) cut = TEXT_PAGE_CHARS;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  out.push(rest);
  return out;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  hellip: "…",
  sect: "§",
  para: "¶",
  copy: "©",
  reg: "®",
  trade: "™",
  bull: "•",
  middot: "·",
  deg: "°",
  eacute: "é",
  egrave: "è",
  aacute: "á",
  agrave: "à",
  oacute: "ó",
  uacute: "ú",
  iacute: "í",
  ntilde: "ñ",
  ccedil: "ç",
  uuml: "ü",
  ouml: "ö",
  auml: "ä",
};

/** Decodes HTML/XML character references (&amp; &#8212; &#x2014;); unknown names are kept. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}
