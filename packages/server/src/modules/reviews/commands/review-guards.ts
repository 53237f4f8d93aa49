import { canApply, type Review, type ReviewAction, type ReviewStatus, refusal } from "@accord/domain";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";

/** Refuses an action the review's state does not allow (409, naming the state). */
export function assertCan(action: ReviewAction, status: ReviewStatus) {
  if (!canApply(action, status)) throw appError("review_state", refusal(action, status));
}

/** Drafting is for the reviewer it is assigned to; an administrator may step in. */
export function assertDrafter(review: Review, ctx: CommandContext) {
  if (ctx.actorRole === "admin") return;
  if (!review.assignee)
    throw appError("forbidden", "This review is assigned to nobody yet: an administrator assigns it first");
  if (review.assignee.id !== ctx.actorId)
    throw appError("forbidden", `This review is assigned to ${review.assignee.username}`);
}

/** Sign-off is for another approving official than the one who drafted the review. */
export function assertNotOwnReview(review: Review, action: "approve" | "return", ctx: CommandContext) {
  const drafter = review.submittedBy?.id ?? review.assignee?.id;
  if (drafter && drafter === ctx.actorId)
    throw appError(
      "own_review",
      `You drafted this review: another approving official must ${action === "approve" ? "approve" : "return"} it`,
    );
}
