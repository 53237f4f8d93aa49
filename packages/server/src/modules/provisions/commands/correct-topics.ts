import { type Provision, type Topic, TopicsCorrectionSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { CommandContext } from "../../../context/command-context.js";
import { ALL } from "../../../context/read-scope.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/record-audit.js";
import { refreshComplianceRollups } from "../../compliance/index.js";
import { topicsInForce } from "../provisions.presenter.js";
import { getProvision, getProvisionRow } from "../queries.js";

/**
 * Sets a person's correction of a provision's topics (`topics`), or removes it (null) so the
 * classifier's topics apply again. The correction is kept when a later parse is accepted.
 */
export async function correctTopics(
  id: string,
  expectedVersion: number,
  topics: Topic[] | null,
  ctx: CommandContext,
  today: string,
): Promise<Provision> {
  const corrected = topics === null ? null : TopicsCorrectionSchema.parse({ topics }).topics;
  await ctx.db.transaction(async (tx) => {
    const before = await getProvisionRow(tx, id, ALL, true);
    if (before.version !== expectedVersion)
      throw versionConflict("provision", await getProvision(tx, id, ALL, today));
    // Removing a correction that is not there changes nothing.
    if (corrected === null && before.topicsOverride === null) return;
    await tx.execute(
      sql`update provisions set topics_override = ${corrected === null ? null : JSON.stringify(corrected)}::jsonb,
          version = version + 1, updated_at = now() where id = ${id}`,
    );
    // The by-topic roll-ups count this provision under its topics in force.
    await refreshComplianceRollups(tx, before.matter.id);
    await recordAudit(tx, ctx, {
      action: corrected === null ? "PROVISION_TOPICS_RESET" : "PROVISION_TOPICS_CORRECTED",
      entity: "provision",
      entityId: id,
      before: {
        topics: topicsInForce(before).map((t) => t.topic),
        corrected: before.topicsOverride !== null,
      },
      after: {
        topics: corrected ?? before.topics.map((t) => t.topic),
        corrected: corrected !== null,
      },
    });
  });
  return getProvision(ctx.db, id, ALL, today);
}
