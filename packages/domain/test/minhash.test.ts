import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  jaccard,
  joinSignatureParts,
  minhashSignature,
  shingles,
  signaturePart,
  signatureSimilarity,
} from "../src/index.js";

// The definition the signatures stored in databases were made with, written the slow, obvious
// way (strings joined, BigInt arithmetic): the fast implementation must give the same numbers,
// or stored signatures would stop comparing with new ones.
const PRIME = 4294967311n;
function fnv(s: string): bigint {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return BigInt(h >>> 0);
}
const coefficients = (() => {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed;
  };
  return Array.from({ length: 128 }, () => [
    BigInt((next() % (4294967311 - 1)) + 1),
    BigInt(next() % 4294967311),
  ]);
})();
function referenceSignature(text: string): number[] {
  const hashes = [...shingles(text)].map(fnv);
  return coefficients.map(([a, b]) => {
    let min = PRIME;
    for (const h of hashes) {
      const v = (a! * h + b!) % PRIME;
      if (v < min) min = v;
    }
    return Number(min);
  });
}

const WORDS = [
  "the",
  "monitor",
  "shall",
  "review",
  "use",
  "of",
  "force",
  "city",
  "jail",
  "Émile",
  "42",
  "ñandú",
];
const prose = fc
  .array(fc.constantFrom(...WORDS, ...WORDS.map((w) => `${w.toUpperCase()},`), "\n", "—"), { maxLength: 300 })
  .map((ws) => ws.join(" "));

describe("near-duplicate signatures (MinHash)", () => {
  it("equal the reference definition on any text", () => {
    fc.assert(
      fc.property(prose, (text) => {
        expect(minhashSignature(text)).toEqual(referenceSignature(text));
      }),
      { numRuns: 60 },
    );
    for (const text of ["", "one", "two words", "exactly three words", "a".repeat(5000)])
      expect(minhashSignature(text)).toEqual(referenceSignature(text));
  });

  it("estimate the shingles' Jaccard similarity", () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const ws = Array.from({ length: 2000 }, () => `w${Math.floor(random() * 500)}`);
    const base = ws.join(" ");
    // One word in fifteen changed: about a fifth of the shingles differ.
    const reworded = ws.map((w, i) => (i % 15 === 0 ? `${w}x` : w)).join(" ");
    const exact = jaccard(base, reworded);
    const estimate = signatureSimilarity(minhashSignature(base), minhashSignature(reworded));
    expect(exact).toBeGreaterThan(0.2);
    expect(exact).toBeLessThan(0.95);
    // 128 permutations: the standard error is about sqrt(J(1−J)/128) ≤ 0.045.
    expect(Math.abs(estimate - exact)).toBeLessThan(0.15);
    expect(signatureSimilarity(minhashSignature(base), minhashSignature(base))).toBe(1);
  });

  it("make an empty text resemble nothing, not even another empty text", () => {
    expect(signatureSimilarity(minhashSignature(""), minhashSignature(""))).toBe(0);
  });
});

describe("a signature read in two parts", () => {
  it("joins to the signature of the whole text", () => {
    fc.assert(
      fc.property(prose, prose, (first, second) => {
        expect(joinSignatureParts(signaturePart(first), signaturePart(second))).toEqual(
          minhashSignature(`${first}\n${second}`),
        );
      }),
      { numRuns: 200 },
    );
    // The short cases one by one: parts of no, one, two and three words.
    const texts = ["", "one", "one two", "one two three", "Four five six seven."];
    for (const a of texts)
      for (const b of texts)
        expect(joinSignatureParts(signaturePart(a), signaturePart(b))).toEqual(
          minhashSignature(`${a}\n${b}`),
        );
  });
});
