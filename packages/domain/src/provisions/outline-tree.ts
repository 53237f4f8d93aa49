/**
 * Tree building for the outline parser: decides, for every line that starts with something like
 * a marker, whether it opens a node and at which level, by choosing the reading of all of them
 * together that keeps every level's numbering in sequence at the least cost (an OCR confusion
 * costs a little, a skipped number more, a marker-like line left in the text more still). The
 * search is a beam over stacks of open levels, so a misread label is resolved from what comes
 * after it as well as before ("IV." after "iii." is iv unless a section IV's a. follows).
 */
import { type MarkerKind, type Reading, readMarker } from "./outline-labels.js";

/** Continuous: arabic paragraphs run on across sections (¶ 1 … ¶ N); restart: they start at 1 in each. */
export type NumberingMode = "continuous" | "restart";

export interface Level {
  kind: MarkerKind;
  value: number;
}

/** A line chosen as a node's marker: the path of levels it closes on. */
export interface Choice {
  line: number;
  reading: Reading;
  path: Level[];
  /** How many numbers the sequence skipped to reach it. */
  skipped: number;
}

export interface TreeResult {
  choices: Choice[];
  cost: number;
}

/** For each kind of level, the kind its children have in most of the document. */
export type ChildKinds = ReadonlyMap<MarkerKind | "root", MarkerKind>;

const SKIP_COST = 4;
/** Opening a level of another kind than the document's usual under that parent. */
const UNUSUAL_CHILD_COST = 1.5;
const TEXT_COST = 3;
/** A marker left in the text where it can only be an inline list item ("(a)" in a paragraph). */
const INLINE_COST = 0.1;
const BEAM = 48;

interface Trail {
  prev: Trail | null;
  choice: Choice;
}

interface State {
  levels: Level[];
  /** The last continuous paragraph number. */
  para: number;
  cost: number;
  trail: Trail | null;
}

const PAREN_KINDS: MarkerKind[] = ["parenLowerRoman", "parenLower"];

function isAllowedChild(parent: Level | undefined, kind: MarkerKind, mode: NumberingMode): boolean {
  if (parent?.kind === "arabic" && mode === "continuous")
    return kind === "closeLower" || kind === "closeArabic";
  switch (kind) {
    case "upperRoman":
      return parent === undefined;
    case "capital":
      return parent === undefined || parent.kind === "upperRoman";
    case "arabic":
      return (
        mode === "restart" ||
        parent === undefined ||
        parent.kind === "upperRoman" ||
        parent.kind === "capital"
      );
    case "parenLowerRoman":
      return parent?.kind === "lower";
    case "parenLower":
      return parent?.kind === "parenLowerRoman";
    case "closeLower":
    case "closeArabic":
      return parent !== undefined && parent.kind !== "closeLower" && parent.kind !== "closeArabic";
    default:
      return parent === undefined || (parent.kind !== "closeLower" && parent.kind !== "closeArabic");
  }
}

/** The state after reading a marker one way, or null when the reading breaks the sequence. */
function advance(
  state: State,
  reading: Reading,
  mode: NumberingMode,
): { levels: Level[]; skipped: number } | null {
  const { levels } = state;
  const at = levels.findIndex((l) => l.kind === reading.kind);
  let expected: number;
  let base: Level[];
  if (at >= 0) {
    expected = levels[at]!.value + 1;
    base = levels.slice(0, at);
  } else {
    if (!isAllowedChild(levels[levels.length - 1], reading.kind, mode)) return null;
    expected = mode === "continuous" && reading.kind === "arabic" ? state.para + 1 : 1;
    base = levels;
  }
  const skipped = reading.value - expected;
  if (skipped < 0 || skipped > 2) return null;
  return { levels: [...base, { kind: reading.kind, value: reading.value }], skipped };
}

/** A section's marker (roman, capital) starts a heading, not a sentence. */
const headingCost = (reading: Reading, rest: string) =>
  (reading.kind === "upperRoman" || reading.kind === "capital") &&
  (rest.length > 120 || /[.;,]$/.test(rest.trim()))
    ? 1
    : 0;

function unusualCost(usual: ChildKinds | undefined, before: Level[], after: Level[]): number {
  if (!usual || after.length <= before.length) return 0;
  const parent = after[after.length - 2]?.kind ?? "root";
  const expected = usual.get(parent);
  return expected && expected !== after[after.length - 1]!.kind ? UNUSUAL_CHILD_COST : 0;
}

/** The usual child kind of each parent kind in a first reading of the document. */
export function usualChildKinds(choices: readonly Choice[]): ChildKinds {
  const counts = new Map<string, Map<MarkerKind, number>>();
  for (const c of choices) {
    const parent = c.path[c.path.length - 2]?.kind ?? "root";
    const kind = c.path[c.path.length - 1]!.kind;
    const m = counts.get(parent) ?? new Map<MarkerKind, number>();
    m.set(kind, (m.get(kind) ?? 0) + 1);
    counts.set(parent, m);
  }
  const out = new Map<MarkerKind | "root", MarkerKind>();
  for (const [parent, m] of counts) {
    const [best] = [...m.entries()].sort((a, b) => b[1] - a[1]);
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    // Only a clear habit counts: mixtures keep every kind at the same price.
    if (best && best[1] >= 0.8 * total && total >= 4) out.set(parent as MarkerKind | "root", best[0]);
  }
  return out;
}

const keyOf = (s: State) => `${s.para}|${s.levels.map((l) => `${l.kind}:${l.value}`).join(",")}`;

/**
 * Chooses the markers of the lines given (all lines of the body, in order) in one numbering
 * mode. Lines without a marker are ignored here; they are text.
 */
export function chooseMarkers(lines: readonly string[], mode: NumberingMode, usual?: ChildKinds): TreeResult {
  let beam: State[] = [{ levels: [], para: 0, cost: 0, trail: null }];
  for (const [i, line] of lines.entries()) {
    const marker = readMarker(line);
    if (!marker) continue;
    const next = new Map<string, State>();
    const offer = (s: State) => {
      const k = keyOf(s);
      const held = next.get(k);
      if (!held || s.cost < held.cost) next.set(k, s);
    };
    for (const state of beam) {
      let fits = false;
      for (const reading of marker.readings) {
        const moved = advance(state, reading, mode);
        if (!moved) continue;
        fits = true;
        const choice: Choice = { line: i, reading, path: moved.levels, skipped: moved.skipped };
        offer({
          levels: moved.levels,
          para: mode === "continuous" && reading.kind === "arabic" ? reading.value : state.para,
          cost:
            state.cost +
            reading.cost +
            moved.skipped * SKIP_COST +
            headingCost(reading, marker.rest) +
            unusualCost(usual, state.levels, moved.levels),
          trail: { prev: state.trail, choice },
        });
      }
      // Left in the text: cheap where it can only be an inline item of the open node.
      const inParagraph = mode === "continuous" && state.levels.some((l) => l.kind === "arabic");
      const inline =
        marker.readings.every((r) => PAREN_KINDS.includes(r.kind)) ||
        (inParagraph && marker.readings.some((r) => r.kind !== "arabic"));
      offer({ ...state, cost: state.cost + (inline && !fits ? INLINE_COST : TEXT_COST) });
    }
    beam = [...next.values()].sort((a, b) => a.cost - b.cost).slice(0, BEAM);
  }
  const best = beam.reduce((a, b) => (b.cost < a.cost ? b : a));
  const choices: Choice[] = [];
  for (let t = best.trail; t; t = t.prev) choices.push(t.choice);
  return { choices: choices.reverse(), cost: best.cost };
}
