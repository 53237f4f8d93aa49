import {
  DRAFT_STATUSES,
  type Finding,
  provisionCitationLabel,
  REPORT_INCLUDE_STATUSES,
  type ReportInclude,
  type ReportReview,
  type ReviewReport,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { isoTime, list, queryRows } from "../../../db/sql.js";
import { presentReportFindings } from "../reviews.presenter.js";
import { getBoard } from "./board.js";
import { getCycle } from "./cycles.js";
import { changesSince, mayReadDrafts, type ReviewReadContext } from "./reviews.js";

const person = (alias: string) =>
  sql.raw(`case when ${alias}.id is null then null
    else json_build_object('username', ${alias}.username, 'displayName', ${alias}.display_name) end`);

/**
 * Everything a cycle's report shows, for what the reader may read (viewers: submitted and
 * approved reviews only). `include` narrows it to submitted and approved, or approved, reviews;
 * `reviewId` to one review.
 */
export async function loadReport(
  ctx: ReviewReadContext,
  cycleKey: string,
  { reviewId, include = "all" }: { reviewId?: string; include?: ReportInclude } = {},
): Promise<ReviewReport> {
  // One instant for the whole report: the board's "overdue" and the "generated at" agree.
  const now = ctx.now();
  const at = { ...ctx, now: () => now };
  const cycle = await getCycle(at, cycleKey);
  const board = await getBoard(at, cycle.id);
  const rows = await queryRows<Omit<ReportReview, "findings"> & { findings: Record<string, Finding> }>(
    ctx.db,
    sql`select r.id, json_build_object('slug', m.slug, 'title', m.title, 'kind', m.kind, 'status', m.status,
          'jurisdiction', j.name, 'stateCode', j.state_code) as matter,
          r.status, ${person("u")} as assignee, r.recommendation, r.recommendation_rationale as "recommendationRationale",
          ${person("ab")} as "approvedBy", ${isoTime("r.approved_at")} as "approvedAt",
          (r.status = 'approved' and exists (${changesSince("r")})) as "changedSinceApproval", r.findings
        from reviews r join matters m on m.id = r.matter_id join jurisdictions j on j.id = m.jurisdiction_id
        left join users u on u.id = r.assignee_id left join users ab on ab.id = r.approved_by_id
        where r.cycle_id = ${cycle.id}
          ${mayReadDrafts(ctx) ? sql`` : sql`and r.status not in (${list(DRAFT_STATUSES)})`}
          ${include === "all" ? sql`` : sql`and r.status in (${list(REPORT_INCLUDE_STATUSES[include])})`}
          ${reviewId ? sql`and r.id = ${reviewId}` : sql``}
        order by j.state_code, m.title, m.slug`,
  );
  // Citations read as "2017-04-07 · Decree entered" however they were stored.
  // A statistic keeps the label the server gave it when saved ("Homicide, Baltimore, 2017").
  const ids = {
    event: new Set<string>(),
    document: new Set<string>(),
    provision: new Set<string>(),
    statistic: new Set<string>(),
  };
  for (const r of rows)
    for (const f of Object.values(r.findings)) for (const c of f.citations ?? []) ids[c.type].add(c.id);
  const labels = new Map<string, string>();
  const numbers = new Map<string, number>();
  if (ids.event.size) {
    const found = await queryRows<{ id: string; label: string }>(
      ctx.db,
      sql`select id, date || ' · ' || title as label from events where id in (${list([...ids.event])})`,
    );
    for (const e of found) labels.set(e.id, e.label);
  }
  if (ids.document.size) {
    const found = await queryRows<{ id: string; label: string }>(
      ctx.db,
      sql`select id, title as label from documents where id in (${list([...ids.document])})`,
    );
    for (const d of found) labels.set(d.id, d.label);
  }
  if (ids.provision.size) {
    // A provision reads as it reads today ("¶ 46 — The County will…"), at its current number.
    const found = await queryRows<{ id: string; number: number; text: string }>(
      ctx.db,
      sql`select id, number, left(text, 400) as text from provisions where id in (${list([...ids.provision])})`,
    );
    for (const p of found) {
      labels.set(p.id, provisionCitationLabel(p));
      numbers.set(p.id, p.number);
    }
  }
  const reviews = rows.map((r) => ({ ...r, findings: presentReportFindings(r.findings, labels, numbers) }));
  return { include, cycle, board, reviews, generatedAt: now.toISOString() };
}
