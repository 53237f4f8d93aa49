import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseOutlineText } from "../src/provisions/outline.js";
import { formatLabel, formatValue, type MarkerKind } from "../src/provisions/outline-labels.js";
import { headingCase } from "../src/provisions/parse.js";

/*
 * Generated agreements in each numbering style and in mixtures, rendered as an OCR'd court filing
 * would be (page stamps, bare page numbers, wrapped lines, misread markers); the parser must give
 * back exactly the generated labels, parents, headings and texts.
 */

const WORDS =
  "the city shall ensure officers report each use of force within days and the monitor will review policies training supervision data complaints".split(
    " ",
  );
const TITLE_WORDS = ["use", "force", "training", "community", "engagement", "data", "stops", "searches"];

interface GenNode {
  /** Sections (the top levels of a style) are headings: a title in capitals and children. */
  title: string | null;
  sentences: readonly string[];
  children: readonly GenNode[];
}

const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 5, maxLength: 24 })
  .map((w) => `${w.join(" ")}.`.replace(/^./, (c) => c.toUpperCase()));
const title = fc
  .array(fc.constantFrom(...TITLE_WORDS), { minLength: 1, maxLength: 4 })
  .map((w) => w.join(" "));

/** A tree whose levels number with `kinds` (outermost first); `headings` top levels are sections. */
function tree(kinds: readonly MarkerKind[], headings: number, depth = 0): fc.Arbitrary<readonly GenNode[]> {
  if (depth >= kinds.length) return fc.constant([]);
  const isHeading = depth < headings;
  const node: fc.Arbitrary<GenNode> = fc.record({
    title: isHeading ? title : fc.constant(null),
    sentences: isHeading ? fc.constant<string[]>([]) : fc.array(sentence, { minLength: 1, maxLength: 3 }),
    children: isHeading
      ? tree(kinds, headings, depth + 1).filter((c) => c.length > 0)
      : fc.oneof(fc.constant<readonly GenNode[]>([]), tree(kinds, headings, depth + 1)),
  });
  return fc.array(node, { minLength: depth === 0 ? 2 : 1, maxLength: depth === 0 ? 4 : 3 });
}

interface Style {
  name: string;
  kinds: MarkerKind[];
  headings: number;
  continuous: boolean;
}

const STYLES: Style[] = [
  {
    name: "continuous paragraphs under roman and lettered sections",
    kinds: ["upperRoman", "capital", "arabic"],
    headings: 2,
    continuous: true,
  },
  {
    name: "lettered sections whose paragraphs restart at 1",
    kinds: ["capital", "arabic"],
    headings: 1,
    continuous: false,
  },
  {
    name: "roman sections with lettered paragraphs",
    kinds: ["upperRoman", "lower"],
    headings: 1,
    continuous: false,
  },
  {
    name: "full outline numbering",
    kinds: ["upperRoman", "capital", "arabic", "lower", "parenLowerRoman", "parenLower"],
    headings: 2,
    continuous: false,
  },
  {
    name: "numbered items with a) b) sub-items",
    kinds: ["arabic", "closeLower"],
    headings: 0,
    continuous: true,
  },
  {
    name: "a mixture: roman › lettered › roman › arabic",
    kinds: ["upperRoman", "lower", "lowerRoman", "arabic"],
    headings: 1,
    continuous: false,
  },
];

interface Expected {
  label: string;
  parentLabel: string | null;
  heading: boolean;
  caption: string | null;
  text: string;
}

const marker = (kind: MarkerKind, value: number) => {
  const v = formatValue(kind, value);
  if (kind === "parenLowerRoman" || kind === "parenLower") return `(${v})`;
  if (kind === "closeLower" || kind === "closeArabic") return `${v})`;
  return `${v}.`;
};

/** OCR's misreadings of a marker, where one is likely: "1." as "l.", "ii." as "11.", "j." as "J.". */
const misread = (m: string) =>
  ({ "ii.": "11.", "iii.": "111.", "j.": "J.", "iv.": "IV.", "vii.": "VII." })[m] ?? m;

function render(roots: readonly GenNode[], style: Style, rand: () => number) {
  const lines: string[] = [];
  const expected: Expected[] = [];
  let paragraph = 0;
  const walk = (
    nodes: readonly GenNode[],
    path: { kind: MarkerKind; value: number }[],
    parentLabel: string | null,
  ) => {
    for (const [i, n] of nodes.entries()) {
      const kind = style.kinds[path.length]!;
      const value = style.continuous && kind === "arabic" ? ++paragraph : i + 1;
      const here = [...path, { kind, value }];
      const at = style.continuous ? here.findIndex((l) => l.kind === "arabic") : -1;
      const label = formatLabel(here, at);
      const parentAt = at < here.length - 1 ? at : -1;
      let m = marker(kind, value);
      if (rand() < 0.3) m = misread(m);
      if (n.title !== null) {
        lines.push(`${m} ${n.title.toUpperCase()}`);
        expected.push({
          label,
          parentLabel,
          heading: true,
          caption: headingCase(n.title.toUpperCase()),
          text: "",
        });
      } else {
        const text = n.sentences.join(" ");
        const wrapped = text.match(/.{1,60}(\s|$)/g)!.map((l) => l.trim());
        lines.push(`${m} ${wrapped[0]}`, ...wrapped.slice(1));
        expected.push({ label, parentLabel, heading: false, caption: null, text });
      }
      walk(n.children, here, formatLabel(here, parentAt < 0 ? at : parentAt));
    }
  };
  walk(roots, [], null);
  // Pages of 8–20 lines, each with the court's stamp on top and its number at the foot.
  const pages: string[][] = [];
  for (let k = 0; k < lines.length; ) {
    const size = 8 + Math.floor(rand() * 12);
    pages.push(lines.slice(k, k + size));
    k += size;
  }
  const text = pages
    .map((p, k) =>
      [
        `Case 1:17-cv-00099-ABC Document 2 Filed 01/12/17 Page ${k + 1} of ${pages.length}`,
        ...p,
        `${k + 1}`,
        "",
      ].join("\n"),
    )
    .join("\n");
  return { text, expected };
}

describe("the outline parser on generated agreements (property)", () => {
  for (const style of STYLES) {
    it(`recovers every label, parent and text: ${style.name}`, () => {
      fc.assert(
        fc.property(tree(style.kinds, style.headings), fc.integer(), (roots, seed) => {
          let s = seed >>> 0;
          const rand = () => {
            s = (s * 1664525 + 1013904223) >>> 0;
            return s / 2 ** 32;
          };
          const { text, expected } = render(roots, style, rand);
          const parsed = parseOutlineText(text);
          expect(
            parsed.nodes.map((n) => ({
              label: n.label,
              parentLabel: n.parentLabel,
              heading: n.heading,
              caption: n.caption,
              text: n.text,
            })),
          ).toEqual(expected);
        }),
        { numRuns: 40, seed: 14 },
      );
    });
  }
});
