import { basename, extname } from "node:path";
import { type DocumentMeta, DocumentMetaSchema, type DocumentRecord } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { blobs, documents, jobs } from "../../../db/schema.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../../matters/index.js";
import { getDocument } from "../queries.js";
import { MIME, sniff, unreadableReason } from "../sniff.js";
import type { BlobStore, StagedFile } from "../storage.js";

export interface AddedDocument {
  /** The name the file came with. */
  filename: string;
  /** The same bytes were already attached to this matter: that document is answered, nothing added. */
  duplicate: boolean;
  document: DocumentRecord;
}

/**
 * Control characters and the Unicode direction marks and overrides, which can make a name read
 * as another (`invoice\u202Etxt.exe` shows as `invoiceexe.txt`).
 */
const unsafeInName = (c: string) => {
  const n = c.codePointAt(0) ?? 0;
  return (
    n < 0x20 ||
    (n >= 0x7f && n <= 0x9f) ||
    n === 0x61c ||
    n === 0x200e ||
    n === 0x200f ||
    (n >= 0x202a && n <= 0x202e) ||
    (n >= 0x2066 && n <= 0x2069)
  );
};

/**
 * A file's name as kept (metadata only: files are stored by hash): its last path segment, no
 * control or direction-override characters, never `.` or `..`, at most 255 characters.
 */
export function cleanFilename(name: string): string {
  const kept = [...name].filter((c) => !unsafeInName(c)).join("");
  const base = basename(kept.replaceAll("\\", "/")).trim();
  return (base && base !== "." && base !== ".." ? base : "untitled").slice(0, 255);
}

export interface AddDocumentsOptions {
  /** The matter's id or slug; null for department-wide documents. */
  matterKey: string | null;
  /** Files already staged in the store (see BlobStore.stage), with the names they came with. */
  files: readonly { staged: StagedFile; filename: string }[];
  /** What every file of this upload is said to be. */
  meta: DocumentMeta;
  store: BlobStore;
}

const titleOf = (filename: string) => {
  const stem = filename.slice(0, filename.length - extname(filename).length).trim();
  return (stem || filename).replace(/[_]+/g, " ").slice(0, 500);
};

/**
 * Adds staged files to a matter (or department-wide when `matterKey` is null), all in one
 * transaction with their audit entries — every file of an upload, or none: each file moves into
 * the store, its blob is recorded once, and a document is created, queued for extraction, or
 * failed at once when its bytes cannot be read (empty, not a type Accord reads, or not what its
 * name says). The same bytes already on the matter answer the existing document (`duplicate`),
 * unless that one failed: adding a file again (renamed, say) is how a person retries, so it gets
 * a new document. An empty file is stored like any other (0 bytes, one blob for all of them), so
 * the document that says why it failed can point at it.
 *
 * Files and rows stay in step: a file moves into the store under its hash's lock, inside the
 * transaction that records it (so a delete of the same bytes, which removes files under that
 * lock, cannot remove it in between); if the transaction fails, the files it moved in that no
 * blob row names are removed again, under the same lock. Nothing orphaned, nothing lost.
 */
export async function addDocuments(
  { matterKey, files, meta: metaInput, store }: AddDocumentsOptions,
  ctx: CommandContext,
): Promise<AddedDocument[]> {
  const meta = DocumentMetaSchema.parse(metaInput);
  // The route's policy allowed the write: the matter, and the documents added, are read whole.
  const read = unscoped(ctx);
  const matter = matterKey ? await getMatter(read, matterKey) : null;
  const shas = [...new Set(files.map((f) => f.staged.sha256))].sort();
  /** Hashes whose file this call moved into the store (it was not there before). */
  const placed = new Set<string>();
  let results: { filename: string; id: string; duplicate: boolean }[];
  try {
    results = await ctx.db.transaction(async (tx) => {
      // Two uploads (or an upload and a delete) of the same bytes wait for each other here, so
      // neither misses the other; in one order, so that two uploads cannot deadlock.
      for (const sha of shas) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${sha}))`);
      const out: { filename: string; id: string; duplicate: boolean }[] = [];
      for (const { staged, filename: rawName } of files) {
        const filename = cleanFilename(rawName);
        const type = sniff(staged.sample);
        const failure = unreadableReason(filename, type, staged.sample);
        // Into the store before the row that says it is there: a recorded blob always has its file.
        if (!store.has(staged.sha256)) {
          await store.commit(staged);
          placed.add(staged.sha256);
        }
        const existing = await queryOne<{ id: string }>(
          tx,
          sql`select id from documents where sha256 = ${staged.sha256}
            and matter_id is not distinct from ${matter?.id ?? null} and status <> 'failed'
            order by created_at limit 1`,
        );
        if (existing) {
          out.push({ filename, id: existing.id, duplicate: true });
          continue;
        }
        await tx
          .insert(blobs)
          .values({ sha256: staged.sha256, size: staged.size, mime: MIME[type] })
          .onConflictDoNothing();
        const [row] = await tx
          .insert(documents)
          .values({
            matterId: matter?.id ?? null,
            sha256: staged.sha256,
            kind: meta.kind,
            title: meta.title ?? titleOf(filename),
            date: meta.date ?? null,
            sourceUrl: meta.sourceUrl ?? null,
            filename,
            public: meta.public ?? false,
            status: failure ? "failed" : "queued",
            failure,
            createdBy: ctx.actor,
          })
          .returning({ id: documents.id });
        const id = row!.id;
        if (!failure) await tx.insert(jobs).values({ kind: "extract", documentId: id });
        const after = await getDocument(withDb(read, tx), id);
        await recordAudit(tx, ctx, { action: "DOCUMENT_ADDED", entity: "document", entityId: id, after });
        out.push({ filename, id, duplicate: false });
      }
      return out;
    });
  } catch (e) {
    // Rolled back: the files it moved in that no row names go again (see removeUnrecorded).
    // The first error is the one to answer; a failure here leaves a file no row names, which
    // the next upload or delete of the same bytes settles.
    for (const sha of placed) await removeUnrecorded(ctx, store, sha).catch(() => undefined);
    throw e;
  }
  const out: AddedDocument[] = [];
  for (const r of results)
    out.push({ filename: r.filename, duplicate: r.duplicate, document: await getDocument(read, r.id) });
  return out;
}

/**
 * Removes the stored file of these bytes unless a blob row names it, under the hash's lock: an
 * upload of the same bytes moves its file in and records it under that lock, so the file is
 * never removed between the two.
 */
export async function removeUnrecorded(ctx: CommandContext, store: BlobStore, sha256: string) {
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${sha256}))`);
    if (!(await queryOne(tx, sql`select 1 from blobs where sha256 = ${sha256}`))) await store.remove(sha256);
  });
}
