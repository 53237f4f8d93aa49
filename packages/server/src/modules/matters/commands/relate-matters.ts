import type { Matter, MatterRelation } from "@accord/domain";
import type { CommandContext } from "../../../context/command-context.js";
import { matterRelations } from "../../../db/schema.js";
import { fieldError } from "../../agencies/index.js";
import { lockRelation, recordRelationChange } from "./record-relation-change.js";

export interface RelateMattersOptions {
  /** The matter's id or slug (its version goes up, and the other's). */
  key: string;
  /** The version of `key` the caller read (If-Match): its related matters are part of it. */
  version: number;
  /** The other matter's id or slug. */
  relatedKey: string;
  relation: MatterRelation;
}

/** Links two matters (e.g. the investigation that led to a decree). Bumps the versions of both. */
export async function relateMatters(
  { key, version, relatedKey, relation }: RelateMattersOptions,
  ctx: CommandContext,
): Promise<Matter> {
  return ctx.db.transaction(async (tx) => {
    const { from, to } = await lockRelation(tx, ctx, { key, version, relatedKey }, () => {
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
    return recordRelationChange(tx, ctx, from, to, "MATTER_RELATED");
  });
}
