import { eq } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { events } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getEvent } from "../queries.js";

export interface DeleteEventOptions {
  /** The event's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
}

export async function deleteEvent({ key, version }: DeleteEventOptions, ctx: CommandContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getEvent(unscoped(withDb(ctx, tx)), key, true);
    if (before.version !== version) throw versionConflict("event", before);
    await tx.delete(events).where(eq(events.id, before.id));
    await recordAudit(tx, ctx, { action: "EVENT_DELETED", entity: "event", entityId: before.id, before });
  });
}
