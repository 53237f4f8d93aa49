import { type DocumentRecord, UpdateDocumentSchema } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { documents } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getDocument } from "../queries.js";

export interface UpdateDocumentOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: z.input<typeof UpdateDocumentSchema>;
}

/** Changes what is said about a document (kind, title, date, source, public); never its file. */
export async function updateDocument(
  { id, version, changes }: UpdateDocumentOptions,
  ctx: CommandContext,
): Promise<DocumentRecord> {
  const data = UpdateDocumentSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const before = await getDocument(read, id, true);
    if (before.version !== version) throw versionConflict("document", before);
    await tx
      .update(documents)
      .set({ ...data, version: sql`${documents.version} + 1`, updatedAt: sql`now()` })
      .where(eq(documents.id, before.id));
    const after = await getDocument(read, before.id);
    await recordAudit(tx, ctx, {
      action: "DOCUMENT_UPDATED",
      entity: "document",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
