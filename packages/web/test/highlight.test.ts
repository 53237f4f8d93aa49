import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstMatching, highlightPatterns, splitMatches } from "../src/features/search/highlight.js";

/** The viewer's highlighter: any query text gives patterns that compile and split a page losslessly. */

const joined = (parts: { text: string }[]) => parts.map((p) => p.text).join("");

describe("highlightPatterns", () => {
  it("marks hyphenated words and case numbers instead of throwing", () => {
    const text = "Officers wear body-worn cameras in case 1:25-cv-00024 and body worn ones.";
    for (const query of ["body-worn", "1:25-cv-00024", '"body-worn cameras"', "cv-00024*", "-body-worn x"]) {
      const patterns = highlightPatterns(query);
      const pattern = firstMatching(text, patterns);
      expect(joined(splitMatches(text, pattern))).toBe(text);
    }
    const parts = splitMatches(text, firstMatching(text, highlightPatterns("body-worn")));
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toContain("body-worn");
    const caseParts = splitMatches(text, firstMatching(text, highlightPatterns("1:25-cv-00024")));
    expect(caseParts.some((p) => p.hit)).toBe(true);
  });

  it("never throws on arbitrary query text and keeps every character of the page", () => {
    const chars = fc.constantFrom(..."abc-/.:_@+*\"'()[]{}|\\^$?é 1-9\u00a0\u2014".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: chars })), fc.string(), (query, page) => {
        const patterns = highlightPatterns(query);
        for (const p of patterns) expect(p).toBeInstanceOf(RegExp);
        const text = `${page} ${query} ${page}`;
        expect(joined(splitMatches(text, firstMatching(text, patterns)))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("finds a word typed in the query wherever the page holds it", () => {
    const word = fc.stringMatching(/^[a-z]{4,10}(-[a-z0-9]{1,5})?$/);
    fc.assert(
      fc.property(word, fc.string(), (w, before) => {
        const text = `${before.replace(/[\p{L}\p{N}\p{M}]+$/u, "")} ${w} end`;
        const parts = splitMatches(text, firstMatching(text, highlightPatterns(w)));
        expect(
          parts.some((p) => p.hit && p.text.toLowerCase().startsWith(w.split("-")[0]!.slice(0, 3))),
        ).toBe(true);
      }),
    );
  });
});
