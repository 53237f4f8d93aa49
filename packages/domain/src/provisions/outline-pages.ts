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
/** The same stamp as some PDF tools double every character of it ("CCaassee 11::1100--ccvv"). */
const DOUBLED_STAMP = /^\s*C{2}a{2}s{2}e{2}\b|(?:\(cid:\d+\).*){3}/;
/** A bare page number: "7", "- 7 -", "Page 7", "Page 7 of 20", and "II" (OCR'd 11) on its own. */
const BARE_PAGE_NUMBER =
  /^\s*(?:-\s*)?(?:page\s+)?(?:\d{1,3}|[ivxlIVXL]{1,5})(?:\s+of\s+\d{1,4})?(?:\s*-)?\s*$/i;
/** A law office's word-processing footer ("DOC: 15680 Client: 0840 File: C3KOl!.DOC"). */
const OFFICE_FOOTER = /\bClient\b.{0,20}\b[FP]ile\b|^\s*Doc:\s*\d+/i;

const TOC_ENTRY = /(?:\.\s?){4,}\s*\d{1,4}$/;

export const isCourtStamp = (line: string) => COURT_STAMP.test(line) || DOUBLED_STAMP.test(line);

/**
 * Splits a text file into pages: at form feeds when it has them; else at each court page stamp
 * (two stamps on consecutive lines, a refiled document's, start one page); else at each run of
 * blank lines that follows a bare page number or ends a page of a word-processed filing.
 */
export function splitTextPages(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  if (normalized.includes("\f")) return normalized.split("\f");
  const lines = normalized.split("\n");
  const stamps = lines.filter(isCourtStamp).length;
  const pages: string[][] = [[]];
  if (stamps >= 2) {
    let lastFilled = "";
    for (const line of lines) {
      if (isCourtStamp(line) && !isCourtStamp(lastFilled) && pages[pages.length - 1]!.some((l) => l.trim())) {
        pages.push([]);
      }
      pages[pages.length - 1]!.push(line);
      if (line.trim()) lastFilled = line;
    }
  } else {
    // Without stamps, a page ends where the text has a blank line (OCR keeps paragraphs together).
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
  }
  return pages.map((p) => p.join("\n"));
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
