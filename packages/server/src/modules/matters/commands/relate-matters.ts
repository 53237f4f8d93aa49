import type { Matter, MatterRelation } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { matterRelations } from "../../../db/schema.js";
import { fieldError } from "../../agencies/index.js";
import { getMatter } from "../queries.js";
import { recordRelationChange } from "./record-relation-change.js";

export interface RelateMattersOptions {
  /** The matter's id or slug (its version goes up). */
  key: string;
  /** The other matter's id or slug. */
  relatedKey: string;
  relation: MatterRelation;
}

/** Links two matters (e.g. the investigation that led to a decree). Bumps the version of `key`. */
export async function relateMatters(
  { key, relatedKey, relation }: RelateMattersOptions,
  ctx: CommandContext,
): Promise<Matter> {
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const from = await getMatter(read, key, true);
    const to = await getMatter(read, relatedKey).catch(() => {
      throw fieldError("relatedId", "No such matter");
    });
    if (from.id === to.id) throw fieldError("relatedId", "A matter cannot be related to itself");
    await tx
      .insert(matterRelations)
      .values({ fromMatterId: from.id, toMatterId: to.id, relation })
      .onConflictDoUpdate({
        target: [matterRelations.fromMatterId, matterRelations.toMatterId],
        set: { relation },
      });
    return recordRelationChange(tx, ctx, from, "MATTER_RELATED");
  });
}
