import { type CreateMatter, CreateMatterSchema, type Matter } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { matters } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getMatter } from "../queries.js";
import { refreshMatterSearch } from "../search-text.js";
import { assertReferences, assertSlugFree, assertStatusAllowed, setAgencies } from "./checks.js";

export async function createMatter(input: CreateMatter, ctx: CommandContext): Promise<Matter> {
  const { agencyIds, ...data } = CreateMatterSchema.parse(input);
  assertStatusAllowed(data.kind, data.status);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, data.slug);
    await assertReferences(tx, ctx, { jurisdictionId: data.jurisdictionId, agencyIds });
    const [row] = await tx.insert(matters).values(data).returning({ id: matters.id });
    const id = row!.id;
    await setAgencies(tx, id, agencyIds ?? []);
    await refreshMatterSearch(tx, sql`m.id = ${id}`);
    const created = await getMatter(unscoped(withDb(ctx, tx)), id);
    await recordAudit(tx, ctx, { action: "MATTER_CREATED", entity: "matter", entityId: id, after: created });
    return created;
  });
}
