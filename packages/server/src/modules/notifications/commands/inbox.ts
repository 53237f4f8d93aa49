import type { UpdateNotificationPreferences } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne, queryRows } from "../../../db/sql.js";
import { signedInUser } from "../../auth/index.js";
import { loadSettings, type StoredSettings } from "../queries.js";

/** Marks one of the caller's notifications read (again: no change). */
export async function markNotificationRead(id: string, ctx: CommandContext): Promise<void> {
  const userId = signedInUser(ctx);
  const row = await queryOne(
    ctx.db,
    sql`update notifications set read_at = coalesce(read_at, ${ctx.now().toISOString()}::timestamptz)
      where id = ${id} and user_id = ${userId} and in_app returning id`,
  );
  if (!row) throw appError("not_found", "You have no such notification");
}

/** Marks every unread notification of the caller read; how many were. */
export async function markAllNotificationsRead(ctx: CommandContext): Promise<number> {
  const userId = signedInUser(ctx);
  const rows = await queryRows(
    ctx.db,
    sql`update notifications set read_at = ${ctx.now().toISOString()}::timestamptz
      where user_id = ${userId} and in_app and read_at is null returning id`,
  );
  return rows.length;
}

/** Saves the caller's e-mail address, e-mail mode and per-kind choices (what is not sent is kept). */
export async function updateNotificationPreferences(
  input: UpdateNotificationPreferences,
  ctx: CommandContext,
): Promise<StoredSettings> {
  const userId = signedInUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await loadSettings(tx, userId);
    const next = {
      email: input.email === undefined ? current.email : input.email,
      emailMode: input.emailMode ?? current.emailMode,
      kinds: { ...current.kinds, ...input.kinds },
    };
    await tx.execute(
      sql`insert into notification_settings (user_id, email, email_mode, kinds, updated_at)
        values (${userId}, ${next.email}, ${next.emailMode}, ${JSON.stringify(next.kinds)}::jsonb, now())
        on conflict (user_id) do update set email = excluded.email, email_mode = excluded.email_mode,
          kinds = excluded.kinds, updated_at = now()`,
    );
    return loadSettings(tx, userId);
  });
}

/** Marks the dashboard's changes as seen: the next list starts from now. */
export async function markVisit(ctx: CommandContext): Promise<string> {
  const userId = signedInUser(ctx);
  const at = ctx.now().toISOString();
  await ctx.db.execute(
    sql`insert into notification_settings (user_id, last_visit_at) values (${userId}, ${at}::timestamptz)
      on conflict (user_id) do update set last_visit_at = excluded.last_visit_at`,
  );
  return at;
}
