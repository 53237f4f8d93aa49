import { SetSustainmentStartSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import { versionConflict } from "../../../context/versioning.js";
import type { Tx } from "../../../db/open.js";
import { isUuid, queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getProvision } from "../../provisions/index.js";
import { lockMatterRatings } from "../rollups.js";
import { refreshMatterSummary } from "../summary.js";

export interface SustainmentStart {
  provisionId: string;
  startsOn: string | null;
  eventId: string | null;
}

/** What setting it answers: the start, and the provision's version (its new ETag). */
export type SustainmentStartResult = SustainmentStart & { version: number };

/** The event, which must be one of the matter's (a court order). */
export async function assertEventOfMatter(tx: Tx, matterId: string, eventId: string | null | undefined) {
  if (!eventId) return;
  const found = await queryOne(
    tx,
    sql`select 1 from events where id = ${eventId} and matter_id = ${matterId}`,
  );
  if (!found)
    throw appError("validation_failed", "The order must be an event of this matter", {
      errors: [{ path: "eventId", message: "Not an event of this matter" }],
    });
}

export type SetSustainmentStartOptions = z.input<typeof SetSustainmentStartSchema> & {
  provisionId: string;
  /** The provision's version the caller read (If-Match): its sustainment start is part of it. */
  version: number;
};

/**
 * Records the date a court said a provision's sustainment clock started (it may backdate it), with
 * the order that said so; a null date withdraws it. The provision's version counts it.
 */
export async function setSustainmentStart(
  { provisionId, version, ...input }: SetSustainmentStartOptions,
  ctx: CommandContext,
): Promise<SustainmentStartResult> {
  const data = SetSustainmentStartSchema.parse(input);
  const missing = () => appError("not_found", `No provision has the id "${provisionId}"`);
  if (!isUuid(provisionId)) throw missing();
  return ctx.db.transaction(async (tx) => {
    // The table itself (the scope's `provisions` shadows it), of a matter the scope allows. Its
    // row is locked before the matter's ratings, the order accepting a parse takes them in.
    const provision = await queryOne<{ id: string; matterId: string; version: number }>(
      tx,
      inScope(
        ctx.scope,
        sql`select p.id, p.matter_id as "matterId", p.version from public.provisions p
            where p.id = ${provisionId} and p.matter_id in (select id from matters) for update of p`,
      ),
    );
    if (!provision) throw missing();
    if (provision.version !== version)
      throw versionConflict("provision", await getProvision(withDb(ctx, tx), provision.id));
    await lockMatterRatings(tx, provision.matterId);
    const before = await queryOne<SustainmentStart>(
      tx,
      sql`select provision_id as "provisionId", starts_on as "startsOn", event_id as "eventId"
          from sustainment_starts where provision_id = ${provision.id}`,
    );
    let after: SustainmentStart;
    if (data.date === null) {
      await tx.execute(sql`delete from sustainment_starts where provision_id = ${provision.id}`);
      after = { provisionId: provision.id, startsOn: null, eventId: null };
    } else {
      await assertEventOfMatter(tx, provision.matterId, data.eventId);
      await tx.execute(
        sql`insert into sustainment_starts (provision_id, starts_on, event_id, set_by)
            values (${provision.id}, ${data.date}, ${data.eventId ?? null}, ${ctx.actor})
            on conflict (provision_id) do update set starts_on = excluded.starts_on, event_id = excluded.event_id,
              set_by = excluded.set_by, set_at = now()`,
      );
      after = { provisionId: provision.id, startsOn: data.date, eventId: data.eventId ?? null };
    }
    await tx.execute(
      sql`update provisions set version = version + 1, updated_at = now() where id = ${provision.id}`,
    );
    await refreshMatterSummary(tx, provision.matterId);
    await recordAudit(tx, ctx, {
      action: data.date === null ? "SUSTAINMENT_START_WITHDRAWN" : "SUSTAINMENT_START_SET",
      entity: "provision",
      entityId: provision.id,
      before: before ?? null,
      after,
    });
    return { ...after, version: provision.version + 1 };
  });
}
