import { sql } from "drizzle-orm";
import type { CommandContext } from "../../../context/command-context.js";
import { assertNotOwnReview } from "./review-guards.js";
import { transitionReview } from "./transition-review.js";

export interface ReturnReviewOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
  /** What needs to change. */
  comment?: string | undefined;
}

/** An approving official who did not draft it returns a submitted review to its reviewer. */
export const returnReview = ({ id, version, comment }: ReturnReviewOptions, ctx: CommandContext) =>
  transitionReview({ id, action: "return", version, comment }, ctx, (_tx, before) => {
    assertNotOwnReview(before, "return", ctx);
    return sql`return_comment = ${comment ?? null}`;
  });
