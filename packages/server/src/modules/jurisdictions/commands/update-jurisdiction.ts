import { type Jurisdiction, type UpdateJurisdiction, UpdateJurisdictionSchema } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { jurisdictions } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { refreshMatterSearch } from "../../matters/index.js";
import { getJurisdiction } from "../queries.js";
import { assertSlugFree } from "./assert-slug-free.js";

export interface UpdateJurisdictionOptions {
  /** The jurisdiction's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateJurisdiction;
}

export async function updateJurisdiction(
  { key, version, changes }: UpdateJurisdictionOptions,
  ctx: CommandContext,
): Promise<Jurisdiction> {
  const data = UpdateJurisdictionSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const before = await getJurisdiction(read, key, true);
    if (before.version !== version) throw versionConflict("jurisdiction", before);
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, data.slug);
    await tx
      .update(jurisdictions)
      .set({ ...data, version: sql`${jurisdictions.version} + 1`, updatedAt: sql`now()` })
      .where(eq(jurisdictions.id, before.id));
    if (data.name !== undefined || data.stateCode !== undefined) {
      await refreshMatterSearch(tx, sql`m.jurisdiction_id = ${before.id}`);
    }
    const after = await getJurisdiction(read, before.id);
    await recordAudit(tx, ctx, {
      action: "JURISDICTION_UPDATED",
      entity: "jurisdiction",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
