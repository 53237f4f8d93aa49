import type { Matter } from "@accord/domain";
import { and, eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { matterRelations } from "../../../db/schema.js";
import { lockRelation, recordRelationChange } from "./record-relation-change.js";

export interface UnrelateMattersOptions {
  /** The matter's id or slug (its version goes up, and the other's). */
  key: string;
  /** The version of `key` the caller read (If-Match): its related matters are part of it. */
  version: number;
  /** The other matter's id or slug. */
  relatedKey: string;
}

/** Removes the relation between two matters, in whichever direction it was made. */
export async function unrelateMatters(
  { key, version, relatedKey }: UnrelateMattersOptions,
  ctx: CommandContext,
): Promise<Matter> {
  return ctx.db.transaction(async (tx) => {
    const { from, to } = await lockRelation(tx, ctx, { key, version, relatedKey });
    const deleted = await tx
      .delete(matterRelations)
      .where(
        sql`(${and(eq(matterRelations.fromMatterId, from.id), eq(matterRelations.toMatterId, to.id))}) or (${and(
          eq(matterRelations.fromMatterId, to.id),
          eq(matterRelations.toMatterId, from.id),
        )})`,
      )
      .returning({ from: matterRelations.fromMatterId });
    if (deleted.length === 0) throw appError("not_found", `${from.slug} is not related to ${to.slug}`);
    return recordRelationChange(tx, ctx, from, to, "MATTER_UNRELATED");
  });
}
