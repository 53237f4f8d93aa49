import type { Matter } from "@accord/domain";
import { and, eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { matterRelations } from "../../../db/schema.js";
import { getMatter } from "../queries.js";
import { recordRelationChange } from "./record-relation-change.js";

export interface UnrelateMattersOptions {
  /** The matter's id or slug (its version goes up). */
  key: string;
  /** The other matter's id or slug. */
  relatedKey: string;
}

/** Removes the relation between two matters, in whichever direction it was made. */
export async function unrelateMatters(
  { key, relatedKey }: UnrelateMattersOptions,
  ctx: CommandContext,
): Promise<Matter> {
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const from = await getMatter(read, key, true);
    const to = await getMatter(read, relatedKey);
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
    return recordRelationChange(tx, ctx, from, "MATTER_UNRELATED");
  });
}
