import { type AssignReviewsSchema, can, type Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { appError, notFound } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { isUuid, list, queryOne, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { conditionsOf, FROM, todayOf, whereSql } from "../queries/reviews.js";

export type AssignReviewsOptions = z.output<typeof AssignReviewsSchema>;

/** Assigns reviews (named, or every one of a cycle matching filters) to a reviewer, or to nobody. */
export async function assignReviews(
  input: AssignReviewsOptions,
  ctx: CommandContext,
): Promise<{ assigned: number }> {
  return ctx.db.transaction(async (tx) => {
    let assigneeId: string | null = null;
    let assigneeName: string | null = null;
    if (input.assignee !== null) {
      const cond = isUuid(input.assignee)
        ? sql`id = ${input.assignee}`
        : sql`username = ${input.assignee.toLowerCase()}`;
      const user = await queryOne<{ id: string; username: string; role: Role; active: boolean }>(
        tx,
        sql`select id, username, role, active from users where ${cond}`,
      );
      if (!user) throw notFound("user", input.assignee);
      if (!user.active) throw appError("user_inactive", `${user.username} is deactivated`);
      if (!can({ role: user.role }, "reviews:write"))
        throw appError(
          "not_a_reviewer",
          `${user.username} is ${user.role === "admin" || user.role === "approver" ? "an" : "a"} ${user.role}: only reviewers (and administrators) draft reviews`,
        );
      assigneeId = user.id;
      assigneeName = user.username;
    }
    const parts = input.reviewIds?.length
      ? [sql`r.id in (${list(input.reviewIds)})`]
      : conditionsOf(
          { cycle: input.cycle, kind: input.kind, state: input.state },
          // Every review of the cycle, drafts too: the route allowed only managers here.
          { actorId: null, actorRole: "admin" },
          todayOf(ctx),
        );
    // Approved reviews keep who drafted them.
    parts.push(sql`r.status <> 'approved'`, sql`r.assignee_id is distinct from ${assigneeId}::uuid`);
    const rows = await queryRows<{ id: string; previous: string | null }>(
      tx,
      sql`with target as (select r.id, u.username as previous ${FROM}${whereSql(parts)})
          update reviews set assignee_id = ${assigneeId}, version = version + 1, updated_at = now()
          from target where reviews.id = target.id returning reviews.id, target.previous`,
    );
    for (const r of rows) {
      await recordAudit(tx, ctx, {
        action: "REVIEW_ASSIGNED",
        entity: "review",
        entityId: r.id,
        before: { assignee: r.previous },
        after: { assignee: assigneeName },
      });
    }
    return { assigned: rows.length };
  });
}
