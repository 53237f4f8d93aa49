import { type Award, type CreateAward, CreateAwardSchema } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { awards } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getAward } from "../queries.js";
import {
  assertAgencyOf,
  assertJurisdiction,
  assertMatters,
  assertSlugFree,
  setAwardMatters,
} from "./checks.js";

export async function createAward(input: CreateAward, ctx: CommandContext): Promise<Award> {
  const { matterIds, amount, ...data } = CreateAwardSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, "awards", data.slug);
    await assertJurisdiction(tx, data.jurisdictionId);
    if (data.agencyId) await assertAgencyOf(tx, data.agencyId, data.jurisdictionId);
    await assertMatters(tx, matterIds);
    const [row] = await tx
      .insert(awards)
      .values({ ...data, amount: amount == null ? amount : String(amount) })
      .returning({ id: awards.id });
    const id = row!.id;
    await setAwardMatters(tx, id, matterIds ?? []);
    const created = await getAward(unscoped(withDb(ctx, tx)), id);
    await recordAudit(tx, ctx, { action: "AWARD_CREATED", entity: "award", entityId: id, after: created });
    return created;
  });
}
