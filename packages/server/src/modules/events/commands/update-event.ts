import { type Event, type UpdateEvent, UpdateEventSchema } from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { versionConflict } from "../../../context/versioning.js";
import { events } from "../../../db/schema.js";
import { fieldError } from "../../agencies/index.js";
import { recordAudit } from "../../audit/index.js";
import { getEvent } from "../queries.js";
import { assertJurisdiction, assertMatter } from "./assert-matter.js";

export interface UpdateEventOptions {
  /** The event's id or slug. */
  key: string;
  /** The version the caller read (If-Match). */
  version: number;
  changes: UpdateEvent;
}

export async function updateEvent(
  { key, version, changes }: UpdateEventOptions,
  ctx: CommandContext,
): Promise<Event> {
  const data = UpdateEventSchema.parse(changes);
  return ctx.db.transaction(async (tx) => {
    const read = unscoped(withDb(ctx, tx));
    const before = await getEvent(read, key, true);
    if (before.version !== version) throw versionConflict("event", before);
    // The rules that span fields are checked on the record as it will be.
    const merged = { ...before, ...data };
    if (merged.newDate && merged.status !== "postponed")
      throw fieldError("newDate", "Only a postponed event has a new date");
    if (merged.newDate && merged.newDate < merged.date)
      throw fieldError("newDate", "The new date is before the original date");
    await assertMatter(tx, ctx, data.matterId);
    await assertJurisdiction(tx, ctx, data.jurisdictionId);
    await tx
      .update(events)
      .set({ ...data, version: sql`${events.version} + 1`, updatedAt: sql`now()` })
      .where(eq(events.id, before.id));
    const after = await getEvent(read, before.id);
    await recordAudit(tx, ctx, {
      action: "EVENT_UPDATED",
      entity: "event",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
