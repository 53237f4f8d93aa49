import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";
import { sha256 } from "./secrets.js";
import { matchTotp } from "./totp.js";

// The second factor (TOTP, RFC 6238) with one-time recovery codes: what signing in and the
// enrolment commands share. Only hashes of recovery codes are stored.

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The stored form of a recovery code (as typed: any case, with or without dashes). */
export const recoveryCodeHash = (code: string) => sha256(normalizeRecovery(code));

/**
 * Accepts an authenticator code (never the same time step twice) or an unused recovery code
 * (then used up). Returns whether the code was good.
 */
export async function acceptSecondFactor(
  db: Queryable,
  userId: string,
  secret: string,
  lastStep: string | null,
  code: string,
  now: Date,
): Promise<boolean> {
  const step = matchTotp(secret, code, now, lastStep === null ? null : Number(lastStep));
  if (step !== null) {
    // Only one request can take a given step, even two at once.
    const taken = await queryOne<{ id: string }>(
      db,
      sql`update users set totp_last_step = ${step}
          where id = ${userId} and (totp_last_step is null or totp_last_step < ${step}) returning id`,
    );
    return taken !== undefined;
  }
  const used = await queryOne<{ userId: string }>(
    db,
    sql`update recovery_codes set used_at = now()
        where user_id = ${userId} and code_hash = ${recoveryCodeHash(code)} and used_at is null
        returning user_id as "userId"`,
  );
  return used !== undefined;
}
