import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { findPasswordHash } from "../queries.js";
import { verifyPassword } from "../secrets.js";
import { signedInUser } from "./signed-in-user.js";

/** Removes the caller's authenticator and recovery codes, once they confirm with their password. */
export async function removeSecondFactor(
  { password }: { password: string },
  ctx: CommandContext,
): Promise<void> {
  const userId = signedInUser(ctx);
  if (!(await verifyPassword(password, await findPasswordHash(ctx, userId)))) {
    throw appError("validation_failed", "The password is wrong", {
      errors: [{ path: "password", message: "Wrong password" }],
    });
  }
  await ctx.db.transaction(async (tx) => {
    const was = await queryOne<{ totpEnabled: boolean }>(
      tx,
      sql`select totp_secret is not null as "totpEnabled" from users where id = ${userId} for update`,
    );
    await tx.execute(sql`update users set totp_secret = null, totp_last_step = null where id = ${userId}`);
    await tx.execute(sql`delete from recovery_codes where user_id = ${userId}`);
    await recordAudit(tx, ctx, {
      action: "SECOND_FACTOR_REMOVED",
      entity: "user",
      entityId: userId,
      before: { totpEnabled: was?.totpEnabled ?? false },
      after: { totpEnabled: false },
    });
  });
}
