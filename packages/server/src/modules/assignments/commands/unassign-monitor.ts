import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../../matters/index.js";
import type { AssignMonitorOptions } from "./assign-monitor.js";
import { bumpMonitor, lockMonitor } from "./insert-assignments.js";

/** Takes a monitor off a matter (404 when they were not on it); the monitor's new version. */
export async function unassignMonitor(
  { matterKey, userKey, version }: AssignMonitorOptions,
  ctx: CommandContext,
): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatter(unscoped(withDb(ctx, tx)), matterKey);
    const user = await lockMonitor(tx, ctx, { userKey, version });
    const removed = await queryRows(
      tx,
      sql`delete from matter_assignments where matter_id = ${matter.id} and user_id = ${user.id} returning 1`,
    );
    if (!removed.length) throw appError("not_found", `${user.username} is not assigned to ${matter.slug}`);
    await recordAudit(tx, ctx, {
      action: "MONITOR_UNASSIGNED",
      entity: "matter",
      entityId: matter.id,
      before: { monitor: user.username, userId: user.id },
    });
    return bumpMonitor(tx, user);
  });
}
