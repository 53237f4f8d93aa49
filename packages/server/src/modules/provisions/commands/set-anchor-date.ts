import { type FoundDeadline, IsoDateSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { isUuid, queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getProvision } from "../queries/provisions.js";

export interface SetAnchorDateOptions {
  deadlineId: string;
  /** The date it is counted from; null clears it. */
  anchorDate: string | null;
  /** The provision's version the caller read (If-Match). */
  version: number;
}

/**
 * Gives the date of what a deadline is counted from, when that is not the effective date ("30
 * days of the Monitor's appointment"), so it gets its date; null clears it. The provision's
 * version counts it (its deadlines are part of it): `version` is checked.
 */
export async function setAnchorDate(
  { deadlineId, anchorDate, version: expectedVersion }: SetAnchorDateOptions,
  ctx: CommandContext,
) {
  // The route's policy allowed the write: the provision is read whatever the caller's scope.
  const read = unscoped(ctx);
  const date = anchorDate === null ? null : IsoDateSchema.parse(anchorDate);
  const notFound = appError("not_found", `No deadline has the id "${deadlineId}"`);
  if (!isUuid(deadlineId)) throw notFound;
  const provisionId = await ctx.db.transaction(async (tx) => {
    const row = await queryOne<{
      provisionId: string;
      version: number;
      anchor: FoundDeadline["anchor"];
      anchorDate: string | null;
      phrase: string;
    }>(
      tx,
      sql`select x.provision_id as "provisionId", p.version, x.anchor, x.anchor_date as "anchorDate", x.phrase
        from provision_deadlines x join provisions p on p.id = x.provision_id
        where x.id = ${deadlineId} for update of x, p`,
    );
    if (!row) throw notFound;
    if (row.version !== expectedVersion)
      throw versionConflict("provision", await getProvision(withDb(read, tx), row.provisionId));
    if (row.anchor.kind !== "other")
      throw appError(
        "anchor_has_date",
        row.anchor.kind === "effective_date"
          ? `“${row.phrase}” is counted from the effective date: its date comes from the matter's entered (or agreement) date`
          : `“${row.phrase}” names its own date`,
      );
    if (row.anchorDate === date) return row.provisionId;
    await tx.execute(sql`update provision_deadlines set anchor_date = ${date} where id = ${deadlineId}`);
    await tx.execute(
      sql`update provisions set version = version + 1, updated_at = now() where id = ${row.provisionId}`,
    );
    await recordAudit(tx, ctx, {
      action: "DEADLINE_ANCHOR_DATE_SET",
      entity: "provision_deadline",
      entityId: deadlineId,
      before: { anchorDate: row.anchorDate, anchor: row.anchor.text },
      after: { anchorDate: date, provisionId: row.provisionId },
    });
    return row.provisionId;
  });
  const provision = await getProvision(read, provisionId);
  return { provision, deadline: provision.deadlines.find((d) => d.id === deadlineId)! };
}
