import { createHash } from "node:crypto";
import { type SearchHit, SearchQuerySchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { searchRegistry } from "../src/modules/search/index.js";
import { buildJurisdiction, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Properties the search statement's shortcuts rely on, on a generated corpus: the candidates are
 * counted once under any cap (the pages of documents whose title matches are read twice, by two
 * sources), and a page's snippet window starts at each word's first position (taken as the first
 * of its lexeme's positions, which PostgreSQL keeps sorted).
 */
let t: TestApp;

/** Words of the corpus: title words and body words overlap, so that both page sources find pages. */
const WORDS = ["canine", "patrol", "bridge", "river", "market", "garden", "review", "tower"];

/** A small deterministic generator (the corpus is the same on every run and engine). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const place = await buildJurisdiction(t.app, { name: "Candidate Falls", stateCode: "WA" });
  const next = random(7);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!;
  for (let m = 0; m < 2; m++) {
    const matter = await buildMatter(t.app, {
      jurisdictionId: place.id,
      title: `${pick()} ${pick()} matter ${m}`,
      openedOn: "2020-01-01",
    });
    for (let k = 0; k < 5; k++) {
      const title = `${pick()} ${pick()} report ${m}-${k}`;
      const sha = createHash("sha256").update(title).digest("hex");
      await db.execute(sql`insert into blobs (sha256, size, mime) values (${sha}, 1000, 'application/pdf')`);
      const pages = 2 + Math.floor(next() * 5);
      const id = (
        (await db.execute(sql`insert into documents
            (matter_id, sha256, kind, title, date, filename, status, page_count, pages_done, public)
          values (${matter.id}, ${sha}, 'monitor_report', ${title}, '2021-05-01', 'file.pdf', 'ready',
            ${pages}, ${pages}, false) returning id`)) as unknown as { rows: { id: string }[] }
      ).rows[0]!.id;
      for (let page = 1; page <= pages; page++) {
        const text = Array.from({ length: 8 + Math.floor(next() * 30) }, pick).join(" ");
        await db.execute(
          sql`insert into document_pages (document_id, page, text) values (${id}, ${page}, ${text})`,
        );
      }
    }
  }
});
afterAll(async () => {
  await t?.close();
});

const key = (h: SearchHit) => `${h.type}:${h.id}:${h.page ?? ""}`;

describe(`search candidates and snippet windows (${ENGINE})`, () => {
  it("counts every candidate once and shows only true matches, under any cap", async () => {
    const ctx = systemContext(t.database.db, "test");
    const parse = (text: string, limit: number) => SearchQuerySchema.parse({ q: text, limit: String(limit) });
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(WORDS, { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 8 }),
        async (words, candidates) => {
          const text = words.join(" ");
          const all = await searchRegistry(ctx, parse(text, 100));
          expect(all.capped).toBe(false);
          const everyMatch = new Set(all.items.map(key));
          expect(everyMatch.size).toBe(all.total);
          // As many shown as candidates are read (the cap is the larger of the two): the best of them.
          const some = await searchRegistry(ctx, parse(text, candidates), { candidates });
          const shown = some.items.map(key);
          expect(new Set(shown).size, "no hit shown twice").toBe(shown.length);
          expect(shown.length).toBe(Math.min(some.total, candidates));
          for (const k of shown) expect(everyMatch.has(k), k).toBe(true);
          expect(some.total).toBeLessThanOrEqual(all.total);
          // The facets count the same candidates as the total.
          expect(some.facets.type.reduce((n, f) => n + f.count, 0)).toBe(some.total);
          if (!some.capped) {
            expect(some.total).toBe(all.total);
            expect(shown).toEqual(all.items.slice(0, candidates).map(key));
          }
        },
      ),
      { numRuns: 40, seed: 18 },
    );
  });

  it("takes a lexeme's first position as the least of its positions", async () => {
    const db = t.database.db;
    const word = fc.constantFrom(...WORDS, "self-review", "re-patrol", "the", "Bridge's", "towers");
    const separator = fc.constantFrom(" ", "  ", "\n", "\t", " - ", ", ");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 400 }),
        async (parts) => {
          const text = parts.map(([w, s]) => w + s).join("");
          const rows = (
            (await db.execute(sql`select u.lexeme, u.positions[1] as first,
              (select min(x) from unnest(u.positions) x) as least
            from unnest(to_tsvector('english', ${text})) u`)) as unknown as {
              rows: { lexeme: string; first: number; least: number }[];
            }
          ).rows;
          for (const r of rows) expect(r.first, r.lexeme).toBe(r.least);
        },
      ),
      { numRuns: 30, seed: 18 },
    );
  });
});
