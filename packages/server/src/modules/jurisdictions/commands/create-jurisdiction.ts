import { type CreateJurisdiction, CreateJurisdictionSchema, type Jurisdiction } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { jurisdictions } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getJurisdiction } from "../queries.js";
import { assertSlugFree } from "./assert-slug-free.js";

export async function createJurisdiction(
  input: CreateJurisdiction,
  ctx: CommandContext,
): Promise<Jurisdiction> {
  const data = CreateJurisdictionSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, data.slug);
    const [row] = await tx.insert(jurisdictions).values(data).returning({ id: jurisdictions.id });
    const created = await getJurisdiction(unscoped(withDb(ctx, tx)), row!.id);
    await recordAudit(tx, ctx, {
      action: "JURISDICTION_CREATED",
      entity: "jurisdiction",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}
