import {
  type AssignReviewsSchema,
  can,
  canApply,
  DRAFT_STATUSES,
  type Finding,
  FindingSchema,
  type Review,
  type ReviewAction,
  type ReviewListItem,
  type ReviewListQuery,
  type ReviewStatus,
  type Role,
  refusal,
  statusAfter,
  type UpdateReview,
  UpdateReviewSchema,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { appError, notFound } from "../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import type { Queryable, Tx } from "../../db/open.js";
import { isoTime, isUuid, list, queryOne, queryRows, toPrefixTsQuery } from "../../db/sql.js";
import { recordAudit } from "../audit/record-audit.js";
import { getMatter } from "../matters/index.js";
import { getCycle } from "./cycles.js";

/** Who is asking: what they may read, and who they are for "assigned to me" and self-approval. */
export interface Reader {
  userId: string | null;
  role: Role | null;
}

const mayReadDrafts = (reader: Reader) => can({ role: reader.role }, "reviews:read-drafts");

const person = (alias: string) =>
  sql.raw(`case when ${alias}.id is null then null
    else json_build_object('id', ${alias}.id, 'username', ${alias}.username, 'displayName', ${alias}.display_name) end`);

/** The matter changed after the review's approval: an audited change of it or of its timeline. */
export const changesSince = (review: string) =>
  sql.raw(`select a.id from audit_entries a
    where a.at > ${review}.approved_at and (
      (a.entity = 'matter' and a.entity_id = ${review}.matter_id and a.action not like 'MONITOR_%')
      or (a.entity = 'event' and ${review}.matter_id::text in (a.after->>'matterId', a.before->>'matterId'))
      or (a.entity = 'document' and ${review}.matter_id::text in (a.after->'matter'->>'id', a.before->'matter'->>'id')))`);

/** Today's date as YYYY-MM-DD: a due date "2017-06" is overdue from July 2017. */
export const overdue = (today: string) =>
  sql`(c.due_on is not null and c.due_on || '~' < ${today} and r.status <> 'approved')`;

const LIST_COLUMNS = (today: string) => sql`r.id,
  json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) as cycle,
  json_build_object('id', m.id, 'slug', m.slug, 'title', m.title, 'kind', m.kind, 'status', m.status,
    'stateCode', j.state_code, 'jurisdiction', j.name) as matter,
  ${person("u")} as assignee, r.status, r.recommendation,
  coalesce((select jsonb_object_agg(k.code, r.findings->k.code->>'rating') from review_criteria k where k.cycle_id = c.id), '{}'::jsonb) as ratings,
  ${overdue(today)} as overdue,
  (r.status = 'approved' and exists (${changesSince("r")})) as "changedSinceApproval",
  r.version, ${isoTime("r.updated_at")} as "updatedAt"`;

const FROM = sql`from reviews r join review_cycles c on c.id = r.cycle_id
  join matters m on m.id = r.matter_id join jurisdictions j on j.id = m.jurisdiction_id
  left join users u on u.id = r.assignee_id`;

const SORTS: Record<string, string> = {
  matter: "m.title",
  status: "r.status",
  assignee: "u.username",
  updatedAt: "r.updated_at",
};

const whereSql = (parts: SQL[]) => (parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``);

function conditionsOf(q: Partial<ReviewListQuery>, reader: Reader, today: string): SQL[] {
  const parts: SQL[] = [];
  if (!mayReadDrafts(reader)) parts.push(sql`r.status not in (${list(DRAFT_STATUSES)})`);
  if (q.cycle) parts.push(isUuid(q.cycle) ? sql`c.id = ${q.cycle}` : sql`c.slug = ${q.cycle}`);
  if (q.status?.length) parts.push(sql`r.status in (${list(q.status)})`);
  if (q.assignee === "none") parts.push(sql`r.assignee_id is null`);
  else if (q.assignee === "me") parts.push(sql`r.assignee_id = ${reader.userId}`);
  else if (q.assignee)
    parts.push(
      isUuid(q.assignee) ? sql`u.id = ${q.assignee}` : sql`u.username = ${q.assignee.toLowerCase()}`,
    );
  if (q.kind?.length) parts.push(sql`m.kind in (${list(q.kind)})`);
  if (q.state?.length) parts.push(sql`j.state_code in (${list(q.state)})`);
  if (q.recommendation?.length) parts.push(sql`r.recommendation in (${list(q.recommendation)})`);
  if (q.matter) parts.push(isUuid(q.matter) ? sql`m.id = ${q.matter}` : sql`m.slug = ${q.matter}`);
  if (q.overdue !== undefined) parts.push(q.overdue ? overdue(today) : sql`not ${overdue(today)}`);
  if (q.changed !== undefined) {
    const changed = sql`(r.status = 'approved' and exists (${changesSince("r")}))`;
    parts.push(q.changed ? changed : sql`not ${changed}`);
  }
  const ts = toPrefixTsQuery(q.q);
  if (ts) parts.push(sql`m.search @@ to_tsquery('english', ${ts})`);
  return parts;
}

export async function listReviews(db: Queryable, q: ReviewListQuery, reader: Reader, today: string) {
  const where = whereSql(conditionsOf(q, reader, today));
  const field = q.sort.replace(/^-/, "");
  const order = sql.raw(
    `${SORTS[field]} ${q.sort.startsWith("-") ? "desc" : "asc"} nulls last, m.title, r.id`,
  );
  const items = await queryRows<ReviewListItem>(
    db,
    sql`select ${LIST_COLUMNS(today)} ${FROM}${where} order by ${order} limit ${q.limit} offset ${q.offset}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n ${FROM}${where}`);
  return { items, total: total?.n ?? 0, limit: q.limit, offset: q.offset };
}

export async function findReview(
  db: Queryable,
  id: string,
  reader: Reader,
  today: string,
  lock = false,
): Promise<Review | undefined> {
  if (!isUuid(id)) return undefined;
  const review = await queryOne<Review>(
    db,
    sql`select ${LIST_COLUMNS(today)}, r.findings, r.recommendation_rationale as "recommendationRationale",
          ${isoTime("r.submitted_at")} as "submittedAt", ${person("sb")} as "submittedBy",
          ${isoTime("r.approved_at")} as "approvedAt", ${person("ab")} as "approvedBy",
          r.return_comment as "returnComment", r.reopen_reason as "reopenReason", r.snapshot,
          coalesce((select json_agg(json_build_object('at', ${isoTime("x.at")}, 'actor', x.actor, 'action', x.action,
              'entity', x.entity, 'what', coalesce(x.after->>'title', x.before->>'title', '')) order by x.at desc)
            from (select a.* from audit_entries a where a.id in (${changesSince("r")}) order by a.at desc limit 50) x), '[]'::json) as changes,
          ${isoTime("r.created_at")} as "createdAt"
        ${FROM} left join users sb on sb.id = r.submitted_by_id left join users ab on ab.id = r.approved_by_id
        where r.id = ${id}${lock ? sql` for update of r` : sql``}`,
  );
  // A draft is not there for those who may not read drafts.
  if (!review || (!mayReadDrafts(reader) && DRAFT_STATUSES.includes(review.status))) return undefined;
  return review;
}

export async function getReview(db: Queryable, id: string, reader: Reader, today: string, lock = false) {
  const review = await findReview(db, id, reader, today, lock);
  if (!review) throw notFound("review", id);
  return review;
}

/** Refuses an action the review's state does not allow (409, naming the state). */
function assertCan(action: ReviewAction, status: ReviewStatus) {
  if (!canApply(action, status)) throw appError("review_state", refusal(action, status));
}

/** Drafting is for the reviewer it is assigned to; an administrator may step in. */
function assertDrafter(review: Review, ctx: CommandContext) {
  if (ctx.actorRole === "admin") return;
  if (!review.assignee)
    throw appError("forbidden", "This review is assigned to nobody yet: an administrator assigns it first");
  if (review.assignee.id !== ctx.actorId)
    throw appError("forbidden", `This review is assigned to ${review.assignee.username}`);
}

interface ActionContext {
  ctx: CommandContext;
  today: string;
}

const readerOf = (ctx: CommandContext): Reader => ({
  userId: ctx.actorId ?? null,
  role: (ctx.actorRole as Role) ?? null,
});

/** Saves a draft: findings by criterion (merged), recommendation and rationale. */
export async function updateReview(
  id: string,
  expectedVersion: number,
  input: UpdateReview,
  { ctx, today }: ActionContext,
): Promise<Review> {
  const data = UpdateReviewSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getReview(tx, id, readerOf(ctx), today, true);
    if (before.version !== expectedVersion) throw versionConflict("review", before);
    assertCan("edit", before.status);
    assertDrafter(before, ctx);
    const findings = { ...before.findings };
    if (data.findings) {
      const cycle = await getCycle(tx, before.cycle.id);
      const codes = new Set(cycle.criteria.map((c) => c.code));
      const levels = new Set(cycle.ratingScale.map((l) => l.code));
      const errors: { path: string; message: string; allowed?: string[] }[] = [];
      for (const [code, finding] of Object.entries(data.findings)) {
        if (!codes.has(code))
          errors.push({ path: `findings.${code}`, message: "No such criterion in this cycle" });
        else if (finding.rating !== null && !levels.has(finding.rating))
          errors.push({
            path: `findings.${code}.rating`,
            message: "Not a level of this cycle's scale",
            allowed: [...levels],
          });
        findings[code] = FindingSchema.parse(finding);
      }
      // Cited events must exist and belong to this matter (or to the department-wide record).
      const cited = Object.entries(data.findings).flatMap(([code, f]) =>
        f.citations.map((c, i) => ({ ...c, path: `findings.${code}.citations.${i}` })),
      );
      const eventIds = cited.filter((c) => c.type === "event").map((c) => c.id);
      if (eventIds.length) {
        const found = await queryRows<{ id: string }>(
          tx,
          sql`select id from events where id in (${list(eventIds)})
                and (matter_id = ${before.matter.id} or matter_id is null)`,
        );
        const ok = new Set(found.map((r) => r.id));
        for (const c of cited)
          if (c.type === "event" && !ok.has(c.id))
            errors.push({ path: c.path, message: "No such event on this matter's timeline" });
      }
      // Cited documents must be the matter's own or department-wide ones.
      const documentIds = cited.filter((c) => c.type === "document").map((c) => c.id);
      if (documentIds.length) {
        const found = await queryRows<{ id: string }>(
          tx,
          sql`select id from documents where id in (${list(documentIds)})
                and (matter_id = ${before.matter.id} or matter_id is null)`,
        );
        const ok = new Set(found.map((r) => r.id));
        for (const c of cited)
          if (c.type === "document" && !ok.has(c.id))
            errors.push({ path: c.path, message: "No such document on this matter" });
      }
      // Cited provisions must be the matter's own (a retired one stays citable: it was cited
      // while it was in force). Each citation carries the provision's current number, its address.
      const provisionIds = cited.filter((c) => c.type === "provision").map((c) => c.id);
      const numbers = new Map<string, number>();
      if (provisionIds.length) {
        const found = await queryRows<{ id: string; number: number }>(
          tx,
          sql`select id, number from provisions where id in (${list(provisionIds)})
                and matter_id = ${before.matter.id}`,
        );
        for (const r of found) numbers.set(r.id, r.number);
        for (const c of cited)
          if (c.type === "provision" && !numbers.has(c.id))
            errors.push({ path: c.path, message: "No such provision in this matter's decree" });
      }
      for (const c of cited) {
        if (c.page !== undefined && c.type !== "document")
          errors.push({ path: `${c.path}.page`, message: "Only a document is cited by page" });
        if (c.number !== undefined && c.type !== "provision")
          errors.push({ path: `${c.path}.number`, message: "Only a provision is cited by number" });
      }
      if (errors.length) {
        throw appError("validation_failed", `${errors[0]!.path}: ${errors[0]!.message}`, { errors });
      }
      if (numbers.size) {
        for (const code of Object.keys(data.findings)) {
          const f = findings[code]!;
          findings[code] = {
            ...f,
            citations: f.citations.map((c) =>
              c.type === "provision" ? { ...c, number: numbers.get(c.id) ?? c.number } : c,
            ),
          };
        }
      }
    }
    await tx.execute(
      sql`update reviews set findings = ${JSON.stringify(findings)}::jsonb,
            recommendation = ${data.recommendation === undefined ? before.recommendation : data.recommendation},
            recommendation_rationale = ${data.recommendationRationale === undefined ? before.recommendationRationale : data.recommendationRationale},
            status = ${statusAfter("edit", before.status)}, version = version + 1, updated_at = now()
          where id = ${before.id}`,
    );
    const after = await getReview(tx, before.id, readerOf(ctx), today);
    await recordAudit(tx, ctx, {
      action: "REVIEW_DRAFTED",
      entity: "review",
      entityId: before.id,
      before: pickDraft(before),
      after: pickDraft(after),
    });
    return after;
  });
}

const pickDraft = (r: Review) => ({
  status: r.status,
  findings: r.findings,
  recommendation: r.recommendation,
  recommendationRationale: r.recommendationRationale,
});

/** What is missing before a review can be submitted: a rating per criterion and a recommendation. */
async function assertComplete(tx: Tx, review: Review) {
  const cycle = await getCycle(tx, review.cycle.id);
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

const AUDIT_ACTIONS = {
  submit: "REVIEW_SUBMITTED",
  approve: "REVIEW_APPROVED",
  return: "REVIEW_RETURNED",
  reopen: "REVIEW_REOPENED",
} as const;

/** Submit, approve, return or reopen a review (each audited, each checked against its state). */
export async function transition(
  id: string,
  action: Exclude<ReviewAction, "edit">,
  payload: { comment?: string; reason?: string; expectedVersion?: number | undefined },
  { ctx, today }: ActionContext,
): Promise<Review> {
  return ctx.db.transaction(async (tx) => {
    const before = await getReview(tx, id, readerOf(ctx), today, true);
    if (payload.expectedVersion !== undefined && before.version !== payload.expectedVersion)
      throw versionConflict("review", before);
    assertCan(action, before.status);
    const status = statusAfter(action, before.status);
    let set: SQL;
    switch (action) {
      case "submit":
        assertDrafter(before, ctx);
        await assertComplete(tx, before);
        set = sql`submitted_at = now(), submitted_by_id = ${ctx.actorId ?? null}`;
        break;
      case "approve":
      case "return": {
        const drafter = before.submittedBy?.id ?? before.assignee?.id;
        if (drafter && drafter === ctx.actorId)
          throw appError(
            "own_review",
            `You drafted this review: another approving official must ${action === "approve" ? "approve" : "return"} it`,
          );
        if (action === "approve") {
          const snapshot = await getMatter(unscoped(withDb(ctx, tx)), before.matter.id);
          set = sql`approved_at = now(), approved_by_id = ${ctx.actorId ?? null}, snapshot = ${JSON.stringify(snapshot)}::jsonb, return_comment = null`;
        } else {
          set = sql`return_comment = ${payload.comment ?? null}`;
        }
        break;
      }
      case "reopen":
        set = sql`reopen_reason = ${payload.reason ?? null}, approved_at = null, approved_by_id = null`;
        break;
    }
    await tx.execute(
      sql`update reviews set status = ${status}, ${set}, version = version + 1, updated_at = now() where id = ${before.id}`,
    );
    const after = await getReview(tx, before.id, readerOf(ctx), today);
    await recordAudit(tx, ctx, {
      action: AUDIT_ACTIONS[action],
      entity: "review",
      entityId: before.id,
      before: { status: before.status },
      after: {
        status: after.status,
        ...(payload.comment ? { comment: payload.comment } : {}),
        ...(payload.reason ? { reason: payload.reason } : {}),
      },
    });
    return after;
  });
}

/** Assigns reviews (named, or every one of a cycle matching filters) to a reviewer, or to nobody. */
export async function assignReviews(
  input: z.output<typeof AssignReviewsSchema>,
  { ctx, today }: ActionContext,
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
          { userId: null, role: "admin" },
          today,
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
