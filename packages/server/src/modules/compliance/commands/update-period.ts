import { type Period, type UpdatePeriod, UpdatePeriodSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { getPeriod } from "../queries/periods.js";
import { lockMatterRatings } from "../rollups.js";
import { assertLabelFree, assertReportOfMatter, refreshStates } from "./period-checks.js";

export interface UpdatePeriodOptions {
  id: string;
  /** The period's version the caller read (If-Match). */
  version: number;
  changes: UpdatePeriod;
}

/** Updates a reporting period's label, dates or report. */
export async function updatePeriod(
  { id, version: expectedVersion, changes }: UpdatePeriodOptions,
  ctx: CommandContext,
): Promise<Period> {
  const data = UpdatePeriodSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const found = await getPeriod(read, id);
    await lockMatterRatings(tx, found.matterId);
    const before = await getPeriod(read, id, true);
    if (before.version !== expectedVersion) throw versionConflict("reporting period", before);
    const next = {
      label: data.label ?? before.label,
      startsOn: data.startsOn === undefined ? before.startsOn : data.startsOn,
      endsOn: data.endsOn ?? before.endsOn,
      reportDocumentId:
        data.reportDocumentId === undefined ? (before.reportDocument?.id ?? null) : data.reportDocumentId,
    };
    if (next.startsOn && next.endsOn && next.startsOn > next.endsOn)
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
    // The period just written, whatever the caller's scope: the audit snapshot and the answer.
    const after = await getPeriod(unscoped(read), before.id);
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
