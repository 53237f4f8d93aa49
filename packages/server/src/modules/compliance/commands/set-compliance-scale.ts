import { qualifyingLevels, type SetComplianceScale, SetComplianceScaleSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatterRef } from "../../provisions/index.js";
import { lockMatterRatings, refreshProvisionStates } from "../rollups.js";
import { loadScale, presentScale, type Scale } from "../scale.js";
import { refreshMatterSummary } from "../summary.js";

export interface SetComplianceScaleOptions {
  /** The matter (id or slug), read through the caller's scope. */
  key: string;
  /** The scale's version the caller read (If-Match; 0 for the default one). */
  version: number;
  scale: SetComplianceScale;
}

/**
 * Sets a matter's compliance scale (version 0 is the default one). A level that ratings use
 * cannot be removed: their counts would belong to nothing.
 */
export async function setComplianceScale(
  { key, version: expectedVersion, scale }: SetComplianceScaleOptions,
  ctx: CommandContext,
): Promise<Scale> {
  const data = SetComplianceScaleSchema.parse(scale);
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatterRef(withDb(ctx, tx), key);
    await lockMatterRatings(tx, matter.id);
    const before = await loadScale(tx, matter.id, true);
    if (before.version !== expectedVersion)
      throw versionConflict("compliance scale", presentScale(before, true));
    const kept = new Set(data.levels.map((l) => l.code));
    const removed = before.levels.map((l) => l.code).filter((c) => !kept.has(c));
    if (removed.length) {
      const used = await queryRows<{ level: string; n: number }>(
        tx,
        sql`select a.level, count(*)::int as n from assessments a join provisions p on p.id = a.provision_id
            where p.matter_id = ${matter.id}
              and a.level in (select value from jsonb_array_elements_text(${JSON.stringify(removed)}::jsonb))
            group by a.level order by a.level`,
      );
      if (used.length) {
        const what = used.map((u) => `"${u.level}" (${u.n} rating${u.n === 1 ? "" : "s"})`).join(", ");
        throw appError(
          "level_in_use",
          `The level${used.length === 1 ? "" : "s"} ${what} ${used.length === 1 ? "is" : "are"} used by ratings of this matter and cannot be removed: change those ratings first`,
          {
            errors: used.map((u) => ({ path: "levels", message: `"${u.level}" is used by ${u.n} ratings` })),
          },
        );
      }
    }
    await tx.execute(
      sql`insert into compliance_scales (matter_id, levels, sustainment)
          values (${matter.id}, ${JSON.stringify(data.levels)}::jsonb, ${data.sustainment ? JSON.stringify(data.sustainment) : null}::jsonb)
          on conflict (matter_id) do update set levels = excluded.levels, sustainment = excluded.sustainment,
            version = compliance_scales.version + 1, updated_at = now()`,
    );
    const after = await loadScale(tx, matter.id);
    // Which levels count toward the sustainment rule may have changed.
    await refreshProvisionStates(tx, matter.id, qualifyingLevels(after.levels, after.sustainment));
    await refreshMatterSummary(tx, matter.id);
    await recordAudit(tx, ctx, {
      action: "COMPLIANCE_SCALE_SET",
      entity: "matter",
      entityId: matter.id,
      before: { levels: before.levels, sustainment: before.sustainment, isDefault: before.isDefault },
      after: { levels: after.levels, sustainment: after.sustainment },
    });
    return after;
  });
}
