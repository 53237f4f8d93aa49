import { sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { getMatter } from "../../matters/index.js";
import { assertNotOwnReview } from "./review-guards.js";
import { transitionReview } from "./transition-review.js";

export interface ApproveReviewOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
}

/**
 * An approving official who did not draft it approves a submitted review: it is locked, and
 * keeps a snapshot of the matter as it was, so later changes of the matter show.
 */
export const approveReview = ({ id, version }: ApproveReviewOptions, ctx: CommandContext) =>
  transitionReview({ id, action: "approve", version }, ctx, async (tx, before) => {
    assertNotOwnReview(before, "approve", ctx);
    // The snapshot keeps the whole matter, whatever the approver may read of it.
    const snapshot = await getMatter(unscoped(withDb(ctx, tx)), before.matter.id);
    return sql`approved_at = now(), approved_by_id = ${ctx.actorId ?? null}, snapshot = ${JSON.stringify(snapshot)}::jsonb, return_comment = null`;
  });
