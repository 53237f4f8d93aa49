import { type Provision, type Topic, TopicsCorrectionSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { recordAudit } from "../../audit/index.js";
import { refreshComplianceRollups } from "../../compliance/index.js";
import { topicsInForce } from "../provisions.presenter.js";
import { getProvision, getProvisionRow } from "../queries/provisions.js";

export interface CorrectTopicsOptions {
  id: string;
  /** The provision's version the caller read (If-Match). */
  version: number;
  /** The topics in force from now on; null removes the correction. */
  topics: Topic[] | null;
}

/**
 * Sets a person's correction of a provision's topics (`topics`), or removes it (null) so the
 * classifier's topics apply again. The correction is kept when a later parse is accepted.
 */
export async function correctTopics(
  { id, version, topics }: CorrectTopicsOptions,
  ctx: CommandContext,
): Promise<Provision> {
  const corrected = topics === null ? null : TopicsCorrectionSchema.parse({ topics }).topics;
  // The route's policy allowed the write: the provision is read whatever the caller's scope.
  const read = unscoped(ctx);
  await ctx.db.transaction(async (tx) => {
    const before = await getProvisionRow(withDb(read, tx), id, true);
    if (before.version !== version)
      throw versionConflict("provision", await getProvision(withDb(read, tx), id));
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
  return getProvision(read, id);
}
