import { type Agency, type CreateAgency, CreateAgencySchema } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { agencies } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getJurisdiction } from "../../jurisdictions/index.js";
import { getAgency } from "../queries.js";
import { fieldError } from "./field-error.js";

export async function createAgency(input: CreateAgency, ctx: CommandContext): Promise<Agency> {
  const data = CreateAgencySchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    await getJurisdiction(read, data.jurisdictionId).catch(() => {
      throw fieldError("jurisdictionId", "No such jurisdiction");
    });
    const [row] = await tx.insert(agencies).values(data).returning({ id: agencies.id });
    const created = await getAgency(read, row!.id);
    await recordAudit(tx, ctx, {
      action: "AGENCY_CREATED",
      entity: "agency",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}
