/**
 * What a person does to a parse before accepting it: split a provision in two, merge one into
 * the one before, renumber, correct a text. Each edit keeps the provisions in order with
 * distinct numbers: a split or a merge shifts the numbers after it by one (so splitting and
 * merging back gives the parse as it was), and renumbering a provision moves the ones after it
 * by the same amount.
 */
import { definedTerms, type ParsedProvision } from "./parse.js";

export type ParseEdit =
  | { op: "split"; number: number; at: number }
  | { op: "merge"; number: number }
  | { op: "renumber"; from: number; to: number }
  | { op: "edit"; number: number; text: string };

/** An edit that cannot apply (no such provision, an offset outside the text…): says why and where. */
export class ParseEditError extends Error {
  constructor(
    message: string,
    /** The field of the edit at fault. */
    readonly path: string,
  ) {
    super(message);
  }
}

const labelOf = (n: number) => `¶ ${n}`;

/** The provision with a new number (its label and path follow) or a new text (its terms follow). */
function rebuilt(p: ParsedProvision, change: { number?: number; text?: string }): ParsedProvision {
  const number = change.number ?? p.number;
  const text = change.text ?? p.text;
  // An outline node keeps its label ("III.A.1"): only a "¶ N" paragraph is named by its number.
  const label = /^¶ \d+$/.test(p.label) ? labelOf(number) : p.label;
  return {
    ...p,
    number,
    label,
    path: [...p.sections.map((s) => `${s.number}. ${s.title}`), label].join(" › "),
    text,
    terms: p.isDefinition ? definedTerms(text) : [],
  };
}

function indexOf(provisions: readonly ParsedProvision[], number: number, path: string): number {
  const i = provisions.findIndex((p) => p.number === number);
  if (i < 0) throw new ParseEditError(`The parse has no ¶ ${number}`, path);
  return i;
}

const shifted = (provisions: readonly ParsedProvision[], by: number) =>
  provisions.map((p) => rebuilt(p, { number: p.number + by }));

/** The provisions after the edit (a new array; the input is left as it was). */
export function applyParseEdit(provisions: readonly ParsedProvision[], edit: ParseEdit): ParsedProvision[] {
  switch (edit.op) {
    case "split": {
      const i = indexOf(provisions, edit.number, "number");
      const p = provisions[i]!;
      const first = p.text.slice(0, edit.at).trim();
      const second = p.text.slice(edit.at).trim();
      if (edit.at <= 0 || edit.at >= p.text.length || !first || !second)
        throw new ParseEditError(
          `Split ¶ ${p.number} inside its text: at a character offset between 1 and ${p.text.length - 1}, with text on both sides`,
          "at",
        );
      // Where on its pages the cut falls is unknown: both parts keep the paragraph's pages.
      return [
        ...provisions.slice(0, i),
        rebuilt(p, { text: first }),
        rebuilt(p, { number: p.number + 1, text: second }),
        ...shifted(provisions.slice(i + 1), 1),
      ];
    }
    case "merge": {
      const i = indexOf(provisions, edit.number, "number");
      if (i === 0)
        throw new ParseEditError(
          `¶ ${edit.number} is the first provision: there is none to merge it into`,
          "number",
        );
      const before = provisions[i - 1]!;
      const p = provisions[i]!;
      const merged = {
        ...rebuilt(before, { text: `${before.text} ${p.text}`.trim() }),
        pageEnd: Math.max(before.pageEnd, p.pageEnd),
      };
      return [...provisions.slice(0, i - 1), merged, ...shifted(provisions.slice(i + 1), -1)];
    }
    case "renumber": {
      const i = indexOf(provisions, edit.from, "from");
      const previous = provisions[i - 1];
      if (previous && edit.to <= previous.number)
        throw new ParseEditError(
          `¶ ${edit.from} follows ¶ ${previous.number}: its number must be higher than ${previous.number}`,
          "to",
        );
      if (edit.to < 1) throw new ParseEditError("Numbers start at 1", "to");
      return [...provisions.slice(0, i), ...shifted(provisions.slice(i), edit.to - edit.from)];
    }
    case "edit": {
      const i = indexOf(provisions, edit.number, "number");
      const text = edit.text.replace(/\s+/g, " ").trim();
      if (!text) throw new ParseEditError("A provision needs text: merge it instead of emptying it", "text");
      return [...provisions.slice(0, i), rebuilt(provisions[i]!, { text }), ...provisions.slice(i + 1)];
    }
  }
}

/** What a person should check in the provisions: numbers skipped or out of order, empty texts. */
export function continuityWarnings(provisions: readonly ParsedProvision[]): string[] {
  const warnings: string[] = [];
  if (provisions.length === 0) warnings.push("No numbered paragraph was found");
  const first = provisions[0];
  if (first && first.number !== 1) warnings.push(`The first provision is ¶ ${first.number}, not ¶ 1`);
  for (let i = 1; i < provisions.length; i++) {
    const a = provisions[i - 1]!;
    const b = provisions[i]!;
    if (b.number <= a.number) warnings.push(`¶ ${b.number} follows ¶ ${a.number}: the numbers go back`);
    else if (b.number > a.number + 1)
      warnings.push(
        b.number === a.number + 2
          ? `¶ ${a.number + 1} is missing: ¶ ${a.number} is followed by ¶ ${b.number}`
          : `¶ ${a.number + 1} to ¶ ${b.number - 1} are missing: ¶ ${a.number} is followed by ¶ ${b.number}`,
      );
  }
  for (const p of provisions) if (!p.text.trim()) warnings.push(`${p.label} has no text`);
  return warnings;
}

/** A provision's text as compared between parses: case, spacing and quote styles do not count. */
export function normalizedProvisionText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/[‐-―−]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** A matter's provision as it stands, for matching against a new parse. */
export interface CurrentProvision {
  id: string;
  /** Its citation label: what a parse's provision is matched by first. */
  label: string;
  /** Its place in the agreement (the paragraph number of a "¶ N" decree). */
  position: number;
  text: string;
}

/** How a parse's provisions line up with a matter's current ones (see AcceptCountsSchema). */
export interface ProvisionMatch<P extends { number: number; label: string; text: string }> {
  kept: { id: string; parsed: P }[];
  renumbered: { id: string; parsed: P }[];
  /** Retired provisions whose text is back: their rows (and ratings) return. */
  restored: { id: string; parsed: P }[];
  changed: { id: string; parsed: P }[];
  added: P[];
  /** The ids of current provisions the parse no longer has. */
  retired: string[];
}

/**
 * Lines up a parse with the current provisions, so that what a monitor rated stays attached to
 * the same words: the same label with the same text keeps its row; the same text under another
 * label moves its row there (the nearest such number first); the text of a retired provision
 * brings its row back (the latest retired first); a number whose text changed keeps its row when
 * that row was not moved; everything else is added, and what is left over retired.
 */
export function matchProvisions<P extends { number: number; label: string; text: string }>(
  current: readonly CurrentProvision[],
  parsed: readonly P[],
  /** The matter's retired provisions, the most recently retired first. */
  retired: readonly CurrentProvision[] = [],
): ProvisionMatch<P> {
  const out: ProvisionMatch<P> = {
    kept: [],
    renumbered: [],
    restored: [],
    changed: [],
    added: [],
    retired: [],
  };
  const byLabel = new Map(current.map((c) => [c.label, c]));
  const used = new Set<string>();
  const done = new Set<number>();
  const norm = new Map(current.map((c) => [c.id, normalizedProvisionText(c.text)]));
  const parsedNorm = parsed.map((p) => normalizedProvisionText(p.text));
  parsed.forEach((p, i) => {
    const c = byLabel.get(p.label);
    if (c && norm.get(c.id) === parsedNorm[i]) {
      out.kept.push({ id: c.id, parsed: p });
      used.add(c.id);
      done.add(i);
    }
  });
  const byText = new Map<string, CurrentProvision[]>();
  for (const c of current) {
    if (used.has(c.id)) continue;
    const key = norm.get(c.id)!;
    byText.set(key, [...(byText.get(key) ?? []), c]);
  }
  parsed.forEach((p, i) => {
    if (done.has(i)) return;
    const candidates = (byText.get(parsedNorm[i]!) ?? []).filter((c) => !used.has(c.id));
    if (!candidates.length) return;
    const nearest = candidates.reduce((a, b) =>
      Math.abs(b.position - p.number) < Math.abs(a.position - p.number) ? b : a,
    );
    out.renumbered.push({ id: nearest.id, parsed: p });
    used.add(nearest.id);
    done.add(i);
  });
  const retiredByText = new Map<string, CurrentProvision[]>();
  for (const r of retired) {
    const key = normalizedProvisionText(r.text);
    retiredByText.set(key, [...(retiredByText.get(key) ?? []), r]);
  }
  parsed.forEach((p, i) => {
    if (done.has(i)) return;
    const back = (retiredByText.get(parsedNorm[i]!) ?? []).find((r) => !used.has(r.id));
    if (!back) return;
    out.restored.push({ id: back.id, parsed: p });
    used.add(back.id);
    done.add(i);
  });
  parsed.forEach((p, i) => {
    if (done.has(i)) return;
    const c = byLabel.get(p.label);
    if (c && !used.has(c.id)) {
      out.changed.push({ id: c.id, parsed: p });
      used.add(c.id);
    } else {
      out.added.push(p);
    }
  });
  out.retired = current.filter((c) => !used.has(c.id)).map((c) => c.id);
  return out;
}
