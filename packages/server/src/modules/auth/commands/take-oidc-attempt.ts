import { sql } from "drizzle-orm";
import type { CommandContext } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { OIDC_LOGIN_TTL_MINUTES } from "../oidc.js";

/**
 * The sign-on attempt of this state, used once: its row goes whatever happens next. Undefined
 * when unknown; `fresh` says whether it is still within its time.
 */
export async function takeOidcAttempt({ state }: { state: string }, ctx: CommandContext) {
  const cutoff = new Date(ctx.now().getTime() - OIDC_LOGIN_TTL_MINUTES * 60_000);
  return queryOne<{ nonce: string; codeVerifier: string; returnTo: string; fresh: boolean }>(
    ctx.db,
    sql`delete from oidc_logins where state = ${state}
        returning nonce, code_verifier as "codeVerifier", return_to as "returnTo",
          (created_at >= ${cutoff.toISOString()}::timestamptz) as fresh`,
  );
}
