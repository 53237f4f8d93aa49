import type { Matter } from "@accord/domain";
import { inArray, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { matters } from "../../../db/schema.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../queries.js";

/**
 * The two matters of a relation, both rows locked, and the first checked against the version its
 * caller read (If-Match). A relation shows on both matters, so a change of it changes both: the
 * rows are locked in one order (by id), whichever side the change names first, so that two
 * changes of the same pair made from opposite sides wait for each other instead of deadlocking.
 * `otherMissing` turns "no such matter" for the other one into the caller's own refusal.
 */
export async function lockRelation(
  tx: Tx,
  ctx: CommandContext,
  { key, version, relatedKey }: { key: string; version: number; relatedKey: string },
  otherMissing: (error: unknown) => never = (error) => {
    throw error;
  },
): Promise<{ from: Matter; to: Matter }> {
  const read = unscoped(withDb(ctx, tx));
  const { id } = await getMatter(read, key);
  const to = await getMatter(read, relatedKey).catch(otherMissing);
  await queryRows(tx, sql`select id from matters where id in (${id}, ${to.id}) order by id for update`);
  const from = await getMatter(read, id);
  if (from.version !== version) throw versionConflict("matter", from);
  return { from, to };
}

/**
 * A change of relations is a change of both matters: their versions go up (an edit of either
 * based on what it showed before is stale), and it is audited on the matter it was made from.
 */
export async function recordRelationChange(
  tx: Tx,
  ctx: CommandContext,
  before: Matter,
  other: Pick<Matter, "id">,
  action: "MATTER_RELATED" | "MATTER_UNRELATED",
): Promise<Matter> {
  await tx
    .update(matters)
    .set({ version: sql`${matters.version} + 1`, updatedAt: sql`now()` })
    .where(inArray(matters.id, [before.id, other.id]));
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
