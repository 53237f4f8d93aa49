import type { Assignment } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { getMatter } from "../../matters/index.js";
import { getUser } from "../../users/index.js";
import { findAssignments } from "../queries.js";
import { assertAssignable, insertAssignments } from "./insert-assignments.js";

export interface AssignMonitorOptions {
  /** The matter's id or slug. */
  matterKey: string;
  /** The monitor's id or username. */
  userKey: string;
}

/** Assigns a monitor to a matter (again: nothing changes). */
export async function assignMonitor(
  { matterKey, userKey }: AssignMonitorOptions,
  ctx: CommandContext,
): Promise<Assignment> {
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const matter = await getMatter(read, matterKey);
    const user = await getUser(withDb(ctx, tx), userKey);
    assertAssignable(user);
    await insertAssignments(tx, user, [matter.id], ctx);
    const [row] = (await findAssignments(read, { matter: matter.id, user: user.id, limit: 1, offset: 0 }))
      .items;
    return row!;
  });
}
