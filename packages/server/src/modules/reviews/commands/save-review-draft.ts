import {
  FindingSchema,
  type Review,
  statusAfter,
  type UpdateReview,
  UpdateReviewSchema,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError, type FieldError } from "../../../context/app-error.js";
import { type CommandContext, type ReadContext, withDb } from "../../../context/command-context.js";
import { scopeTables } from "../../../context/read-scope.js";
import { versionConflict } from "../../../context/versioning.js";
import { list, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getCycle } from "../queries/cycles.js";
import { getReview } from "../queries/reviews.js";
import { assertCan, assertDrafter } from "./review-guards.js";

/** What the audit entry keeps of a draft, before and after. */
const pickDraft = (r: Review) => ({
  status: r.status,
  findings: r.findings,
  recommendation: r.recommendation,
  recommendationRationale: r.recommendationRationale,
});

export interface SaveReviewDraftOptions {
  id: string;
  /** The version the caller read (If-Match). */
  version: number;
  /** Findings by criterion (merged into the saved ones), recommendation and rationale. */
  changes: UpdateReview;
}

/** Saves a draft: findings by criterion (merged), recommendation and rationale. */
export async function saveReviewDraft(
  { id, version, changes }: SaveReviewDraftOptions,
  ctx: CommandContext,
): Promise<Review> {
  const data = UpdateReviewSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const inTx = withDb(ctx, tx);
    const before = await getReview(inTx, id, true);
    if (before.version !== version) throw versionConflict("review", before);
    assertCan("edit", before.status);
    assertDrafter(before, ctx);
    const findings = { ...before.findings };
    if (data.findings) {
      const cycle = await getCycle(inTx, before.cycle.id);
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
        if (c.type === "statistic" && (!c.metric || !c.period))
          errors.push({ path: c.path, message: "A statistic is cited by its metric and period" });
        if (c.type !== "statistic" && (c.metric || c.period || c.placeKind || c.slug))
          errors.push({ path: c.path, message: "Only a statistic is cited by metric and period" });
        if (c.page !== undefined && c.type !== "document")
          errors.push({ path: `${c.path}.page`, message: "Only a document is cited by page" });
        if (c.number !== undefined && c.type !== "provision")
          errors.push({ path: `${c.path}.number`, message: "Only a provision is cited by number" });
      }
      if (errors.length) {
        throw appError("validation_failed", `${errors[0]!.path}: ${errors[0]!.message}`, { errors });
      }
      const series = await citedSeries(
        inTx,
        cited.filter((c) => c.type === "statistic"),
      );
      if (series.missing.length) {
        const first = series.missing[0]!;
        throw appError("citation_unknown", `${first.path}: ${first.message}`, { errors: series.missing });
      }
      for (const code of Object.keys(data.findings)) {
        const f = findings[code]!;
        if (f.citations.some((c) => c.type === "statistic"))
          findings[code] = {
            ...f,
            citations: f.citations.map((c) =>
              c.type === "statistic" ? { ...c, ...series.found.get(seriesKey(c)) } : c,
            ),
          };
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
    const after = await getReview(inTx, before.id);
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

const seriesKey = (c: { id: string; metric?: string | undefined; period?: string | undefined }) =>
  `${c.id}|${c.metric}|${c.period}`;

/**
 * The cited statistics: each must have a value for its metric and period (a year cited of a
 * monthly series: any of its months) for its place, a jurisdiction (with its agencies, as the
 * series reads), an agency, or a matter the caller may read. Found ones get the label, place kind
 * and slug the citation is shown and linked by; the others are named, nothing else said (a matter
 * out of scope reads as one that does not exist).
 */
async function citedSeries(
  ctx: ReadContext,
  cited: readonly { id: string; metric?: string | undefined; period?: string | undefined; path: string }[],
) {
  const found = new Map<
    string,
    { label: string; placeKind: "jurisdiction" | "agency" | "matter"; slug: string }
  >();
  const missing: FieldError[] = [];
  if (!cited.length) return { found, missing };
  const asked = JSON.stringify(cited.map((c, i) => ({ i, id: c.id, metric: c.metric, period: c.period })));
  const rows = await queryRows<{
    i: number;
    kind: "jurisdiction" | "agency" | "matter";
    slug: string;
    name: string;
    label: string | null;
    held: boolean;
  }>(
    ctx.db,
    sql`with ${scopeTables(ctx.scope)} c as (
          select * from json_to_recordset(${asked}::json) as c(i int, id uuid, metric text, period text))
        select c.i, p.kind, p.slug, p.name, m.label, exists (
            select 1 from stat_values v
            where v.metric = c.metric and left(v.period, length(c.period)) = c.period
              and not exists (select 1 from stat_sources s where s.id = v.source_id and s.staged_at is not null)
              and case p.kind
                when 'jurisdiction' then v.jurisdiction_id = c.id
                  or v.agency_id in (select a.id from agencies a where a.jurisdiction_id = c.id)
                when 'agency' then v.agency_id = c.id
                else v.matter_id = c.id end) as held
        from c
          join lateral (
            select 'jurisdiction' as kind, j.slug, j.name from jurisdictions j where j.id = c.id
            union all select 'agency', a.slug, a.name from agencies a where a.id = c.id
            union all select 'matter', mt.slug, mt.title from matters mt where mt.id = c.id) p on true
          left join stat_metrics m on m.key = c.metric`,
  );
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  cited.forEach((c, i) => {
    const r = byIndex.get(i);
    if (r?.held && r.label)
      found.set(seriesKey(c), {
        label: `${r.label}, ${r.name}, ${c.period}`,
        placeKind: r.kind,
        slug: r.slug,
      });
    else
      missing.push({
        path: c.path,
        message: r
          ? `No ${r.label ?? `"${c.metric}"`} figure for ${c.period} in ${r.name}'s series`
          : `No series of "${c.metric}" for ${c.period}: its place does not exist or is not one you may read`,
      });
  });
  return { found, missing };
}
