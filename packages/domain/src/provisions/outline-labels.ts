/**
 * The label grammar of agreements' outlines: which marker a line starts with ("III.", "A.",
 * "12.", "j.", "iv.", "(i)", "(a)", "a)", "1)"), every way OCR may have misread it ("1." for
 * "i." or "l.", "11." for "ii.", "0." for "O.", "J." for "j."), and how a node's citation label
 * is written from the markers of its path ("¶ 46", "E.1", "II.j", "III.A.1.a(i)", "¶ 1(a)").
 */

/** How a level of an outline numbers its items. */
export type MarkerKind =
  | "upperRoman" // I. II. III.
  | "capital" // A. B. C.
  | "arabic" // 1. 2. 3.
  | "lower" // a. b. c.
  | "lowerRoman" // i. ii. iii.
  | "parenLowerRoman" // (i) (ii)
  | "parenLower" // (a) (b)
  | "closeLower" // a) b)
  | "closeArabic"; // 1) 2)

/** One way to read a line's marker. */
export interface Reading {
  kind: MarkerKind;
  /** 1 for I, A, 1, a, i. */
  value: number;
  /** 0 when read as written; 1 when an OCR confusion is assumed. */
  cost: number;
}

export interface Marker {
  /** The marker as written ("11.", "(iv)", "J."). */
  raw: string;
  /** The line after the marker. */
  rest: string;
  readings: Reading[];
}

const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

/** "xiv" → 14; null when not a well-formed roman numeral (up to 399). */
export function romanToNumber(s: string): number | null {
  const t = s.toLowerCase();
  if (!/^c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/.test(t) || !t) return null;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const v = ROMAN_VALUES[t[i]!]!;
    const next = ROMAN_VALUES[t[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

export function numberToRoman(n: number): string {
  const table: [number, string][] = [
    [100, "c"],
    [90, "xc"],
    [50, "l"],
    [40, "xl"],
    [10, "x"],
    [9, "ix"],
    [5, "v"],
    [4, "iv"],
    [1, "i"],
  ];
  let out = "";
  let rest = n;
  for (const [v, s] of table) {
    while (rest >= v) {
      out += s;
      rest -= v;
    }
  }
  return out;
}

/** a → 1 … z → 26; aa → 27 (the way long lists go on). */
const letterValue = (s: string) => {
  const t = s.toLowerCase();
  if (/^[a-z]$/.test(t)) return t.charCodeAt(0) - 96;
  if (/^([a-z])\1$/.test(t)) return 26 + t.charCodeAt(0) - 96;
  return null;
};
const letterOf = (n: number) =>
  n <= 26 ? String.fromCharCode(96 + n) : String.fromCharCode(96 + n - 26).repeat(2);

/** Writes a level's value the way the label shows it. */
export function formatValue(kind: MarkerKind, value: number): string {
  switch (kind) {
    case "upperRoman":
      return numberToRoman(value).toUpperCase();
    case "capital":
      return letterOf(value).toUpperCase();
    case "arabic":
    case "closeArabic":
      return String(value);
    case "lower":
    case "parenLower":
    case "closeLower":
      return letterOf(value);
    case "lowerRoman":
    case "parenLowerRoman":
      return numberToRoman(value);
  }
}

/** Whether a kind's label part is written in parentheses ("(i)") rather than after a dot. */
export const isParenthesised = (kind: MarkerKind) =>
  kind === "parenLowerRoman" || kind === "parenLower" || kind === "closeLower" || kind === "closeArabic";

/**
 * The citation label of a node from the markers of its path. `paragraphAt` is the index in the
 * path of a continuous paragraph ("¶ 46"), whose ancestors the label leaves out.
 */
export function formatLabel(path: readonly { kind: MarkerKind; value: number }[], paragraphAt = -1): string {
  let label = "";
  const from = paragraphAt < path.length ? paragraphAt : -1;
  for (const [i, level] of path.entries()) {
    if (i < from) continue;
    const v = formatValue(level.kind, level.value);
    if (i === from) label = `¶ ${v}`;
    else if (isParenthesised(level.kind)) label += `(${v})`;
    else label += label ? `.${v}` : v;
  }
  return label;
}

const LETTER_TWINS: Record<string, string> = { h: "b", b: "h", e: "c", c: "e", n: "u", u: "n" };

// Characters OCR puts for the letters and digits of markers.
const AS_ONE = /^[1Il|]$/;
const AS_ROMAN = (t: string) => t.replace(/[1l|]/g, "i").replace(/[Bb]/g, "ii");

/** The readings of a dot marker's token ("III", "11", "J", "0", "V111"). */
function dotReadings(token: string): Reading[] {
  const out: Reading[] = [];
  const add = (kind: MarkerKind, value: number | null, cost: number) => {
    if (
      value !== null &&
      value > 0 &&
      !out.some((r) => r.kind === kind && r.value === value && r.cost <= cost)
    ) {
      out.push({ kind, value, cost });
    }
  };
  if (/^\d{1,3}$/.test(token)) add("arabic", Number(token), 0);
  else if (/^[\dIlO]{1,3}$/.test(token) && /\d/.test(token))
    add("arabic", Number(token.replace(/[Il]/g, "1").replace(/O/g, "0")), 1);
  else if (AS_ONE.test(token)) add("arabic", 1, 1);
  if (/^[A-Z]$/.test(token)) add("capital", letterValue(token), 0);
  if (token === "0") add("capital", 15, 1);
  if (/^[a-z]{1,2}$/.test(token)) add("lower", letterValue(token), 0);
  if (/^[A-Z]$/.test(token)) add("lower", letterValue(token), 1);
  if (token === "1" || token === "I") add("lower", 12, 1); // l.
  if (/^[IVXLC]{1,7}$/.test(token)) add("upperRoman", romanToNumber(token), 0);
  if (/^[ivxlc]{1,7}$/.test(token)) add("lowerRoman", romanToNumber(token), 0);
  // Upper case for lower, digits and l for i: "IV." "11." "V111." "ll.".
  const asRoman = AS_ROMAN(token).toLowerCase();
  if (/^[ivxlcIVXLC1|B]{1,6}$/.test(token) && asRoman !== token) add("lowerRoman", romanToNumber(asRoman), 1);
  if (AS_ONE.test(token)) add("lower", 9, 1); // i.
  // Letters OCR takes for one another: "h." for "b.", "e." for "c.".
  const twin = LETTER_TWINS[token];
  if (twin) add("lower", letterValue(twin), 1);
  if (/^[1l|]{1,3}$/.test(token) || /^[IVXLC]*[1l][IVXLC1l]*$/.test(token)) {
    add("upperRoman", romanToNumber(token.replace(/[1l|]/g, "I")), 1);
  }
  return out;
}

/**
 * The marker a line starts with, if any. A marker is followed by a space (so "4.1.03" and
 * "U.S." are none); "¶ 12" and "12 ." (OCR's stray space) count as "12.".
 */
export function readMarker(line: string): Marker | null {
  const pil = /^\s*¶\s*(\d{1,4})\.?\s+(\S.*)$/.exec(line);
  if (pil)
    return {
      raw: `¶ ${pil[1]}`,
      rest: pil[2]!,
      readings: [{ kind: "arabic", value: Number(pil[1]), cost: 0 }],
    };
  const paren = /^\s*\(\s?([a-zA-Z]{1,5})\s?\)\s+(\S.*)$/.exec(line);
  if (paren) {
    const t = paren[1]!;
    const readings: Reading[] = [];
    const roman = romanToNumber(t);
    if (roman !== null)
      readings.push({ kind: "parenLowerRoman", value: roman, cost: /[A-Z]/.test(t) ? 1 : 0 });
    const letter = letterValue(t);
    if (letter !== null) readings.push({ kind: "parenLower", value: letter, cost: /[A-Z]/.test(t) ? 1 : 0 });
    return readings.length ? { raw: `(${t})`, rest: paren[2]!, readings } : null;
  }
  const close = /^\s*([a-z]{1,2}|\d{1,2})\)\s+(\S.*)$/.exec(line);
  if (close) {
    const t = close[1]!;
    const letter = letterValue(t);
    const readings: Reading[] = /^\d/.test(t)
      ? [{ kind: "closeArabic", value: Number(t), cost: 0 }]
      : letter !== null
        ? [{ kind: "closeLower", value: letter, cost: 0 }]
        : [];
    return readings.length ? { raw: `${t})`, rest: close[2]!, readings } : null;
  }
  const dot = /^\s*([A-Za-z]{1,2}|[IVXLCivxlc1|B]{1,7}|\d{1,3}|[\dIlO]{1,3})\s?\.\s+(\S.*)$/.exec(line);
  if (!dot) return null;
  const readings = dotReadings(dot[1]!);
  return readings.length ? { raw: `${dot[1]}.`, rest: dot[2]!, readings } : null;
}
