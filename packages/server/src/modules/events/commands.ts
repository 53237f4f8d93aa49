import {
  type CreateEvent,
  CreateEventSchema,
  type Event,
  type UpdateEvent,
  UpdateEventSchema,
} from "@accord/domain";
import { eq, sql } from "drizzle-orm";
import type { CommandContext } from "../../context/command-context.js";
import { versionConflict } from "../../context/versioning.js";
import type { Tx } from "../../db/open.js";
import { events } from "../../db/schema.js";
import { fieldError } from "../agencies/commands.js";
import { recordAudit } from "../audit/record-audit.js";
import { findMatter } from "../matters/queries.js";
import { getEvent } from "./queries.js";

async function assertMatter(tx: Tx, matterId: string | null | undefined) {
  if (matterId && !(await findMatter(tx, matterId))) throw fieldError("matterId", "No such matter");
}

export async function createEvent(input: CreateEvent, ctx: CommandContext): Promise<Event> {
  const data = CreateEventSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertMatter(tx, data.matterId);
    const [row] = await tx.insert(events).values(data).returning({ id: events.id });
    const created = await getEvent(tx, row!.id);
    await recordAudit(tx, ctx, {
      action: "EVENT_CREATED",
      entity: "event",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

export async function updateEvent(
  key: string,
  expectedVersion: number,
  input: UpdateEvent,
  ctx: CommandContext,
): Promise<Event> {
  const data = UpdateEventSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getEvent(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("event", before);
    // The rules that span fields are checked on the record as it will be.
    const merged = { ...before, ...data };
    if (merged.newDate && merged.status !== "postponed")
      throw fieldError("newDate", "Only a postponed event has a new date");
    if (merged.newDate && merged.newDate < merged.date)
      throw fieldError("newDate", "The new date is before the original date");
    await assertMatter(tx, data.matterId);
    await tx
      .update(events)
      .set({ ...data, version: sql`${events.version} + 1`, updatedAt: sql`now()` })
      .where(eq(events.id, before.id));
    const after = await getEvent(tx, before.id);
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

export async function deleteEvent(key: string, expectedVersion: number, ctx: CommandContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await getEvent(tx, key, true);
    if (before.version !== expectedVersion) throw versionConflict("event", before);
    await tx.delete(events).where(eq(events.id, before.id));
    await recordAudit(tx, ctx, { action: "EVENT_DELETED", entity: "event", entityId: before.id, before });
  });
}
