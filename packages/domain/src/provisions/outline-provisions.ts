/**
 * An outline parse as the provisions of a draft: each node, in the document's order, numbered by
 * its place (the number a person's split, merge or edit names) and cited by its label.
 */
import type { OutlineNode, OutlineParse } from "./outline.js";
import type { ParsedProvision } from "./parse.js";

/** Whether the outline is of "¶ N" paragraphs only (and headings): today's decree parser reads it. */
export const isParagraphOutline = (outline: OutlineParse) =>
  outline.nodes.every((n) => n.heading || /^¶ \d+$/.test(n.label));

/**
 * The outline's nodes as a draft's provisions, with their sections, pages and parents. A label
 * read twice is made unique ("II.A (2)" for the second) so that a person can name each node to
 * fix it (the parser warns of it).
 */
export function outlineProvisions(outline: OutlineParse): ParsedProvision[] {
  const seen = new Map<string, number>();
  const renamed = new Map<OutlineNode, string>();
  for (const n of outline.nodes) {
    const k = (seen.get(n.label) ?? 0) + 1;
    seen.set(n.label, k);
    if (k > 1) renamed.set(n, `${n.label} (${k})`);
  }
  const labelOf = (n: OutlineNode) => renamed.get(n) ?? n.label;
  // Each node's parent is the nearest node before it a level up (the parser reads it so).
  const parentAt: number[] = [];
  const open: number[] = [];
  for (const [i, n] of outline.nodes.entries()) {
    open.length = n.depth;
    parentAt.push(n.depth > 0 ? (open[n.depth - 1] ?? -1) : -1);
    open[n.depth] = i;
  }
  const parents = parentAt.map((k) => outline.nodes[k]);
  return outline.nodes.map((n, i) => {
    const ancestors: OutlineNode[] = [];
    for (let k = parentAt[i]!; k >= 0; k = parentAt[k]!) ancestors.unshift(outline.nodes[k]!);
    // A section reference knows two levels: the deeper ancestors count as the second.
    const sections = ancestors.map((a, level) => ({
      number: labelOf(a),
      title: a.caption ?? "",
      level: (level === 0 ? 1 : 2) as 1 | 2,
    }));
    const next = outline.nodes[i + 1];
    return {
      number: i + 1,
      label: labelOf(n),
      sections,
      path: [
        ...ancestors.map((a) => (a.caption ? `${labelOf(a)}. ${a.caption}` : labelOf(a))),
        labelOf(n),
      ].join(" › "),
      text: n.text,
      page: n.page,
      pageEnd: Math.max(n.page, next?.page ?? n.page),
      isDefinition: n.definition,
      terms: n.terms,
      parentLabel: parents[i] ? labelOf(parents[i]) : null,
      depth: n.depth,
      heading: n.heading,
      caption: n.caption,
    };
  });
}
