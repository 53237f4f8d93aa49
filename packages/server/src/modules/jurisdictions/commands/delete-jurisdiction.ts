import { eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { jurisdictions } from "../../../db/schema.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getJurisdiction } from "../queries.js";

export interface DeleteJurisdictionOptions {
  /** The jurisdiction's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
}

/** Deletes a jurisdiction that has no matters, agencies, grants or events of its own. */
export async function deleteJurisdiction(
  { key, version }: DeleteJurisdictionOptions,
  ctx: CommandContext,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getJurisdiction(unscoped(withDb(ctx, tx)), key, true);
    if (before.version !== version) throw versionConflict("jurisdiction", before);
    if (before.matterCount > 0) {
      throw appError(
        "jurisdiction_in_use",
        `${before.name} has ${before.matterCount} matter(s); move or delete them first`,
      );
    }
    const inUse = await queryRows<{ what: string }>(
      tx,
      sql`select 'agencies' as what where exists (select 1 from agencies where jurisdiction_id = ${before.id})
          union all select 'grant awards' where exists (select 1 from awards where jurisdiction_id = ${before.id})
          union all select 'grant conditions' where exists (select 1 from conditions where jurisdiction_id = ${before.id})
          union all select 'events' where exists (select 1 from events where jurisdiction_id = ${before.id})`,
    );
    if (inUse.length > 0) {
      throw appError(
        "jurisdiction_in_use",
        `${before.name} still has ${inUse.map((r) => r.what).join(", ")}; move or delete them first`,
      );
    }
    await tx.delete(jurisdictions).where(eq(jurisdictions.id, before.id));
    await recordAudit(tx, ctx, {
      action: "JURISDICTION_DELETED",
      entity: "jurisdiction",
      entityId: before.id,
      before,
    });
  });
}
