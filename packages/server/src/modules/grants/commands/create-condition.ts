import { type Condition, type CreateCondition, CreateConditionSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { conditionChanges, conditions } from "../../../db/schema.js";
import { queryOne } from "../../../db/sql.js";
import { fieldError } from "../../agencies/index.js";
import { recordAudit } from "../../audit/index.js";
import { getCondition } from "../queries.js";
import { assertJurisdiction, assertSlugFree } from "./checks.js";

/** Creates a condition with its first status, on an award or on a place's money under a program. */
export async function createCondition(input: CreateCondition, ctx: CommandContext): Promise<Condition> {
  const { awardId, jurisdictionId, date, note, sources, status, ...data } =
    CreateConditionSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, "conditions", data.slug);
    let placeId = jurisdictionId ?? null;
    if (awardId) {
      const award = await queryOne<{ jurisdictionId: string }>(
        tx,
        sql`select jurisdiction_id as "jurisdictionId" from awards where id = ${awardId}`,
      );
      if (!award) throw fieldError("awardId", "No such award");
      if (placeId && placeId !== award.jurisdictionId)
        throw fieldError("jurisdictionId", "The award is of another jurisdiction");
      placeId = award.jurisdictionId;
    }
    if (!placeId)
      throw fieldError("jurisdictionId", "Give the jurisdiction when the condition is on no award");
    await assertJurisdiction(tx, placeId);
    const [row] = await tx
      .insert(conditions)
      .values({ ...data, awardId: awardId ?? null, jurisdictionId: placeId, status, statusOn: date })
      .returning({ id: conditions.id });
    const id = row!.id;
    await tx
      .insert(conditionChanges)
      .values({ conditionId: id, position: 0, status, date, note: note ?? null, sources: sources ?? [] });
    const created = await getCondition(unscoped(withDb(ctx, tx)), id);
    await recordAudit(tx, ctx, {
      action: "CONDITION_CREATED",
      entity: "condition",
      entityId: id,
      after: created,
    });
    return created;
  });
}
