/**
 * Small helpers every part of the dataset build uses: slugs, title case, partial dates, state
 * codes, and merging and ordering source lists.
 */
import { isValidPartialDate, type Source, type StateCode, US_STATE_CODES } from "@accord/domain";

export const AUTHORITY_12601 = "34 U.S.C. 12601 (formerly 42 U.S.C. 14141)";
export const DOJ = "U.S. Department of Justice";

/** Lower-case ASCII words joined by hyphens ("Prince George's County" → "prince-georges-county"). */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const SMALL_WORDS = new Set(["of", "the", "and", "v.", "on", "for", "in", "at", "a"]);

/** "BALTIMORE POLICE DEPARTMENT" → "Baltimore Police Department"; keeps "U.S. v." style. */
export function titleCase(upper: string): string {
  const words = upper.trim().split(/\s+/);
  return words
    .map((word, i) => {
      const w = word.toLowerCase();
      if (w === "u.s.") return "U.S.";
      if (i > 0 && SMALL_WORDS.has(w) && !/^v\.$/i.test(words[i - 1] ?? "")) return w;
      return w.replace(/^([("']*)(\p{L})/u, (_m, pre: string, c: string) => pre + c.toUpperCase());
    })
    .join(" ");
}

/** A compiled-file date as given (YYYY, YYYY-MM or YYYY-MM-DD), or null when blank. */
export function compiledDate(raw: string | undefined, what: string): string | null {
  const v = (raw ?? "").trim();
  if (v === "") return null;
  if (!isValidPartialDate(v)) throw new Error(`Unparseable date for ${what}: ${JSON.stringify(v)}`);
  return v;
}

/** The year of a partial date. */
export function yearOf(date: string | null): number | null {
  return date ? Number(date.slice(0, 4)) : null;
}

/** The value, or a thrown "Missing: …" when it is absent. */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`Missing: ${what}`);
  return value;
}

/** A source's identity, for de-duplicating and ordering. */
export function sourceKey(s: Source): string {
  return `${s.citation}\u0000${s.url ?? ""}\u0000${s.note ?? ""}`;
}

/** The lists concatenated, first occurrence of each source kept. */
export function mergeSources(...lists: readonly (readonly Source[])[]): Source[] {
  const seen = new Map<string, Source>();
  for (const list of lists) for (const s of list) if (!seen.has(sourceKey(s))) seen.set(sourceKey(s), s);
  return [...seen.values()];
}

/** Code-unit string order (not locale order), so the output does not depend on the machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A two-letter state or territory code; throws on anything else. */
export function stateCode(raw: string, what: string): StateCode {
  const v = raw.trim().toUpperCase();
  if (!(US_STATE_CODES as readonly string[]).includes(v)) throw new Error(`Bad state ${raw} for ${what}`);
  return v as StateCode;
}
