import type { Finding, Review } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { getCycle } from "../queries/cycles.js";
import { assertDrafter } from "./review-guards.js";
import { transitionReview } from "./transition-review.js";

export interface SubmitReviewOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
}

/** What is missing before a review can be submitted: a rating per criterion and a recommendation. */
async function assertComplete(tx: Tx, review: Review, ctx: CommandContext) {
  const cycle = await getCycle(withDb(ctx, tx), review.cycle.id);
  const errors: { path: string; message: string }[] = [];
  for (const c of cycle.criteria) {
    const f = review.findings[c.code] as Finding | undefined;
    if (!f?.rating) errors.push({ path: `findings.${c.code}.rating`, message: `Rate “${c.title}”` });
  }
  if (!review.recommendation) errors.push({ path: "recommendation", message: "Give a recommendation" });
  if (errors.length) {
    throw appError(
      "review_incomplete",
      `The review is not complete: ${errors.length === 1 ? errors[0]!.message : `${errors.length} things are missing`}`,
      { errors },
    );
  }
}

/** The assigned reviewer hands a complete review to an approving official. */
export const submitReview = ({ id, version }: SubmitReviewOptions, ctx: CommandContext) =>
  transitionReview({ id, action: "submit", version }, ctx, async (tx, before) => {
    assertDrafter(before, ctx);
    await assertComplete(tx, before, ctx);
    return sql`submitted_at = now(), submitted_by_id = ${ctx.actorId ?? null}`;
  });
