import { type Review, type ReviewAction, statusAfter } from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { recordAudit } from "../../audit/index.js";
import { getReview } from "../queries/reviews.js";
import { assertCan } from "./review-guards.js";

/** A move of a review's workflow (saving a draft is not one: see save-review-draft.ts). */
export type ReviewMove = Exclude<ReviewAction, "edit">;

const AUDIT_ACTIONS = {
  submit: "REVIEW_SUBMITTED",
  approve: "REVIEW_APPROVED",
  return: "REVIEW_RETURNED",
  reopen: "REVIEW_REOPENED",
} as const;

export interface TransitionReviewOptions {
  id: string;
  action: ReviewMove;
  /** The version the caller read (If-Match): a move based on an older one is refused (412). */
  version: number;
  /** The approving official's comments (return). */
  comment?: string | undefined;
  /** Why an approved review is reopened (reopen). */
  reason?: string | undefined;
}

/**
 * What every workflow move shares: the review under a row lock, the version the caller read, the
 * move checked against the transition table (`review_state` naming the current state), the new
 * status and the columns the move sets, and its audit entry, in one transaction. `apply` makes
 * the move's own checks and returns the columns it sets besides the status.
 */
export function transitionReview(
  { id, action, version, comment, reason }: TransitionReviewOptions,
  ctx: CommandContext,
  apply: (tx: Tx, before: Review) => Promise<SQL> | SQL,
): Promise<Review> {
  return ctx.db.transaction(async (tx) => {
    const inTx = withDb(ctx, tx);
    const before = await getReview(inTx, id, true);
    if (before.version !== version) throw versionConflict("review", before);
    assertCan(action, before.status);
    const status = statusAfter(action, before.status);
    const set = await apply(tx, before);
    await tx.execute(
      sql`update reviews set status = ${status}, ${set}, version = version + 1, updated_at = now() where id = ${before.id}`,
    );
    const after = await getReview(inTx, before.id);
    await recordAudit(tx, ctx, {
      action: AUDIT_ACTIONS[action],
      entity: "review",
      entityId: before.id,
      before: { status: before.status },
      after: {
        status: after.status,
        ...(comment ? { comment } : {}),
        ...(reason ? { reason } : {}),
      },
    });
    return after;
  });
}
