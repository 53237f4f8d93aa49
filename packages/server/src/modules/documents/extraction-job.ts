import { NEAR_DUPLICATE_THRESHOLD, signatureSimilarity } from "@accord/domain";
import { sql } from "drizzle-orm";
import { bumpDataVersion } from "../../db/data-version.js";
import type { Db } from "../../db/open.js";
import { queryOne, queryRows } from "../../db/sql.js";
import type { ReadableType } from "./extract/messages.js";
import { type ExtractionLimits, runExtraction } from "./extraction.js";
import { MIME } from "./sniff.js";
import type { BlobStore } from "./storage.js";

const TYPE_BY_MIME = new Map<string, ReadableType>([
  [MIME.pdf, "pdf"],
  [MIME.docx, "docx"],
  [MIME.html, "html"],
  [MIME.text, "text"],
]);

export interface ExtractionJobDeps {
  db: Db;
  store: BlobStore;
  limits: ExtractionLimits;
  signal?: AbortSignal;
}

export type JobResult = { status: "done" | "failed"; error?: string } | { status: "requeue" };

interface Target {
  id: string;
  sha256: string;
  mime: string;
}

async function setDocument(db: Db, id: string, fields: ReturnType<typeof sql>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`update documents set ${fields}, updated_at = now() where id = ${id}`);
    await bumpDataVersion(tx);
  });
}

/**
 * The most similar other document (not the same file) at or above the threshold. Every stored
 * signature is compared: 128 numbers each, so ~10,000 documents cost a few milliseconds and
 * about a megabyte read; past that, banding (LSH) would be the next step. Of equally similar
 * ones (copies of one file) the earliest is named, whatever order the table's rows are in.
 */
async function nearestDuplicate(db: Db, doc: Target, signature: number[]) {
  const others = await queryRows<{ id: string; minhash: number[] }>(
    db,
    sql`select id, minhash from documents
      where id <> ${doc.id} and sha256 <> ${doc.sha256} and minhash is not null and status = 'ready'
      order by created_at, id`,
  );
  let best: { id: string; similarity: number } | null = null;
  for (const o of others) {
    const similarity = signatureSimilarity(signature, o.minhash);
    if (similarity >= NEAR_DUPLICATE_THRESHOLD && (!best || similarity > best.similarity))
      best = { id: o.id, similarity };
  }
  return best;
}

/** Marks the document read: scanned pages, signature, near-duplicate; or failed when no page has text. */
async function finishDocument(
  db: Db,
  doc: Target,
  pageCount: number,
  scanned: number[],
  signature: number[],
) {
  if (pageCount > 0 && scanned.length === pageCount) {
    const failure = `No text layer: ${pageCount === 1 ? "the page is a scanned image" : `all ${pageCount} pages are scanned images`} (Accord does not read images; OCR the file and add it again)`;
    await setDocument(
      db,
      doc.id,
      sql`status = 'failed', failure = ${failure}, page_count = ${pageCount}, pages_done = ${pageCount},
        scanned_pages = ${JSON.stringify(scanned)}::jsonb`,
    );
    return { status: "failed" as const, error: failure };
  }
  const near = await nearestDuplicate(db, doc, signature);
  await setDocument(
    db,
    doc.id,
    sql`status = 'ready', failure = null, page_count = ${pageCount}, pages_done = ${pageCount},
      scanned_pages = ${JSON.stringify(scanned)}::jsonb, minhash = ${JSON.stringify(signature)}::jsonb,
      near_duplicate_of = ${near?.id ?? null}, similarity = ${near?.similarity ?? null}`,
  );
  return { status: "done" as const };
}

/** The same bytes were read already for another document: its pages are copied, not read again. */
async function copyFromSameFile(db: Db, doc: Target): Promise<JobResult | null> {
  const source = await queryOne<{
    id: string;
    pageCount: number;
    scannedPages: number[];
    minhash: number[] | null;
  }>(
    db,
    sql`select id, page_count as "pageCount", scanned_pages as "scannedPages", minhash from documents
      where sha256 = ${doc.sha256} and id <> ${doc.id} and status = 'ready' and page_count is not null
      order by created_at limit 1`,
  );
  if (!source) return null;
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from document_pages where document_id = ${doc.id}`);
    await tx.execute(sql`insert into document_pages (document_id, page, text)
      select ${doc.id}, page, text from document_pages where document_id = ${source.id}`);
  });
  return finishDocument(db, doc, source.pageCount, source.scannedPages, source.minhash ?? []);
}

/**
 * Reads one document's text in a worker thread and stores it page by page, showing progress
 * (pages_done). Whatever goes wrong is written on this document, in words, and nowhere else.
 */
export async function runExtractionJob(documentId: string, deps: ExtractionJobDeps): Promise<JobResult> {
  const { db, store, limits } = deps;
  const doc = await queryOne<Target>(
    db,
    sql`select d.id, d.sha256, b.mime from documents d join blobs b on b.sha256 = d.sha256 where d.id = ${documentId}`,
  );
  if (!doc) return { status: "done" }; // deleted meanwhile
  const type = TYPE_BY_MIME.get(doc.mime);
  const fail = async (failure: string): Promise<JobResult> => {
    await setDocument(db, doc.id, sql`status = 'failed', failure = ${failure}`);
    return { status: "failed", error: failure };
  };
  if (!type) return fail(`Accord cannot read files of type ${doc.mime}`);
  if (!store.has(doc.sha256)) return fail("The stored file is missing from the data directory");

  const copied = await copyFromSameFile(db, doc);
  if (copied) return copied;

  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from document_pages where document_id = ${doc.id}`);
    await tx.execute(sql`update documents set status = 'extracting', failure = null, page_count = null,
      pages_done = 0, scanned_pages = '[]'::jsonb, minhash = null, near_duplicate_of = null, similarity = null,
      updated_at = now() where id = ${doc.id}`);
    await bumpDataVersion(tx);
  });

  let pageCount = 0;
  let pagesDone = 0;
  const scanned: number[] = [];
  const outcome = await runExtraction(
    { path: store.pathOf(doc.sha256), type },
    limits,
    async (m) => {
      if (m.kind === "pageCount") {
        pageCount = m.count;
        await db.execute(sql`update documents set page_count = ${m.count} where id = ${doc.id}`);
        return;
      }
      if (m.kind !== "pages") return;
      // Pages are counted, not numbered: a long PDF's two halves are read at once.
      for (const p of m.pages) if (!p.text.trim()) scanned.push(p.page);
      pagesDone += m.pages.length;
      // A batch of pages and the progress in one short transaction: readers are served between.
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`insert into document_pages (document_id, page, text) values ${sql.join(
            m.pages.map((p) => sql`(${doc.id}, ${p.page}, ${p.text})`),
            sql`, `,
          )} on conflict (document_id, page) do update set text = excluded.text`,
        );
        await tx.execute(sql`update documents set pages_done = ${pagesDone} where id = ${doc.id}`);
      });
    },
    deps.signal,
  );
  if (!outcome.ok) {
    if (outcome.aborted) {
      await setDocument(db, doc.id, sql`status = 'queued', pages_done = 0`);
      return { status: "requeue" };
    }
    // A document deleted while it was read: nothing left to tell.
    if (!(await queryOne(db, sql`select 1 from documents where id = ${doc.id}`))) return { status: "done" };
    await db.execute(sql`delete from document_pages where document_id = ${doc.id}`);
    return fail(outcome.failure);
  }
  scanned.sort((a, b) => a - b);
  return finishDocument(db, doc, pageCount, scanned, outcome.signature);
}
