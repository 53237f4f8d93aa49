/**
 * What a person does to a parse before accepting it. A node is named by its citation label
 * ("III.A.1", "¶ 12"), or, in a draft of "¶ N" paragraphs, by its number as before. Every edit
 * keeps the labels unique and the nodes in the document's order, each under the nearest node
 * before it one level up (so a node's parent follows from its depth and place).
 *
 * In a draft of "¶ N" paragraphs only, a split without a new label and a merge shift the
 * numbers after them by one (so splitting and merging back gives the parse as it was), and
 * renumbering a paragraph moves the ones after it by the same amount. Any other edit, and every
 * edit of an outline draft, keeps the labels a person sees: the nodes' numbers are then their
 * places in the document (1, 2, …).
 */
import { definedTerms, type ParsedProvision, type SectionRef } from "./parse.js";

/** The node an edit is for: its label, or (in a draft of "¶ N" paragraphs) its number. */
export interface ParseEditTarget {
  label?: string | undefined;
  number?: number | undefined;
}

export type ParseEdit =
  | ({ op: "split"; at: number; newLabel?: string | undefined } & ParseEditTarget)
  | ({ op: "merge" } & ParseEditTarget)
  | { op: "renumber"; from: number; to: number }
  | ({ op: "edit"; text?: string | undefined; caption?: string | null | undefined } & ParseEditTarget)
  | { op: "relabel"; label: string; to: string }
  | { op: "heading"; label: string; heading: boolean }
  | { op: "move"; label: string; parent: string | null };

/** An edit that cannot apply (no such provision, an offset outside the text…): says why and where. */
export class ParseEditError extends Error {
  constructor(
    message: string,
    /** The field of the edit at fault. */
    readonly path: string,
    /** `duplicate_label` when the edit would give two nodes one label. */
    readonly code: "invalid_edit" | "duplicate_label" = "invalid_edit",
    /** For a clash: the label and the node that already holds it. */
    readonly clash?: { label: string; page: number; firstWords: string },
  ) {
    super(message);
  }
}

const labelOf = (n: number) => `¶ ${n}`;

/** "¶12" and "¶  12" are "¶ 12"; spaces are single. */
export const normalizeLabel = (label: string) => label.trim().replace(/\s+/g, " ").replace(/^¶\s*/, "¶ ");

/** What a label may hold: letters, digits, "¶", dots, brackets, hyphens, apostrophes and spaces. */
const LABEL = /^[\p{L}\p{N}¶.()\-'’ ]{1,40}$/u;

/** A draft of "¶ N" paragraphs only, each numbered as it is labelled (today's decree parser). */
export const isParagraphDraft = (provisions: readonly ParsedProvision[]) =>
  provisions.every((p) => p.label === labelOf(p.number) && !p.parentLabel && !p.depth);

const pathOf = (sections: readonly SectionRef[], label: string) =>
  [...sections.map((s) => (s.title ? `${s.number}. ${s.title}` : s.number)), label].join(" › ");

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

function indexOfLabel(provisions: readonly ParsedProvision[], label: string, path: string): number {
  const wanted = normalizeLabel(label);
  const i = provisions.findIndex((p) => p.label === wanted);
  if (i < 0) throw new ParseEditError(`The draft has no node labelled ${wanted}`, path);
  return i;
}

function indexOfTarget(provisions: readonly ParsedProvision[], t: ParseEditTarget): number {
  if (t.label !== undefined) return indexOfLabel(provisions, t.label, "label");
  if (t.number === undefined) throw new ParseEditError("Name the node by its label", "label");
  if (!isParagraphDraft(provisions))
    throw new ParseEditError("This draft's nodes are named by their labels, not by numbers", "number");
  return indexOf(provisions, t.number, "number");
}

const shifted = (provisions: readonly ParsedProvision[], by: number) =>
  provisions.map((p) => rebuilt(p, { number: p.number + by }));

const firstWordsOf = (p: ParsedProvision) => {
  const t = p.text || p.caption || "";
  return t.length > 60 ? `${t.slice(0, 60).replace(/\s+\S*$/, "")}…` : t;
};

/**
 * A label a person typed, checked: allowed characters, and held by no other node of the draft
 * (`except`: the index of the node it is for).
 */
function checkedLabel(
  provisions: readonly ParsedProvision[],
  typed: string,
  path: string,
  except = -1,
): string {
  const label = normalizeLabel(typed);
  if (!label || !LABEL.test(label) || !/[\p{L}\p{N}]/u.test(label))
    throw new ParseEditError(
      `“${typed}” cannot be a label: use up to 40 letters, digits, “¶”, dots, brackets or hyphens, as the agreement cites it (“III.A.1”, “¶ 12(a)”)`,
      path,
    );
  const other = provisions.findIndex((p, i) => i !== except && p.label === label);
  if (other >= 0) {
    const o = provisions[other]!;
    throw new ParseEditError(
      `${label} is already the label of another node (page ${o.page}: “${firstWordsOf(o)}”): each label is used once, so choose another one or relabel that node first`,
      path,
      "duplicate_label",
      { label, page: o.page, firstWords: firstWordsOf(o) },
    );
  }
  return label;
}

const depthOf = (p: ParsedProvision) => p.depth ?? 0;

/** The node at `i` and the nodes under it (those after it, deeper): the indexes [i, end). */
function subtreeEnd(provisions: readonly ParsedProvision[], i: number): number {
  const d = depthOf(provisions[i]!);
  let end = i + 1;
  while (end < provisions.length && depthOf(provisions[end]!) > d) end++;
  return end;
}

/**
 * The draft made whole again after a label edit: no node deeper than one level under the node
 * before it (a node whose parent went is lifted, with the nodes under it), each node's parent,
 * sections and path from the nodes above it, and its number its place in the document.
 */
function settled(nodes: ParsedProvision[]): ParsedProvision[] {
  const out = nodes.map((p) => ({ ...p, depth: depthOf(p) }));
  for (let j = 0; j < out.length; j++) {
    const most = j === 0 ? 0 : out[j - 1]!.depth! + 1;
    if (out[j]!.depth! <= most) continue;
    const by = most - out[j]!.depth!;
    const end = subtreeEnd(out, j);
    for (let k = j; k < end; k++) out[k] = { ...out[k]!, depth: out[k]!.depth! + by };
  }
  // The nearest node before each one at each depth: its parent is the one a level up.
  const open: ParsedProvision[] = [];
  return out.map((p, i) => {
    const d = p.depth!;
    open.length = d;
    const parent = d > 0 ? open[d - 1]! : null;
    const sections: SectionRef[] = parent
      ? [
          ...parent.sections,
          {
            number: parent.label,
            title: parent.caption ?? "",
            level: parent.sections.length === 0 ? 1 : 2,
          },
        ]
      : p.sections;
    const node: ParsedProvision = {
      ...p,
      number: i + 1,
      parentLabel: parent ? parent.label : null,
      sections,
      path: pathOf(sections, p.label),
    };
    open[d] = node;
    return node;
  });
}

const joinText = (...parts: (string | null | undefined)[]) =>
  parts
    .filter((t): t is string => !!t?.trim())
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();

/** The provisions after the edit (a new array; the input is left as it was). */
export function applyParseEdit(provisions: readonly ParsedProvision[], edit: ParseEdit): ParsedProvision[] {
  const paragraphs = isParagraphDraft(provisions);
  switch (edit.op) {
    case "split": {
      const i = indexOfTarget(provisions, edit);
      const p = provisions[i]!;
      const first = p.text.slice(0, edit.at).trim();
      const second = p.text.slice(edit.at).trim();
      if (edit.at <= 0 || edit.at >= p.text.length || !first || !second)
        throw new ParseEditError(
          p.text
            ? `Split ${p.label} inside its text: at a character offset between 1 and ${p.text.length - 1}, with text on both sides`
            : `${p.label} is a heading without text of its own: there is nothing to split`,
          "at",
        );
      if (edit.newLabel === undefined) {
        if (!paragraphs)
          throw new ParseEditError(
            `Give the label of the new node that starts at the split (as the agreement cites it, e.g. the one after ${p.label})`,
            "newLabel",
          );
        // Where on its pages the cut falls is unknown: both parts keep the paragraph's pages.
        return [
          ...provisions.slice(0, i),
          rebuilt(p, { text: first }),
          rebuilt(p, { number: p.number + 1, text: second }),
          ...shifted(provisions.slice(i + 1), 1),
        ];
      }
      const label = checkedLabel(provisions, edit.newLabel, "newLabel");
      // The new node follows as a sibling; nodes that were under the split one (after its text
      // in the document) are now under the new node, which their text follows.
      const tail: ParsedProvision = {
        ...p,
        label,
        text: second,
        caption: null,
        heading: false,
        terms: p.isDefinition ? definedTerms(second) : [],
      };
      const head: ParsedProvision = { ...p, text: first, terms: p.isDefinition ? definedTerms(first) : [] };
      return settled([...provisions.slice(0, i), head, tail, ...provisions.slice(i + 1)]);
    }
    case "merge": {
      const i = indexOfTarget(provisions, edit);
      const p = provisions[i]!;
      if (i === 0)
        throw new ParseEditError(
          `${p.label} is the first provision: there is none to merge it into`,
          edit.label !== undefined ? "label" : "number",
        );
      const before = provisions[i - 1]!;
      if (paragraphs) {
        const merged = {
          ...rebuilt(before, { text: `${before.text} ${p.text}`.trim() }),
          pageEnd: Math.max(before.pageEnd, p.pageEnd),
        };
        return [...provisions.slice(0, i - 1), merged, ...shifted(provisions.slice(i + 1), -1)];
      }
      // The merged node's caption (if any) becomes words of the text it joins; the nodes under
      // it go under the node before (lifted a level where that one was its parent).
      const text = joinText(before.text, p.caption, p.text);
      const merged: ParsedProvision = {
        ...before,
        text,
        heading: (before.heading ?? false) && !text,
        terms: before.isDefinition ? definedTerms(text) : [],
        pageEnd: Math.max(before.pageEnd, p.pageEnd),
      };
      // Its children keep their order among themselves, lifted to sit under the node before.
      const lift = Math.min(0, depthOf(before) - depthOf(p));
      const end = subtreeEnd(provisions, i);
      const under = provisions.slice(i + 1, end).map((q) => ({ ...q, depth: depthOf(q) + lift }));
      return settled([...provisions.slice(0, i - 1), merged, ...under, ...provisions.slice(end)]);
    }
    case "renumber": {
      if (!paragraphs)
        throw new ParseEditError(
          "This draft's nodes are cited by their labels, not by numbers: relabel the node instead",
          "op",
        );
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
      const i = indexOfTarget(provisions, edit);
      const p = provisions[i]!;
      const path = edit.label !== undefined ? "label" : "number";
      if (edit.text === undefined && edit.caption === undefined)
        throw new ParseEditError("Give the new text or caption", "text");
      const text = edit.text === undefined ? p.text : edit.text.replace(/\s+/g, " ").trim();
      if (edit.caption === undefined) {
        // Today's edit: a text replaced, nothing else about the node.
        if (!text)
          throw new ParseEditError("A provision needs text: merge it instead of emptying it", "text");
        if (paragraphs) return [...provisions.slice(0, i), rebuilt(p, { text }), ...provisions.slice(i + 1)];
      }
      const caption =
        edit.caption === undefined ? (p.caption ?? null) : edit.caption?.replace(/\s+/g, " ").trim() || null;
      if (!text && !caption)
        throw new ParseEditError(
          `${p.label} needs a text or a caption: merge it into the node before instead of emptying it`,
          edit.text === undefined ? "caption" : "text",
        );
      if (!text && !p.heading)
        throw new ParseEditError(
          `${p.label} needs text of its own, or mark it a heading first`,
          edit.text === undefined ? path : "text",
        );
      const node: ParsedProvision = {
        ...p,
        text,
        caption,
        heading: (p.heading ?? false) && !text,
        terms: p.isDefinition ? definedTerms(text) : [],
      };
      return settled([...provisions.slice(0, i), node, ...provisions.slice(i + 1)]);
    }
    case "relabel": {
      const i = indexOfLabel(provisions, edit.label, "label");
      const label = checkedLabel(provisions, edit.to, "to", i);
      if (label === provisions[i]!.label) throw new ParseEditError(`${label} already has this label`, "to");
      return settled([...provisions.slice(0, i), { ...provisions[i]!, label }, ...provisions.slice(i + 1)]);
    }
    case "heading": {
      const i = indexOfLabel(provisions, edit.label, "label");
      const p = provisions[i]!;
      if (!!p.heading === edit.heading)
        throw new ParseEditError(
          edit.heading ? `${p.label} is already a heading` : `${p.label} is not a heading`,
          "heading",
        );
      let node: ParsedProvision;
      if (edit.heading) {
        if (p.caption && p.text)
          throw new ParseEditError(
            `${p.label} has a caption and text of its own: split the text off into a node of its own (or edit it out) before making it a heading`,
            "label",
          );
        const caption = p.caption || p.text;
        if (caption.length > 200)
          throw new ParseEditError(
            `${p.label}'s text is too long for a heading (${caption.length} characters): split off what follows its title first`,
            "label",
          );
        node = { ...p, caption, text: "", heading: true, isDefinition: false, terms: [] };
      } else {
        // A provision has text: a heading's caption becomes it when it has none.
        node = p.text
          ? { ...p, heading: false }
          : { ...p, text: p.caption ?? "", caption: null, heading: false };
        if (!node.text) throw new ParseEditError(`${p.label} has no words to be a provision's text`, "label");
      }
      return settled([...provisions.slice(0, i), node, ...provisions.slice(i + 1)]);
    }
    case "move": {
      const i = indexOfLabel(provisions, edit.label, "label");
      const p = provisions[i]!;
      // Where it stands in the document, a node can go under the node just before it or any
      // of that one's parents (or to the top): a node elsewhere would take it out of its place.
      const candidates = possibleParents(provisions, i);
      let depth = 0;
      if (edit.parent !== null) {
        const j = indexOfLabel(provisions, edit.parent, "parent");
        if (!candidates.includes(provisions[j]!.label))
          throw new ParseEditError(
            candidates.length
              ? `${p.label} cannot go under ${provisions[j]!.label} where it stands in the document: it can go under ${candidates.join(", ")}, or to the top`
              : `${p.label} is the first node: it can only be at the top`,
            "parent",
          );
        depth = depthOf(provisions[j]!) + 1;
      }
      const by = depth - depthOf(p);
      if (by === 0)
        throw new ParseEditError(
          edit.parent === null
            ? `${p.label} is already at the top`
            : `${p.label} is already under ${edit.parent}`,
          "parent",
        );
      const end = subtreeEnd(provisions, i);
      const nodes = provisions.map((q, k) => (k >= i && k < end ? { ...q, depth: depthOf(q) + by } : q));
      // A node moved to the top sits in the section of the top node before it.
      if (depth === 0) {
        const top = provisions.slice(0, i).findLast((q) => depthOf(q) === 0);
        nodes[i] = { ...nodes[i]!, sections: top?.sections ?? [] };
      }
      return settled(nodes);
    }
  }
}

/** The labels of the nodes a node could go under where it stands: the one before and its parents. */
export function possibleParents(provisions: readonly ParsedProvision[], i: number): string[] {
  const out: string[] = [];
  let d = Number.POSITIVE_INFINITY;
  for (let k = i - 1; k >= 0 && d > 0; k--) {
    const dk = depthOf(provisions[k]!);
    if (dk < d) {
      out.push(provisions[k]!.label);
      d = dk;
    }
  }
  return out;
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
  for (const p of provisions) if (!p.text.trim() && !p.heading) warnings.push(`${p.label} has no text`);
  const seen = new Set<string>();
  for (const p of provisions) {
    if (seen.has(p.label))
      warnings.push(`${p.label} is the label of more than one node: relabel one of them`);
    seen.add(p.label);
  }
  return warnings;
}

/**
 * The label of the node a warning concerns, among the draft's labels: the one it says a marker
 * was read as, else the first it names ("III.A.2 (page 4) follows a gap"), the longer where two
 * start at one place ("II.A" over "II"); null for a warning about the whole document.
 */
export function warningLabel(warning: string, labels: Iterable<string>): string | null {
  const all = new Set(labels);
  const readAs = /\bread as (.+?) \(/.exec(warning);
  if (readAs && all.has(readAs[1]!)) return readAs[1]!;
  let best: { at: number; label: string } | null = null;
  for (const label of all) {
    let at = warning.indexOf(label);
    while (at >= 0) {
      const before = at === 0 ? " " : warning[at - 1]!;
      const after = warning.slice(at + label.length);
      // A label ends where the next character cannot continue it ("II" is not the start of "II.A").
      if (/[\s"“(]/.test(before) && /^(?:$|[\s,:;)"”]|\.(?:$|[\s"”]))/.test(after)) break;
      at = warning.indexOf(label, at + 1);
    }
    if (at < 0) continue;
    if (!best || at < best.at || (at === best.at && label.length > best.label.length)) best = { at, label };
  }
  return best?.label ?? null;
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
