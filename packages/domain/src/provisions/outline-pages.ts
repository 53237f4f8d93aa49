/**
 * Page cleaning for the outline parser: turns an agreement's text (a file with form feeds, or an
 * OCR'd court filing where only the court's page stamps or bare page numbers show where pages
 * start) into pages of lines that carry no page stamp, page number, law-office footer or
 * pleading-paper line number, so that none of them can enter a provision's text.
 */
import { cleanPages } from "./parse.js";

/**
 * The stamp a court's filing system prints on each page ("Case 3:13-cv-00978-HTW-LRA Document 83
 * Filed 09/18/15 Page 2 of 17"), wherever OCR puts it on the line and with the spaces OCR adds
 * ("1 :09-CV- 3286").
 */
const COURT_STAMP =
  /\bCase\s+\d{1,2}\s?:\s?\d{2}\s?-\s?[a-z]{2,3}\s?-\s?\d{3,6}\b.*\b(?:Document|Doc\.?|Page)\b/i;
/**
 * The same stamp as some PDF tools double every character of it ("CCaassee 11::1100--ccvv",
 * "CCaassee 1 1:1:100-c-cvv"), interleave two stamps ("CaCsaes e1 :11:01-0c-vc-v0") or mix it with
 * glyph codes ("CC(cid:38)aa(cid:68)ss…"): read with the glyph codes and spaces taken out, it
 * starts with six to ten of the letters of "Case", then the case number's "1:1" ("CCaassee11::11").
 * A line of glyph codes alone ("(cid:12)(cid:11)(cid:3)", a page of a font without a text map) is
 * no stamp: taken for one, each such line started a page.
 */
const DOUBLED_STAMP = /^[Case]{6,10}\d{1,2}:{1,2}\d/;
const compactStamp = (line: string) => line.slice(0, 400).replace(/\(cid:\d+\)|\s+/g, "");
/** A bare page number: "7", "- 7 -", "Page 7", "Page 7 of 20", and "II" (OCR'd 11) on its own. */
const BARE_PAGE_NUMBER =
  /^\s*(?:-\s*)?(?:page\s+)?(?:\d{1,3}|[ivxlIVXL]{1,5})(?:\s+of\s+\d{1,4})?(?:\s*-)?\s*$/i;
/** A law office's word-processing footer ("DOC: 15680 Client: 0840 File: C3KOl!.DOC"). */
const OFFICE_FOOTER = /\bClient\b.{0,20}\b[FP]ile\b|^\s*Doc:\s*\d+/i;

const TOC_ENTRY = /(?:\.\s?){4,}\s*\d{1,4}$/;

export const isCourtStamp = (line: string) =>
  COURT_STAMP.test(line) || DOUBLED_STAMP.test(compactStamp(line));

/**
 * Splits a text file into pages: at form feeds when it has them; else at each court page stamp
 * (two stamps on consecutive lines, a refiled document's, start one page); else after each law
 * office's footer, when every page has one (`splitAtOfficeFooters`); else at each run of
 * blank lines that follows a bare page number or ends a page of a word-processed filing.
 */
export function splitTextPages(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  if (normalized.includes("\f")) return normalized.split("\f");
  const lines = normalized.split("\n");
  const stamped = splitAtCourtStamps(lines) ?? splitAtOfficeFooters(lines);
  if (stamped) return stamped;
  // Without stamps, a page ends where the text has a blank line (OCR keeps paragraphs together).
  const pages: string[][] = [[]];
  let blank = false;
  for (const line of lines) {
    if (!line.trim()) {
      blank = true;
      continue;
    }
    if (blank && pages[pages.length - 1]!.length > 0) pages.push([]);
    blank = false;
    pages[pages.length - 1]!.push(line);
  }
  return pages.map((p) => p.join("\n"));
}

/**
 * The pages of a court filing's text, each starting at a court page stamp (two stamps on
 * consecutive lines, a refiled document's, start one page); undefined when the text has fewer
 * than two stamps. Lines before the first stamp stay on the first page.
 */
export function splitAtCourtStamps(lines: readonly string[]): string[] | undefined {
  if (lines.filter(isCourtStamp).length < 2) return undefined;
  const pages: string[][] = [[]];
  let lastFilled = "";
  for (const line of lines) {
    if (isCourtStamp(line) && !isCourtStamp(lastFilled) && pages[pages.length - 1]!.some((l) => l.trim())) {
      pages.push([]);
    }
    pages[pages.length - 1]!.push(line);
    if (line.trim()) lastFilled = line;
  }
  return pages.map((p) => p.join("\n"));
}

/**
 * A footer that is only the page's number: "7", "- 7 -", "Page 7", "Page 7 of 20", and "7 | Page"
 * as some OCR'd reports give it ("7 | P age", "7 | P a ge").
 */
const PAGE_NUMBER_FOOTER =
  /^\s*(?:-\s*)?(?:page\s+)?(\d{1,4})(?:\s+of\s+\d{1,4})?(?:\s*-)?(?:\s*\|\s*P\s*a\s*g\s*e)?\s*$/i;
/** Fewer numbered footers than this are not trusted as page breaks (a list of numbers is not). */
const MIN_NUMBERED_PAGES = 3;
/** A page has at least this many lines with text besides its footer. */
const MIN_PAGE_LINES = 5;
/** No page of a numbered run has more than this many times the median page's lines. */
const PAGE_SIZE_SPREAD = 3;

/**
 * Where page 2 starts among the lines before its footer, when page 1 (a cover, a caption page)
 * carries no number: after the first truly empty line, in a text whose blank lines within pages
 * hold spaces (the OCR text a court-records service gives ends each page with an empty line, and
 * keeps a space on every other blank line); else after the first run of blank lines that follows
 * page 1's text. Undefined when neither is there: then nothing tells where page 1 ends.
 */
function secondPageStart(lines: readonly string[], end: number): number | undefined {
  let spaced = 0;
  let empty = 0;
  for (const line of lines) {
    if (line === "") empty++;
    else if (!line.trim()) spaced++;
  }
  const firstText = lines.findIndex((l) => l.trim());
  if (firstText < 0 || firstText >= end) return undefined;
  let i = firstText;
  if (spaced > empty) {
    while (i < end && lines[i] !== "") i++;
  } else {
    while (i < end && lines[i]!.trim()) i++;
  }
  if (i >= end) return undefined;
  while (i < end && !lines[i]!.trim()) i++;
  return i < end ? i : undefined;
}

/**
 * The pages of a text whose pages end in a bare page number, when those numbers run 1, 2, 3… down
 * the text, or 2, 3, 4… when the first page (a cover) is not numbered: each page ends after its
 * number, an unnumbered first page is page 1 (it ends where `secondPageStart` says), and what
 * follows the last number is one more page. A number out of the run (a count in a list, a date's
 * day) is text. Undefined when fewer than three pages are numbered so. The report reader numbers
 * a report's pages by this same rule, so a rating's page is the page the document viewer shows.
 */
export function splitAtPageNumbers(lines: readonly string[]): string[] | undefined {
  const ends: number[] = [];
  let expected: number | null = null;
  let filled = 0;
  for (const [i, line] of lines.entries()) {
    const m = PAGE_NUMBER_FOOTER.exec(line);
    const n = m ? Number(m[1]) : Number.NaN;
    if (m && filled >= MIN_PAGE_LINES && (expected === null ? n === 1 || n === 2 : n === expected)) {
      ends.push(i);
      expected = n + 1;
      filled = 0;
    } else if (line.trim()) filled++;
  }
  if (ends.length < MIN_NUMBERED_PAGES) return undefined;
  if (expected! - ends.length !== 2) return pagesEndingAt(lines, ends);
  // The run starts at 2: the lines before its first footer are pages 1 and 2.
  const second = secondPageStart(lines, ends[0]!);
  if (second === undefined) return undefined;
  return pagesEndingAt(lines, ends, second, [lines.slice(0, second)]);
}

/**
 * The pages that end at each of `ends` (indexes of their last lines), from line `start` on after
 * the pages `before`, and what follows the last end as one more page when it holds text.
 * Undefined unless they are of a size: pages of one document are, and a run of "pages" that
 * differ wildly is a run of other numbers or marks (a pleading paper's line numbers, a numbered
 * list, footers OCR lost), not pages.
 */
function pagesEndingAt(
  lines: readonly string[],
  ends: readonly number[],
  start = 0,
  before: readonly (readonly string[])[] = [],
): string[] | undefined {
  const pages = [...before];
  for (const end of ends) {
    pages.push(lines.slice(start, end + 1));
    start = end + 1;
  }
  const rest = lines.slice(start);
  if (rest.some((l) => l.trim())) pages.push(rest);
  return evenlySized(pages) ? pages.map((p) => p.join("\n")) : undefined;
}

/**
 * The pages of a word-processed filing whose every page ends in its law office's footer ("DOC:
 * 15680 Client: 0840 File: C3KOl!.DOC", the page number sometimes on the same line): each page
 * ends after its footer, and what follows the last footer is one more page. Undefined when fewer
 * than three footers show, or when the pieces between them differ wildly in size (OCR lost some
 * footers, so a piece is several pages and its ordinal is no page number).
 */
export function splitAtOfficeFooters(lines: readonly string[]): string[] | undefined {
  const ends = [...lines.keys()].filter((i) => OFFICE_FOOTER.test(lines[i]!));
  return ends.length < MIN_NUMBERED_PAGES ? undefined : pagesEndingAt(lines, ends);
}

/** Whether no page has more than PAGE_SIZE_SPREAD times the median page's lines with text. */
function evenlySized(pages: readonly (readonly string[])[]): boolean {
  const sizes = pages.map((p) => p.filter((l) => l.trim()).length).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)]!;
  return sizes[sizes.length - 1]! <= PAGE_SIZE_SPREAD * median;
}

/** A line of a cleaned page with the page (from 1) it is on. */
export interface PageLine {
  text: string;
  page: number;
}

/**
 * The lines of every page, in order, without stamps, page numbers, footers, pleading line
 * numbers, running headers, or the superscripts OCR leaves on lines of their own ("th").
 */
export function cleanOutlinePages(pages: readonly string[]): PageLine[] {
  const out: PageLine[] = [];
  const withoutStamps = pages.map((p) => {
    const lines = p.split("\n").filter((l) => !isCourtStamp(l) && !OFFICE_FOOTER.test(l));
    // Pleading paper: below the last numbered line (28) is the office's footer, however garbled.
    const filled = lines.filter((l) => l.trim());
    const numbered = filled.filter((l) => /^\s*\d{1,2}(?:\s|$)/.test(l)).length;
    if (filled.length >= 8 && numbered >= filled.length * 0.6) {
      while (lines.length && !/^\s*\d{1,2}(?:\s|$)/.test(lines[lines.length - 1]!)) lines.pop();
    }
    return lines.join("\n");
  });
  for (const [i, lines] of cleanPages(withoutStamps).entries()) {
    for (const line of lines) {
      const t = line.trim();
      if (!t || BARE_PAGE_NUMBER.test(t) || /^(?:st|nd|rd|th)$/.test(t)) continue;
      // The table of contents: its entries end in dot leaders and a page number.
      if (TOC_ENTRY.test(t) || /^table of contents$/i.test(t)) continue;
      // OCR debris: a line of punctuation and stray single letters.
      if (!/[\p{L}\d]{2}/u.test(t) && !/^[([]?[\p{L}\d][.)]/u.test(t)) continue;
      out.push({ text: line.replace(/\t/g, " ").replace(/\u00ad/g, "-"), page: i + 1 });
    }
  }
  return out;
}
