/**
 * Splits a decree's text into its provisions: numbered paragraphs with their section path, the
 * page each starts on, lettered and roman sub-items kept inside their paragraph, and the
 * definitions recognised as such. Works on the text of each page as extracted from a PDF or a
 * text file, in the styles courts use: plain pages with a case header and a page number,
 * line-numbered pleading paper, paragraphs marked with ¶. Nothing is tuned to one decree:
 * headers and footers are found as the lines that repeat at the top or bottom of pages.
 */

export interface SectionRef {
  /** "V", "A", "3": the heading's own number or letter. */
  number: string;
  title: string;
  level: 1 | 2;
}

export interface ParsedProvision {
  /** The paragraph number, as the decree numbers it. */
  number: number;
  /** "¶ 46". */
  label: string;
  sections: SectionRef[];
  /** "V. Protection from Harm › A. Policies, Procedures, and Training › ¶ 46". */
  path: string;
  text: string;
  /** 1-based page where the paragraph starts, and where it ends. */
  page: number;
  pageEnd: number;
  /** A paragraph of the definitions section. */
  isDefinition: boolean;
  /** For a definition: the term(s) it defines ("Effective Date"). */
  terms: string[];
  /** An outline node's parent, by label (absent for a "¶ N" decree: all at the top). */
  parentLabel?: string | null;
  /** 0 at the top of the outline. */
  depth?: number;
  /** A heading only: a title and children (it can still be rated as a whole). */
  heading?: boolean;
  caption?: string | null;
}

export interface TocEntry {
  number: string;
  title: string;
  level: 1 | 2;
  page: number | null;
}

export interface ParsedDecree {
  provisions: ParsedProvision[];
  /** The sections in the order met, with the page each starts on. */
  sections: (SectionRef & { page: number; path: string })[];
  /** The table of contents, when the decree has one. */
  toc: TocEntry[];
  /** The highest paragraph number that appears at the start of a line anywhere. */
  highestNumberSeen: number;
  /** What a person should check: numbers skipped, paragraphs that look odd. */
  warnings: string[];
}

// ------------------------------------------------------------------ page cleaning

const signature = (line: string) => line.trim().toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");

const PAGE_NUMBER = /^\s*(?:-\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s+of\s+\d{1,4})?(?:\s*-)?\s*$/i;
const ZONE = 4;
/** The stamp the court's filing system prints on every page: "Case 1:25-cv-00024-LMM Document 3 …". */
const CASE_STAMP = /^\s*Case\s+\d{1,2}:\d{2}-[a-z]{2,3}-\d{3,6}\b.*\b(?:Document|Doc\.?|Page)\b/i;

/**
 * The first and last few non-empty lines (where headers and footers live), each with its place:
 * "t0" is the first line of the page, "b0" the last.
 */
function zone(lines: string[]): { index: number; place: string }[] {
  const filled = lines.map((l, i) => (l.trim() ? i : -1)).filter((i) => i >= 0);
  const top = filled.slice(0, ZONE).map((index, k) => ({ index, place: `t${k}` }));
  const bottom = filled
    .slice(-ZONE)
    .reverse()
    .map((index, k) => ({ index, place: `b${k}` }))
    .filter((b) => !top.some((t) => t.index === b.index));
  return [...top, ...bottom];
}

/** The places next to this one (a header may sit one line lower on some pages). */
const nearPlaces = (place: string) => {
  const side = place[0];
  const k = Number(place.slice(1));
  return [k - 1, k, k + 1].filter((n) => n >= 0 && n < ZONE).map((n) => `${side}${n}`);
};

/**
 * Strips the line numbers of pleading paper: most lines of the page start with a small number
 * (not followed by a period) that counts up.
 */
function stripLineNumbers(lines: string[]): string[] {
  const numbered = lines.map((l) => /^\s*(\d{1,2})(?![.\d)])(?:\s+|$)/.exec(l));
  const filled = lines.filter((l) => l.trim()).length;
  const hits = numbered.filter(Boolean) as RegExpExecArray[];
  if (filled < 5 || hits.length < filled * 0.6) return lines;
  let rising = 0;
  for (let i = 1; i < hits.length; i++) if (Number(hits[i]![1]) === Number(hits[i - 1]![1]) + 1) rising++;
  if (rising < (hits.length - 1) * 0.7) return lines;
  return lines.map((l, i) => (numbered[i] ? l.slice(numbered[i]![0].length) : l));
}

/** Each page's lines without its running header, footer, page number and pleading line numbers. */
export function cleanPages(pages: readonly string[]): string[][] {
  const split = pages.map((p) =>
    stripLineNumbers(
      p
        .replace(/\r\n?/g, "\n")
        // Control characters some PDF tools leave in the text (U+0003 after numbers).
        // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ")
        .split("\n"),
    ),
  );
  // How many pages have this line at this place (near the top or the bottom).
  const counts = new Map<string, number>();
  for (const lines of split) {
    const seen = new Set<string>();
    for (const { index, place } of zone(lines)) seen.add(`${place}|${signature(lines[index]!)}`);
    for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  // A line at the same place at the top or bottom of most pages is a running header or footer;
  // in a short filing, of every page.
  const needed = pages.length <= 3 ? pages.length : Math.max(3, pages.length * 0.3);
  const repeated = (line: string, place: string) => {
    const sig = signature(line);
    let most = 0;
    for (const p of nearPlaces(place)) most = Math.max(most, counts.get(`${p}|${sig}`) ?? 0);
    return most >= needed;
  };
  return split.map((lines) => {
    const drop = new Set<number>();
    for (const { index: i, place } of zone(lines)) {
      const line = lines[i]!;
      // A numbered paragraph's first line is text, however often similar lines recur.
      // So is a numbered or lettered heading (sections of two parts may share a title).
      const repeats =
        pages.length >= 2 &&
        repeated(line, place) &&
        // In a short filing a repeated line must look like a header, not the end of a sentence.
        !(pages.length <= 3 && /[.,;:]$/.test(line.trim())) &&
        !PARAGRAPH.test(line) &&
        !/^\s*[IVXLC]{1,7}\.\s+\S/.test(line) &&
        !LEVEL2.test(line);
      if (PAGE_NUMBER.test(line) || CASE_STAMP.test(line) || repeats) drop.add(i);
    }
    return lines.filter((_, i) => !drop.has(i));
  });
}

// ------------------------------------------------------------------ headings

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

export function romanValue(s: string): number | null {
  if (!/^[IVXLC]+$/.test(s)) return null;
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]!]!;
    const next = ROMAN[s[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

const SMALL_WORDS = new Set([
  "a",
  "an",
  "and",
  "as",
  "at",
  "by",
  "for",
  "from",
  "in",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
]);

/** "PROTECTION FROM HARM" → "Protection from Harm"; mixed-case titles stay as written. */
export function headingCase(title: string): string {
  const t = title.replace(/\s+/g, " ").trim();
  if (/[a-z]/.test(t)) return t;
  return t
    .toLowerCase()
    .split(" ")
    .map((w, i) =>
      i > 0 && SMALL_WORDS.has(w) ? w : w.replace(/^([^\p{L}]*)(\p{L})/u, (_m, p, c) => p + c.toUpperCase()),
    )
    .join(" ");
}

const isUpper = (s: string) => {
  const letters = s.replace(/[^\p{L}]/gu, "");
  return letters.length > 0 && letters === letters.toUpperCase();
};

/** A table-of-contents line: a title, dot leaders, a page number. */
const TOC_LINE = /^\s*(?:([IVXLC]{1,7}|[A-Z]|\d{1,2})\.?\s+)?(.+?)\s*(?:\.\s?){4,}\s*(\d{1,4})\s*$/;

const LEVEL1 = /^\s*(?:(?:ARTICLE|SECTION|PART)\s+)?([IVXLC]{1,7})\.?\s+(\S.{0,150}?)\s*$/;
const LEVEL1_WORD = /^\s*(?:ARTICLE|SECTION|PART)\s+(\d{1,2}|[IVXLC]{1,7})[.:]?\s+(\S.{0,150}?)\s*$/;
const LEVEL2 = /^\s*([A-Z])\.\s+(\S.{0,120}?)\s*$/;
const PARAGRAPH = /^\s*(?:¶\s*)?(\d{1,4})\.(?:\s+|$)(.*)$|^\s*¶\s*(\d{1,4})\s+(.*)$/;

/** Where the decree's own text ends: the judge's order, the signatures. */
const TAIL =
  /^\s*(?:entered as an order|it is so ordered|so ordered|respectfully submitted|consented to by|agreed to by|for the united states|for the city|for the county|for defendants?|dated:|date:|\/s\/|_{6,}|signed this)/i;

interface Draft {
  number: number;
  sections: SectionRef[];
  lines: string[];
  page: number;
  pageEnd: number;
  isDefinition: boolean;
}

/** Joins a paragraph's lines: a word broken at a hyphen stays one word with its hyphen. */
function joinLines(lines: readonly string[]): string {
  let out = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (!out) out = line;
    else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) out += line;
    else out += ` ${line}`;
  }
  return out.replace(/\s+/g, " ").trim();
}

const sectionPath = (sections: readonly SectionRef[]) => sections.map((s) => `${s.number}. ${s.title}`);

/** The terms a definition defines: the quoted words it starts with. */
export function definedTerms(text: string): string[] {
  const head = text.slice(0, 200);
  const terms: string[] = [];
  for (const m of head.matchAll(/[“"]([^”"]{1,60})[”"]/g)) {
    terms.push(m[1]!.trim());
    // Terms come first ("A" or "B" means …): stop at the verb.
    const after = head.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 12);
    if (!/^\s*(?:\/|,|or\b|and\b)/.test(after)) break;
  }
  return terms;
}

/** Parses the decree's pages (their text, in order) into its provisions. */
export function parseDecree(pages: readonly string[]): ParsedDecree {
  const cleaned = cleanPages(pages);
  const warnings: string[] = [];
  const toc: TocEntry[] = [];
  const sections: ParsedDecree["sections"] = [];
  const drafts: Draft[] = [];
  // Where the walk is: the section and subsection, the paragraph being read, the next number.
  const at: {
    level1: SectionRef | null;
    level2: SectionRef | null;
    current: Draft | null;
    lastHeading: SectionRef | null;
    inDefinitions: boolean;
  } = { level1: null, level2: null, current: null, lastHeading: null, inDefinitions: false };
  let expected = 1;
  let highestNumberSeen = 0;
  const open = () => [at.level1, at.level2].filter((s): s is SectionRef => s !== null);

  const startSection = (ref: SectionRef, page: number) => {
    if (ref.level === 1) {
      at.level1 = ref;
      at.level2 = null;
      at.inDefinitions = /\bdefinitions?\b/i.test(ref.title);
    } else {
      at.level2 = ref;
    }
    at.lastHeading = ref;
    at.current = null;
    const path = sectionPath(open()).join(" › ");
    sections.push({ ...ref, page, path });
  };

  for (const [p, lines] of cleaned.entries()) {
    const page = p + 1;
    let isTopOfPage = true;
    for (const line of lines) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      // A rule above a page's text is no signature line: pdf.js gives the judge's signature rule
      // of a page's foot first, before the text it ends (and some filings rule off the header).
      const wasTopOfPage = isTopOfPage;
      isTopOfPage = false;
      if (wasTopOfPage && /^_{6,}$/.test(trimmed)) continue;
      const pm = PARAGRAPH.exec(line);
      if (pm) highestNumberSeen = Math.max(highestNumberSeen, Number(pm[1] ?? pm[3]));

      // The table of contents: remembered, not taken as text.
      const tm = /(?:\.\s?){4,}\s*\d{1,4}\s*$/.test(line) ? TOC_LINE.exec(line) : null;
      if (tm && !pm) {
        const num = tm[1] ?? "";
        const level: 1 | 2 = romanValue(num) !== null && isUpper(tm[2]!) ? 1 : /^[A-Z]$/.test(num) ? 2 : 1;
        toc.push({ number: num, title: headingCase(tm[2]!), level, page: Number(tm[3]) });
        continue;
      }
      if (/^\s*table of contents\s*$/i.test(trimmed)) continue;

      // A numbered paragraph: only the next number, so that a number inside the text or a list
      // item is never taken for a paragraph.
      if (pm) {
        const n = Number(pm[1] ?? pm[3]);
        if (n === expected) {
          at.current = {
            number: n,
            sections: open(),
            lines: [pm[2] ?? pm[4] ?? ""],
            page,
            pageEnd: page,
            isDefinition: at.inDefinitions,
          };
          drafts.push(at.current);
          expected = n + 1;
          at.lastHeading = null;
          continue;
        }
      }

      // Headings: the next section (all capitals), or the next lettered subsection.
      const h1 = LEVEL1_WORD.exec(line) ?? LEVEL1.exec(line);
      const h2 = LEVEL2.exec(line);
      const nextRoman = (romanValue(at.level1?.number ?? "") ?? Number(at.level1?.number ?? 0)) + 1;
      const nextLetter = String.fromCharCode((at.level2?.number ?? "@").charCodeAt(0) + 1);
      const h1Value = h1 ? (romanValue(h1[1]!) ?? Number(h1[1])) : null;
      const isH1 =
        h1 !== null &&
        isUpper(h1[2]!) &&
        !/[.;,]$/.test(h1[2]!) &&
        (h1Value === nextRoman || (at.level1 === null && h1Value !== null && h1Value <= 2));
      const isH2 =
        h2 !== null &&
        at.level1 !== null &&
        h2[1] === nextLetter &&
        trimmed.length <= 130 &&
        !/[.;:]$/.test(h2[2]!) &&
        !(isH1 && isUpper(h2[2]!));
      if (isH1) {
        startSection({ number: h1![1]!, title: headingCase(h1![2]!), level: 1 }, page);
        continue;
      }
      if (isH2) {
        startSection({ number: h2![1]!, title: headingCase(h2![2]!), level: 2 }, page);
        continue;
      }
      // A heading's title that wraps onto a second line.
      const heading = at.lastHeading;
      if (heading && !at.current && isUpper(trimmed) === isUpper(heading.title) && trimmed.length < 80) {
        heading.title = headingCase(`${heading.title} ${trimmed}`);
        const entry = sections[sections.length - 1]!;
        entry.title = heading.title;
        entry.path = sectionPath(open()).join(" › ");
        continue;
      }
      if (TAIL.test(line)) {
        at.current = null;
        continue;
      }
      if (at.current) {
        at.current.lines.push(line);
        at.current.pageEnd = page;
      }
    }
  }

  const provisions = drafts.map((d): ParsedProvision => {
    const text = joinLines(d.lines);
    const label = `¶ ${d.number}`;
    return {
      number: d.number,
      label,
      sections: d.sections,
      path: [...sectionPath(d.sections), label].join(" › "),
      text,
      page: d.page,
      pageEnd: d.pageEnd,
      isDefinition: d.isDefinition,
      terms: d.isDefinition ? definedTerms(text) : [],
    };
  });
  if (provisions.length < highestNumberSeen) {
    warnings.push(
      `Paragraph ${provisions.length + 1} was not found although numbers up to ${highestNumberSeen} appear: check the paragraphs after ¶ ${provisions.length}`,
    );
  }
  for (const p of provisions) if (!p.text) warnings.push(`${p.label} has no text`);
  return { provisions, sections, toc, highestNumberSeen, warnings };
}
