import {
  CONDITION_STATUS_LABELS,
  type Condition,
  type ConditionStatusChangeInput,
  ConditionStatusChangeInputSchema,
  canConditionTransition,
  dayRange,
} from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { conditionChanges, conditions } from "../../../db/schema.js";
import { queryOne } from "../../../db/sql.js";
import { fieldError } from "../../agencies/index.js";
import { recordAudit } from "../../audit/index.js";
import { getCondition } from "../queries.js";

export interface ChangeConditionStatusOptions {
  /** The condition's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  change: ConditionStatusChangeInput;
}

/**
 * A dated, sourced change of a condition's status: it follows the lifecycle, comes no earlier
 * than the latest change, and is appended to the history with the new status in one transaction.
 */
export async function changeConditionStatus(
  { key, version, change }: ChangeConditionStatusOptions,
  ctx: CommandContext,
): Promise<Condition> {
  const { status, date, note, sources } = ConditionStatusChangeInputSchema.parse(change);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const found = await getCondition(read, key);
    await tx.execute(sql`select 1 from conditions where id = ${found.id} for update`);
    const before = await getCondition(read, found.id);
    if (before.version !== version) throw versionConflict("condition", before);
    if (!canConditionTransition(before.status, status)) {
      throw appError(
        "status_transition_not_allowed",
        `A condition that is "${CONDITION_STATUS_LABELS[before.status]}" (${before.status}) cannot become "${CONDITION_STATUS_LABELS[status]}"`,
        {
          errors: [{ path: "status", message: `Not allowed from the current status, ${before.status}` }],
          current: before,
        },
      );
    }
    const latest = await queryOne<{ date: string; position: number }>(
      tx,
      sql`select date, position from condition_changes where condition_id = ${before.id} order by position desc limit 1`,
    );
    // Only a date surely before the latest change is refused (2017-10 is not before 2017-10-12).
    if (latest && dayRange(date)[1] < dayRange(latest.date)[0])
      throw fieldError(
        "date",
        `The latest change of this condition is of ${latest.date}; a change cannot come before it`,
      );
    await tx.insert(conditionChanges).values({
      conditionId: before.id,
      position: (latest?.position ?? -1) + 1,
      status,
      date,
      note: note ?? null,
      sources: sources ?? [],
    });
    await tx
      .update(conditions)
      .set({ status, statusOn: date, version: sql`${conditions.version} + 1`, updatedAt: sql`now()` })
      .where(eq(conditions.id, before.id));
    const after = await getCondition(read, before.id);
    await recordAudit(tx, ctx, {
      action: "CONDITION_STATUS_CHANGED",
      entity: "condition",
      entityId: before.id,
      before: { status: before.status, statusOn: before.statusOn },
      after: { status: after.status, statusOn: after.statusOn, note: note ?? null },
    });
    return after;
  });
}
