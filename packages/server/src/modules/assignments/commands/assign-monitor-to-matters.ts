import type { BulkAssignment, BulkAssignmentResult } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { list, queryRows } from "../../../db/sql.js";
import { getUser } from "../../users/index.js";
import { assertAssignable, insertAssignments } from "./insert-assignments.js";

/** Assigns a monitor to many matters at once (those already assigned are left as they are). */
export async function assignMonitorToMatters(
  input: BulkAssignment,
  ctx: CommandContext,
): Promise<BulkAssignmentResult> {
  return ctx.db.transaction(async (tx) => {
    const user = await getUser(withDb(ctx, tx), input.user);
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
    return { assigned, alreadyAssigned: ids.length - assigned };
  });
}
