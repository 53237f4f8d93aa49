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

/**
 * A path of open levels, interned: one object per distinct path met in a document, so that a
 * state's levels are named by a number (comparing states by string keys cost a parse of a long
 * agreement most of its time).
 */
class PathNode {
  readonly children = new Map<number, PathNode>();
  /** The key of a state on this path, by its last paragraph number. */
  readonly keys = new Map<number, number>();
  constructor(readonly parent: PathNode | null) {}
}

/** The interned paths of one search: the child of a path by a level's kind and value. */
function pathInterner() {
  let keys = 0;
  const kinds = new Map<MarkerKind, number>();
  const root = new PathNode(null);
  const child = (parent: PathNode, kind: MarkerKind, value: number) => {
    let k = kinds.get(kind);
    if (k === undefined) {
      k = kinds.size;
      kinds.set(kind, k);
    }
    const at = value * 64 + k;
    let node = parent.children.get(at);
    if (!node) {
      node = new PathNode(parent);
      parent.children.set(at, node);
    }
    return node;
  };
  /** A small number per path and paragraph number (a map keyed by it stays fast). */
  const keyOf = (path: PathNode, para: number) => {
    let key = path.keys.get(para);
    if (key === undefined) {
      key = keys++;
      path.keys.set(para, key);
    }
    return key;
  };
  return { root, child, keyOf };
}

interface State {
  levels: Level[];
  /** `levels`, interned. */
  path: PathNode;
  /**
   * States that agree on this (the open levels and the last paragraph number) are the same to
   * every later line: the beam keeps the cheapest.
   */
  key: number;
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

/**
 * Where reading a marker one way puts a state: the depth its level takes (levels below it close)
 * and the numbers it skips; null when the reading breaks the sequence.
 */
function advance(
  state: State,
  reading: Reading,
  mode: NumberingMode,
): { depth: number; skipped: number } | null {
  const { levels } = state;
  let at = -1;
  for (let j = 0; j < levels.length; j++) {
    if (levels[j]!.kind === reading.kind) {
      at = j;
      break;
    }
  }
  let expected: number;
  let depth: number;
  if (at >= 0) {
    expected = levels[at]!.value + 1;
    depth = at;
  } else {
    if (!isAllowedChild(levels[levels.length - 1], reading.kind, mode)) return null;
    expected = mode === "continuous" && reading.kind === "arabic" ? state.para + 1 : 1;
    depth = levels.length;
  }
  const skipped = reading.value - expected;
  if (skipped < 0 || skipped > 2) return null;
  return { depth, skipped };
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

/**
 * Chooses the markers of the lines given (all lines of the body, in order) in one numbering
 * mode. Lines without a marker are ignored here; they are text.
 */
export function chooseMarkers(lines: readonly string[], mode: NumberingMode, usual?: ChildKinds): TreeResult {
  const paths = pathInterner();
  let beam: State[] = [
    { levels: [], path: paths.root, key: paths.keyOf(paths.root, 0), para: 0, cost: 0, trail: null },
  ];
  for (const [i, line] of lines.entries()) {
    const marker = readMarker(line);
    if (!marker) continue;
    // What depends on the line alone is weighed once, not once for each state of the beam.
    const readingCosts = marker.readings.map((r) => r.cost + headingCost(r, marker.rest));
    const onlyParen = marker.readings.every((r) => PAREN_KINDS.includes(r.kind));
    const notOnlyArabic = marker.readings.some((r) => r.kind !== "arabic");
    const next = new Map<number, State>();
    // A state is built only when it beats the one the beam holds for its key.
    const beats = (key: number, cost: number) => {
      const held = next.get(key);
      return !held || cost < held.cost;
    };
    for (const state of beam) {
      let fits = false;
      for (const [r, reading] of marker.readings.entries()) {
        const moved = advance(state, reading, mode);
        if (!moved) continue;
        fits = true;
        const { depth, skipped } = moved;
        let base = state.path;
        for (let d = state.levels.length; d > depth; d--) base = base.parent!;
        const path = paths.child(base, reading.kind, reading.value);
        const para = mode === "continuous" && reading.kind === "arabic" ? reading.value : state.para;
        const key = paths.keyOf(path, para);
        const levels = [...state.levels.slice(0, depth), { kind: reading.kind, value: reading.value }];
        const cost =
          state.cost + readingCosts[r]! + skipped * SKIP_COST + unusualCost(usual, state.levels, levels);
        if (!beats(key, cost)) continue;
        const choice: Choice = { line: i, reading, path: levels, skipped };
        next.set(key, { levels, path, key, para, cost, trail: { prev: state.trail, choice } });
      }
      // Left in the text: cheap where it can only be an inline item of the open node.
      const inParagraph = mode === "continuous" && state.levels.some((l) => l.kind === "arabic");
      const inline = onlyParen || (inParagraph && notOnlyArabic);
      const cost = state.cost + (inline && !fits ? INLINE_COST : TEXT_COST);
      // Spelt out, not spread: a spread copy here cost the search a third of its time.
      if (beats(state.key, cost))
        next.set(state.key, {
          levels: state.levels,
          path: state.path,
          key: state.key,
          para: state.para,
          cost,
          trail: state.trail,
        });
    }
    beam = [...next.values()].sort((a, b) => a.cost - b.cost).slice(0, BEAM);
  }
  const best = beam.reduce((a, b) => (b.cost < a.cost ? b : a));
  const choices: Choice[] = [];
  for (let t = best.trail; t; t = t.prev) choices.push(t.choice);
  return { choices: choices.reverse(), cost: best.cost };
}
