import type { ApiToken } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { CommandContext } from "../../../context/command-context.js";
import { isoTime, queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { randomToken, sha256 } from "../secrets.js";
import { signedInUser } from "./signed-in-user.js";

/** Creates an API token for the caller; the token itself is returned this once (only its hash is kept). */
export async function createApiToken(
  { name }: { name: string },
  ctx: CommandContext,
): Promise<ApiToken & { token: string }> {
  const userId = signedInUser(ctx);
  const token = `acc_${randomToken()}`;
  const created = await ctx.db.transaction(async (tx) => {
    const row = await queryOne<ApiToken>(
      tx,
      sql`insert into api_tokens (user_id, name, token_hash) values (${userId}, ${name}, ${sha256(token)})
          returning id, name, ${isoTime("created_at")} as "createdAt", null as "lastUsedAt", null as "revokedAt"`,
    );
    await recordAudit(tx, ctx, {
      action: "TOKEN_CREATED",
      entity: "api_token",
      entityId: row!.id,
      after: { name },
    });
    return row!;
  });
  return { ...created, token };
}
