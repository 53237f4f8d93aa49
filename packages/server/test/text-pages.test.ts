import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DecreeParse } from "@accord/domain";
import { isCourtStamp, RATING_WORDINGS, readRatings } from "@accord/domain";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { splitTextPages, TEXT_PAGE_CHARS } from "../src/modules/documents/extract/text.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/*
 * A text upload keeps the pages its own marks show: form feeds, the court's page stamps of an
 * OCR'd filing, or a run of bare page numbers at the pages' feet; only a text with none of them is
 * cut into pieces of about TEXT_PAGE_CHARS.
 */

const WORDS =
  "the city shall ensure officers report each use of force within days and the monitor will review".split(
    " ",
  );
const line = fc
  .array(fc.constantFrom(...WORDS), { minLength: 3, maxLength: 12 })
  .map((w) => w.join(" ").replace(/^./, (c) => c.toUpperCase()));
/** Pages of body text: 12–30 lines each (one document's pages are of a size), never a bare number. */
const bodies = fc.array(fc.array(line, { minLength: 12, maxLength: 30 }), { minLength: 4, maxLength: 25 });

/** Court page stamps as filing systems print them and OCR reads them. */
const STAMPS: ((page: number, of: number) => string)[] = [
  (p, n) => `Case 3:13-cv-00978-HTW-LRA Document 83 Filed 09/18/15 Page ${p} of ${n}`,
  (p, n) => `Case 1:10-cv-00699-AT-HBP   Document 330   Filed 02/04/15   Page ${p} of ${n}`,
  (p, n) => `Case 1 :09-CV- 3286-TCB Document 265-1 Filed 12/08/10 Page ${p} of ${n}`,
  (p, n) => `Case 2:12-cv-01924-SM-DPC Doc. 565 Filed 01/11/13 Page ${p} of ${n} PageID #: ${1000 + p}`,
  (p, n) => `      Case 4:22-cv-00412-JM   Document 12-3   Filed 05/02/22   Page ${p} of ${n}`,
];
/** Bare page-number footers. */
const FOOTERS: ((page: number, of: number) => string)[] = [
  (p) => `${p}`,
  (p) => `- ${p} -`,
  (p) => `Page ${p}`,
  (p, n) => `Page ${p} of ${n}`,
  (p) => `   ${p}   `,
];

describe("a plain text's pages", () => {
  it("start at each court page stamp, whatever the stamp's style (generated)", () => {
    fc.assert(
      fc.property(
        bodies,
        fc.nat(STAMPS.length - 1),
        fc.boolean(),
        fc.boolean(),
        (pages, style, refiled, crlf) => {
          const stamp = STAMPS[style]!;
          // A refiled document carries two stamps, on consecutive lines: one page, not two.
          const text = pages
            .map((body, i) =>
              [
                stamp(i + 1, pages.length),
                ...(refiled ? [stamp(i + 1, pages.length + 2)] : []),
                ...body,
              ].join("\n"),
            )
            .join("\n\n")
            .replace(/\n/g, crlf ? "\r\n" : "\n");
          const split = splitTextPages(text);
          expect(split.length).toBe(pages.length);
          split.forEach((page, i) => {
            expect(page.trim().split("\n").at(-1)).toBe(pages[i]!.at(-1));
            expect(page).toContain(stamp(i + 1, pages.length));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("end at each bare page number when the numbers run 1, 2, 3… or 2, 3, 4… (generated)", () => {
    fc.assert(
      fc.property(
        bodies,
        fc.nat(FOOTERS.length - 1),
        fc.boolean(),
        fc.boolean(),
        (pages, style, lastNumbered, coverUnnumbered) => {
          const footer = FOOTERS[style]!;
          // An unnumbered first page (a cover) is page 1: the run of footers then starts at 2.
          const numbered = (i: number) =>
            (i > 0 || !coverUnnumbered) && (i < pages.length - 1 || lastNumbered);
          // Fewer than three numbered pages are not trusted as a run (a list of numbers is not).
          fc.pre(pages.filter((_, i) => numbered(i)).length >= 3);
          const text = pages
            .map((body, i) => [...body, ...(numbered(i) ? ["", footer(i + 1, pages.length)] : [])].join("\n"))
            .join("\n\n");
          const split = splitTextPages(text);
          expect(split.length).toBe(pages.length);
          split.forEach((page, i) => {
            expect(page.trim().split("\n")[0]).toBe(pages[i]![0]);
            if (numbered(i))
              expect(page.trim().split("\n").at(-1)?.trim()).toBe(footer(i + 1, pages.length).trim());
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("end after each law office's footer when every page has one (generated)", () => {
    /** Word-processing footers as law offices' systems print them and OCR reads them. */
    const OFFICE: ((page: number) => string)[] = [
      () => "DOC: 15680  Client: 0840  File: C3KOl!.DOC",
      (p) => `Doc: 15680  Client: 0840  File: C3KOl!.DOC  ${p}`,
      () => "Doc: 2119v5  Client: 0840  File: lmvO5i.DOC",
    ];
    fc.assert(
      fc.property(bodies, fc.nat(OFFICE.length - 1), fc.boolean(), (pages, style, numberAbove) => {
        fc.pre(pages.length >= 3);
        const text = pages
          .map((body, i) => [...body, ...(numberAbove ? [`${i + 1}`] : []), OFFICE[style]!(i + 1)].join("\n"))
          .join("\n\n");
        const split = splitTextPages(text);
        expect(split.length).toBe(pages.length);
        split.forEach((page, i) => {
          expect(page.trim().split("\n")[0]).toBe(pages[i]![0]);
          expect(page.trim().split("\n").at(-1)).toBe(OFFICE[style]!(i + 1));
        });
      }),
      { numRuns: 100 },
    );
  });

  it("give the Lawson agreement the eight pages its footers end, numbered 1 to 8", () => {
    const text = readFileSync(findUp(LAWSON)!, "utf8");
    const pages = splitTextPages(text);
    expect(pages).toHaveLength(8);
    // Each page ends in its footer; the page's number is on the line above it, or on the footer.
    pages.forEach((page, i) => {
      const lines = page.trim().split("\n");
      expect(lines.at(-1), `page ${i + 1}`).toMatch(/Client: 0840/);
      expect(`${lines.at(-2)} ${lines.at(-1)}`, `page ${i + 1}`).toMatch(
        new RegExp(`(^|\\s)${i + 1}(\\s|$)`),
      );
    });
    expect(pages[1]!.trim()).toMatch(/^4\.\s+While the use of a police canine/);
  });

  it("give the Suffolk County reports their own pages, which the report reader cites", () => {
    // Their text has no form feed: pages end at a footer "2 | P age" (the ninth: "2"), from 2, the
    // cover page unnumbered; the OCR ends each page with an empty line and keeps a space on the others.
    const dir = "data/monitoring/suffolk_county_pd";
    const files = readdirSync(findUp(dir)!).filter((f) => f.endsWith(".txt"));
    expect(files).toHaveLength(7);
    const counts: number[] = [];
    for (const file of files) {
      const text = readFileSync(join(findUp(dir)!, file), "utf8");
      const pages = splitTextPages(text);
      counts.push(pages.length);
      expect(pages[0], file).toMatch(/^\s*\S+\s+REPORT ASSESSING SETTLEMENT AGREEMENT/);
      expect(pages[0], file).not.toMatch(/INTRODUCTION/);
      expect(pages[1]!.trim(), file).toMatch(/^I\.\s+INTRODUCTION/);
      pages.forEach((page, i) => {
        if (i > 0 && i < pages.length - 1)
          expect(page.trim().split("\n").at(-1)!.trim(), `${file} page ${i + 1}`).toMatch(
            new RegExp(`^${i + 1}(\\s*\\|\\s*P\\s*a\\s*ge)?$`),
          );
      });
      // Each rating the reader finds is on the page of that number here.
      const read = readRatings(text, RATING_WORDINGS["section-summary"]);
      expect(read.items.length, file).toBeGreaterThan(20);
      for (const item of read.items)
        expect(pages[item.page - 1], `${file} ${item.label}`).toContain(item.quote);
    }
    // Counted by hand: the last footer of each report, in the files' date order.
    expect(counts).toEqual([25, 26, 24, 22, 18, 17, 18]);
  });

  it("are not cut at numbers out of a page run (a pleading paper's line numbers, a list)", () => {
    // Line numbers 1–28 down the left of each page of pleading paper, some on lines of their own.
    const pleading = Array.from({ length: 6 }, () =>
      Array.from({ length: 28 }, (_, i) => (i % 3 === 0 ? `${i + 1}` : `${i + 1} The parties agree`)).join(
        "\n",
      ),
    ).join("\n");
    expect(splitTextPages(pleading)).toEqual([pleading]);
    const list = ["Counts by year:", "1", "2", "3", "4", "5", "The end."].join("\n");
    expect(splitTextPages(list)).toEqual([list]);
  });

  it("follow form feeds first, and a long unmarked text is cut into pieces", () => {
    expect(splitTextPages("Case 1:10-cv-00699 Document 1 Page 1\fone\ftwo\f")).toEqual([
      "Case 1:10-cv-00699 Document 1 Page 1",
      "one",
      "two",
    ]);
    const long = Array.from({ length: 4000 }, (_, i) => `Line ${i} of an unmarked text`).join("\n");
    const pieces = splitTextPages(long);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.every((p) => p.length <= TEXT_PAGE_CHARS * 1.5)).toBe(true);
    expect(pieces.join("\n")).toBe(long);
  });
});

const DAVIS = "packages/domain/test/fixtures/agreements/stipulation_of_settlement_2015-02-04.txt";
const LAWSON = "packages/domain/test/fixtures/agreements/1995-03-27_5202_injunctive-relief-agreement.txt";

describe(`an OCR'd court filing uploaded as text (${ENGINE})`, () => {
  let t: TestApp;
  let documentId: string;
  const text = readFileSync(findUp(DAVIS)!, "utf8");

  beforeAll(async () => {
    t = await buildTestApp({});
    const matter = await buildMatter(t.app, { title: "Davis stipulation", kind: "settlement_agreement" });
    const form = new FormData();
    form.append("kind", "agreement");
    form.append("file", new Blob([text]), "stipulation.txt");
    const up = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    documentId = up.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
  });
  afterAll(() => t?.close());

  it("keeps the filing's pages: page N is the page stamped N, and a provision cites it", async () => {
    const doc = (await t.app.inject(`/api/v1/documents/${documentId}`)).json();
    // One page per stamped page: a stamp, or a refiled document's two on consecutive lines.
    const filled = text.split("\n").filter((l) => l.trim());
    const stamped = filled.filter(
      (l, i) => isCourtStamp(l) && !(i > 0 && isCourtStamp(filled[i - 1]!)),
    ).length;
    expect(doc).toMatchObject({ status: "ready", pageCount: stamped });
    expect(stamped).toBeGreaterThan(100);
    // The stipulation's own 20 pages come first, each page N under its "Page N of 20" stamp.
    for (const n of [1, 2, 6, 14, 19, 20]) {
      const page = (await t.app.inject(`/api/v1/documents/${documentId}/pages/${n}`)).json();
      expect(page.text.split("\n")[0]).toMatch(new RegExp(`Document 330 +Filed 02/04/15 +Page ${n} of 20`));
    }
    const res = await t.app.inject({ method: "POST", url: `/api/v1/documents/${documentId}/parse` });
    expect(res.statusCode, res.body).toBe(201);
    const parse = res.json() as DecreeParse;
    const pageOf = (label: string) => parse.provisions.find((p) => p.label === label)?.page;
    // Hand-checked in the filing: B.22 is on its page 6, O.1 on 14, T.1.e on 19.
    expect([pageOf("B.22"), pageOf("O.1"), pageOf("T.1.e")]).toEqual([6, 14, 19]);
  });
});
