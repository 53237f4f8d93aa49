import type { BulkAssignment, BulkAssignmentResult } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { list, queryRows } from "../../../db/sql.js";
import { assertAssignable, bumpMonitor, insertAssignments, lockMonitor } from "./insert-assignments.js";

/**
 * Assigns a monitor to many matters at once (those already assigned are left as they are); with
 * the monitor's version after it (`version`: the one the caller read, If-Match).
 */
export async function assignMonitorToMatters(
  input: BulkAssignment & { version: number },
  ctx: CommandContext,
): Promise<{ result: BulkAssignmentResult; version: number }> {
  return ctx.db.transaction(async (tx) => {
    const user = await lockMonitor(tx, ctx, { userKey: input.user, version: input.version });
    assertAssignable(user);
    const ids = [...new Set(input.matterIds)];
    const known = await queryRows<{ id: string }>(tx, sql`select id from matters where id in (${list(ids)})`);
    const knownIds = new Set(known.map((r) => r.id));
    const i = input.matterIds.findIndex((id) => !knownIds.has(id));
    if (i >= 0)
      throw appError("validation_failed", `No matter has the id ${input.matterIds[i]}; nobody was assigned`, {
        errors: [{ path: `matterIds.${i}`, message: "No such matter" }],
      });
    const assigned = await insertAssignments(tx, user, ids, ctx);
    return {
      result: { assigned, alreadyAssigned: ids.length - assigned },
      version: assigned ? await bumpMonitor(tx, user) : user.version,
    };
  });
}
