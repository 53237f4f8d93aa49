import { type Cycle, type UpdateCycle, UpdateCycleSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { getCycle } from "../queries/cycles.js";
import { assertDocument, assertSlugFree, replaceCriteria } from "./cycle-checks.js";

/** What may change once a cycle has started: its name, mandate and due date, not what is reviewed. */
const FIXED_AFTER_START = ["criteria", "ratingScale", "scope", "asOf"] as const;

export interface UpdateCycleOptions {
  /** The cycle's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateCycle;
}

/** Updates a cycle; its scope, scale and criteria only before it starts. */
export async function updateCycle(
  { key, version, changes }: UpdateCycleOptions,
  ctx: CommandContext,
): Promise<Cycle> {
  const data = UpdateCycleSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const inTx = withDb(ctx, tx);
    const before = await getCycle(inTx, key, true);
    if (before.version !== version) throw versionConflict("review cycle", before);
    const fixed = FIXED_AFTER_START.filter((f) => data[f] !== undefined);
    if (before.status !== "draft" && fixed.length) {
      throw appError(
        "cycle_started",
        `The cycle has started: its ${fixed.join(", ")} can no longer change (copy it to start the next one)`,
        { errors: fixed.map((f) => ({ path: f, message: "Fixed once the cycle has started" })) },
      );
    }
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, data.slug);
    await assertDocument(tx, data.mandateDocumentId);
    await tx.execute(
      sql`update review_cycles set
            slug = ${data.slug ?? before.slug},
            name = ${data.name ?? before.name},
            mandate = ${data.mandate === undefined ? before.mandate : data.mandate},
            mandate_url = ${data.mandateUrl === undefined ? before.mandateUrl : data.mandateUrl},
            mandate_document_id = ${data.mandateDocumentId === undefined ? (before.mandateDocument?.id ?? null) : data.mandateDocumentId},
            scope = ${JSON.stringify(data.scope ?? before.scope)}::jsonb,
            as_of = ${data.asOf === undefined ? before.asOf : data.asOf},
            due_on = ${data.dueOn === undefined ? before.dueOn : data.dueOn},
            rating_scale = ${JSON.stringify(data.ratingScale ?? before.ratingScale)}::jsonb,
            version = version + 1, updated_at = now()
          where id = ${before.id}`,
    );
    if (data.criteria) await replaceCriteria(tx, before.id, data.criteria);
    const after = await getCycle(inTx, before.id);
    await recordAudit(tx, ctx, {
      action: "CYCLE_UPDATED",
      entity: "review_cycle",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
