import { type CreateEvent, CreateEventSchema, type Event } from "@accord/domain";
import { type CommandContext, unscoped, withDb } from "../../../context/command-context.js";
import { events } from "../../../db/schema.js";
import { recordAudit } from "../../audit/index.js";
import { getEvent } from "../queries.js";
import { assertJurisdiction, assertMatter } from "./assert-matter.js";

export async function createEvent(input: CreateEvent, ctx: CommandContext): Promise<Event> {
  const data = CreateEventSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    await assertMatter(tx, ctx, data.matterId);
    await assertJurisdiction(tx, ctx, data.jurisdictionId);
    const [row] = await tx.insert(events).values(data).returning({ id: events.id });
    const created = await getEvent(unscoped(withDb(ctx, tx)), row!.id);
    await recordAudit(tx, ctx, {
      action: "EVENT_CREATED",
      entity: "event",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}
