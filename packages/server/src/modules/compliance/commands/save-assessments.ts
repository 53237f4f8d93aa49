import {
  describeLevels,
  type Evidence,
  OFFICIAL_RATER,
  qualifyingLevels,
  type Rater,
  type SaveAssessments,
  type SaveAssessmentsResult,
  SaveAssessmentsSchema,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { type AppError, appError, type FieldError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import type { Tx } from "../../../db/open.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatterRef, type MatterRef } from "../../provisions/index.js";
import { storeMatterView } from "../queries/matter-view.js";
import {
  applyRollupDeltas,
  lockMatterRatings,
  type RollupDelta,
  refreshProvisionStates,
} from "../rollups.js";
import { loadScale } from "../scale.js";
import { refreshMatterSummary } from "../summary.js";

/** One rating to write. Undefined rationale or evidence keep what the rating had; a null level removes it. */
export interface RatingWrite {
  provisionId: string;
  periodId: string;
  rater: Rater;
  level: string | null;
  rationale?: string | null | undefined;
  evidence?: Evidence[] | undefined;
  /** The stored rating's version the write is based on (0: none); undefined writes regardless. */
  version?: number | undefined;
}

export interface WriteOptions {
  action: "ASSESSMENTS_SAVED" | "ASSESSMENTS_IMPORTED" | "ASSESSMENTS_READ";
  /** Where row `i`'s field is, in the caller's terms ("items.3.level", "row 5, field level"). */
  pathOf: (i: number, field: string) => string;
  /** Row `i` in the caller's terms ("items.3", "row 5"). */
  rowOf: (i: number) => string;
  /** The error to throw for invalid rows (nothing is written). */
  invalid: (errors: FieldError[]) => AppError;
  /** Added to the audit entry's after. */
  auditExtra?: Record<string, unknown>;
  /** The caller took lockMatterRatings already, in this transaction (no second round trip). */
  ratingsLocked?: boolean;
}

/** The most invalid rows an error names. */
const MAX_ERRORS = 50;

const asJsonList = (values: readonly string[]) =>
  sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** Evidence in one key order, so that stored and sent evidence compare equal. */
const canonical = (evidence: readonly Evidence[]) =>
  JSON.stringify(
    evidence.map((e) =>
      e.page === undefined ? { documentId: e.documentId } : { documentId: e.documentId, page: e.page },
    ),
  );

interface Stored {
  provisionId: string;
  periodId: string;
  rater: Rater;
  level: string;
  rationale: string | null;
  evidence: Evidence[];
}

/** What a version conflict answers: the current rating of each row that changed meanwhile. */
interface StoredVersion extends Stored {
  version: number;
  ratedAt: string;
}

/** A rating's key: one per provision, period and rater. */
const keyOf = (r: { provisionId: string; periodId: string; rater: string }) =>
  `${r.provisionId}|${r.periodId}|${r.rater}`;

/**
 * Writes ratings of one matter in the caller's transaction: checks every row first (levels of the
 * scale, provisions of the matter (any node, headings too), its periods and documents, each
 * rater's rating once), then upserts and removes in set-based statements, moves the roll-up counts
 * by the difference (the monitor's ratings only) and records one audit entry. A row identical to
 * the stored rating is left alone.
 */
export async function writeAssessments(
  tx: Tx,
  ctx: CommandContext,
  matter: MatterRef,
  rows: readonly RatingWrite[],
  options: WriteOptions,
): Promise<SaveAssessmentsResult> {
  if (!options.ratingsLocked) await lockMatterRatings(tx, matter.id);
  const scale = await loadScale(tx, matter.id);
  const codes = new Set(scale.levels.map((l) => l.code));
  const provisionIds = [...new Set(rows.map((r) => r.provisionId))];
  const documentIds = [...new Set(rows.flatMap((r) => r.evidence?.map((e) => e.documentId) ?? []))];
  // One query at a time: a transaction has one connection (and PGlite runs one query at a time).
  const provisions = await queryRows<{ id: string }>(
    tx,
    sql`select id from provisions where matter_id = ${matter.id} and id in ${asJsonList(provisionIds)}`,
  );
  const periods = await queryRows<{ id: string }>(
    tx,
    sql`select id from reporting_periods where matter_id = ${matter.id}`,
  );
  const documents = documentIds.length
    ? await queryRows<{ id: string }>(
        tx,
        sql`select id from documents where matter_id = ${matter.id} and id in ${asJsonList(documentIds)}`,
      )
    : [];
  const knownProvisions = new Set(provisions.map((p) => p.id));
  const knownPeriods = new Set(periods.map((p) => p.id));
  const knownDocuments = new Set(documents.map((d) => d.id));
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    if (r.level !== null && !codes.has(r.level))
      errors.push({
        path: options.pathOf(i, "level"),
        message: `"${r.level}" is not a level of this matter's scale; the levels are ${describeLevels(scale.levels)}`,
        allowed: [...codes],
      });
    if (!knownProvisions.has(r.provisionId))
      errors.push({ path: options.pathOf(i, "provisionId"), message: "Not a provision of this matter" });
    if (!knownPeriods.has(r.periodId))
      errors.push({ path: options.pathOf(i, "periodId"), message: "Not a reporting period of this matter" });
    for (const e of r.evidence ?? [])
      if (!knownDocuments.has(e.documentId))
        errors.push({
          path: options.pathOf(i, "evidence"),
          message: `The document ${e.documentId} is not a document of this matter`,
        });
    const key = keyOf(r);
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({
        path: options.pathOf(i, "provisionId"),
        message: `Rates the same provision for the same period and rater as ${options.rowOf(first)}`,
      });
    else seen.set(key, i);
  });
  if (errors.length) throw options.invalid(errors.slice(0, MAX_ERRORS));
  // Any node of the outline can be rated, a heading too: some raters rate a section as a whole
  // (the Suffolk County assessments rate "III. Bias-Free Policing" and its lettered subsections).

  const keys = JSON.stringify(rows.map((r) => ({ p: r.provisionId, q: r.periodId, r: r.rater })));
  const stored = await queryRows<StoredVersion>(
    tx,
    sql`select a.provision_id as "provisionId", a.period_id as "periodId", a.rater, a.level, a.rationale,
          a.evidence, a.version, a.rated_at as "ratedAt"
        from assessments a join jsonb_to_recordset(${keys}::jsonb) as x(p uuid, q uuid, r text)
          on a.provision_id = x.p and a.period_id = x.q and a.rater = x.r
        for update of a`,
  );
  const current = new Map(stored.map((s) => [keyOf(s), s]));
  // The audit entry's before holds the ratings without their bookkeeping.
  const old = new Map(stored.map(({ version: _v, ratedAt: _r, ...s }) => [keyOf(s), s as Stored]));
  // Optimistic concurrency per rating: a row based on a version that is no longer current (someone
  // saved it meanwhile) refuses the whole save, with the current ratings to choose from.
  const stale = rows.flatMap((r, i) => {
    if (r.version === undefined) return [];
    const prior = current.get(keyOf(r));
    return (prior?.version ?? 0) === r.version ? [] : [{ i, r, prior }];
  });
  if (stale.length)
    throw appError(
      "version_conflict",
      `${stale.length === 1 ? "A rating was" : `${stale.length} ratings were`} changed by someone else since you loaded them; nothing was saved. Reload them and apply your changes again.`,
      {
        errors: stale.slice(0, MAX_ERRORS).map(({ i, prior }) => ({
          path: options.pathOf(i, "version"),
          message: prior ? `Now version ${prior.version} (${prior.level})` : "The rating was removed",
        })),
        current: {
          items: stale.map(({ r, prior }) => ({
            provisionId: r.provisionId,
            periodId: r.periodId,
            rater: r.rater,
            assessment: prior
              ? {
                  rater: prior.rater,
                  level: prior.level,
                  rationale: prior.rationale,
                  evidence: prior.evidence,
                  version: prior.version,
                  ratedAt: new Date(prior.ratedAt).toISOString(),
                }
              : null,
          })),
        },
      },
    );
  const result: SaveAssessmentsResult = { created: 0, updated: 0, removed: 0, unchanged: 0 };
  const upserts: Stored[] = [];
  const removals: Stored[] = [];
  const before: Stored[] = [];
  const deltas: RollupDelta[] = [];
  // The roll-ups, provision states and movement are the official figures: the monitor's ratings
  // alone (see refreshComplianceRollups). Other raters' ratings are stored and shown beside them.
  const counted = (r: { rater: Rater }) => r.rater === OFFICIAL_RATER;
  for (const r of rows) {
    const prior = old.get(keyOf(r));
    if (r.level === null) {
      if (!prior) {
        result.unchanged++;
        continue;
      }
      result.removed++;
      removals.push(prior);
      before.push(prior);
      if (counted(r))
        deltas.push({ provisionId: r.provisionId, periodId: r.periodId, level: prior.level, delta: -1 });
      continue;
    }
    const next: Stored = {
      provisionId: r.provisionId,
      periodId: r.periodId,
      rater: r.rater,
      level: r.level,
      rationale: r.rationale === undefined ? (prior?.rationale ?? null) : r.rationale || null,
      evidence: r.evidence ?? prior?.evidence ?? [],
    };
    if (
      prior &&
      prior.level === next.level &&
      prior.rationale === next.rationale &&
      canonical(prior.evidence) === canonical(next.evidence)
    ) {
      result.unchanged++;
      continue;
    }
    upserts.push(next);
    if (prior) {
      result.updated++;
      before.push(prior);
    } else result.created++;
    if (counted(r) && prior?.level !== next.level) {
      if (prior)
        deltas.push({ provisionId: r.provisionId, periodId: r.periodId, level: prior.level, delta: -1 });
      deltas.push({ provisionId: r.provisionId, periodId: r.periodId, level: next.level, delta: 1 });
    }
  }

  if (upserts.length) {
    const json = JSON.stringify(
      upserts.map((u) => ({
        p: u.provisionId,
        q: u.periodId,
        w: u.rater,
        l: u.level,
        r: u.rationale,
        e: JSON.parse(canonical(u.evidence)),
      })),
    );
    await tx.execute(
      sql`insert into assessments (provision_id, period_id, rater, level, rationale, evidence, rated_by)
          select x.p, x.q, x.w, x.l, x.r, coalesce(x.e, '[]'::jsonb), ${ctx.actor}
          from jsonb_to_recordset(${json}::jsonb) as x(p uuid, q uuid, w text, l text, r text, e jsonb)
          on conflict (provision_id, period_id, rater) do update set level = excluded.level, rationale = excluded.rationale,
            evidence = excluded.evidence, rated_by = excluded.rated_by, rated_at = now(), version = assessments.version + 1`,
    );
  }
  if (removals.length) {
    const json = JSON.stringify(removals.map((r) => ({ p: r.provisionId, q: r.periodId, w: r.rater })));
    await tx.execute(
      sql`delete from assessments a using jsonb_to_recordset(${json}::jsonb) as x(p uuid, q uuid, w text)
          where a.provision_id = x.p and a.period_id = x.q and a.rater = x.w`,
    );
  }
  await applyRollupDeltas(tx, matter.id, deltas);
  if (deltas.length) {
    const touched = [...new Set(deltas.map((d) => d.provisionId))];
    await refreshProvisionStates(tx, matter.id, qualifyingLevels(scale.levels, scale.sustainment), touched);
    await refreshMatterSummary(tx, matter.id);
  } else if (upserts.length || removals.length) {
    // Only other raters' ratings changed: the figures stand, the view's list of them does not.
    await storeMatterView(tx, matter.id);
  }
  if (upserts.length || removals.length) {
    await recordAudit(tx, ctx, {
      action: options.action,
      entity: "matter",
      entityId: matter.id,
      before: { ratings: before },
      after: {
        ...result,
        ...options.auditExtra,
        ratings: [
          ...upserts,
          ...removals.map((r) => ({
            provisionId: r.provisionId,
            periodId: r.periodId,
            rater: r.rater,
            level: null,
          })),
        ],
      },
    });
  }
  return result;
}

export type SaveAssessmentsOptions = SaveAssessments & {
  /** The matter (id or slug), read through the caller's scope. */
  key: string;
};

/** The grid's save: up to 5,000 ratings of one matter in one transaction, all or none. */
export async function saveAssessments(
  { key, ...input }: SaveAssessmentsOptions,
  ctx: CommandContext,
): Promise<SaveAssessmentsResult> {
  const data = SaveAssessmentsSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatterRef(withDb(ctx, tx), key);
    return writeAssessments(tx, ctx, matter, data.items, {
      action: "ASSESSMENTS_SAVED",
      pathOf: (i, field) => `items.${i}.${field}`,
      rowOf: (i) => `items.${i}`,
      invalid: (errors) =>
        appError(
          "validation_failed",
          `Invalid rating at ${errors[0]!.path}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}; nothing was saved`,
          { errors },
        ),
    });
  });
}
