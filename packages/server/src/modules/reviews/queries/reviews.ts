import {
  can,
  DRAFT_STATUSES,
  type Review,
  type ReviewListItem,
  type ReviewListQuery,
  type Role,
} from "@accord/domain";
import { type SQL, sql } from "drizzle-orm";
import { notFound } from "../../../context/app-error.js";
import type { CommandContext, ReadContext } from "../../../context/command-context.js";
import { isoTime, isUuid, kept, list, queryOne, queryRows, toPrefixTsQuery } from "../../../db/sql.js";

/** Who is asking: what they may read, and who they are for "assigned to me" and self-approval. */
export type Reader = Pick<CommandContext, "actorId" | "actorRole">;

/**
 * What a review query needs: where to read, today (for "overdue"), and who asks (drafts are
 * only for those who draft and approve; "me" is the caller). A request's `req.ctx` is one.
 */
export type ReviewReadContext = ReadContext & Reader;

/** Whether the reader may read reviews still being drafted. */
export const mayReadDrafts = (reader: Reader) =>
  can({ role: (reader.actorRole as Role | null) ?? null }, "reviews:read-drafts");

/** Today's date (YYYY-MM-DD) by the context's clock. */
export const todayOf = (ctx: ReadContext) => ctx.now().toISOString().slice(0, 10);

const person = (alias: string) =>
  sql.raw(`case when ${alias}.id is null then null
    else json_build_object('id', ${alias}.id, 'username', ${alias}.username, 'displayName', ${alias}.display_name) end`);

/**
 * The matter changed after the review's approval: an audited change of it or of its timeline
 * (the ids of those audit entries). One arm per entity, each found by an index of its own
 * (audit_entity_idx for the matter; for events and documents the partial indexes on the matter
 * their before and after name, migration 0045), instead of every entry since the approval being
 * read and tested; the arms are disjoint (by entity), so no entry is named twice.
 */
export const changesSince = (review: string) =>
  sql.raw(`select a.id from audit_entries a
      where a.entity = 'matter' and a.entity_id = ${review}.matter_id and a.at > ${review}.approved_at
        and a.action not like 'MONITOR_%'
    union all
    select a.id from audit_entries a
      where a.entity = 'event' and a.at > ${review}.approved_at
        and (a.after->>'matterId' = ${review}.matter_id::text or a.before->>'matterId' = ${review}.matter_id::text)
    union all
    select a.id from audit_entries a
      where a.entity = 'document' and a.at > ${review}.approved_at
        and (a.after->'matter'->>'id' = ${review}.matter_id::text or a.before->'matter'->>'id' = ${review}.matter_id::text)`);

/** Today's date as YYYY-MM-DD: a due date "2017-06" is overdue from July 2017. */
export const overdue = (today: string) =>
  sql`(c.due_on is not null and c.due_on || '~' < ${today} and r.status <> 'approved')`;

/**
 * The person whose users.id is `column` (null when none), by a subquery: a review's detail names
 * three people, and three more left joins of users cost its statement more to plan than to run.
 */
const personById = (column: string) =>
  sql.raw(`(select json_build_object('id', x.id, 'username', x.username, 'displayName', x.display_name)
    from users x where x.id = ${column})`);

/**
 * A review's columns as a list shows them (aliases of FROM); `detail`: as its detail shows them,
 * without changedSinceApproval (read apart, see findReview) and the assignee by a subquery (DETAIL_FROM).
 */
const LIST_COLUMNS = (today: string, detail = false) => sql`r.id,
  json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) as cycle,
  json_build_object('id', m.id, 'slug', m.slug, 'title', m.title, 'kind', m.kind, 'status', m.status,
    'stateCode', j.state_code, 'jurisdiction', j.name) as matter,
  ${detail ? personById("r.assignee_id") : person("u")} as assignee, r.status, r.recommendation,
  coalesce((select jsonb_object_agg(k.code, r.findings->k.code->>'rating') from review_criteria k where k.cycle_id = c.id), '{}'::jsonb) as ratings,
  ${overdue(today)} as overdue,${
    detail
      ? sql``
      : sql`
  (r.status = 'approved' and exists (${changesSince("r")})) as "changedSinceApproval",`
  }
  r.version, ${isoTime("r.updated_at")} as "updatedAt"`;

/** Reviews with their cycle, matter, jurisdiction and assignee (aliases r, c, m, j, u). */
export const FROM = sql`from reviews r join review_cycles c on c.id = r.cycle_id
  join matters m on m.id = r.matter_id join jurisdictions j on j.id = m.jurisdiction_id
  left join users u on u.id = r.assignee_id`;

/** A review with its cycle, matter and jurisdiction (aliases r, c, m, j): its detail's. */
const DETAIL_FROM = sql`from reviews r join review_cycles c on c.id = r.cycle_id
  join matters m on m.id = r.matter_id join jurisdictions j on j.id = m.jurisdiction_id`;

const SORTS: Record<string, string> = {
  matter: "m.title",
  status: "r.status",
  assignee: "u.username",
  updatedAt: "r.updated_at",
};

export const whereSql = (parts: SQL[]) => (parts.length ? sql` where ${sql.join(parts, sql` and `)}` : sql``);

/** The filters of a review list, for this reader (who may not see drafts, who is "me"). */
export function conditionsOf(q: Partial<ReviewListQuery>, reader: Reader, today: string): SQL[] {
  const parts: SQL[] = [];
  if (!mayReadDrafts(reader)) parts.push(sql`r.status not in (${list(DRAFT_STATUSES)})`);
  if (q.cycle) parts.push(isUuid(q.cycle) ? sql`c.id = ${q.cycle}` : sql`c.slug = ${q.cycle}`);
  if (q.status?.length) parts.push(sql`r.status in (${list(q.status)})`);
  if (q.assignee === "none") parts.push(sql`r.assignee_id is null`);
  else if (q.assignee === "me") parts.push(sql`r.assignee_id = ${reader.actorId}`);
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

/** A page of reviews matching the query, with the total. */
export async function listReviews(ctx: ReviewReadContext, q: ReviewListQuery) {
  const today = todayOf(ctx);
  const where = whereSql(conditionsOf(q, ctx, today));
  const field = q.sort.replace(/^-/, "");
  const order = sql.raw(
    `${SORTS[field]} ${q.sort.startsWith("-") ? "desc" : "asc"} nulls last, m.title, r.id`,
  );
  const items = await queryRows<ReviewListItem>(
    ctx.db,
    sql`select ${LIST_COLUMNS(today)} ${FROM}${where} order by ${order} limit ${q.limit} offset ${q.offset}`,
  );
  const total = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n ${FROM}${where}`);
  return { items, total: total?.n ?? 0, limit: q.limit, offset: q.offset };
}

/** A review by id, or undefined (also when it is a draft the reader may not read). */
export async function findReview(
  ctx: ReviewReadContext,
  id: string,
  lock = false,
): Promise<Review | undefined> {
  if (!isUuid(id)) return undefined;
  const today = todayOf(ctx);
  // Kept prepared on PostgreSQL (a generic plan): planning it cost 0.6-0.7 ms, running it 0.1.
  const review = await queryOne<Omit<Review, "changes" | "changedSinceApproval">>(
    ctx.db,
    kept(sql`select ${LIST_COLUMNS(today, true)}, r.findings, r.recommendation_rationale as "recommendationRationale",
          ${isoTime("r.submitted_at")} as "submittedAt", ${personById("r.submitted_by_id")} as "submittedBy",
          ${isoTime("r.approved_at")} as "approvedAt", ${personById("r.approved_by_id")} as "approvedBy",
          r.return_comment as "returnComment", r.reopen_reason as "reopenReason", r.snapshot,
          ${isoTime("r.created_at")} as "createdAt"
        ${DETAIL_FROM} where r.id = ${id}${lock ? sql` for update of r` : sql``}`),
  );
  // A draft is not there for those who may not read drafts.
  if (!review || (!mayReadDrafts(ctx) && DRAFT_STATUSES.includes(review.status))) return undefined;
  // What changed since the approval, read only when there was one: a review never approved (the
  // drafts) has no change, and its statement need not plan the audit log's.
  const changes = review.approvedAt === null ? [] : await changesOf(ctx, id);
  return { ...review, changedSinceApproval: review.status === "approved" && changes.length > 0, changes };
}

/** The latest 50 audited changes of the review's matter since its approval, newest first. */
async function changesOf(ctx: ReviewReadContext, id: string): Promise<Review["changes"]> {
  return queryRows<Review["changes"][number]>(
    ctx.db,
    sql`select ${isoTime("a.at")} as at, a.actor, a.action, a.entity,
          coalesce(a.after->>'title', a.before->>'title', '') as what
        from reviews r cross join lateral (${changesSince("r")}) c join audit_entries a on a.id = c.id
        where r.id = ${id} order by a.at desc, a.id desc limit 50`,
  );
}

/** A review by id; not_found when there is none the reader may read. */
export async function getReview(ctx: ReviewReadContext, id: string, lock = false) {
  const review = await findReview(ctx, id, lock);
  if (!review) throw notFound("review", id);
  return review;
}
