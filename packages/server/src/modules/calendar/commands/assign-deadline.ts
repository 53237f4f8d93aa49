import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { changeOccurrence } from "./change-occurrence.js";

export interface AssignDeadlineOptions {
  deadlineId: string;
  version: number;
  dueOn: string;
  userId?: string | null | undefined;
  office?: string | null | undefined;
}

/** Says who answers for an occurrence: a person (an active user), an office, or nobody (null). */
export const assignDeadline = (
  { deadlineId, version, dueOn, userId, office }: AssignDeadlineOptions,
  ctx: CommandContext,
) =>
  changeOccurrence({ deadlineId, dueOn, version }, ctx, "DEADLINE_ASSIGNED", async ({ tx }) => {
    if (userId) {
      const user = await queryOne<{ active: boolean }>(
        tx,
        sql`select active from users where id = ${userId}`,
      );
      if (!user?.active)
        throw appError("validation_failed", "Assign it to an active user", {
          errors: [{ path: "userId", message: user ? "This user is deactivated" : "No user has this id" }],
        });
    }
    return {
      ...(userId !== undefined ? { assigneeUserId: userId } : {}),
      ...(office !== undefined ? { assigneeOffice: office || null } : {}),
    };
  });
