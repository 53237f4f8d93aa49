import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { recordAudit } from "../../audit/index.js";
import { refuseCommonPassword } from "../common-passwords.js";
import { findPasswordHash } from "../queries.js";
import { hashPassword, verifyPassword } from "../secrets.js";
import { createSession, deleteSessionsOf } from "../sessions.js";
import { signedInUser } from "./signed-in-user.js";

export interface ChangePasswordOptions {
  currentPassword: string;
  newPassword: string;
  userAgent: string | null;
}

/**
 * Changes the caller's own password: ends all their sessions and starts a new one for this
 * browser (returned).
 */
export async function changePassword(
  { currentPassword, newPassword, userAgent }: ChangePasswordOptions,
  ctx: CommandContext,
): Promise<{ cookieValue: string; csrfToken: string }> {
  const userId = signedInUser(ctx);
  refuseCommonPassword(newPassword, "newPassword");
  if (!(await verifyPassword(currentPassword, await findPasswordHash(ctx, userId)))) {
    throw appError("validation_failed", "The current password is wrong", {
      errors: [{ path: "currentPassword", message: "Wrong password" }],
    });
  }
  const hash = await hashPassword(newPassword);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(
      sql`update users set password_hash = ${hash}, password_changed_at = now(), must_change_password = false,
            updated_at = now() where id = ${userId}`,
    );
    await deleteSessionsOf(tx, userId);
    await recordAudit(tx, ctx, { action: "PASSWORD_CHANGED", entity: "user", entityId: userId });
    return createSession(tx, userId, { address: ctx.address, userAgent, now: ctx.now() });
  });
}
