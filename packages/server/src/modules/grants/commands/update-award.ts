import { type Award, type UpdateAward, UpdateAwardSchema } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { awards } from "../../../db/schema.js";
import { fieldError } from "../../agencies/index.js";
import { recordAudit } from "../../audit/index.js";
import { getAward } from "../queries.js";
import {
  assertAgencyOf,
  assertJurisdiction,
  assertMatters,
  assertSlugFree,
  setAwardMatters,
} from "./checks.js";

export interface UpdateAwardOptions {
  /** The award's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateAward;
}

/** Changes an award; its agency must stay one of its jurisdiction's. */
export async function updateAward(
  { key, version, changes }: UpdateAwardOptions,
  ctx: CommandContext,
): Promise<Award> {
  const { matterIds, amount, ...data } = UpdateAwardSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const found = await getAward(read, key);
    // Lock the row, then read it again: the version compared is the one the change will replace.
    await tx.execute(sql`select 1 from awards where id = ${found.id} for update`);
    const before = await getAward(read, found.id);
    if (before.version !== version) throw versionConflict("award", before);
    // The rules that span fields are checked on the record as it will be.
    const amountMeaning = data.amountMeaning === undefined ? before.amountMeaning : data.amountMeaning;
    const newAmount = amount === undefined ? before.amount : amount;
    if (newAmount != null && !amountMeaning)
      throw fieldError(
        "amountMeaning",
        "Say what the amount is: the total award, a city's share, the amount at stake or withheld",
      );
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, "awards", data.slug);
    const jurisdictionId = data.jurisdictionId ?? before.jurisdiction.id;
    if (data.jurisdictionId) await assertJurisdiction(tx, data.jurisdictionId);
    const agencyId = data.agencyId === undefined ? (before.agency?.id ?? null) : data.agencyId;
    if (agencyId && (data.agencyId !== undefined || data.jurisdictionId))
      await assertAgencyOf(tx, agencyId, jurisdictionId);
    await assertMatters(tx, matterIds);
    await tx
      .update(awards)
      .set({
        ...data,
        ...(amount === undefined ? {} : { amount: amount == null ? null : String(amount) }),
        version: sql`${awards.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(awards.id, before.id));
    if (matterIds) await setAwardMatters(tx, before.id, matterIds);
    // An award's conditions are on the money of the award's place: they move with it.
    if (jurisdictionId !== before.jurisdiction.id)
      await tx.execute(
        sql`update conditions set jurisdiction_id = ${jurisdictionId}, version = version + 1, updated_at = now()
            where award_id = ${before.id}`,
      );
    const after = await getAward(read, before.id);
    await recordAudit(tx, ctx, {
      action: "AWARD_UPDATED",
      entity: "award",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
