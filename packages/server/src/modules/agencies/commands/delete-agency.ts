import { eq } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { agencies } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getAgency } from "../queries.js";

export interface DeleteAgencyOptions {
  /** The agency's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
}

/** Deletes an agency that is party to no matter. */
export async function deleteAgency(
  { key, version }: DeleteAgencyOptions,
  ctx: CommandContext,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getAgency(unscoped(withDb(ctx, tx)), key, true);
    if (before.version !== version) throw versionConflict("agency", before);
    if (before.matterCount > 0) {
      throw appError("agency_in_use", `${before.name} is party to ${before.matterCount} matter(s)`);
    }
    await tx.delete(agencies).where(eq(agencies.id, before.id));
    await recordAudit(tx, ctx, { action: "AGENCY_DELETED", entity: "agency", entityId: before.id, before });
  });
}
