import { SetSectionTerminationSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getMatterRef } from "../../provisions/index.js";
import { lockMatterRatings, SECTION_SQL } from "../rollups.js";
import { refreshMatterSummary } from "../summary.js";
import { bumpMatterVersion, lockMatterVersion } from "./matter-version.js";
import { assertEventOfMatter } from "./set-sustainment-start.js";

export type SetSectionTerminationOptions = z.input<typeof SetSectionTerminationSchema> & {
  /** The matter (id or slug), read through the caller's scope. */
  key: string;
  /** The first-level section's number ("V"). */
  number: string;
  /** The matter's version the caller read (If-Match): a section's termination is part of it. */
  version: number;
};

/**
 * Marks a first-level section of the decree (by its number, "V") terminated by the court on a
 * date, by an order (an event of the matter): every current provision of the section carries it.
 * A null date puts the section back in force. The matter's version counts it.
 */
export async function setSectionTermination(
  { key, number, version, ...input }: SetSectionTerminationOptions,
  ctx: CommandContext,
) {
  const data = SetSectionTerminationSchema.parse(input);
  return ctx.db.transaction(async (tx) => {
    const matter = await getMatterRef(withDb(ctx, tx), key);
    // The matter's row before the ratings' lock: accepting a parse takes them in that order.
    await lockMatterVersion(tx, ctx, matter.id, version);
    await lockMatterRatings(tx, matter.id);
    const provisions = await queryRows<{
      id: string;
      section: string;
      terminatedOn: string | null;
      eventId: string | null;
    }>(
      tx,
      sql`select p.id, ${SECTION_SQL("p")} as section, p.terminated_on as "terminatedOn", p.terminated_by_event_id as "eventId"
          from provisions p
          where p.matter_id = ${matter.id} and p.retired_at is null and lower(p.sections->0->>'number') = ${number.trim().toLowerCase()}
          order by p.position for update of p`,
    );
    if (!provisions.length)
      throw appError(
        "not_found",
        `This matter's decree has no section "${number}" (give a first-level section's number, e.g. "V")`,
      );
    await assertEventOfMatter(tx, matter.id, data.eventId);
    const eventId = data.on === null ? null : (data.eventId ?? null);
    await tx.execute(
      sql`update provisions set terminated_on = ${data.on}, terminated_by_event_id = ${eventId}::uuid,
            version = version + 1, updated_at = now()
          where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(provisions.map((p) => p.id))}::jsonb))`,
    );
    await refreshMatterSummary(tx, matter.id);
    const section = provisions[0]!.section;
    const after = { section, provisions: provisions.length, terminatedOn: data.on, eventId };
    const matterVersion = await bumpMatterVersion(tx, matter.id);
    await recordAudit(tx, ctx, {
      action: data.on === null ? "SECTION_TERMINATION_WITHDRAWN" : "SECTION_TERMINATED",
      entity: "matter",
      entityId: matter.id,
      before: {
        section,
        provisions: provisions.map(({ id, terminatedOn, eventId }) => ({ id, terminatedOn, eventId })),
      },
      after,
    });
    return { ...after, version: matterVersion };
  });
}
