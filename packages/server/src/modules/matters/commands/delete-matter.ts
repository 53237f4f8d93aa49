import { eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { matters } from "../../../db/schema.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../queries.js";

export interface DeleteMatterOptions {
  /** The matter's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
}

/** Deletes a matter and its events, unless reviews or documents keep it. */
export async function deleteMatter(
  { key, version }: DeleteMatterOptions,
  ctx: CommandContext,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getMatter(unscoped(withDb(ctx, tx)), key, true);
    if (before.version !== version) throw versionConflict("matter", before);
    const reviewed = await queryRows(tx, sql`select 1 from reviews where matter_id = ${before.id} limit 1`);
    if (reviewed.length)
      throw appError(
        "matter_reviewed",
        "This matter has been reviewed: its reviews keep it, so it cannot be deleted (change its status instead)",
      );
    const documented = await queryRows(
      tx,
      sql`select 1 from documents where matter_id = ${before.id} limit 1`,
    );
    if (documented.length)
      throw appError(
        "matter_has_documents",
        "This matter has documents: delete them first (or change the matter's status instead)",
      );
    await tx.delete(matters).where(eq(matters.id, before.id));
    await recordAudit(tx, ctx, { action: "MATTER_DELETED", entity: "matter", entityId: before.id, before });
  });
}
