import type { User } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { recordAudit } from "../../audit/index.js";
import {
  clearFailures,
  deleteSessionsOf,
  generatePassword,
  hashPassword,
  refuseCommonPassword,
} from "../../auth/index.js";
import { getUser } from "../queries.js";

export interface ResetPasswordOptions {
  /** The user's id or user name. */
  key: string;
  /** The new password; generated when left out. */
  password?: string;
}

/** Sets a new password (generated unless given), ends the user's sessions and lifts a sign-in lock. */
export async function resetPassword(
  { key, password: given }: ResetPasswordOptions,
  ctx: CommandContext,
): Promise<{ user: User; password: string }> {
  if (given !== undefined) refuseCommonPassword(given, "password");
  const password = given ?? generatePassword();
  const hash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const user = await getUser(read, key, true);
    await tx.execute(
      sql`update users set password_hash = ${hash}, password_changed_at = now(),
            must_change_password = ${given === undefined}, version = version + 1, updated_at = now()
          where id = ${user.id}`,
    );
    await deleteSessionsOf(tx, user.id);
    await clearFailures(tx, user.username);
    await recordAudit(tx, ctx, { action: "PASSWORD_RESET", entity: "user", entityId: user.id });
    return { user: await getUser(read, user.id), password };
  });
}
