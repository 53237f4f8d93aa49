import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { signedInUser } from "./signed-in-user.js";

/** Revokes one of the caller's active API tokens (another user's token is not found). */
export async function revokeApiToken({ id }: { id: string }, ctx: CommandContext): Promise<void> {
  const userId = signedInUser(ctx);
  await ctx.db.transaction(async (tx) => {
    const row = await queryOne<{ id: string; name: string }>(
      tx,
      sql`update api_tokens set revoked_at = now() where id = ${id} and user_id = ${userId}
          and revoked_at is null returning id, name`,
    );
    if (!row) throw appError("not_found", "You have no active token with this id");
    // What was revoked, as its creation recorded it (never the secret).
    await recordAudit(tx, ctx, {
      action: "TOKEN_REVOKED",
      entity: "api_token",
      entityId: row.id,
      before: { name: row.name },
    });
  });
}
