import { sql } from "drizzle-orm";
import type { CommandContext } from "../../../context/command-context.js";
import { OIDC_LOGIN_TTL_MINUTES } from "../oidc.js";

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
  await ctx.db.execute(
    sql`insert into oidc_logins (state, nonce, code_verifier, return_to, created_at)
        values (${attempt.state}, ${attempt.nonce}, ${attempt.codeVerifier}, ${attempt.returnTo}, ${now.toISOString()})`,
  );
}
