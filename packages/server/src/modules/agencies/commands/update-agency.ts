import { type Agency, type UpdateAgency, UpdateAgencySchema } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { agencies } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getJurisdiction } from "../../jurisdictions/index.js";
import { refreshMatterSearch } from "../../matters/index.js";
import { getAgency } from "../queries.js";
import { fieldError } from "./field-error.js";

export interface UpdateAgencyOptions {
  /** The agency's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateAgency;
}

export async function updateAgency(
  { key, version, changes }: UpdateAgencyOptions,
  ctx: CommandContext,
): Promise<Agency> {
  const data = UpdateAgencySchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const before = await getAgency(read, key, true);
    if (before.version !== version) throw versionConflict("agency", before);
    if (data.jurisdictionId) {
      await getJurisdiction(read, data.jurisdictionId).catch(() => {
        throw fieldError("jurisdictionId", "No such jurisdiction");
      });
    }
    await tx
      .update(agencies)
      .set({ ...data, version: sql`${agencies.version} + 1`, updatedAt: sql`now()` })
      .where(eq(agencies.id, before.id));
    if (data.name !== undefined) {
      await refreshMatterSearch(
        tx,
        sql`exists (select 1 from matter_agencies x where x.matter_id = m.id and x.agency_id = ${before.id})`,
      );
    }
    const after = await getAgency(read, before.id);
    await recordAudit(tx, ctx, {
      action: "AGENCY_UPDATED",
      entity: "agency",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
