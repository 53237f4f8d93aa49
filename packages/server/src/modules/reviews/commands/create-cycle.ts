import { type CreateCycle, CreateCycleSchema, type Cycle } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getCycle } from "../queries/cycles.js";
import { assertDocument, assertSlugFree, replaceCriteria } from "./cycle-checks.js";

export interface CreateCycleOptions {
  cycle: CreateCycle;
  /** The cycle this one is a copy of (audited as CYCLE_COPIED). */
  copiedFromId?: string | null;
}

/** A new review cycle in preparation: its criteria are editable until it starts. */
export async function createCycle(
  { cycle, copiedFromId = null }: CreateCycleOptions,
  ctx: CommandContext,
): Promise<Cycle> {
  const data = CreateCycleSchema.parse(cycle);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, data.slug);
    await assertDocument(tx, data.mandateDocumentId);
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into review_cycles (slug, name, mandate, mandate_url, mandate_document_id, scope, as_of, due_on, rating_scale, copied_from_id)
          values (${data.slug}, ${data.name}, ${data.mandate ?? null}, ${data.mandateUrl ?? null}, ${data.mandateDocumentId ?? null},
            ${JSON.stringify(data.scope)}::jsonb, ${data.asOf ?? null}, ${data.dueOn ?? null}, ${JSON.stringify(data.ratingScale)}::jsonb, ${copiedFromId})
          returning id`,
    );
    await replaceCriteria(tx, row!.id, data.criteria);
    const created = await getCycle(withDb(ctx, tx), row!.id);
    await recordAudit(tx, ctx, {
      action: copiedFromId ? "CYCLE_COPIED" : "CYCLE_CREATED",
      entity: "review_cycle",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}
