import {
  type CreateJurisdiction,
  CreateJurisdictionSchema,
  type Jurisdiction,
  type UpdateJurisdiction,
  UpdateJurisdictionSchema,
} from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import { jurisdictions } from "../../db/schema.js";
import { recordAudit } from "../audit/record-audit.js";
import { refreshMatterSearch } from "../matters/search-text.js";
import { getJurisdiction } from "./queries.js";

export async function createJurisdiction(
  input: CreateJurisdiction,
  ctx: CommandContext,
): Promise<Jurisdiction> {
  const data = CreateJurisdictionSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, data.slug);
    const [row] = await tx.insert(jurisdictions).values(data).returning({ id: jurisdictions.id });
    const created = await getJurisdiction(tx, row!.id);
    await recordAudit(tx, ctx, {
      action: "JURISDICTION_CREATED",
      entity: "jurisdiction",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

export async function updateJurisdiction(
  key: string,
  expectedVersion: number,
  input: UpdateJurisdiction,
  ctx: CommandContext,
): Promise<Jurisdiction> {
  const data = UpdateJurisdictionSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getJurisdiction(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("jurisdiction", before);
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, data.slug);
    await tx
      .update(jurisdictions)
      .set({ ...data, version: sql`${jurisdictions.version} + 1`, updatedAt: sql`now()` })
      .where(eq(jurisdictions.id, before.id));
    if (data.name !== undefined || data.stateCode !== undefined) {
      await refreshMatterSearch(tx, sql`m.jurisdiction_id = ${before.id}`);
    }
    const after = await getJurisdiction(tx, before.id);
    await recordAudit(tx, ctx, {
      action: "JURISDICTION_UPDATED",
      entity: "jurisdiction",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteJurisdiction(
  key: string,
  expectedVersion: number,
  ctx: CommandContext,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getJurisdiction(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("jurisdiction", before);
    if (before.matterCount > 0) {
      throw appError(
        "jurisdiction_in_use",
        `${before.name} has ${before.matterCount} matter(s); move or delete them first`,
      );
    }
    const inUse = await tx.execute(sql`select 1 from agencies where jurisdiction_id = ${before.id} limit 1`);
    if ((inUse as unknown as { rows: unknown[] }).rows.length > 0) {
      throw appError("jurisdiction_in_use", `${before.name} still has agencies; move or delete them first`);
    }
    await tx.delete(jurisdictions).where(eq(jurisdictions.id, before.id));
    await recordAudit(tx, ctx, {
      action: "JURISDICTION_DELETED",
      entity: "jurisdiction",
      entityId: before.id,
      before,
    });
  });
}

async function assertSlugFree(tx: Parameters<typeof getJurisdiction>[0], slug: string) {
  const r = await tx.execute(sql`select 1 from jurisdictions where slug = ${slug}`);
  if ((r as unknown as { rows: unknown[] }).rows.length > 0) {
    throw appError("slug_taken", `A jurisdiction already has the slug "${slug}"`, {
      errors: [{ path: "slug", message: "Already in use" }],
    });
  }
}
