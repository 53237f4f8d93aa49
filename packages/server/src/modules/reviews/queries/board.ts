import { type Board, DRAFT_STATUSES, RECOMMENDATIONS, REVIEW_STATUSES } from "@accord/domain";
import { sql } from "drizzle-orm";
import { list, queryRows } from "../../../db/sql.js";
import { getCycle } from "./cycles.js";
import { changesSince, mayReadDrafts, overdue, type ReviewReadContext, todayOf } from "./reviews.js";

/** The cycle's progress at a glance, in a few grouped queries. */
export async function getBoard(ctx: ReviewReadContext, key: string): Promise<Board> {
  const today = todayOf(ctx);
  const cycle = await getCycle(ctx, key);
  const readable = mayReadDrafts(ctx)
    ? sql`r.cycle_id = ${cycle.id}`
    : sql`r.cycle_id = ${cycle.id} and r.status not in (${list(DRAFT_STATUSES)})`;
  const changed = sql`(r.status = 'approved' and exists (${changesSince("r")}))`;

  const rows = await queryRows<{
    assigneeId: string | null;
    username: string | null;
    displayName: string | null;
    status: string;
    recommendation: string | null;
    n: number;
    overdue: number;
    changed: number;
  }>(
    ctx.db,
    sql`select u.id as "assigneeId", u.username, u.display_name as "displayName", r.status, r.recommendation,
          count(*)::int as n, count(*) filter (where ${overdue(today)})::int as overdue, count(*) filter (where ${changed})::int as changed
        from reviews r join review_cycles c on c.id = r.cycle_id left join users u on u.id = r.assignee_id
        where ${readable}
        group by u.id, u.username, u.display_name, r.status, r.recommendation`,
  );
  const byStatus: Record<string, number> = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0]));
  const byRecommendation: Record<string, number> = Object.fromEntries(
    [...RECOMMENDATIONS, "none"].map((r) => [r, 0]),
  );
  const reviewers = new Map<string, Board["byReviewer"][number]>();
  let total = 0;
  let overdueCount = 0;
  let changedCount = 0;
  for (const r of rows) {
    total += r.n;
    overdueCount += r.overdue;
    changedCount += r.changed;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    const rec = r.recommendation ?? "none";
    byRecommendation[rec] = (byRecommendation[rec] ?? 0) + r.n;
    const key = r.assigneeId ?? "";
    const entry = reviewers.get(key) ?? {
      assignee: r.assigneeId ? { id: r.assigneeId, username: r.username!, displayName: r.displayName } : null,
      total: 0,
      byStatus: {},
      overdue: 0,
    };
    entry.total += r.n;
    entry.overdue += r.overdue;
    entry.byStatus[r.status] = (entry.byStatus[r.status] ?? 0) + r.n;
    reviewers.set(key, entry);
  }
  const byReviewer = [...reviewers.values()].sort(
    (a, b) =>
      Number(a.assignee === null) - Number(b.assignee === null) ||
      (a.assignee?.username ?? "").localeCompare(b.assignee?.username ?? ""),
  );

  const ratingRows = await queryRows<{ code: string; rating: string | null; n: number }>(
    ctx.db,
    sql`select k.code, r.findings->k.code->>'rating' as rating, count(*)::int as n
        from reviews r join review_criteria k on k.cycle_id = r.cycle_id where ${readable}
        group by k.code, 2`,
  );
  const byCriterion = cycle.criteria.map((c) => {
    const ratings: Record<string, number> = Object.fromEntries(cycle.ratingScale.map((l) => [l.code, 0]));
    let unrated = 0;
    for (const r of ratingRows) {
      if (r.code !== c.code) continue;
      if (r.rating) ratings[r.rating] = (ratings[r.rating] ?? 0) + r.n;
      else unrated += r.n;
    }
    return { code: c.code, title: c.title, ratings, unrated };
  });
  return {
    cycle: { id: cycle.id, slug: cycle.slug, name: cycle.name, status: cycle.status, dueOn: cycle.dueOn },
    total,
    byStatus,
    byReviewer,
    byRecommendation,
    byCriterion,
    overdue: overdueCount,
    changedSinceApproval: changedCount,
  };
}
