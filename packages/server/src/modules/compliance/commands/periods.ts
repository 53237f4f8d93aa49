import {
  type CreatePeriod,
  CreatePeriodSchema,
  type Period,
  qualifyingLevels,
  type UpdatePeriod,
  UpdatePeriodSchema,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import type { ReadScope } from "../../../context/read-scope.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/record-audit.js";
import { getMatterRef, getPeriod, loadScale } from "../queries.js";
import { lockMatterRatings, refreshProvisionStates } from "../rollups.js";
import { refreshMatterSummary } from "../summary.js";

/** Sustainment clocks are counted in period end dates: recount them when those change. */
async function refreshStates(tx: Tx, matterId: string) {
  const scale = await loadScale(tx, matterId);
  await refreshProvisionStates(tx, matterId, qualifyingLevels(scale.levels, scale.sustainment));
  await refreshMatterSummary(tx, matterId);
}

/*
 * Reporting periods: create, update and delete share the checks (a free label, a report that is a
 * document of the same matter), so they live together.
 */

async function assertLabelFree(tx: Tx, matterId: string, label: string, except: string | null = null) {
  const taken = await queryOne(
    tx,
    sql`select 1 from reporting_periods where matter_id = ${matterId} and lower(label) = ${label.toLowerCase()}
          and id is distinct from ${except}::uuid`,
  );
  if (taken)
    throw appError("label_taken", `This matter already has a reporting period "${label}"`, {
      errors: [{ path: "label", message: "Already in use" }],
    });
}

async function assertReportOfMatter(tx: Tx, matterId: string, documentId: string | null | undefined) {
  if (!documentId) return;
  const doc = await queryOne(
    tx,
    sql`select 1 from documents where id = ${documentId} and matter_id = ${matterId}`,
  );
  if (!doc)
    throw appError("validation_failed", "The report must be a document of this matter", {
      errors: [{ path: "reportDocumentId", message: "Not a document of this matter" }],
    });
}

export async function createPeriod(key: string, input: CreatePeriod, ctx: CommandContext, scope: ReadScope) {
  const data = CreatePeriodSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatterRef(tx, key, scope);
    await assertLabelFree(tx, matter.id, data.label);
    await assertReportOfMatter(tx, matter.id, data.reportDocumentId);
    const row = await queryOne<{ id: string }>(
      tx,
      sql`insert into reporting_periods (matter_id, label, starts_on, ends_on, report_document_id)
          values (${matter.id}, ${data.label}, ${data.startsOn ?? null}, ${data.endsOn}, ${data.reportDocumentId ?? null})
          returning id`,
    );
    const created = await getPeriod(tx, row!.id);
    await recordAudit(tx, ctx, {
      action: "PERIOD_CREATED",
      entity: "reporting_period",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

export async function updatePeriod(
  id: string,
  expectedVersion: number,
  input: UpdatePeriod,
  ctx: CommandContext,
  scope: ReadScope,
): Promise<Period> {
  const data = UpdatePeriodSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const found = await getPeriod(tx, id, scope);
    await lockMatterRatings(tx, found.matterId);
    const before = await getPeriod(tx, id, scope, true);
    if (before.version !== expectedVersion) throw versionConflict("reporting period", before);
    const next = {
      label: data.label ?? before.label,
      startsOn: data.startsOn === undefined ? before.startsOn : data.startsOn,
      endsOn: data.endsOn ?? before.endsOn,
      reportDocumentId:
        data.reportDocumentId === undefined ? (before.reportDocument?.id ?? null) : data.reportDocumentId,
    };
    if (next.startsOn && next.startsOn > next.endsOn)
      throw appError("validation_failed", "The period ends before it starts", {
        errors: [{ path: "endsOn", message: "Before startsOn" }],
      });
    if (next.label.toLowerCase() !== before.label.toLowerCase())
      await assertLabelFree(tx, before.matterId, next.label, before.id);
    await assertReportOfMatter(tx, before.matterId, next.reportDocumentId);
    await tx.execute(
      sql`update reporting_periods set label = ${next.label}, starts_on = ${next.startsOn}, ends_on = ${next.endsOn},
            report_document_id = ${next.reportDocumentId}, version = version + 1
          where id = ${before.id}`,
    );
    // Its dates and label order the periods: the clocks and the movement between the last two.
    if (before.ratings > 0) await refreshStates(tx, before.matterId);
    const after = await getPeriod(tx, before.id);
    await recordAudit(tx, ctx, {
      action: "PERIOD_UPDATED",
      entity: "reporting_period",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Deletes a period. Its ratings (and their roll-ups) go with it, so a period that holds ratings is
 * deleted only when the caller says so (withRatings).
 */
export async function deletePeriod(
  id: string,
  expectedVersion: number,
  withRatings: boolean,
  ctx: CommandContext,
  scope: ReadScope,
) {
  return ctx.db.transaction(async (tx) => {
    const found = await getPeriod(tx, id, scope);
    await lockMatterRatings(tx, found.matterId);
    const before = await getPeriod(tx, id, scope, true);
    if (before.version !== expectedVersion) throw versionConflict("reporting period", before);
    if (before.ratings > 0 && !withRatings)
      throw appError(
        "period_has_ratings",
        `The period "${before.label}" holds ${before.ratings} rating${before.ratings === 1 ? "" : "s"}: delete it with ?withRatings=true to delete them too`,
      );
    // The ratings and their roll-ups go by cascade.
    await tx.execute(sql`delete from reporting_periods where id = ${before.id}`);
    if (before.ratings > 0) await refreshStates(tx, before.matterId);
    await recordAudit(tx, ctx, {
      action: "PERIOD_DELETED",
      entity: "reporting_period",
      entityId: before.id,
      before,
    });
  });
}
