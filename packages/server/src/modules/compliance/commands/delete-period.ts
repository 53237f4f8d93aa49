import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { getPeriod } from "../queries/periods.js";
import { lockMatterRatings } from "../rollups.js";
import { refreshStates } from "./period-checks.js";

export interface DeletePeriodOptions {
  id: string;
  /** The period's version the caller read (If-Match). */
  version: number;
  /** Delete its ratings too (a period that holds ratings is otherwise kept). */
  withRatings: boolean;
}

/**
 * Deletes a period. Its ratings (and their roll-ups) go with it, so a period that holds ratings is
 * deleted only when the caller says so (withRatings).
 */
export async function deletePeriod(
  { id, version: expectedVersion, withRatings }: DeletePeriodOptions,
  ctx: CommandContext,
): Promise<void> {
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const found = await getPeriod(read, id);
    await lockMatterRatings(tx, found.matterId);
    const before = await getPeriod(read, id, true);
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
