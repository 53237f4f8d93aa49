import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyParseEdit,
  continuityWarnings,
  matchProvisions,
  type ParsedProvision,
  ParseEditError,
  parseDecree,
} from "../src/index.js";

const SECTION = { number: "II", title: "Use of Force", level: 1 as const };

const provision = (number: number, text: string): ParsedProvision => ({
  number,
  label: `¶ ${number}`,
  sections: [SECTION],
  path: `II. Use of Force › ¶ ${number}`,
  text,
  page: number,
  pageEnd: number,
  isDefinition: false,
  terms: [],
});

const five = ["Alpha one.", "Bravo two. Bravo more.", "Charlie three.", "Delta four.", "Echo five."].map(
  (t, i) => provision(i + 1, t),
);

describe("corrections of a parse", () => {
  it("splits a provision at an offset: the rest becomes the next number, the numbers after move up", () => {
    const split = applyParseEdit(five, { op: "split", number: 2, at: 10 });
    expect(split.map((p) => [p.number, p.text])).toEqual([
      [1, "Alpha one."],
      [2, "Bravo two."],
      [3, "Bravo more."],
      [4, "Charlie three."],
      [5, "Delta four."],
      [6, "Echo five."],
    ]);
    expect(split[5]).toMatchObject({ label: "¶ 6", path: "II. Use of Force › ¶ 6", page: 5 });
    expect(continuityWarnings(split)).toEqual([]);
    expect(five).toHaveLength(5);
  });

  it("merges a provision into the one before, and back to what a split undid", () => {
    const merged = applyParseEdit(applyParseEdit(five, { op: "split", number: 2, at: 10 }), {
      op: "merge",
      number: 3,
    });
    expect(merged).toEqual(five);
    const two = applyParseEdit(five, { op: "merge", number: 5 });
    expect(two.at(-1)).toMatchObject({ number: 4, text: "Delta four. Echo five.", page: 4, pageEnd: 5 });
  });

  it("renumbers a provision and those after it, and warns of the gap", () => {
    const renumbered = applyParseEdit(five, { op: "renumber", from: 3, to: 5 });
    expect(renumbered.map((p) => p.number)).toEqual([1, 2, 5, 6, 7]);
    expect(continuityWarnings(renumbered)).toEqual(["¶ 3 to ¶ 4 are missing: ¶ 2 is followed by ¶ 5"]);
    expect(continuityWarnings(applyParseEdit(five, { op: "renumber", from: 1, to: 2 }))).toEqual([
      "The first provision is ¶ 2, not ¶ 1",
    ]);
  });

  it("edits a text, and keeps a definition's terms in step with it", () => {
    const def = { ...provision(1, "“Force” means force."), isDefinition: true, terms: ["Force"] };
    const edited = applyParseEdit([def], { op: "edit", number: 1, text: "“Use of Force”  means\nforce." });
    expect(edited[0]).toMatchObject({ text: "“Use of Force” means force.", terms: ["Use of Force"] });
  });

  it("refuses what cannot be done, naming the field", () => {
    const refusals: [Parameters<typeof applyParseEdit>[1], string][] = [
      [{ op: "split", number: 9, at: 3 }, "number"],
      [{ op: "split", number: 1, at: 10 }, "at"],
      [{ op: "merge", number: 1 }, "number"],
      [{ op: "renumber", from: 3, to: 2 }, "to"],
      [{ op: "edit", number: 2, text: "  " }, "text"],
    ];
    for (const [edit, path] of refusals) {
      const error = (() => {
        try {
          applyParseEdit(five, edit);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(edit)).toBeInstanceOf(ParseEditError);
      expect((error as ParseEditError).path).toBe(path);
    }
  });

  it("keeps every text, in order, whatever splits and merges are made (property)", () => {
    const edits = fc.array(
      fc.oneof(
        fc.record({
          op: fc.constant("split" as const),
          number: fc.integer({ min: 1, max: 8 }),
          at: fc.integer({ min: 1, max: 30 }),
        }),
        fc.record({ op: fc.constant("merge" as const), number: fc.integer({ min: 1, max: 8 }) }),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(edits, (list) => {
        let current = five;
        for (const e of list) {
          try {
            current = applyParseEdit(current, e);
          } catch (err) {
            if (!(err instanceof ParseEditError)) throw err;
          }
        }
        expect(current.map((p) => p.number)).toEqual(current.map((_, i) => i + 1));
        const words = (ps: ParsedProvision[]) =>
          ps
            .map((p) => p.text)
            .join(" ")
            .split(/\s+/)
            .join("");
        expect(words(current)).toBe(words(five));
      }),
      { numRuns: 200 },
    );
  });
});

describe("matching a parse with a matter's provisions", () => {
  const current = five.map((p) => ({
    id: `id-${p.number}`,
    label: p.label,
    position: p.number,
    text: p.text,
  }));

  it("keeps unchanged ones, moves renumbered ones, updates changed ones, adds and retires the rest", () => {
    // ¶ 2 split in two: ¶ 3–5 become ¶ 4–6 with their texts; ¶ 2 keeps its row for its new text.
    const parsed = applyParseEdit(five, { op: "split", number: 2, at: 10 });
    const match = matchProvisions(current, parsed);
    expect(match.kept.map((m) => [m.id, m.parsed.number])).toEqual([["id-1", 1]]);
    expect(match.renumbered.map((m) => [m.id, m.parsed.number])).toEqual([
      ["id-3", 4],
      ["id-4", 5],
      ["id-5", 6],
    ]);
    expect(match.changed.map((m) => [m.id, m.parsed.number])).toEqual([["id-2", 2]]);
    expect(match.added.map((p) => p.number)).toEqual([3]);
    expect(match.retired).toEqual([]);
  });

  it("ignores spacing, case and quote styles; retires what is gone, restores what comes back", () => {
    const parsed = [provision(1, "ALPHA   one."), provision(2, "Bravo two. Bravo more.")];
    const match = matchProvisions(current, parsed);
    expect(match.kept).toHaveLength(2);
    expect(match.retired).toEqual(["id-3", "id-4", "id-5"]);
    const back = matchProvisions(
      current.slice(0, 2),
      [...parsed, provision(3, "Charlie three.")],
      [{ id: "id-3", label: "¶ 3", position: 3, text: "Charlie three." }],
    );
    expect(back.restored.map((m) => m.id)).toEqual(["id-3"]);
    expect(back.added).toEqual([]);
  });
});

describe("the parser, on pdf.js's reading order", () => {
  it("does not end a paragraph at a signature rule given before a page's text", () => {
    const pages = [
      "I. GENERAL\n1. The first paragraph runs onto\n",
      "________________________________\nthe next page and ends here.\n2. The second one.\nIT IS SO ORDERED.\n________________\nJUDGE",
    ];
    const parsed = parseDecree(pages);
    expect(parsed.provisions.map((p) => p.text)).toEqual([
      "The first paragraph runs onto the next page and ends here.",
      "The second one.",
    ]);
    expect(parsed.provisions[0]).toMatchObject({ page: 1, pageEnd: 2 });
  });
});
