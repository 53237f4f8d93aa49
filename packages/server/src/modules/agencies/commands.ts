import {
  type Agency,
  type CreateAgency,
  CreateAgencySchema,
  type UpdateAgency,
  UpdateAgencySchema,
} from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import { agencies } from "../../db/schema.js";
import { recordAudit } from "../audit/record-audit.js";
import { getJurisdiction } from "../jurisdictions/queries.js";
import { refreshMatterSearch } from "../matters/search-text.js";
import { getAgency } from "./queries.js";

export async function createAgency(input: CreateAgency, ctx: CommandContext): Promise<Agency> {
  const data = CreateAgencySchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await getJurisdiction(tx, data.jurisdictionId).catch(() => {
      throw fieldError("jurisdictionId", "No such jurisdiction");
    });
    const [row] = await tx.insert(agencies).values(data).returning({ id: agencies.id });
    const created = await getAgency(tx, row!.id);
    await recordAudit(tx, ctx, {
      action: "AGENCY_CREATED",
      entity: "agency",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

export async function updateAgency(
  key: string,
  expectedVersion: number,
  input: UpdateAgency,
  ctx: CommandContext,
): Promise<Agency> {
  const data = UpdateAgencySchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getAgency(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("agency", before);
    if (data.jurisdictionId) {
      await getJurisdiction(tx, data.jurisdictionId).catch(() => {
        throw fieldError("jurisdictionId", "No such jurisdiction");
      });
    }
    await tx
      .update(agencies)
      .set({ ...data, version: sql`${agencies.version} + 1`, updatedAt: sql`now()` })
      .where(eq(agencies.id, before.id));
    if (data.name !== undefined) {
      await refreshMatterSearch(
        tx,
        sql`exists (select 1 from matter_agencies x where x.matter_id = m.id and x.agency_id = ${before.id})`,
      );
    }
    const after = await getAgency(tx, before.id);
    await recordAudit(tx, ctx, {
      action: "AGENCY_UPDATED",
      entity: "agency",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteAgency(key: string, expectedVersion: number, ctx: CommandContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getAgency(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("agency", before);
    if (before.matterCount > 0) {
      throw appError("agency_in_use", `${before.name} is party to ${before.matterCount} matter(s)`);
    }
    await tx.delete(agencies).where(eq(agencies.id, before.id));
    await recordAudit(tx, ctx, { action: "AGENCY_DELETED", entity: "agency", entityId: before.id, before });
  });
}

export const fieldError = (path: string, message: string) =>
  appError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });
