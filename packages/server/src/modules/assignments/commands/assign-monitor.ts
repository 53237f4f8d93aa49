import type { Assignment } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { getMatter } from "../../matters/index.js";
import { findAssignments } from "../queries.js";
import { assertAssignable, bumpMonitor, insertAssignments, lockMonitor } from "./insert-assignments.js";

export interface AssignMonitorOptions {
  /** The matter's id or slug. */
  matterKey: string;
  /** The monitor's id or username. */
  userKey: string;
  /** The version of the monitor the caller read (If-Match): see lockMonitor. */
  version: number;
}

/** An assignment, and the monitor's version after it (unchanged when it was there already). */
export interface AssignedMonitor {
  assignment: Assignment;
  version: number;
}

/** Assigns a monitor to a matter (again: nothing changes). */
export async function assignMonitor(
  { matterKey, userKey, version }: AssignMonitorOptions,
  ctx: CommandContext,
): Promise<AssignedMonitor> {
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const matter = await getMatter(read, matterKey);
    const user = await lockMonitor(tx, ctx, { userKey, version });
    assertAssignable(user);
    const added = await insertAssignments(tx, user, [matter.id], ctx);
    const [row] = (await findAssignments(read, { matter: matter.id, user: user.id, limit: 1, offset: 0 }))
      .items;
    return { assignment: row!, version: added ? await bumpMonitor(tx, user) : user.version };
  });
}
