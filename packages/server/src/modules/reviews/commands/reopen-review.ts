import { sql } from "drizzle-orm";
import type { CommandContext } from "../../../context/command-context.js";
import { transitionReview } from "./transition-review.js";

export interface ReopenReviewOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
  /** Why the approved review is reopened. */
  reason?: string | undefined;
}

/** An administrator reopens an approved review: it is a draft again, its sign-off cleared. */
export const reopenReview = ({ id, version, reason }: ReopenReviewOptions, ctx: CommandContext) =>
  transitionReview(
    { id, action: "reopen", version, reason },
    ctx,
    () => sql`reopen_reason = ${reason ?? null}, approved_at = null, approved_by_id = null`,
  );
