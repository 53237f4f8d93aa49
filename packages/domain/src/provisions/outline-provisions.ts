/**
 * An outline parse as the provisions of a draft: each node, in the document's order, numbered by
 * its place (the number a person's split, merge or edit names) and cited by its label.
 */
import type { OutlineNode, OutlineParse } from "./outline.js";
import type { ParsedProvision } from "./parse.js";

/** Whether the outline is of "¶ N" paragraphs only (and headings): today's decree parser reads it. */
export const isParagraphOutline = (outline: OutlineParse) =>
  outline.nodes.every((n) => n.heading || /^¶ \d+$/.test(n.label));

/** The outline's nodes as a draft's provisions, with their sections, pages and parents. */
export function outlineProvisions(outline: OutlineParse): ParsedProvision[] {
  const byLabel = new Map(outline.nodes.map((n) => [n.label, n]));
  return outline.nodes.map((n, i) => {
    const ancestors: OutlineNode[] = [];
    let a = n.parentLabel ? byLabel.get(n.parentLabel) : undefined;
    while (a) {
      ancestors.unshift(a);
      a = a.parentLabel ? byLabel.get(a.parentLabel) : undefined;
    }
    // A section reference knows two levels: the deeper ancestors count as the second.
    const sections = ancestors.map((a, level) => ({
      number: a.label,
      title: a.caption ?? "",
      level: (level === 0 ? 1 : 2) as 1 | 2,
    }));
    const next = outline.nodes[i + 1];
    return {
      number: i + 1,
      label: n.label,
      sections,
      path: [...ancestors.map((a) => (a.caption ? `${a.label}. ${a.caption}` : a.label)), n.label].join(
        " › ",
      ),
      text: n.text,
      page: n.page,
      pageEnd: Math.max(n.page, next?.page ?? n.page),
      isDefinition: n.definition,
      terms: n.terms,
      parentLabel: n.parentLabel,
      depth: n.depth,
      heading: n.heading,
      caption: n.caption,
    };
  });
}
