import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { OIDC_LOGIN_TTL_MINUTES } from "../oidc.js";
import { addressKey } from "../throttle.js";

/**
 * Anyone may start a single sign-on, and each start keeps a row until it is finished or expires:
 * at most this many unfinished ones per address, and in all, so the table cannot be grown
 * without bound by anonymous requests.
 */
export const OIDC_PENDING_LIMITS = { perAddress: 20, total: 10_000 };

export interface OidcAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where to go after signing in (already made safe). */
  returnTo: string;
}

/**
 * Keeps a single sign-on attempt (its state, nonce and PKCE verifier) until the provider sends
 * the user back; attempts never finished (the user closed the tab) are cleared here.
 */
export async function startOidcSignIn(attempt: OidcAttempt, ctx: CommandContext): Promise<void> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - OIDC_LOGIN_TTL_MINUTES * 60_000);
  await ctx.db.execute(sql`delete from oidc_logins where created_at < ${cutoff.toISOString()}`);
  const address = addressKey(ctx.address ?? "");
  const pending = await queryOne<{ mine: number; all: number }>(
    ctx.db,
    sql`select count(*) filter (where address = ${address})::int as mine, count(*)::int as all from oidc_logins`,
  );
  if (
    (pending?.mine ?? 0) >= OIDC_PENDING_LIMITS.perAddress ||
    (pending?.all ?? 0) >= OIDC_PENDING_LIMITS.total
  ) {
    throw appError(
      "too_many_requests",
      `Too many single sign-ons started and not finished; try again in ${OIDC_LOGIN_TTL_MINUTES} minutes`,
      { headers: { "retry-after": String(OIDC_LOGIN_TTL_MINUTES * 60) } },
    );
  }
  await ctx.db.execute(
    sql`insert into oidc_logins (state, nonce, code_verifier, return_to, address, created_at)
        values (${attempt.state}, ${attempt.nonce}, ${attempt.codeVerifier}, ${attempt.returnTo}, ${address}, ${now.toISOString()})`,
  );
}
