import { splitAtPageNumbers } from "./outline-pages.js";

/**
 * Reading a monitor's report (or an assessment) into proposed ratings: for each rating it finds,
 * the provision's label, the level as written, the level on the matter's scale, the rater, the
 * page and the lines quoted. How a matter's reports word their ratings is data (a `RatingWording`),
 * not code: the layouts below are generic, and each report family is a wording of them.
 *
 * - `blocks`: a block per provision, opened by a marker line ("Provision 31") and holding either
 *   a status line ("Compliance Status: Partial Compliance") or a table whose header names one
 *   column per rater ("Independent Auditor Compliance Rating | DOJ Compliance Rating | …") and
 *   whose next row holds their levels.
 * - `summary`: a table of sections and their lettered subsections, each row ending in a level
 *   (the Suffolk County assessment reports); a level that wraps onto the lines around its row
 *   ("Substantial" / "b. Policies and Procedures" / "Compliance") is put back together.
 *
 * Nothing is guessed: a level the wording does not know is proposed with `level: null` and said
 * in `warnings`, and a person checks every row before it is accepted.
 */

export interface RatingWording {
  /** The level phrases the reports use (compared without case, spacing or end punctuation) → the scale's level code, or null for a phrase that is not a rating on the scale. */
  levels: Record<string, string | null>;
  layouts: RatingLayout[];
}

export type RatingLayout = BlocksLayout | SummaryLayout;

export interface BlocksLayout {
  kind: "blocks";
  /** A whole line (trimmed) that opens a provision's block; its first group is the label's value. */
  marker: string;
  /** The label from the marker's value: "$1" is replaced ("¶ $1"). */
  label: string;
  /** One rater's status line: its first group is the level as written. */
  status?: { pattern: string; rater: string };
  /** A table of raters: its header line, and the rater of each of its columns (null: a column that is not a rating). */
  columns?: { header: string; raters: (string | null)[] };
}

export interface SummaryLayout {
  kind: "summary";
  rater: string;
  /** A line that starts the table, and one that ends it. */
  start: string;
  end: string;
  /** A section row: group 1 is its number ("III"), group 2 its title; the level, if on the row, follows. */
  section: string;
  /** A subsection row: group 1 its letter, group 2 its title. */
  item: string;
  /** Labels: "$s" is the section's number, "$1" the row's. */
  sectionLabel: string;
  itemLabel: string;
}

export interface RatingProposal {
  label: string;
  levelAsWritten: string;
  /** On the matter's scale; null when the wording does not know the phrase. */
  level: string | null;
  rater: string;
  /** The page (from 1) where the rating is written. */
  page: number;
  /** The lines the rating was read from, as written. */
  quote: string;
}

export interface RatingRead {
  items: RatingProposal[];
  warnings: string[];
}

interface Line {
  text: string;
  page: number;
}

/**
 * Lines with their page: by form feed (pdftotext's page break); in a text without one, by the
 * page numbers at the pages' feet, by the rule the upload's page splitter follows
 * (`splitAtPageNumbers`: a run from 1, or from 2 after an unnumbered first page), so a rating's
 * page is the page the document shows; else page 1.
 */
function linesOf(text: string): Line[] {
  const out: Line[] = [];
  const pages = text.includes("\f") ? text.split("\f") : splitAtPageNumbers(text.split(/\r?\n/));
  (pages ?? [text]).forEach((page, i) => {
    for (const line of page.split(/\r?\n/)) out.push({ text: line, page: i + 1 });
  });
  return out;
}

const normal = (s: string) =>
  s
    .replace(/[\u2018\u2019\u201c\u201d"]/g, "")
    .replace(/\s+/g, " ")
    .replace(/[\s.:;,]+$/, "")
    .trim()
    .toLowerCase();

/** A page's own furniture in a report: "3 | P age", "22", a court's running header. */
const FURNITURE = /^\s*(?:\d{1,4}\s*\|\s*P\s*a\s*ge|\d{1,4}|Page \d+ of \d+|Case \S+\s+Document\s.*)\s*$/i;

class Levels {
  private readonly known = new Map<string, string | null>();
  private readonly phrases: string[];
  constructor(levels: Record<string, string | null>) {
    for (const [phrase, code] of Object.entries(levels)) this.known.set(normal(phrase), code);
    this.phrases = [...this.known.keys()].sort((a, b) => b.length - a.length);
  }
  has(written: string): boolean {
    return this.known.has(normal(written));
  }
  code(written: string): string | null {
    return this.known.get(normal(written)) ?? null;
  }
  /** The level phrase a text ends with (after two spaces or more), and the text before it. */
  trailing(text: string): { rest: string; written: string } | null {
    const n = normal(text);
    for (const p of this.phrases) {
      if (!n.endsWith(p)) continue;
      // Find where it starts in the text as written: the last run of its words.
      const words = p.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      const m = new RegExp(`\\s{2,}(${words.join("\\s+")})[\\s.:;,]*$`, "i").exec(
        text.replace(/[\u201c\u201d"]/g, ""),
      );
      if (m) return { rest: text.slice(0, m.index).trimEnd(), written: m[1]!.replace(/\s+/g, " ") };
    }
    return null;
  }
}

const compile = (pattern: string, flags = "") => new RegExp(pattern, flags);
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\$(\w)/g, (all, k: string) => values[k] ?? all);

function readBlocks(lines: Line[], layout: BlocksLayout, levels: Levels, read: RatingRead) {
  const marker = compile(`^${layout.marker}$`, "i");
  const status = layout.status && compile(layout.status.pattern, "i");
  const header = layout.columns && compile(layout.columns.header, "i");
  let open: { label: string; line: number } | null = null;
  const found = new Set<string>();
  const propose = (label: string, written: string, rater: string, page: number, from: number, to: number) => {
    const level = levels.code(written);
    const quoted = lines
      .slice(from, to + 1)
      .map((l) => l.text.trim())
      .filter((t) => t && !FURNITURE.test(t));
    const quote =
      quoted.length > 6 ? [...quoted.slice(0, 3), "…", ...quoted.slice(-2)].join("\n") : quoted.join("\n");
    read.items.push({ label, levelAsWritten: written, level, rater, page, quote });
    if (level === null && !levels.has(written))
      read.warnings.push(`${label}: "${written}" (page ${page}) is not a level the wording knows`);
  };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text.trim();
    const m = marker.exec(text);
    if (m) {
      open = { label: fill(layout.label, { 1: m[1] ?? "" }), line: i };
      continue;
    }
    if (!open) continue;
    const s = status?.exec(text);
    if (s && layout.status) {
      const key = `${open.label} ${layout.status.rater}`;
      if (found.has(key))
        read.warnings.push(`${open.label}: a second rating on page ${lines[i]!.page} was left out`);
      else {
        found.add(key);
        propose(
          open.label,
          s[1]!.trim().replace(/\s+/g, " "),
          layout.status.rater,
          lines[open.line]!.page,
          open.line,
          i,
        );
      }
      continue;
    }
    if (header && layout.columns && header.test(text)) {
      // The row of levels: the next line with text, its cells split at two spaces or a bar.
      let j = i + 1;
      while (j < lines.length && (!lines[j]!.text.trim() || FURNITURE.test(lines[j]!.text))) j++;
      const cells = (lines[j]?.text ?? "").trim().split(/\s*\|\s*|\s{2,}/);
      layout.columns.raters.forEach((rater, k) => {
        const written = cells[k]?.trim();
        if (!rater) return;
        if (!written) {
          read.warnings.push(`${open!.label}: no ${rater} rating in the table on page ${lines[i]!.page}`);
          return;
        }
        const key = `${open!.label} ${rater}`;
        if (found.has(key)) return;
        found.add(key);
        propose(open!.label, written, rater, lines[j]!.page, i, j);
      });
      i = j;
    }
  }
}

function readSummary(lines: Line[], layout: SummaryLayout, levels: Levels, read: RatingRead) {
  const start = compile(layout.start, "i");
  const end = compile(layout.end, "i");
  const section = compile(`^\\s*${layout.section}`, "");
  const item = compile(`^\\s*${layout.item}`, "");
  let i = lines.findIndex((l) => start.test(l.text));
  if (i < 0) return;
  interface Row {
    label: string;
    page: number;
    line: number;
    written: string | null;
    prefix: string[];
    section: boolean;
  }
  const rows: Row[] = [];
  let sectionNumber = "";
  let fragments: { text: string; line: number }[] = [];
  let open: Row | null = null;
  /**
   * Puts a wrapped level back together: the open row takes the fewest lines after it, and then
   * the fewest just before it, that make a level (what comes before them is the table's header).
   */
  const close = () => {
    if (open) {
      const before = open.prefix;
      let taken = -1;
      search: for (let k = 0; k <= fragments.length; k++) {
        const after = fragments.slice(0, k).map((f) => f.text);
        for (let j = 0; j <= before.length; j++) {
          const words = [...before.slice(before.length - j), ...after];
          if (words.length && levels.has(words.join(" "))) {
            open.written = words.join(" ");
            taken = k;
            break search;
          }
        }
      }
      fragments = taken >= 0 ? fragments.slice(taken) : [];
    }
    open = null;
  };
  for (i = i + 1; i < lines.length; i++) {
    const raw = lines[i]!.text;
    if (end.test(raw)) break;
    const text = raw.trim();
    if (!text || FURNITURE.test(text)) continue;
    const s = section.exec(raw);
    const t = s ? null : item.exec(raw);
    if (!s && !t) {
      // A line of prose ends the table (a wrapped level is a word or two).
      if (text.split(/\s+/).length > 6) break;
      fragments.push({ text, line: i });
      continue;
    }
    close();
    const value = (s ?? t)![1]!;
    if (s) sectionNumber = value;
    const label = s
      ? fill(layout.sectionLabel, { s: value, 1: value })
      : fill(layout.itemLabel, { s: sectionNumber, 1: value });
    const trailing = levels.trailing(raw);
    const row: Row = {
      label,
      page: lines[i]!.page,
      line: i,
      written: trailing?.written ?? null,
      prefix: trailing ? [] : fragments.map((f) => f.text),
      section: Boolean(s),
    };
    // Words before a row that has its level are the table's header or a page's furniture, unless
    // they read as a level: then the table wrapped in a way the reader did not follow.
    if (trailing && fragments.length && levels.has(fragments.map((f) => f.text).join(" ")))
      read.warnings.push(
        `${label}: left out the words "${fragments.map((f) => f.text).join(" ")}" before it`,
      );
    fragments = [];
    rows.push(row);
    if (!trailing) open = row;
  }
  close();
  for (const row of rows) {
    if (!row.written) {
      // A section's row may only head its subsections' ratings.
      if (row.section) continue;
      read.warnings.push(`${row.label}: no rating found in the table on page ${row.page}`);
      continue;
    }
    const level = levels.code(row.written);
    read.items.push({
      label: row.label,
      levelAsWritten: row.written,
      level,
      rater: layout.rater,
      page: row.page,
      quote: lines[row.line]!.text.trim(),
    });
    if (level === null && !levels.has(row.written))
      read.warnings.push(`${row.label}: "${row.written}" is not a level the wording knows`);
  }
}

/** Reads a report's text (pages separated by form feeds, as pdftotext gives them) into proposed ratings. */
export function readRatings(text: string, wording: RatingWording): RatingRead {
  const lines = linesOf(text);
  const levels = new Levels(wording.levels);
  const read: RatingRead = { items: [], warnings: [] };
  for (const layout of wording.layouts) {
    if (layout.kind === "blocks") readBlocks(lines, layout, levels, read);
    else readSummary(lines, layout, levels, read);
  }
  return read;
}
