import { HIGHLIGHT_END, HIGHLIGHT_START, parseSearchQuery } from "@accord/domain";
import type { ReactNode } from "react";

/**
 * A search snippet: the server marks matched words between U+E000 and U+E001. The string is cut
 * at the marks and the matched parts wrapped in <mark> as React nodes, never parsed as HTML.
 */
export function Snippet({ text }: { text: string }) {
  const nodes: ReactNode[] = [];
  let rest = text;
  let key = 0;
  while (rest.length > 0) {
    const start = rest.indexOf(HIGHLIGHT_START);
    if (start === -1) {
      nodes.push(rest);
      break;
    }
    if (start > 0) nodes.push(rest.slice(0, start));
    const end = rest.indexOf(HIGHLIGHT_END, start + 1);
    const marked = rest.slice(start + 1, end === -1 ? undefined : end);
    nodes.push(
      <mark key={key++} className="accord-hit">
        {marked}
      </mark>,
    );
    rest = end === -1 ? "" : rest.slice(end + 1);
  }
  return <>{nodes}</>;
}

const LETTERS = "[\\p{L}\\p{M}\\p{N}]";
const BETWEEN = "[^\\p{L}\\p{M}\\p{N}]+";

/** PostgreSQL's English stop words: never indexed, so never marked on their own. */
const STOP_WORDS = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her " +
    "hers herself it its itself they them their theirs themselves what which who whom this that these " +
    "those am is are was were be been being have has had having do does did doing a an the and but if or " +
    "because as until while of at by for with about against between into through during before after " +
    "above below to from up down in out on off over under again further then once here there when where " +
    "why how all any both each few more most other some such no nor not only own same so than too very s " +
    "t can will just don should now"
  ).split(" "),
);

const SUFFIXES = [
  "ations",
  "ation",
  "ings",
  "ing",
  "ments",
  "ment",
  "ies",
  "ied",
  "ed",
  "es",
  "ly",
  "s",
  "e",
];

/**
 * What PostgreSQL's English stemmer would roughly keep, so the endings it allows are marked too:
 * "policing" and "police" share "polic", "uses" and "used" share "use".
 */
function roughStem(word: string): string {
  if (word.length < 4) return word;
  for (const suffix of SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    if (stem.length >= 3) return stem;
    // Too short a stem ("us" of "uses"): only the last letter goes.
    return suffix === "ed" || suffix === "es" ? word.slice(0, -1) : word;
  }
  return word;
}

/**
 * Escapes what is syntax in a pattern. Only these: under the `u` flag an escape of anything else
 * (`\-` from "body-worn", a case number's "1:25-cv-00024") is itself a syntax error.
 */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One word as a pattern: a stop word exactly, a prefix or stem with any ending. */
function wordPattern(word: string, isPrefix: boolean): string {
  if (isPrefix) return `${escapeRegExp(word)}${LETTERS}*`;
  if (STOP_WORDS.has(word)) return `${escapeRegExp(word)}(?!${LETTERS})`;
  return `${escapeRegExp(roughStem(word))}${LETTERS}*`;
}

function compile(alternatives: Set<string>): RegExp | null {
  if (alternatives.size === 0) return null;
  // Longest first: a phrase wins over one of its words where both start at one place.
  const body = [...alternatives].sort((a, b) => b.length - a.length).join("|");
  return new RegExp(`(?<!${LETTERS})(?:${body})`, "giu");
}

/**
 * Patterns that find, in a page's text, what a search query looks for, the most exact first:
 * its phrases as runs of words (with the endings stemming allows) and its other words and
 * prefixes; then, when the query has phrases, each of their words alone (a phrase broken over two
 * lines of a PDF is not one run of text). Stop words are marked only inside a phrase; excluded
 * words never. Empty when the query looks for nothing.
 */
export function highlightPatterns(query: string | null | undefined): RegExp[] {
  if (!query?.trim()) return [];
  const parsed = parseSearchQuery(query);
  const exact = new Set<string>();
  const loose = new Set<string>();
  let hasPhrase = false;
  for (const clause of parsed.clauses) {
    if (clause.excluded) continue;
    const last = clause.words.length - 1;
    const parts = clause.words.map((w, i) => wordPattern(w, clause.prefix && i === last));
    clause.words.forEach((w, i) => {
      if (!STOP_WORDS.has(w) || (clause.prefix && i === last)) loose.add(parts[i] as string);
    });
    if (clause.words.length > 1) {
      hasPhrase = true;
      exact.add(parts.join(BETWEEN));
    } else if (loose.has(parts[0] as string)) {
      exact.add(parts[0] as string);
    }
  }
  const patterns = [compile(exact), hasPhrase ? compile(loose) : null];
  return patterns.filter((p): p is RegExp => p !== null);
}

/** The first of `patterns` that finds something in `text` (null when none does). */
export function firstMatching(text: string, patterns: readonly RegExp[]): RegExp | null {
  return patterns.find((p) => new RegExp(p.source, p.flags).test(text)) ?? null;
}

/** The parts of `text`, matched ones flagged, for rendering with <mark>. */
export function splitMatches(text: string, pattern: RegExp | null): { text: string; hit: boolean }[] {
  if (!pattern) return [{ text, hit: false }];
  const parts: { text: string; hit: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags))) {
    const at = m.index ?? 0;
    if (m[0].length === 0) continue;
    if (at > last) parts.push({ text: text.slice(last, at), hit: false });
    parts.push({ text: m[0], hit: true });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), hit: false });
  return parts;
}

/** Plain text with the query's words marked. */
export function HighlightedText({ text, pattern }: { text: string; pattern: RegExp | null }) {
  return (
    <>
      {splitMatches(text, pattern).map((p, i) =>
        p.hit ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <mark key={i} className="accord-hit">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

/**
 * Marks the query's words inside rendered DOM (pdf.js's text layer): each matching text node is
 * split and the matches wrapped in <mark> elements built with textContent, with the first of
 * `patterns` that finds something. Answers how many.
 */
export function markDomText(root: HTMLElement, patterns: readonly RegExp[]): number {
  for (const pattern of patterns) {
    const count = markWith(root, pattern);
    if (count > 0) return count;
  }
  return 0;
}

function markWith(root: HTMLElement, pattern: RegExp): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  let count = 0;
  for (const node of nodes) {
    const parts = splitMatches(node.data, pattern);
    if (!parts.some((p) => p.hit)) continue;
    const fragment = document.createDocumentFragment();
    for (const p of parts) {
      if (p.hit) {
        const mark = document.createElement("mark");
        mark.className = "accord-hit";
        mark.textContent = p.text;
        fragment.append(mark);
        count++;
      } else {
        fragment.append(document.createTextNode(p.text));
      }
    }
    node.replaceWith(fragment);
  }
  return count;
}
