import type { User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { list, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";

// What assigning one matter and assigning many share.

/** Only active monitors are assigned to matters: the role the assignment narrows. */
export function assertAssignable(user: User) {
  if (user.role !== "monitor")
    throw appError(
      "not_a_monitor",
      `${user.username} is ${user.role === "admin" ? "an" : "a"} ${user.role}: only monitors are assigned to matters (every other role reads all of them)`,
    );
  if (!user.active) throw appError("user_inactive", `${user.username} is deactivated`);
}

/** Assigns the monitor to those matters not yet theirs, each with its audit entry; how many were new. */
export async function insertAssignments(tx: Tx, user: User, matterIds: string[], ctx: CommandContext) {
  const added = await queryRows<{ matterId: string }>(
    tx,
    sql`insert into matter_assignments (matter_id, user_id, assigned_by)
        select m.id, ${user.id}, ${ctx.actor} from matters m where m.id in (${list(matterIds)})
        on conflict do nothing returning matter_id as "matterId"`,
  );
  for (const { matterId } of added) {
    await recordAudit(tx, ctx, {
      action: "MONITOR_ASSIGNED",
      entity: "matter",
      entityId: matterId,
      after: { monitor: user.username, userId: user.id },
    });
  }
  return added.length;
}
