/**
 * The search box's syntax, the kind people know from web search engines: words (all must
 * match), "quoted phrases" (the words next to each other, in that order), -word or -"a phrase"
 * to leave out what contains it, and train* for every word that begins with "train".
 *
 * Parsing is pure and total: any string gives a query (possibly with nothing to look for), and
 * the PostgreSQL tsquery text built from it contains only words made of letters, digits and a
 * few inner connectors, joined by operators we write ourselves, so no input can break its syntax.
 */

/** One thing the query asks for (or excludes): a word, or several words in a row. */
export interface SearchClause {
  /** Lower-cased words; more than one for a "quoted phrase" or a word with an apostrophe. */
  words: string[];
  /** The last word is a prefix (train* finds training, trainee…). */
  prefix: boolean;
  /** -word: results must not contain it. */
  excluded: boolean;
}

export interface ParsedSearchQuery {
  /** Every clause in the order typed, without duplicates. */
  clauses: SearchClause[];
  /** Single words to find. */
  terms: string[];
  /** Phrases to find, their words joined by a space. */
  phrases: string[];
  /** Prefixes to find (train for train*). */
  prefixes: string[];
  /** Words and phrases to leave out. */
  excluded: string[];
}

/** At most this many clauses are kept; the box accepts 500 characters anyway. */
export const MAX_SEARCH_CLAUSES = 32;
/** Longer "words" (a pasted hash, a run of letters) are dropped: they would match nothing. */
const MAX_WORD_LENGTH = 100;

/**
 * Inside a word, these stay (covid-19, u.s.c, use-of-force, 12601.5): PostgreSQL's parser reads
 * such words whole, so splitting them would miss what was indexed. None of them is a tsquery
 * operator. At the edges of a word, or two in a row, they separate words.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-./_@+][\p{L}\p{M}\p{N}]+)*/gu;

function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).filter((w) => w.length <= MAX_WORD_LENGTH);
}

const isSpace = (c: string) => /\s/u.test(c);

/** Splits what was typed into clauses: "quoted phrases", -exclusions, prefixes*, words. */
export function parseSearchQuery(input: string): ParsedSearchQuery {
  // Typographic quotes count as quotes; apostrophes split words (o'brien is o brien, as indexed).
  const text = input
    .normalize("NFC")
    .toLowerCase()
    .replace(/[“”„‟«»]/g, '"');
  const clauses: SearchClause[] = [];
  const seen = new Set<string>();
  const add = (words: string[], prefix: boolean, excluded: boolean) => {
    if (words.length === 0 || clauses.length >= MAX_SEARCH_CLAUSES) return;
    const key = `${excluded ? "-" : ""}${words.join(" ")}${prefix ? "*" : ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    clauses.push({ words, prefix, excluded });
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    // A token: an optional run of '-', then a quoted phrase or a bare run up to the next space.
    let excluded = false;
    let j = i;
    while (j < text.length && text[j] === "-") j++;
    if (j > i && j < text.length && !isSpace(text[j] as string)) excluded = true;
    if (text[j] === '"') {
      // An unclosed quote runs to the end: what follows is still a phrase.
      const close = text.indexOf('"', j + 1);
      const end = close === -1 ? text.length : close;
      add(wordsOf(text.slice(j + 1, end)), false, excluded);
      i = end + 1;
      continue;
    }
    let end = j;
    while (end < text.length && !isSpace(text[end] as string) && text[end] !== '"') end++;
    const token = text.slice(j, end);
    const prefix = /[\p{L}\p{M}\p{N}]\*+$/u.test(token);
    add(wordsOf(token), prefix, excluded);
    i = end;
  }

  const positive = clauses.filter((c) => !c.excluded);
  const textOf = (c: SearchClause) => c.words.join(" ");
  return {
    clauses,
    terms: positive.filter((c) => c.words.length === 1 && !c.prefix).map(textOf),
    phrases: positive.filter((c) => c.words.length > 1 && !c.prefix).map(textOf),
    prefixes: positive.filter((c) => c.prefix).map(textOf),
    excluded: clauses.filter((c) => c.excluded).map(textOf),
  };
}

/** Whether the query asks for something (not only for what to leave out). */
export const hasSearchTerms = (parsed: ParsedSearchQuery) => parsed.clauses.some((c) => !c.excluded);

/** What is wrong with a query, in words for the person who typed it; null when it is fine. */
export function searchQueryProblem(input: string): string | null {
  const parsed = parseSearchQuery(input);
  if (hasSearchTerms(parsed)) return null;
  return parsed.excluded.length
    ? "Say what to look for, not only what to leave out"
    : "Type a word to search for: punctuation alone finds nothing";
}

function clauseTsQuery(c: SearchClause): string {
  const words = c.words.map((w, k) => (c.prefix && k === c.words.length - 1 ? `${w}:*` : w));
  const body = words.length > 1 ? `(${words.join(" <-> ")})` : (words[0] as string);
  return c.excluded ? `!${body}` : body;
}

/**
 * The query as PostgreSQL tsquery text for `to_tsquery('english', …)` (which stems every word,
 * in phrases too): clauses AND'ed, phrases as `a <-> b <-> c`, `!word`, `train:*`. Null when
 * there is nothing to look for. Words contain only letters, digits and inner connectors
 * (- . / _ @ +), so the text is always valid.
 */
export function toTsQueryText(parsed: ParsedSearchQuery): string | null {
  if (!hasSearchTerms(parsed)) return null;
  // Positive clauses first: a query starting with ! reads oddly, and PostgreSQL does not care.
  const ordered = [...parsed.clauses.filter((c) => !c.excluded), ...parsed.clauses.filter((c) => c.excluded)];
  return ordered.map(clauseTsQuery).join(" & ");
}

/**
 * What the query leaves out, as tsquery text that matches it (`canine | (use <-> of <-> force)`):
 * to check a second text (a document's title) for it. Null when nothing is left out.
 */
export function toExcludedTsQueryText(parsed: ParsedSearchQuery): string | null {
  const excluded = parsed.clauses.filter((c) => c.excluded);
  return excluded.length ? excluded.map((c) => clauseTsQuery({ ...c, excluded: false })).join(" | ") : null;
}

/**
 * The words looked for, in the order typed, as plain text for `phraseto_tsquery`: a result that
 * holds them all next to each other ranks above one where they are scattered. Null for fewer
 * than two words (a single word is its own phrase).
 */
export function toPhraseText(parsed: ParsedSearchQuery): string | null {
  const words = parsed.clauses.filter((c) => !c.excluded).flatMap((c) => c.words);
  return words.length >= 2 ? words.join(" ") : null;
}
