import type { CalendarFeedToken } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext, ReadContext } from "../../../context/command-context.js";
import { isoTime, queryOne, queryRows } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { randomToken, sha256 } from "../../auth/index.js";
import { getSavedSearch } from "../../saved-searches/index.js";

const own = (ctx: CommandContext): string => {
  if (!ctx.actorId) throw appError("unauthenticated", "Sign in first");
  return ctx.actorId;
};

const COLUMNS = sql`id, name, ${isoTime("created_at")} as "createdAt", ${isoTime("last_used_at")} as "lastUsedAt",
  saved_search_id as "savedSearchId"`;

/** The caller's calendar feeds that are not revoked. */
export async function listCalendarFeedTokens(ctx: ReadContext, userId: string): Promise<CalendarFeedToken[]> {
  return queryRows<CalendarFeedToken>(
    ctx.db,
    sql`select ${COLUMNS} from calendar_feed_tokens where user_id = ${userId} and revoked_at is null order by created_at`,
  );
}

/**
 * A new calendar feed for the caller: the token is in the feed's address and is shown only in
 * this answer (only its hash is kept). It reads the caller's calendar and nothing else; with a
 * saved calendar filter of theirs, only what the filter lets through (as the filter is when the
 * feed is read: editing the filter changes the feed, deleting it ends the feed).
 */
export async function createCalendarFeedToken(
  { name, savedSearchId }: { name: string; savedSearchId?: string | undefined },
  ctx: CommandContext,
) {
  const userId = own(ctx);
  const token = `cal_${randomToken()}`;
  const row = await ctx.db.transaction(async (tx) => {
    if (savedSearchId) {
      const saved = await getSavedSearch(tx, userId, savedSearchId);
      if (saved.kind !== "calendar")
        throw appError(
          "saved_search_kind_mismatch",
          "A saved search is not a calendar: only a saved calendar filter has a feed",
        );
    }
    const created = await queryOne<CalendarFeedToken>(
      tx,
      sql`insert into calendar_feed_tokens (user_id, name, token_hash, saved_search_id)
          values (${userId}, ${name}, ${sha256(token)}, ${savedSearchId ?? null})
          returning ${COLUMNS}`,
    );
    await recordAudit(tx, ctx, {
      action: "CALENDAR_FEED_TOKEN_CREATED",
      entity: "calendar_feed_token",
      entityId: created!.id,
      after: savedSearchId ? { name, savedSearchId } : { name },
    });
    return created!;
  });
  return { ...row, token, path: `/api/v1/calendar.ics?token=${token}` };
}

/** Revokes one of the caller's calendar feeds: its address answers 404 from now on. */
export async function revokeCalendarFeedToken({ id }: { id: string }, ctx: CommandContext) {
  const userId = own(ctx);
  await ctx.db.transaction(async (tx) => {
    const row = await queryOne<{ id: string; name: string; savedSearchId: string | null }>(
      tx,
      sql`update calendar_feed_tokens set revoked_at = now() where id = ${id} and user_id = ${userId}
          and revoked_at is null returning id, name, saved_search_id as "savedSearchId"`,
    );
    if (!row) throw appError("not_found", "You have no calendar feed with this id");
    await recordAudit(tx, ctx, {
      action: "CALENDAR_FEED_TOKEN_REVOKED",
      entity: "calendar_feed_token",
      entityId: row.id,
      // What was revoked, as its creation recorded it (never the secret).
      before: row.savedSearchId ? { name: row.name, savedSearchId: row.savedSearchId } : { name: row.name },
    });
  });
}
