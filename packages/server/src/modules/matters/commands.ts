import {
  type CreateMatter,
  CreateMatterSchema,
  canTransition,
  isStatusAllowed,
  MATTER_STATUS_LABELS,
  type Matter,
  type MatterKind,
  type MatterRelation,
  type MatterStatus,
  statusesFor,
  type UpdateMatter,
  UpdateMatterSchema,
} from "@accord/domain";
import { and, eq, sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import type { Tx } from "../../db/open.js";
import { matterAgencies, matterRelations, matters } from "../../db/schema.js";
import { list, queryRows } from "../../db/sql.js";
import { fieldError } from "../agencies/commands.js";
import { recordAudit } from "../audit/record-audit.js";
import { findJurisdiction } from "../jurisdictions/queries.js";
import { getMatter } from "./queries.js";
import { refreshMatterSearch } from "./search-text.js";

function assertStatusAllowed(kind: MatterKind, status: MatterStatus) {
  if (!isStatusAllowed(kind, status)) {
    throw appError("validation_failed", `A ${kind.replaceAll("_", " ")} cannot have the status "${status}"`, {
      errors: [
        { path: "status", message: "Not a status of this kind of matter", allowed: statusesFor(kind) },
      ],
    });
  }
}

async function assertReferences(
  tx: Tx,
  data: { jurisdictionId?: string | undefined; agencyIds?: string[] | undefined },
) {
  if (data.jurisdictionId && !(await findJurisdiction(tx, data.jurisdictionId))) {
    throw fieldError("jurisdictionId", "No such jurisdiction");
  }
  if (data.agencyIds?.length) {
    const found = await queryRows<{ id: string }>(
      tx,
      sql`select id from agencies where id in (${list(data.agencyIds)})`,
    );
    const known = new Set(found.map((r) => r.id));
    const i = data.agencyIds.findIndex((id) => !known.has(id));
    if (i >= 0) throw fieldError(`agencyIds.${i}`, "No such agency");
  }
}

async function setAgencies(tx: Tx, matterId: string, agencyIds: string[]) {
  await tx.delete(matterAgencies).where(eq(matterAgencies.matterId, matterId));
  const unique = [...new Set(agencyIds)];
  if (unique.length) {
    await tx
      .insert(matterAgencies)
      .values(unique.map((agencyId, position) => ({ matterId, agencyId, position })));
  }
}

async function assertSlugFree(tx: Tx, slug: string) {
  const rows = await queryRows(tx, sql`select 1 from matters where slug = ${slug}`);
  if (rows.length) {
    throw appError("slug_taken", `A matter already has the slug "${slug}"`, {
      errors: [{ path: "slug", message: "Already in use" }],
    });
  }
}

export async function createMatter(input: CreateMatter, ctx: CommandContext): Promise<Matter> {
  const { agencyIds, ...data } = CreateMatterSchema.parse(input);
  assertStatusAllowed(data.kind, data.status);
  return ctx.db.transaction(async (tx) => {
    await assertSlugFree(tx, data.slug);
    await assertReferences(tx, { jurisdictionId: data.jurisdictionId, agencyIds });
    const [row] = await tx.insert(matters).values(data).returning({ id: matters.id });
    const id = row!.id;
    await setAgencies(tx, id, agencyIds ?? []);
    await refreshMatterSearch(tx, sql`m.id = ${id}`);
    const created = await getMatter(tx, id);
    await recordAudit(tx, ctx, { action: "MATTER_CREATED", entity: "matter", entityId: id, after: created });
    return created;
  });
}

export async function updateMatter(
  key: string,
  expectedVersion: number,
  input: UpdateMatter,
  ctx: CommandContext,
): Promise<Matter> {
  const { agencyIds, ...data } = UpdateMatterSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getMatter(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("matter", before);
    const kind = data.kind ?? before.kind;
    const status = data.status ?? before.status;
    assertStatusAllowed(kind, status);
    if (kind === before.kind && !canTransition(kind, before.status, status)) {
      throw appError(
        "status_transition_not_allowed",
        `A matter that is "${MATTER_STATUS_LABELS[before.status]}" cannot become "${MATTER_STATUS_LABELS[status]}"`,
        { errors: [{ path: "status", message: "Not allowed from the current status" }] },
      );
    }
    if (data.slug && data.slug !== before.slug) await assertSlugFree(tx, data.slug);
    await assertReferences(tx, { jurisdictionId: data.jurisdictionId, agencyIds });
    await tx
      .update(matters)
      .set({ ...data, version: sql`${matters.version} + 1`, updatedAt: sql`now()` })
      .where(eq(matters.id, before.id));
    if (agencyIds) await setAgencies(tx, before.id, agencyIds);
    await refreshMatterSearch(tx, sql`m.id = ${before.id}`);
    const after = await getMatter(tx, before.id);
    await recordAudit(tx, ctx, {
      action: "MATTER_UPDATED",
      entity: "matter",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteMatter(key: string, expectedVersion: number, ctx: CommandContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getMatter(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("matter", before);
    const reviewed = await queryRows(tx, sql`select 1 from reviews where matter_id = ${before.id} limit 1`);
    if (reviewed.length)
      throw appError(
        "matter_reviewed",
        "This matter has been reviewed: its reviews keep it, so it cannot be deleted (change its status instead)",
      );
    const documented = await queryRows(
      tx,
      sql`select 1 from documents where matter_id = ${before.id} limit 1`,
    );
    if (documented.length)
      throw appError(
        "matter_has_documents",
        "This matter has documents: delete them first (or change the matter's status instead)",
      );
    await tx.delete(matters).where(eq(matters.id, before.id));
    await recordAudit(tx, ctx, { action: "MATTER_DELETED", entity: "matter", entityId: before.id, before });
  });
}

/** A change of relations is a change of the matter: its version goes up and it is audited. */
async function recordRelationChange(
  tx: Tx,
  ctx: CommandContext,
  before: Matter,
  action: "MATTER_RELATED" | "MATTER_UNRELATED",
): Promise<Matter> {
  await tx
    .update(matters)
    .set({ version: sql`${matters.version} + 1`, updatedAt: sql`now()` })
    .where(eq(matters.id, before.id));
  const after = await getMatter(tx, before.id);
  await recordAudit(tx, ctx, {
    action,
    entity: "matter",
    entityId: before.id,
    before: { related: before.related },
    after: { related: after.related },
  });
  return after;
}

/** Links two matters (e.g. the investigation that led to a decree). Bumps the version of `key`. */
export async function relateMatters(
  key: string,
  relatedKey: string,
  relation: MatterRelation,
  ctx: CommandContext,
): Promise<Matter> {
  return ctx.db.transaction(async (tx) => {
    const from = await getMatter(tx, key, true);
    const to = await getMatter(tx, relatedKey).catch(() => {
      throw fieldError("relatedId", "No such matter");
    });
    if (from.id === to.id) throw fieldError("relatedId", "A matter cannot be related to itself");
    await tx
      .insert(matterRelations)
      .values({ fromMatterId: from.id, toMatterId: to.id, relation })
      .onConflictDoUpdate({
        target: [matterRelations.fromMatterId, matterRelations.toMatterId],
        set: { relation },
      });
    return recordRelationChange(tx, ctx, from, "MATTER_RELATED");
  });
}

export async function unrelateMatters(key: string, relatedKey: string, ctx: CommandContext): Promise<Matter> {
  return ctx.db.transaction(async (tx) => {
    const from = await getMatter(tx, key, true);
    const to = await getMatter(tx, relatedKey);
    const deleted = await tx
      .delete(matterRelations)
      .where(
        sql`(${and(eq(matterRelations.fromMatterId, from.id), eq(matterRelations.toMatterId, to.id))}) or (${and(
          eq(matterRelations.fromMatterId, to.id),
          eq(matterRelations.toMatterId, from.id),
        )})`,
      )
      .returning({ from: matterRelations.fromMatterId });
    if (deleted.length === 0) throw appError("not_found", `${from.slug} is not related to ${to.slug}`);
    return recordRelationChange(tx, ctx, from, "MATTER_UNRELATED");
  });
}
