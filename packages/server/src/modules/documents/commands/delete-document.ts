import { eq, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { blobs, documents } from "../../../db/schema.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getDocument } from "../queries.js";
import type { BlobStore } from "../storage.js";
import { removeUnrecorded } from "./add-documents.js";

export interface DeleteDocumentOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
  store: BlobStore;
}

/**
 * Deletes a document with its pages and pending extraction. Its file stays while another
 * document uses the same bytes; otherwise the blob goes too, the file after the commit.
 */
export async function deleteDocument(
  { id, version, store }: DeleteDocumentOptions,
  ctx: CommandContext,
): Promise<void> {
  const orphan = await ctx.db.transaction(async (tx) => {
    const before = await getDocument(unscoped(withDb(ctx, tx)), id, true);
    if (before.version !== version) throw versionConflict("document", before);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${before.sha256}))`);
    await tx.delete(documents).where(eq(documents.id, before.id));
    await tx.execute(
      sql`update documents set near_duplicate_of = null, similarity = null where near_duplicate_of = ${before.id}`,
    );
    const used = await queryOne(tx, sql`select 1 from documents where sha256 = ${before.sha256} limit 1`);
    if (!used) await tx.delete(blobs).where(eq(blobs.sha256, before.sha256));
    await recordAudit(tx, ctx, {
      action: "DOCUMENT_DELETED",
      entity: "document",
      entityId: before.id,
      before,
    });
    return used ? null : before.sha256;
  });
  // Unless the same bytes were added again meanwhile: checked and removed under the hash's lock,
  // under which an upload moves its file in and records it.
  if (orphan) await removeUnrecorded(ctx, store, orphan);
}
