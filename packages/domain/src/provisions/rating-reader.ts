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
 *   whose next row holds their levels, or a finding written in prose (the last level phrase of the
 *   block: the Atlanta special master's "… a final finding is withheld or deferred"). A marker may
 *   wrap over lines and name several provisions ("¶¶ 4, 5"); a sub-item rated after its parent
 *   ("Task 3 … STATUS" / "a. … STATUS") is a block of its own.
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
  /**
   * A marker that may run over this many lines (a heading that wraps, "8. INVESTIGATION … [2011
   * Order at Ex. A, ¶" / "8]."): then it is matched at the start of those lines joined by a space.
   * Default 1, a whole line.
   */
  markerLines?: number;
  /** The label from the marker's value: "$1" is replaced ("¶ $1"). */
  label: string;
  /** Splits the marker's value into several labels rated alike ("¶¶ 4, 5" → "4", "5"). */
  each?: string;
  /** A line (trimmed, whole; compared with its case) that closes the open block without opening another: a heading of something not rated. */
  stop?: string;
  /**
   * A sub-item's block ("a. The Auditor shall review …"), opened only once the block has its own
   * rating (sub-items listed before it are the provision's text): "$p" is the block's label, "$1" the sub-item's.
   */
  sub?: { marker: string; label: string };
  /** One rater's status line: its first group is the level as written. */
  status?: { pattern: string; rater: string };
  /**
   * A finding written in prose: the last of the wording's level phrases in the block (read across
   * line breaks; a phrase inside a longer one is the longer one's) is the rater's level.
   */
  finding?: { rater: string };
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
  /**
   * The last level phrase written in lines [from, to) read as one text (case, spacing and quotes
   * aside), with the lines it runs over; a phrase inside a longer one found there is the longer one.
   */
  lastIn(lines: readonly { text: string }[], from: number, to: number) {
    let written = "";
    const lineAt: number[] = [];
    for (let k = from; k < to; k++) {
      const t = lines[k]!.text.replace(/[\u2018\u2019\u201c\u201d"]/g, "")
        .replace(/\s+/g, " ")
        .trim();
      if (!t || FURNITURE.test(t)) continue;
      const piece = `${t} `;
      for (let c = 0; c < piece.length; c++) lineAt.push(k);
      written += piece;
    }
    const joined = written.toLowerCase();
    if (joined.length !== written.length) written = joined;
    const hits: { start: number; end: number }[] = [];
    const letter = /[a-z0-9]/;
    for (const p of this.phrases)
      for (let at = joined.indexOf(p); at >= 0; at = joined.indexOf(p, at + 1)) {
        const end = at + p.length;
        if (!letter.test(joined[at - 1] ?? "") && !letter.test(joined[end] ?? ""))
          hits.push({ start: at, end });
      }
    const whole = hits.filter(
      (h) =>
        !hits.some(
          (o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start,
        ),
    );
    const last = whole.sort((x, y) => y.start - x.start || y.end - x.end)[0];
    if (!last) return null;
    return {
      written: written.slice(last.start, last.end),
      from: lineAt[last.start]!,
      to: lineAt[last.end - 1]!,
    };
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
  const span = Math.max(1, layout.markerLines ?? 1);
  const marker = compile(span > 1 ? `^(?:${layout.marker})` : `^(?:${layout.marker})$`, "i");
  const stop = layout.stop ? compile(`^(?:${layout.stop})$`) : null;
  const sub = layout.sub ? compile(`^(?:${layout.sub.marker})$`, "i") : null;
  const status = layout.status && compile(layout.status.pattern, "i");
  const header = layout.columns && compile(layout.columns.header, "i");
  /** The open block: its labels, the line that opened it, and whether it has its own rating yet. */
  let open: { labels: string[]; line: number; rated: boolean; parent: string } | null = null;
  const found = new Set<string>();
  const quoteOf = (from: number, to: number) => {
    const quoted = lines
      .slice(from, to + 1)
      .map((l) => l.text.trim())
      .filter((t) => t && !FURNITURE.test(t));
    return quoted.length > 6
      ? [...quoted.slice(0, 3), "…", ...quoted.slice(-2)].join("\n")
      : quoted.join("\n");
  };
  const propose = (label: string, written: string, rater: string, page: number, quote: string) => {
    const level = levels.code(written);
    read.items.push({ label, levelAsWritten: written, level, rater, page, quote });
    if (level === null && !levels.has(written))
      read.warnings.push(`${label}: "${written}" (page ${page}) is not a level the wording knows`);
  };
  /** Proposes one rating for each of the open block's labels, once per rater. */
  const rate = (rater: string, written: string, page: number, quote: string, at: number) => {
    if (!open) return;
    for (const label of open.labels) {
      const key = `${label} ${rater}`;
      if (found.has(key)) {
        read.warnings.push(`${label}: a second rating on page ${lines[at]!.page} was left out`);
        continue;
      }
      found.add(key);
      propose(label, written, rater, page, quote);
    }
    open.rated = true;
  };
  const close = (end: number) => {
    if (open && layout.finding && !open.rated) {
      const hit = levels.lastIn(lines, open.line + 1, end);
      if (hit)
        rate(layout.finding.rater, hit.written, lines[hit.from]!.page, quoteOf(hit.from, hit.to), hit.from);
      else
        for (const label of open.labels)
          read.warnings.push(`${label}: no finding the wording knows on page ${lines[open.line]!.page}`);
    }
    open = null;
  };
  const labelsOf = (value: string, template: string, parent = "") =>
    (layout.each ? value.split(compile(layout.each)) : [value])
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => fill(template, { 1: v, p: parent }));
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text.trim();
    if (!text) continue;
    const head =
      span > 1
        ? lines
            .slice(i, i + span)
            .map((l) => l.text.trim())
            .join(" ")
        : text;
    const m = marker.exec(head);
    if (m) {
      close(i);
      const labels = labelsOf(m[1] ?? "", layout.label);
      open = { labels, line: i, rated: false, parent: labels[0] ?? "" };
      continue;
    }
    if (stop?.test(text)) {
      close(i);
      continue;
    }
    if (!open) continue;
    const o: { labels: string[]; line: number; rated: boolean; parent: string } = open;
    const sm = o.rated && sub && layout.sub ? sub.exec(text) : null;
    if (sm && layout.sub) {
      close(i);
      open = {
        labels: [fill(layout.sub.label, { p: o.parent, 1: sm[1] ?? "" })],
        line: i,
        rated: false,
        parent: o.parent,
      };
      continue;
    }
    const s = status?.exec(text);
    if (s && layout.status) {
      rate(
        layout.status.rater,
        s[1]!.trim().replace(/\s+/g, " "),
        lines[o.line]!.page,
        quoteOf(o.line, i),
        i,
      );
      continue;
    }
    if (header && layout.columns && header.test(text)) {
      // The row of levels: the next line with text, its cells split at two spaces or a bar.
      let j = i + 1;
      while (j < lines.length && (!lines[j]!.text.trim() || FURNITURE.test(lines[j]!.text))) j++;
      const cells = (lines[j]?.text ?? "").trim().split(/\s*\|\s*|\s{2,}/);
      const label = o.labels.join(", ");
      layout.columns.raters.forEach((rater, k) => {
        const written = cells[k]?.trim();
        if (!rater) return;
        if (!written) {
          read.warnings.push(`${label}: no ${rater} rating in the table on page ${lines[i]!.page}`);
          return;
        }
        for (const one of o.labels) {
          const key = `${one} ${rater}`;
          if (found.has(key)) continue;
          found.add(key);
          propose(one, written, rater, lines[j]!.page, quoteOf(i, j));
        }
      });
      o.rated = true;
      i = j;
    }
  }
  close(lines.length);
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
