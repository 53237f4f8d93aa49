import type { Cycle } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { statusAsOfJoin } from "../../matters/index.js";
import { getCycle } from "../queries/cycles.js";

export interface StartCycleOptions {
  /** The cycle's id or slug. */
  key: string;
  /**
   * The version the caller read (If-Match): starting fixes the scope and criteria, so it must be
   * the cycle as its starter saw it, not one someone changed meanwhile.
   */
  version: number;
}

/** Starts a cycle: one review per matter in its scope, none assigned yet. */
export async function startCycle({ key, version }: StartCycleOptions, ctx: CommandContext): Promise<Cycle> {
  return ctx.db.transaction(async (tx) => {
    const inTx = withDb(ctx, tx);
    const cycle = await getCycle(inTx, key, true);
    if (cycle.version !== version) throw versionConflict("review cycle", cycle);
    if (cycle.status !== "draft") {
      throw appError(
        "cycle_started",
        `The cycle is already ${cycle.status === "active" ? "under way" : "closed"}`,
      );
    }
    if (!cycle.criteria.length) {
      throw appError("validation_failed", "Give the cycle at least one criterion before starting it", {
        errors: [{ path: "criteria", message: "At least one criterion" }],
      });
    }
    const { kinds, statuses } = cycle.scope;
    // Every matter in the cycle's scope, whoever starts it: a cycle reviews the whole registry.
    // With an as-of day, the portfolio as it stood then: matters begun by then, their status then.
    const status = sql.raw(cycle.asOf ? "sa.status" : "m.status");
    const created = await queryRows<{ id: string }>(
      tx,
      sql`insert into reviews (cycle_id, matter_id)
          select ${cycle.id}, m.id from matters m ${cycle.asOf ? statusAsOfJoin(cycle.asOf) : sql``}
          where (${kinds.length === 0} or m.kind = any(${`{${kinds.join(",")}}`}::text[]))
            and (${statuses.length === 0} or ${status} = any(${`{${statuses.join(",")}}`}::text[]))
            ${cycle.asOf ? sql`and sa.begun` : sql``}
          returning id`,
    );
    await tx.execute(
      sql`update review_cycles set status = 'active', started_at = now(), version = version + 1, updated_at = now()
          where id = ${cycle.id}`,
    );
    const after = await getCycle(inTx, cycle.id);
    await recordAudit(tx, ctx, {
      action: "CYCLE_STARTED",
      entity: "review_cycle",
      entityId: cycle.id,
      before: { status: cycle.status },
      after: { status: after.status, reviews: created.length },
    });
    return after;
  });
}
