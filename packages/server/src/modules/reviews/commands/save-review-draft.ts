import {
  FindingSchema,
  type Review,
  statusAfter,
  type UpdateReview,
  UpdateReviewSchema,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
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
