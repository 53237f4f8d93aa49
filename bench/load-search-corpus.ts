/**
 * Loads the large search corpus (bench/generate/documents.ts searchCorpus) into a database of its own,
 * quickly: each distinct paragraph's tsvector is computed once, and a page's vector is the
 * concatenation of its paragraphs' (tsvector `||` shifts positions as running text would), so
 * 200,000 pages load in a minute or two instead of parsing 70 million words. To write the
 * vectors, the bench database's `document_pages.search` stops being a generated column, and
 * its GIN index is built once at the end: this database serves the search benchmark only.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../packages/server/src/db/open.js";
import { type CorpusDocument, type SearchCorpusOptions, searchCorpus } from "./generate/documents.js";

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export async function loadSearchCorpus(
  db: Db,
  options: Omit<SearchCorpusOptions, "matters">,
  /** The id of each bundle matter, by its index. */
  matterIds: readonly string[],
  log: (msg: string) => void = () => {},
): Promise<{ documents: number; pages: number; paragraphs: number; seconds: number; indexSeconds: number }> {
  const t0 = performance.now();
  const corpus = searchCorpus({ ...options, matters: Math.max(1, matterIds.length) });
  await db.execute(sql`create table bench_paragraphs (id int primary key, text text not null,
    vec tsvector not null)`);
  const BATCH = 500;
  for (let k = 0; k < corpus.paragraphs.length; k += BATCH) {
    const part = corpus.paragraphs.slice(k, k + BATCH);
    // Paragraphs hold only letters, spaces, hyphens, apostrophes and full stops: a safe separator.
    await db.execute(sql`insert into bench_paragraphs (id, text, vec)
      select ${k}::int + n::int - 1, s, to_tsvector('english', s)
      from unnest(string_to_array(${part.join("\n")}, E'\n')) with ordinality as t(s, n)`);
  }
  await db.execute(
    sql`create aggregate bench_tsvector_agg (tsvector) (sfunc = tsvector_concat, stype = tsvector, initcond = '')`,
  );
  await db.execute(sql`alter table document_pages alter column search drop expression`);
  await db.execute(sql`drop index if exists document_pages_search_idx`);
  log(`${corpus.paragraphs.length} paragraphs in ${Math.round(performance.now() - t0) / 1000} s`);

  let documents = 0;
  let pages = 0;
  let batch: CorpusDocument[] = [];
  /** Ten documents a statement: their blobs, their rows, then all their pages at once. */
  const flush = async () => {
    if (!batch.length) return;
    const shas = batch.map((_, k) =>
      createHash("sha256")
        .update(`bench-corpus-${documents + k}`)
        .digest("hex"),
    );
    await db.execute(
      sql`insert into blobs (sha256, size, mime) values ${sql.join(
        batch.map((doc, k) => sql`(${shas[k]}, ${doc.pages.length * 2400}, 'text/plain')`),
        sql`, `,
      )} on conflict do nothing`,
    );
    const inserted = rowsOf<{ id: string; sha256: string }>(
      await db.execute(sql`insert into documents
        (matter_id, sha256, kind, title, date, filename, status, page_count, pages_done, public, created_by)
      values ${sql.join(
        batch.map((doc, k) => {
          const matterId = doc.matter === null ? null : (matterIds[doc.matter] ?? null);
          return sql`(${matterId}::uuid, ${shas[k]}, ${doc.kind}, ${doc.title}, ${doc.date}, ${`corpus-${documents + k}.txt`},
            'ready', ${doc.pages.length}, ${doc.pages.length}, ${doc.public}, 'bench')`;
        }),
        sql`, `,
      )} returning id, sha256`),
    );
    const idOf = new Map(inserted.map((row) => [row.sha256, row.id]));
    // One row per page (its document, number and rare words) and one per paragraph of a page.
    const pageDocs: string[] = [];
    const pageNumbers: number[] = [];
    const rare: string[] = [];
    const paragraphPages: number[] = [];
    const paragraphIds: number[] = [];
    batch.forEach((doc, k) => {
      doc.pages.forEach((p, n) => {
        pageDocs.push(idOf.get(shas[k]!)!);
        pageNumbers.push(n + 1);
        rare.push(p.rare);
        for (const id of p.paragraphs) {
          paragraphPages.push(pageNumbers.length);
          paragraphIds.push(id);
        }
      });
    });
    await db.execute(sql`insert into document_pages (document_id, page, text, search)
      select p.document_id::uuid, p.page, string_agg(s.text, ' ' order by x.ord) || ' ' || p.rare,
        bench_tsvector_agg(s.vec order by x.ord) || to_tsvector('english', p.rare)
      from unnest(string_to_array(${pageDocs.join(",")}, ','), string_to_array(${pageNumbers.join(",")}, ',')::int[],
          string_to_array(${rare.join("|")}, '|')) with ordinality as p(document_id, page, rare, k)
        join unnest(string_to_array(${paragraphPages.join(",")}, ',')::int[],
          string_to_array(${paragraphIds.join(",")}, ',')::int[]) with ordinality as x(k, paragraph, ord) on x.k = p.k
        -- One index look-up per paragraph (OFFSET 0 keeps the planner from hashing the whole pool).
        cross join lateral (select b.text, b.vec from bench_paragraphs b where b.id = x.paragraph offset 0) s
      group by p.k, p.document_id, p.page, p.rare`);
    documents += batch.length;
    pages += pageNumbers.length;
    batch = [];
    if (documents % 1000 === 0) log(`${pages} pages in ${Math.round(performance.now() - t0) / 1000} s`);
  };
  for (const doc of corpus.documents()) {
    batch.push(doc);
    if (batch.length === 10) await flush();
  }
  await flush();
  const t1 = performance.now();
  await db.execute(sql`create index document_pages_search_idx on document_pages using gin (search)`);
  const indexSeconds = Math.round(performance.now() - t1) / 1000;
  log(`GIN index built in ${indexSeconds} s`);
  await db.execute(sql`drop table bench_paragraphs`);
  await db.execute(sql`drop aggregate bench_tsvector_agg (tsvector)`);
  // The embedded database has no autovacuum: give the planner its statistics.
  await db.execute(sql`analyze blobs, documents, document_pages`);
  return {
    documents,
    pages,
    paragraphs: corpus.paragraphs.length,
    seconds: Math.round(performance.now() - t0) / 1000,
    indexSeconds,
  };
}
