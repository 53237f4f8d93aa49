import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyParseEdit,
  continuityWarnings,
  outlineProvisions,
  type ParsedProvision,
  type ParseEdit,
  ParseEditError,
  parseOutlineText,
  possibleParents,
  warningLabel,
} from "../src/index.js";

/** A node of a draft in outline numbering, its parent and path as the outline parser gives them. */
function outline(rows: [label: string, depth: number, caption: string | null, text: string][]) {
  const open: ParsedProvision[] = [];
  return rows.map(([label, depth, caption, text], i) => {
    open.length = depth;
    const ancestors = open.slice(0, depth);
    const p: ParsedProvision = {
      number: i + 1,
      label,
      sections: ancestors.map((a, k) => ({
        number: a.label,
        title: a.caption ?? "",
        level: (k === 0 ? 1 : 2) as 1 | 2,
      })),
      path: [...ancestors.map((a) => (a.caption ? `${a.label}. ${a.caption}` : a.label)), label].join(" › "),
      text,
      page: i + 1,
      pageEnd: i + 1,
      isDefinition: false,
      terms: [],
      parentLabel: depth > 0 ? open[depth - 1]!.label : null,
      depth,
      heading: caption !== null && !text,
      caption,
    };
    open[depth] = p;
    return p;
  });
}

const DRAFT = outline([
  ["I", 0, "Use of Force", ""],
  ["I.A", 1, "Policy", ""],
  ["I.A.1", 2, null, "The City shall adopt a policy. The policy shall be public."],
  ["I.A.2", 2, null, "Officers shall report each use of force."],
  ["I.B", 1, null, "Training shall be annual."],
  ["II", 0, "Monitoring", ""],
  ["II.A", 1, null, "The Monitor shall report twice a year."],
]);

/** The edit's refusal, or a failure when it applies. */
function refusal(provisions: readonly ParsedProvision[], edit: ParseEdit): ParseEditError {
  try {
    applyParseEdit(provisions, edit);
  } catch (e) {
    if (e instanceof ParseEditError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(edit)} was applied`);
}

const labels = (ps: readonly ParsedProvision[]) => ps.map((p) => p.label);
const tree = (ps: readonly ParsedProvision[]) => ps.map((p) => `${"  ".repeat(p.depth ?? 0)}${p.label}`);

/** What every draft after any edit holds: unique labels, a tree in document order, numbers 1…N. */
function expectWhole(ps: readonly ParsedProvision[]) {
  expect(new Set(labels(ps)).size, labels(ps).join(" ")).toBe(ps.length);
  expect(ps.map((p) => p.number)).toEqual(ps.map((_, i) => i + 1));
  const open: string[] = [];
  for (const [i, p] of ps.entries()) {
    const d = p.depth ?? 0;
    expect(d, `${p.label} is at most a level under the node before it`).toBeLessThanOrEqual(
      i === 0 ? 0 : (ps[i - 1]!.depth ?? 0) + 1,
    );
    open.length = d;
    expect(p.parentLabel ?? null, `${p.label}'s parent`).toBe(d > 0 ? open[d - 1]! : null);
    expect(p.sections.map((s) => s.number)).toEqual(open.slice(0, d));
    expect(p.path.endsWith(p.label)).toBe(true);
    open[d] = p.label;
  }
}

describe("label edits of an outline draft", () => {
  it("splits a node: the new one takes the label typed, after it, and the nodes under it", () => {
    const at = DRAFT[2]!.text.indexOf("The policy");
    const split = applyParseEdit(DRAFT, { op: "split", label: "I.A.1", at, newLabel: "I.A.1a" });
    expect(tree(split)).toEqual([
      "I",
      "  I.A",
      "    I.A.1",
      "    I.A.1a",
      "    I.A.2",
      "  I.B",
      "II",
      "  II.A",
    ]);
    expect(split[2]).toMatchObject({ text: "The City shall adopt a policy.", number: 3 });
    expect(split[3]).toMatchObject({
      label: "I.A.1a",
      text: "The policy shall be public.",
      parentLabel: "I.A",
      path: "I. Use of Force › I.A. Policy › I.A.1a",
      number: 4,
    });
    expect(split.at(-1)!.number).toBe(9 - 1);
    expectWhole(split);
    expect(DRAFT).toHaveLength(7);
  });

  it("refuses a split without a new label, or with one another node has (422 material)", () => {
    expect(refusal(DRAFT, { op: "split", label: "I.A.1", at: 5 }).path).toBe("newLabel");
    const clash = refusal(DRAFT, { op: "split", label: "I.A.1", at: 5, newLabel: " I.A.2 " });
    expect(clash).toMatchObject({
      code: "duplicate_label",
      path: "newLabel",
      clash: { label: "I.A.2", page: 4 },
    });
    expect(clash.message).toContain("I.A.2 is already the label of another node (page 4");
    expect(refusal(DRAFT, { op: "split", label: "I.A.1", at: 5, newLabel: "a/b" }).path).toBe("newLabel");
    expect(refusal(DRAFT, { op: "split", label: "I", at: 1, newLabel: "I.Z" }).message).toContain(
      "heading without text",
    );
    expect(refusal(DRAFT, { op: "split", label: "IX", at: 1, newLabel: "I.Z" }).path).toBe("label");
    expect(refusal(DRAFT, { op: "split", number: 3, at: 5, newLabel: "I.Z" }).path).toBe("number");
  });

  it("merges a node into the one before; the nodes under it follow", () => {
    const merged = applyParseEdit(DRAFT, { op: "merge", label: "I.A.2" });
    expect(merged[2]!.text).toBe(
      "The City shall adopt a policy. The policy shall be public. Officers shall report each use of force.",
    );
    expectWhole(merged);
    // A first child merged into its heading: the heading has text now, and is no longer a heading.
    const intoHeading = applyParseEdit(DRAFT, { op: "merge", label: "I.A" });
    expect(tree(intoHeading)).toEqual(["I", "  I.A.1", "  I.A.2", "  I.B", "II", "  II.A"]);
    expect(intoHeading[0]).toMatchObject({
      label: "I",
      caption: "Use of Force",
      text: "Policy",
      heading: false,
    });
    expectWhole(intoHeading);
    expect(refusal(DRAFT, { op: "merge", label: "I" }).path).toBe("label");
  });

  it("relabels a node: the nodes under it name it as their parent; a label in use is refused", () => {
    const relabelled = applyParseEdit(DRAFT, { op: "relabel", label: "I.A", to: "I.a" });
    expect(relabelled.slice(2, 4).map((p) => [p.parentLabel, p.path])).toEqual([
      ["I.a", "I. Use of Force › I.a. Policy › I.A.1"],
      ["I.a", "I. Use of Force › I.a. Policy › I.A.2"],
    ]);
    expectWhole(relabelled);
    expect(refusal(DRAFT, { op: "relabel", label: "I.A", to: "II.A" })).toMatchObject({
      code: "duplicate_label",
      path: "to",
    });
    expect(refusal(DRAFT, { op: "relabel", label: "I.A", to: "I.A" }).path).toBe("to");
    // "¶12" is "¶ 12".
    expect(applyParseEdit(DRAFT, { op: "relabel", label: "I.B", to: "¶12" })[4]!.label).toBe("¶ 12");
  });

  it("edits a text and a caption; a provision keeps some text", () => {
    const edited = applyParseEdit(DRAFT, { op: "edit", label: "I.A", caption: "Policies" });
    expect(edited[2]!.path).toBe("I. Use of Force › I.A. Policies › I.A.1");
    const text = applyParseEdit(DRAFT, { op: "edit", label: "I.B", text: "  Training   shall be\nyearly. " });
    expect(text[4]).toMatchObject({ text: "Training shall be yearly.", heading: false });
    expect(refusal(DRAFT, { op: "edit", label: "I.B", text: "" }).path).toBe("text");
    expect(refusal(DRAFT, { op: "edit", label: "I", caption: null }).path).toBe("caption");
  });

  it("marks a node a heading (its text becomes its caption) and back", () => {
    const heading = applyParseEdit(DRAFT, { op: "heading", label: "I.B", heading: true });
    expect(heading[4]).toMatchObject({ heading: true, caption: "Training shall be annual.", text: "" });
    const back = applyParseEdit(heading, { op: "heading", label: "I.B", heading: false });
    expect(back[4]).toMatchObject({ heading: false, caption: null, text: "Training shall be annual." });
    expect(refusal(DRAFT, { op: "heading", label: "I", heading: true }).path).toBe("heading");
    const captioned = applyParseEdit(DRAFT, { op: "edit", label: "I.B", caption: "Training" });
    expect(refusal(captioned, { op: "heading", label: "I.B", heading: true }).message).toContain(
      "has a caption and text",
    );
  });

  it("moves a node where it stands: under the node before it or one of its parents, with its children", () => {
    expect(possibleParents(DRAFT, 4)).toEqual(["I.A.2", "I.A", "I"]);
    const under = applyParseEdit(DRAFT, { op: "move", label: "I.B", parent: "I.A" });
    expect(tree(under)).toEqual(["I", "  I.A", "    I.A.1", "    I.A.2", "    I.B", "II", "  II.A"]);
    expectWhole(under);
    // Lifted to the top, I.A takes its children along; it sits in no section.
    const top = applyParseEdit(DRAFT, { op: "move", label: "I.A", parent: null });
    expect(tree(top)).toEqual(["I", "I.A", "  I.A.1", "  I.A.2", "  I.B", "II", "  II.A"]);
    expect(top[1]).toMatchObject({ parentLabel: null, sections: [], path: "I.A" });
    expectWhole(top);
    // A node lifted two levels: the siblings after it come under it.
    const lifted = applyParseEdit(DRAFT, { op: "move", label: "I.A.1", parent: null });
    expect(tree(lifted)).toEqual(["I", "  I.A", "I.A.1", "  I.A.2", "  I.B", "II", "  II.A"]);
    expectWhole(lifted);
    expect(refusal(DRAFT, { op: "move", label: "I.B", parent: "II" }).message).toContain(
      "it can go under I.A.2, I.A, I, or to the top",
    );
    expect(refusal(DRAFT, { op: "move", label: "I.B", parent: "I" }).path).toBe("parent");
    expect(refusal(DRAFT, { op: "move", label: "I", parent: "II" }).message).toContain("first node");
  });

  it("names no number: renumbering is for drafts of ¶ paragraphs", () => {
    expect(refusal(DRAFT, { op: "renumber", from: 1, to: 2 }).path).toBe("op");
  });

  it("links a warning to the node it names", () => {
    const all = ["I", "I.A", "I.A.1", "II", "II.A", "¶ 1", "¶ 12"];
    expect(
      warningLabel('"11." on page 3 read as II (an OCR confusion resolved from its neighbours)', all),
    ).toBe("II");
    expect(warningLabel("I.A.1 (page 4) follows a gap: 2 not found before it", all)).toBe("I.A.1");
    expect(warningLabel("II.A appears twice (page 9): check the numbering there", all)).toBe("II.A");
    expect(warningLabel("¶ 12 has no text", all)).toBe("¶ 12");
    expect(warningLabel("The numbering style is ambiguous", all)).toBeNull();
  });

  it("warns of no heading for having no text", () => {
    expect(continuityWarnings(DRAFT)).toEqual([]);
  });
});

describe("label edits of a real agreement", () => {
  const text = readFileSync(
    fileURLToPath(new URL("./fixtures/agreements/stipulation_of_settlement_2015-02-04.txt", import.meta.url)),
    "utf8",
  );
  const draft = outlineProvisions(parseOutlineText(text));

  it("starts whole, and stays whole after a split, a relabel, a move and a merge", () => {
    expectWhole(draft);
    const b1 = draft.find((p) => p.label === "B.1")!;
    let next = applyParseEdit(draft, {
      op: "split",
      label: "B.1",
      at: b1.text.indexOf(" ", 20),
      newLabel: "B.1A",
    });
    next = applyParseEdit(next, { op: "relabel", label: "B.1A", to: "B.1(a)" });
    next = applyParseEdit(next, { op: "move", label: "B.1(a)", parent: "B.1" });
    expect(next.find((p) => p.label === "B.1(a)")).toMatchObject({ parentLabel: "B.1", depth: 2 });
    expectWhole(next);
    next = applyParseEdit(next, { op: "merge", label: "B.1(a)" });
    expect(next.find((p) => p.label === "B.1")!.text).toBe(b1.text);
    expect(next.map((p) => [p.label, p.parentLabel, p.text])).toEqual(
      draft.map((p) => [p.label, p.parentLabel, p.text]),
    );
  });
});

/** The labels edits type: few, so that clashes are common. */
const LABELS = ["I", "I.A", "I.A.1", "I.A.2", "I.B", "II", "II.A", "X", "Y", "Z", "¶ 1", "A.1"];

const editArb: fc.Arbitrary<ParseEdit> = fc.oneof(
  fc.record({
    op: fc.constant("split" as const),
    label: fc.constantFrom(...LABELS),
    at: fc.integer({ min: 1, max: 60 }),
    newLabel: fc.constantFrom(...LABELS),
  }),
  fc.record({ op: fc.constant("merge" as const), label: fc.constantFrom(...LABELS) }),
  fc.record({
    op: fc.constant("relabel" as const),
    label: fc.constantFrom(...LABELS),
    to: fc.constantFrom(...LABELS),
  }),
  fc.record({
    op: fc.constant("heading" as const),
    label: fc.constantFrom(...LABELS),
    heading: fc.boolean(),
  }),
  fc.record({
    op: fc.constant("move" as const),
    label: fc.constantFrom(...LABELS),
    parent: fc.option(fc.constantFrom(...LABELS), { nil: null }),
  }),
  fc.record({
    op: fc.constant("edit" as const),
    label: fc.constantFrom(...LABELS),
    caption: fc.option(fc.constantFrom("Policy", "Training"), { nil: null }),
  }),
);

describe("any sequence of label edits (property)", () => {
  it("keeps the labels unique and the outline whole; a refusal is a ParseEditError", () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 25 }), (edits) => {
        let current: ParsedProvision[] = DRAFT;
        const words = (ps: readonly ParsedProvision[]) =>
          ps
            .flatMap((p) => [p.caption ?? "", p.text])
            .join(" ")
            .split(/\s+/)
            .join("");
        for (const edit of edits) {
          try {
            const next = applyParseEdit(current, edit);
            expectWhole(next);
            // Splits, merges, relabels, headings and moves keep every word, in order.
            if (edit.op !== "edit") expect(words(next)).toBe(words(current));
            current = next;
          } catch (e) {
            if (!(e instanceof ParseEditError)) throw e;
            if (e.code === "duplicate_label") expect(labels(current)).toContain(e.clash!.label);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
