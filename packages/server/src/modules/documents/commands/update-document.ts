import { type DocumentRecord, UpdateDocumentSchema } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { CommandContext } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { documents } from "../../../db/schema.js";
import { recordAudit } from "../../audit/record-audit.js";
import { getDocument } from "../queries.js";

/** Changes what is said about a document (kind, title, date, source, public); never its file. */
export async function updateDocument(
  id: string,
  expectedVersion: number,
  input: z.input<typeof UpdateDocumentSchema>,
  ctx: CommandContext,
): Promise<DocumentRecord> {
  const data = UpdateDocumentSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getDocument(tx, id, undefined, true);
    if (before.version !== expectedVersion) throw versionConflict("document", before);
    await tx
      .update(documents)
      .set({ ...data, version: sql`${documents.version} + 1`, updatedAt: sql`now()` })
      .where(eq(documents.id, before.id));
    const after = await getDocument(tx, before.id);
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
