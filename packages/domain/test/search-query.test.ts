import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_SEARCH_CLAUSES,
  parseSearchQuery,
  SearchQuerySchema,
  searchQueryProblem,
  toExcludedTsQueryText,
  toPhraseText,
  toTsQueryText,
} from "../src/index.js";

const tsQuery = (q: string) => toTsQueryText(parseSearchQuery(q));

describe("the search box's syntax", () => {
  it("reads words, quoted phrases, exclusions and prefixes", () => {
    expect(parseSearchQuery('Consent "use of force" -canine train*')).toMatchObject({
      terms: ["consent"],
      phrases: ["use of force"],
      excluded: ["canine"],
      prefixes: ["train"],
    });
    expect(tsQuery('Consent "use of force" -canine train*')).toBe(
      "consent & (use <-> of <-> force) & train:* & !canine",
    );
  });

  it("ANDs words and keeps positive clauses before exclusions", () => {
    expect(tsQuery("baltimore police")).toBe("baltimore & police");
    expect(tsQuery("-canine baltimore")).toBe("baltimore & !canine");
  });

  it("excludes phrases and prefixes", () => {
    expect(tsQuery('decree -"use of force" -train*')).toBe("decree & !(use <-> of <-> force) & !train:*");
    expect(toExcludedTsQueryText(parseSearchQuery('decree -"use of force" -train*'))).toBe(
      "(use <-> of <-> force) | train:*",
    );
    expect(toExcludedTsQueryText(parseSearchQuery("decree"))).toBeNull();
  });

  it("keeps words PostgreSQL reads whole (covid-19, u.s.c, 12601.5), and splits at apostrophes", () => {
    expect(tsQuery("covid-19 34 u.s.c. 12601.5")).toBe("covid-19 & 34 & u.s.c & 12601.5");
    expect(tsQuery("O'Brien department’s")).toBe("(o <-> brien) & (department <-> s)");
    expect(tsQuery("-use-of-force decree")).toBe("decree & !use-of-force");
  });

  it("treats typographic quotes as quotes and an unclosed quote as running to the end", () => {
    expect(tsQuery("“pattern or practice”")).toBe("(pattern <-> or <-> practice)");
    expect(tsQuery('monitor "annual report')).toBe("monitor & (annual <-> report)");
  });

  it("drops duplicates and lone operators", () => {
    expect(tsQuery('police police - * -- ** "" police*')).toBe("police & police:*");
  });

  it("builds the phrase of the words looked for, in order", () => {
    expect(toPhraseText(parseSearchQuery('use of "force" -canine'))).toBe("use of force");
    expect(toPhraseText(parseSearchQuery("force"))).toBeNull();
  });

  it("asks for something to look for", () => {
    expect(searchQueryProblem("-canine -horse")).toBe("Say what to look for, not only what to leave out");
    expect(searchQueryProblem('"&|!()')).toMatch(/Type a word/);
    expect(searchQueryProblem("canine")).toBeNull();
    expect(tsQuery("-canine")).toBeNull();
    const res = SearchQuerySchema.safeParse({ q: "-canine" });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.message).toBe("Say what to look for, not only what to leave out");
    expect(SearchQuerySchema.parse({ q: "canine", type: "matter,document_page" })).toMatchObject({
      q: "canine",
      type: ["matter", "document_page"],
      limit: 20,
      offset: 0,
    });
  });

  it("keeps at most a bounded number of clauses", () => {
    const q = Array.from({ length: 100 }, (_, k) => `w${k}`).join(" ");
    expect(parseSearchQuery(q).clauses).toHaveLength(MAX_SEARCH_CLAUSES);
  });

  it("never lets input reach the tsquery syntax", () => {
    // Whatever is typed, the text is words (letters, digits, inner - . / _ @ +) and our operators.
    const valid =
      /^!?(\(?[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}\-./_@+]*(:\*)?( <-> [\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}\-./_@+]*(:\*)?)*\)?)$/u;
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ab1 -\"*:&|!()<>'\\.@/+_é\u0301\t\n") }),
        fc.string({ maxLength: 500 }),
        (a, b) => {
          for (const q of [a, b]) {
            const text = tsQuery(q);
            if (text === null) continue;
            for (const clause of text.split(" & ")) expect(clause).toMatch(valid);
            expect(text).not.toMatch(/['"\\]/u);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
