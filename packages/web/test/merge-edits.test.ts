import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeValue, mergeEdits, resolveMerge } from "../src/lib/merge-edits";

const base = {
  title: "Consent decree",
  judge: "Judge A",
  court: "W.D. Wash.",
  endedOn: "",
  agencyIds: ["a1"],
  sources: [{ citation: "Docket 12", url: "", note: "" }],
};

describe("merging a stale edit onto the version saved meanwhile", () => {
  it("merges edits to different fields, keeping both sides' changes", () => {
    const mine = { ...base, judge: "Judge B" };
    const theirs = { ...base, court: "D. Md.", agencyIds: ["a1", "a2"] };
    const plan = mergeEdits(base, mine, theirs);
    expect(plan.mine).toEqual(["judge"]);
    expect(plan.theirs).toEqual(["court", "agencyIds"]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.merged).toEqual({ ...base, judge: "Judge B", court: "D. Md.", agencyIds: ["a1", "a2"] });
  });

  it("asks about a field both changed to different values, and keeps mine unless theirs is chosen", () => {
    const mine = { ...base, judge: "Judge B", endedOn: "2017-04" };
    const theirs = { ...base, judge: "Judge C", title: "Their title" };
    const plan = mergeEdits(base, mine, theirs);
    expect(plan.conflicts).toEqual([{ field: "judge", base: "Judge A", mine: "Judge B", theirs: "Judge C" }]);
    // Until chosen, the merged values hold theirs for the field in conflict.
    expect(plan.merged.judge).toBe("Judge C");
    expect(resolveMerge(plan, {})).toEqual({
      ...base,
      judge: "Judge B",
      endedOn: "2017-04",
      title: "Their title",
    });
    expect(resolveMerge(plan, { judge: "theirs" })).toEqual({
      ...base,
      judge: "Judge C",
      endedOn: "2017-04",
      title: "Their title",
    });
  });

  it("sees no conflict where both made the same change, or in lists changed the same way", () => {
    const mine = {
      ...base,
      judge: "Judge B",
      sources: [...base.sources, { citation: "Order", url: "", note: "" }],
    };
    const theirs = { ...mine };
    const plan = mergeEdits(base, mine, theirs);
    expect(plan.conflicts).toEqual([]);
    expect(plan.merged).toEqual(mine);
  });

  it("with random edits: never loses a change, and asks only where both sides differ", () => {
    const field = fc.constantFrom("a", "b", "c", "d", "e");
    const value = fc.constantFrom("x", "y", "z");
    const edits = fc.dictionary(field, value);
    fc.assert(
      fc.property(edits, edits, (mineEdits, theirEdits) => {
        const start = { a: "o", b: "o", c: "o", d: "o", e: "o" };
        const mine = { ...start, ...mineEdits };
        const theirs = { ...start, ...theirEdits };
        const plan = mergeEdits(start, mine, theirs);
        for (const k of Object.keys(start) as (keyof typeof start)[]) {
          const conflict = plan.conflicts.find((c) => c.field === k);
          const bothChanged = mine[k] !== "o" && theirs[k] !== "o" && mine[k] !== theirs[k];
          expect(Boolean(conflict)).toBe(bothChanged);
          const merged = resolveMerge(plan, {});
          if (mine[k] !== "o") expect(merged[k]).toBe(mine[k]);
          else expect(merged[k]).toBe(theirs[k]);
          expect(resolveMerge(plan, { [k]: "theirs" })[k]).toBe(
            mine[k] !== "o" && !bothChanged ? mine[k] : theirs[k],
          );
        }
      }),
    );
  });
});

describe("a field's value in words", () => {
  it("writes dates the app's way and lists by their items", () => {
    expect(describeValue("2017-04-07")).toBe("7 April 2017");
    expect(describeValue("2017-04")).toBe("April 2017");
    expect(describeValue("")).toBe("(empty)");
    expect(describeValue(null)).toBe("(empty)");
    expect(describeValue(true)).toBe("Yes");
    expect(describeValue([])).toBe("(none)");
    expect(describeValue(base.sources)).toBe("Docket 12");
    expect(describeValue(["a1", "a2"])).toBe("a1; a2");
    expect(describeValue("x".repeat(300))).toHaveLength(160);
  });
});
