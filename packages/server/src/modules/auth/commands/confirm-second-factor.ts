import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { findSecondFactor } from "../queries.js";
import { recoveryCodeHash } from "../second-factor.js";
import { matchTotp, newRecoveryCodes } from "../totp.js";
import { signedInUser } from "./signed-in-user.js";

/**
 * Finishes enrolling the caller's authenticator with the app's first code: the pending secret
 * becomes the second factor, and ten new one-time recovery codes replace any old ones. Returns
 * the codes, shown this once.
 */
export async function confirmSecondFactor(
  { code }: { code: string },
  ctx: CommandContext,
): Promise<{ recoveryCodes: string[] }> {
  const userId = signedInUser(ctx);
  const pending = (await findSecondFactor(ctx, userId))?.pending;
  if (!pending) throw appError("no_enrolment", "Start the enrolment first (POST /api/v1/session/totp)");
  const step = matchTotp(pending, code, ctx.now(), null);
  if (step === null) {
    throw appError(
      "validation_failed",
      "That code does not match: check the app's clock and try the next code",
      {
        errors: [{ path: "code", message: "Does not match" }],
      },
    );
  }
  const codes = newRecoveryCodes();
  await ctx.db.transaction(async (tx) => {
    const was = await queryOne<{ totpEnabled: boolean }>(
      tx,
      sql`select totp_secret is not null as "totpEnabled" from users where id = ${userId} for update`,
    );
    await tx.execute(
      sql`update users set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_last_step = ${step}
          where id = ${userId}`,
    );
    await tx.execute(sql`delete from recovery_codes where user_id = ${userId}`);
    for (const recoveryCode of codes) {
      await tx.execute(
        sql`insert into recovery_codes (user_id, code_hash) values (${userId}, ${recoveryCodeHash(recoveryCode)})`,
      );
    }
    // What changed of the user's sign-in (never the secret nor the codes): an authenticator in force
    // (a new one when one was), and a new set of recovery codes.
    await recordAudit(tx, ctx, {
      action: "SECOND_FACTOR_ENROLLED",
      entity: "user",
      entityId: userId,
      before: { totpEnabled: was?.totpEnabled ?? false },
      after: { totpEnabled: true, recoveryCodes: codes.length },
    });
  });
  return { recoveryCodes: codes };
}
