import type { User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { list, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getUser } from "../../users/index.js";

// What assigning one matter, assigning many and taking one off share.

/**
 * The monitor, locked, checked against the version the caller read (If-Match).
 *
 * Which record an assignment changes: the monitor's. The matters a monitor is assigned to are
 * what that person may read, and it is that set two administrators edit and may overwrite: one
 * takes a matter off while another, from what they read before, adds matters or changes the
 * monitor's role or deactivates them (the same user record, whose role and state decide whether
 * assigning is allowed at all). Versioning the monitor serializes all of these, and a bulk
 * assignment (one monitor, many matters) names one version. The matter's version is left alone:
 * a matter does not show its monitors, and bumping it would refuse unrelated edits of the matter
 * (and give a bulk assignment hundreds of versions to name).
 */
export async function lockMonitor(
  tx: Tx,
  ctx: CommandContext,
  { userKey, version }: { userKey: string; version: number },
): Promise<User> {
  const user = await getUser(withDb(ctx, tx), userKey, true);
  if (user.version !== version) throw versionConflict("monitor", user);
  return user;
}

/** The monitor's assignments changed: a new version of them (what the answer's ETag names). */
export async function bumpMonitor(tx: Tx, user: User): Promise<number> {
  const [row] = await queryRows<{ version: number }>(
    tx,
    sql`update users set version = version + 1, updated_at = now() where id = ${user.id} returning version`,
  );
  return row!.version;
}

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
