import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseOutline } from "../src/provisions/outline.js";
import { isCourtStamp, splitAtCourtStamps } from "../src/provisions/outline-pages.js";

const DAVIS = readFileSync(
  new URL("./fixtures/agreements/stipulation_of_settlement_2015-02-04.txt", import.meta.url),
  "utf8",
);

/** The stamp "Case 1:10-cv-00699-AT-HBP Document 330-2 Filed 02/04/15 Page n of 44" as PDF tools garble it. */
const stamp = (form: number, n: number) => {
  const plain = `Case 1:10-cv-00699-AT-HBP Document 330-2 Filed 02/04/15 Page ${n} of 44`;
  if (form === 0) return plain;
  if (form === 1)
    return `CCaassee  11::1100--ccvv--0000669999--SAATS-H-HBBPP    D  Docoucmumenetn 3t 3302-21- 2   P  Pagaeg e${n}`;
  if (form === 2)
    return `CaCsaes e1 :11:01-0c-vc-v0-00609699-9A-TS-AHSB-PH B  PD o  cDuomceunmt e3n3t0 3-12 ${n}`;
  return `CC(cid:38)aa(cid:68)ss(cid:86)ee(cid:72)  1(cid:3)1(cid:20)::1(cid:29)1(cid:19)00(cid:27)--(cid:16)cc ${n}`;
};

describe("court page stamps as PDF tools garble them", () => {
  it("starts each of Davis's stamped pages at its stamp, never at a line of glyph codes", () => {
    const lines = DAVIS.split("\n");
    const pages = splitAtCourtStamps(lines)!;
    expect(pages).toHaveLength(162);
    for (const page of pages) expect(isCourtStamp(page.split("\n").find((l) => l.trim())!)).toBe(true);
    // Lines of glyph codes alone (an unmapped font's text) are text, not stamps.
    expect(isCourtStamp("(cid:12)(cid:11)(cid:3)")).toBe(false);
    expect(lines.filter((l) => /^\(cid:\d+\)/.test(l) && isCourtStamp(l))).toEqual([]);
    const exhibits = parseOutline(pages).exhibits.map((e) => `${e.label} p${e.page}`);
    expect(exhibits).toEqual([
      "Exhibit A p21",
      "Exhibit B p61",
      "Exhibit C p62",
      "Exhibit D p69",
      "Exhibit E p125",
      "Exhibit F p144",
      "Exhibit G p147",
      "Exhibit H p153",
      "Exhibit I p158",
    ]);
  });

  it("splits generated filings at every stamp, whatever its garbling and the junk lines around it", () => {
    const page = fc.record({
      form: fc.nat(3),
      refiled: fc.boolean(),
      junk: fc.array(
        fc.constantFrom(
          "(cid:12)(cid:11)(cid:3)",
          "(cid:56)(cid:54)(cid:39)(cid:38)(cid:3)",
          "Case 12 of the list",
        ),
        {
          maxLength: 3,
        },
      ),
      exhibit: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(page, { minLength: 2, maxLength: 30 }), (pages) => {
        const out: string[] = [];
        const exhibitPages: number[] = [];
        pages.forEach((p, i) => {
          out.push(stamp(p.form, i + 1));
          if (p.refiled) out.push(stamp(0, i + 1).replace("330-2", "322-1"));
          out.push("1.  The City shall keep records of each stop.");
          for (const j of p.junk) out.push(j, "and report them every quarter.");
          if (p.exhibit) {
            out.push("", `EXHIBIT ${String.fromCharCode(65 + exhibitPages.length)}`, "");
            exhibitPages.push(i + 1);
          }
        });
        const split = splitAtCourtStamps(out)!;
        expect(split).toHaveLength(pages.length);
        expect(split.map((text) => text.split("\n")[0])).toEqual(pages.map((p, i) => stamp(p.form, i + 1)));
      }),
      { numRuns: 300 },
    );
  });
});
