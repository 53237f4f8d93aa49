/**
 * The outline parser: an agreement's pages of text → its provision nodes, each identified by its
 * citation label as lawyers cite it ("¶ 123", "E.1", "II.j", "III.A.1.a(i)"), with its parent,
 * depth, page, section path, caption, and whether it is a heading only or a definition. The
 * numbering style is read from the document: continuous paragraphs, lettered or roman sections
 * whose paragraphs restart, full outline numbering, numbered items with a) b) sub-items, and
 * mixtures. What the parser was unsure of is said in `warnings` for a person to check.
 */
import { formatLabel, formatValue, readMarker } from "./outline-labels.js";
import { cleanOutlinePages, type PageLine, splitTextPages } from "./outline-pages.js";
import { type Choice, chooseMarkers, type NumberingMode, usualChildKinds } from "./outline-tree.js";
import { definedTerms, headingCase } from "./parse.js";

export interface OutlineNode {
  /** The citation label: "¶ 46", "E.1", "II.j", "III.A.1.a(i)", "¶ 1(a)". */
  label: string;
  parentLabel: string | null;
  /** 0 for a top-level node. */
  depth: number;
  /** Position in the document, from 0. */
  order: number;
  /** The page (of the document, from 1) where the node starts. */
  page: number;
  /** The titles of its ancestors, outermost first. */
  sectionPath: string[];
  /** A heading only: a title and children, no text of its own. */
  heading: boolean;
  /** A node of a definitions section. */
  definition: boolean;
  /** For a definition: the term(s) it defines. */
  terms: string[];
  /** Its caption or title ("Training", "DEFINITIONS" → "Definitions"), when it carries one. */
  caption: string | null;
  /** Its own text (without its children's), lines joined. */
  text: string;
}

export interface OutlineExhibit {
  /** "Exhibit A", "Attachment 2". */
  label: string;
  /** The line as written ("REVISED EXHIBIT C"). */
  heading: string;
  page: number;
}

export interface OutlineParse {
  nodes: OutlineNode[];
  /** Exhibits and attachments after the body: listed, not provisions. */
  exhibits: OutlineExhibit[];
  mode: NumberingMode;
  /** What a person should check: skipped numbers, OCR confusions resolved, an ambiguous style. */
  warnings: string[];
}

const EXHIBIT = /^\s*(?:REVISED\s+)?(EXHIBIT|ATTACHMENT|APPENDIX|ANNEX)\s+([A-Z0-9]{1,3})\s*$/i;
/** Where the signatures start: the body's text ends there. */
const TAIL =
  /^\s*(?:entered as an order|it is so ordered|so ordered|respectfully submitted|consented to by|agreed to by|agreed and accepted|for the united states|for the city|for the county|for defendants?|for plaintiffs?|dated\s*:|date:|\/s\/|_{6,}|signed this|by\s*:|in witness whereof|entered into on this)/i;
const LEFT_BLANK = /^\s*\[?[^a-z]*INTENTIONALLY LEFT BLANK[^a-z]*\]?\s*$/;
const SMALL = new Set("a an and as at by for from in of on or the to with".split(" "));

/** Joins a node's lines: a word broken at a hyphen stays one word with its hyphen. */
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

const isAllCaps = (s: string) => {
  const letters = s.replace(/[^\p{L}]/gu, "");
  return letters.length >= 2 && letters === letters.toUpperCase();
};

/** Most words capitalised, as a title is ("Revocation or Amendment of Unconstitutional Policies"). */
const isTitleCase = (s: string) => {
  if (/[,;]/.test(s) || /\s(?:and|or|the|of|to)$/i.test(s.trim())) return false;
  const words = s.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !SMALL.has(w.toLowerCase()));
  if (words.length === 0 || words.length > 12) return false;
  const lower = words.filter((w) => !/^["“(]?\p{Lu}/u.test(w)).length;
  return lower <= (words.length >= 5 ? 1 : 0);
};

/**
 * A node's caption: its first line(s) when they read as a title rather than the start of a
 * sentence: no closing punctuation, and either in capitals, or followed at once by a child
 * marker, or in title case and followed by a sentence.
 */
function splitCaption(lines: string[], hasChildren: boolean): { caption: string | null; body: string[] } {
  const first = lines[0]?.trim() ?? "";
  if (!first || first.length > 110 || /[.,;:]["”]?$/.test(first)) return { caption: null, body: lines };
  let n = 1;
  if (isAllCaps(first)) {
    while (n < lines.length && isAllCaps(lines[n]!) && !/[.;:]$/.test(lines[n]!.trim()) && n < 3) n++;
  } else {
    const nextStartsSentence = n < lines.length && /^\s*["“]?\p{Lu}/u.test(lines[n]!);
    const titled =
      (lines.length === 1 && hasChildren) ||
      (isTitleCase(first) && (nextStartsSentence || lines.length === 1));
    if (!titled) return { caption: null, body: lines };
  }
  return { caption: headingCase(joinLines(lines.slice(0, n))), body: lines.slice(n) };
}

const isUnnumberedHeading = (line: string) =>
  isAllCaps(line) && line.trim().length <= 70 && !/[.;:,]$/.test(line.trim()) && /\p{L}{3}/u.test(line);

interface Draft {
  choice: Choice;
  page: number;
  lines: string[];
  closed: boolean;
}

/** Lines that end a node's text before a signature block: names and titles after the last sentence. */
function trimBeforeSignature(lines: string[]) {
  let last = -1;
  for (const [i, l] of lines.entries()) if (/[.;:!?)"”]\s*$/.test(l.trim())) last = i;
  if (last >= 0 && lines.length - 1 - last <= 8) lines.splice(last + 1);
}

/** The exhibits and attachments after the body, and where the body ends: at the first of them after a marker. */
function exhibitsOf(all: readonly PageLine[]): { exhibits: OutlineExhibit[]; bodyEnd: number } {
  const exhibits: OutlineExhibit[] = [];
  let bodyEnd = all.length;
  let seenMarker = false;
  for (const [i, l] of all.entries()) {
    if (!seenMarker && readMarker(l.text)) seenMarker = true;
    const m = EXHIBIT.exec(l.text);
    if (m && seenMarker) {
      if (bodyEnd === all.length) bodyEnd = i;
      const kind = m[1]!.toLowerCase();
      exhibits.push({
        label: `${kind[0]!.toUpperCase()}${kind.slice(1)} ${m[2]}`,
        heading: l.text.trim(),
        page: l.page,
      });
    }
  }
  return { exhibits, bodyEnd };
}

/** The exhibits and attachments an agreement's pages end with, as the outline parser recognises them. */
export const findExhibits = (pages: readonly string[]): OutlineExhibit[] =>
  exhibitsOf(cleanOutlinePages(pages)).exhibits;

/** Parses an agreement's pages (the text of each, in order) into its outline of provisions. */
export function parseOutline(pages: readonly string[]): OutlineParse {
  const all: PageLine[] = cleanOutlinePages(pages);
  const { exhibits, bodyEnd } = exhibitsOf(all);
  const body = all.slice(0, bodyEnd).filter((l) => !LEFT_BLANK.test(l.text));
  const texts = body.map((l) => l.text);

  // Read twice: the second reading prefers, under each kind of level, the kind of children the
  // first found usual (so "1." under a lettered paragraph is i. where the others are i., ii.).
  const continuous = chooseMarkers(texts, "continuous");
  const restart = chooseMarkers(texts, "restart");
  const mode: NumberingMode = restart.cost < continuous.cost ? "restart" : "continuous";
  const first = mode === "restart" ? restart : continuous;
  const chosen = chooseMarkers(texts, mode, usualChildKinds(first.choices));
  const warnings: string[] = [];
  const hasSections = chosen.choices.some(
    (c) => c.path.length > 1 && c.path.some((p) => p.kind === "arabic"),
  );
  if (Math.abs(restart.cost - continuous.cost) < 1 && hasSections) {
    warnings.push(
      `The numbering style is ambiguous (paragraphs continuous or restarting in each section): read as ${mode}`,
    );
  }

  // The text of each node: its marker line's rest and the lines up to the next chosen marker.
  const byLine = new Map(chosen.choices.map((c) => [c.line, c]));
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  for (const [i, l] of body.entries()) {
    const choice = byLine.get(i);
    if (choice) {
      current = { choice, page: l.page, lines: [readMarker(l.text)!.rest], closed: false };
      drafts.push(current);
      continue;
    }
    if (!current || current.closed) continue;
    // An unnumbered heading ("INJUNCTIVE RELIEF") before the next node is not this node's text.
    const last = current.lines[current.lines.length - 1]?.trim() ?? "";
    if (isUnnumberedHeading(l.text) && byLine.has(i + 1) && /[.;:)"”]$/.test(last)) continue;
    if (TAIL.test(l.text)) {
      trimBeforeSignature(current.lines);
      current.closed = true;
      continue;
    }
    current.lines.push(l.text);
  }

  const paragraphAt = (c: Choice) =>
    mode === "continuous" ? c.path.findIndex((p) => p.kind === "arabic") : -1;
  const labelOf = (c: Choice, length = c.path.length) => formatLabel(c.path.slice(0, length), paragraphAt(c));
  const nodes: OutlineNode[] = [];
  const byLabel = new Map<string, OutlineNode>();
  for (const [order, d] of drafts.entries()) {
    const { choice } = d;
    const label = labelOf(choice);
    const hasChildren = drafts[order + 1]?.choice.path.length === choice.path.length + 1;
    const { caption, body: rest } = splitCaption(d.lines, hasChildren);
    const text = joinLines(rest);
    const parentLabel = choice.path.length > 1 ? labelOf(choice, choice.path.length - 1) : null;
    const parent = parentLabel ? byLabel.get(parentLabel) : undefined;
    const sectionPath = parent ? [...parent.sectionPath, parent.caption ?? parent.label] : [];
    const definition =
      !(caption && !text) &&
      [...sectionPath].some((t) => /^definitions?\b/i.test(t) || /\bdefinitions\b/i.test(t));
    const node: OutlineNode = {
      label,
      parentLabel,
      depth: choice.path.length - 1,
      order,
      page: d.page,
      sectionPath,
      heading: caption !== null && !text,
      definition,
      terms: definition ? definedTerms(text) : [],
      caption,
      text,
    };
    if (byLabel.has(label))
      warnings.push(`${label} appears twice (page ${d.page}): check the numbering there`);
    byLabel.set(label, node);
    nodes.push(node);
    const last = choice.path[choice.path.length - 1]!;
    if (choice.skipped > 0) {
      const missing = Array.from({ length: choice.skipped }, (_, k) =>
        formatValue(last.kind, last.value - choice.skipped + k),
      );
      warnings.push(`${label} (page ${d.page}) follows a gap: ${missing.join(", ")} not found before it`);
    }
    if (choice.reading.cost > 0) {
      const raw = readMarker(body[choice.line]!.text)!.raw;
      warnings.push(
        `"${raw}" on page ${d.page} read as ${label} (an OCR confusion resolved from its neighbours)`,
      );
    }
    if (!text && !caption) warnings.push(`${label} (page ${d.page}) has no text`);
  }
  return { nodes, exhibits, mode, warnings };
}

/** Parses an agreement given as one text file (form feeds, court page stamps, or page numbers). */
export const parseOutlineText = (text: string): OutlineParse => parseOutline(splitTextPages(text));
