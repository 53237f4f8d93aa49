import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { findSecondFactor } from "../queries.js";
import { newTotpSecret, otpauthUrl } from "../totp.js";
import { signedInUser } from "./signed-in-user.js";

/**
 * Begins enrolling an authenticator app for the caller: a new secret is kept as pending until
 * the app's first code confirms it (confirm-second-factor.ts); nothing changes before that, so
 * nothing is audited here.
 */
export async function enrolSecondFactor(
  { username }: { username: string },
  ctx: CommandContext,
): Promise<{ secret: string; otpauthUrl: string }> {
  const userId = signedInUser(ctx);
  const current = await findSecondFactor(ctx, userId);
  if (current?.enabled)
    throw appError("second_factor_enrolled", "You already have an authenticator; remove it first");
  const secret = newTotpSecret();
  await ctx.db.execute(sql`update users set totp_pending_secret = ${secret} where id = ${userId}`);
  return { secret, otpauthUrl: otpauthUrl(secret, username) };
}
