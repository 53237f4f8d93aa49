/**
 * Puts generated documents (bench/generate/documents.ts) straight into the tables, pages and all, as if
 * their text had been extracted: search can then be measured without uploading files.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../packages/server/src/db/open.js";
import type { GeneratedDocument } from "./generate/documents.js";

/** Pages per insert: small statements, so that the embedded database serves others in between. */
const BATCH = 100;

export async function loadDocuments(
  db: Db,
  documents: Iterable<GeneratedDocument>,
  /** The id of each bundle matter, by its index. */
  matterIds: readonly string[],
  options: { log?: (msg: string) => void; progressEvery?: number } = {},
): Promise<{ documents: number; pages: number; seconds: number }> {
  const t0 = performance.now();
  let pages = 0;
  let i = -1;
  for (const doc of documents) {
    i++;
    if (options.log && options.progressEvery && i > 0 && i % options.progressEvery === 0)
      options.log(`${i} documents, ${pages} pages in ${Math.round((performance.now() - t0) / 1000)} s`);
    const sha = createHash("sha256").update(`bench-document-${i}`).digest("hex");
    await db.execute(sql`insert into blobs (sha256, size, mime) values (${sha}, ${doc.pages.join("").length}, 'text/plain')
      on conflict do nothing`);
    const matterId = doc.matter === null ? null : (matterIds[doc.matter % matterIds.length] ?? null);
    const inserted = (await db.execute(sql`insert into documents
        (matter_id, sha256, kind, title, date, filename, status, page_count, pages_done, public, created_by)
      values (${matterId}, ${sha}, ${doc.kind}, ${doc.title}, ${doc.date}, ${`document-${i}.txt`}, 'ready',
        ${doc.pages.length}, ${doc.pages.length}, ${doc.public}, 'bench') returning id`)) as unknown as {
      rows: { id: string }[];
    };
    const id = inserted.rows[0]!.id;
    for (let k = 0; k < doc.pages.length; k += BATCH) {
      const rows = doc.pages.slice(k, k + BATCH).map((text, n) => sql`(${id}, ${k + n + 1}, ${text})`);
      await db.execute(
        sql`insert into document_pages (document_id, page, text) values ${sql.join(rows, sql`, `)}`,
      );
      pages += rows.length;
    }
  }
  // The embedded database has no autovacuum: give the planner its statistics.
  await db.execute(sql`analyze blobs, documents, document_pages`);
  return { documents: i + 1, pages, seconds: Math.round(performance.now() - t0) / 1000 };
}
