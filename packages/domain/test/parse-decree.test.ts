import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecree } from "../src/index.js";

const FULTON = new URL(
  "../../../data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.txt",
  import.meta.url,
);

describe("the parser on the Fulton County decree (text of the filed PDF)", () => {
  const pages = readFileSync(FULTON, "utf8").split("\f");
  const parsed = parseDecree(pages);

  it("finds every numbered paragraph, none lost or invented, in order", () => {
    expect(parsed.highestNumberSeen).toBe(369);
    expect(parsed.provisions).toHaveLength(369);
    expect(parsed.provisions.map((p) => p.number)).toEqual(Array.from({ length: 369 }, (_, i) => i + 1));
    expect(parsed.warnings).toEqual([]);
  });

  it("puts each paragraph under the sections of the table of contents", () => {
    const tocTitles = parsed.toc.map((t) => `${t.number}. ${t.title}`.toLowerCase());
    const found = parsed.sections.map((s) => `${s.number}. ${s.title}`.toLowerCase());
    expect(found).toEqual(tocTitles);
    expect(parsed.sections.filter((s) => s.level === 1)).toHaveLength(18);
    const p46 = parsed.provisions[45]!;
    expect(p46.path).toBe("V. Protection from Harm › A. Policies, Procedures, and Training › ¶ 46");
    // Subsection "I." of V is a letter, not the roman numeral one.
    const info = parsed.sections.find((s) => s.title.startsWith("Information Management"))!;
    expect(info).toMatchObject({ number: "I", level: 2 });
    expect(info.path).toBe(
      "V. Protection from Harm › I. Information Management Systems and Resiliency Planning",
    );
  });

  it("gives the page each paragraph starts on (the PDF's page numbers)", () => {
    expect(parsed.provisions[0]).toMatchObject({ number: 1, page: 4 });
    expect(parsed.provisions[45]).toMatchObject({ number: 46, page: 12 });
    expect(parsed.provisions[368]).toMatchObject({ number: 369, page: 69 });
  });

  it("keeps lettered and roman sub-items inside their paragraph", () => {
    const p50 = parsed.provisions[49]!.text;
    expect(p50).toContain("(a) its zero-tolerance policy for sexual abuse");
    expect(p50).toContain("(iv) how to communicate effectively and professionally");
  });

  it("recognises the definitions and their terms", () => {
    const defs = parsed.provisions.filter((p) => p.isDefinition);
    expect(defs.length).toBeGreaterThan(10);
    expect(defs.every((d) => d.sections[0]?.title === "Definitions")).toBe(true);
    expect(parsed.provisions[11]!.terms).toEqual(["Effective Date"]);
    expect(parsed.provisions[10]!.terms).toEqual(["Discharge Taser", "Discharging a Taser"]);
  });

  it("lets no page header, footer, page number or signature into a provision", () => {
    for (const p of parsed.provisions) {
      expect(p.text, p.label).not.toMatch(/Case 1:25-cv-00024|Document 3|Page \d+ of 71|Filed 01\/06\/25/);
      expect(p.text, p.label).not.toMatch(/LEIGH MARTIN MAY|DISTRICT JUDGE|CONSENTED TO BY|Bar Number/);
      expect(p.text, p.label).not.toMatch(/ \d{1,2} [A-Z][a-z]+ \d{1,2}$/);
    }
    expect(parsed.provisions[368]!.text.endsWith("criminal justice system.")).toBe(true);
  });
});

// ------------------------------------------------------------------ generated decrees

const ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
const WORDS =
  "the city shall ensure officers report each use of force within days and the monitor will review policies training supervision data complaints".split(
    " ",
  );

interface GenSection {
  title: string;
  subsections: { title: string; paragraphs: string[][] }[];
}

const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 6, maxLength: 30 })
  .map((w) => `${w.join(" ")}.`.replace(/^./, (c) => c.toUpperCase()));
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 });
const title = fc
  .array(
    fc.constantFrom("use", "force", "training", "community", "engagement", "data", "stops", "searches"),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((w) => w.join(" "));
const decree = fc.array(
  fc.record({
    title,
    subsections: fc.array(
      fc.record({ title, paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 5 }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
  }),
  { minLength: 1, maxLength: 6 },
);
const titleCase = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());

type Style = "plain" | "pleading" | "pilcrow";

/** Renders a decree onto pages the way a court filing looks in one of three styles. */
function render(
  sections: GenSection[],
  style: Style,
  linesPerPage: number,
): { pages: string[]; count: number } {
  const body: string[] = [];
  let n = 0;
  for (const [i, s] of sections.entries()) {
    body.push("", `${ROMANS[i]}. ${s.title.toUpperCase()}`, "");
    for (const [j, sub] of s.subsections.entries()) {
      body.push(`${String.fromCharCode(65 + j)}. ${titleCase(sub.title)}`, "");
      for (const p of sub.paragraphs) {
        n++;
        const text = p.join(" ");
        // Wrap at ~70 characters, the way the filing's lines break.
        const lines = text.match(/.{1,70}(\s|$)/g)!.map((l) => l.trim());
        const marker = style === "pilcrow" ? `¶ ${n}` : `${n}.`;
        body.push(`${marker} ${lines[0]}`, ...lines.slice(1).map((l) => `    ${l}`));
      }
    }
  }
  body.push("", "IT IS SO ORDERED.", "", "____________________", "UNITED STATES DISTRICT JUDGE");
  const pages: string[] = [];
  const total = Math.ceil(body.length / linesPerPage);
  for (let p = 0; p < total; p++) {
    const chunk = body.slice(p * linesPerPage, (p + 1) * linesPerPage);
    const header =
      style === "pleading"
        ? [`Case 2:12-cv-01282-JLR Document 3-1 Filed 07/27/12 Page ${p + 1} of ${total}`]
        : style === "pilcrow"
          ? ["UNITED STATES v. CITY OF EXAMPLE — CONSENT DECREE"]
          : [`Case 1:17-cv-00099 Document 2 Filed 01/12/17 Page ${p + 1} of ${total}`];
    const footer = style === "pilcrow" ? [`Page ${p + 1}`] : [`${p + 1}`];
    const lines = style === "pleading" ? chunk.map((l, k) => `${k + 1}  ${l}`) : chunk;
    pages.push([...header, "", ...lines, "", ...footer].join("\n"));
  }
  return { pages, count: n };
}

describe("the parser on generated decrees in several court styles (property)", () => {
  for (const style of ["plain", "pleading", "pilcrow"] as const) {
    it(`finds every paragraph, under the right sections, with no header or footer, in the ${style} style`, () => {
      fc.assert(
        fc.property(decree, fc.integer({ min: 12, max: 28 }), (sections, linesPerPage) => {
          const { pages, count } = render(sections, style, linesPerPage);
          const parsed = parseDecree(pages);
          expect(parsed.provisions.map((p) => p.number)).toEqual(
            Array.from({ length: count }, (_, i) => i + 1),
          );
          let k = 0;
          for (const [i, s] of sections.entries()) {
            for (const [j, sub] of s.subsections.entries()) {
              for (const para of sub.paragraphs) {
                const p = parsed.provisions[k++]!;
                expect(p.sections.map((x) => x.number)).toEqual([ROMANS[i], String.fromCharCode(65 + j)]);
                expect(p.text).toBe(para.join(" "));
              }
            }
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
