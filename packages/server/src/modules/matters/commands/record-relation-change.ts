import type { Matter } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { matters } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../queries.js";

/** A change of relations is a change of the matter: its version goes up and it is audited. */
export async function recordRelationChange(
  tx: Tx,
  ctx: CommandContext,
  before: Matter,
  action: "MATTER_RELATED" | "MATTER_UNRELATED",
): Promise<Matter> {
  await tx
    .update(matters)
    .set({ version: sql`${matters.version} + 1`, updatedAt: sql`now()` })
    .where(eq(matters.id, before.id));
  const after = await getMatter(unscoped(withDb(ctx, tx)), before.id);
  await recordAudit(tx, ctx, {
    action,
    entity: "matter",
    entityId: before.id,
    before: { related: before.related },
    after: { related: after.related },
  });
  return after;
}
