import type { ApiToken, Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { isoTime, queryOne, queryRows } from "../../db/sql.js";

// Accounts are not part of the read scope (matters, events, documents, provisions): these reads
// are of the caller's own account, or made by the sign-in itself.

/** What signing in needs to know of an account, by its user name. */
export interface SignInAccount {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  passwordHash: string | null;
  active: boolean;
  totpSecret: string | null;
  totpLastStep: string | null;
  mustChangePassword: boolean;
}

export const findSignInAccount = (ctx: ReadContext, username: string) =>
  queryOne<SignInAccount>(
    ctx.db,
    sql`select id, username, display_name as "displayName", role, password_hash as "passwordHash", active,
          totp_secret as "totpSecret", totp_last_step::text as "totpLastStep",
          must_change_password as "mustChangePassword"
        from users where username = ${username.toLowerCase()}`,
  );

/** The user's password hash (null: single sign-on only, or no such user). */
export const findPasswordHash = async (ctx: ReadContext, userId: string) =>
  (
    await queryOne<{ hash: string | null }>(
      ctx.db,
      sql`select password_hash as hash from users where id = ${userId}`,
    )
  )?.hash ?? null;

/** The user's second factor: enrolled, and the secret of an enrolment begun but not confirmed. */
export const findSecondFactor = (ctx: ReadContext, userId: string) =>
  queryOne<{ enabled: boolean; pending: string | null }>(
    ctx.db,
    sql`select (totp_secret is not null) as enabled, totp_pending_secret as pending from users where id = ${userId}`,
  );

export const API_TOKEN_COLUMNS = sql`id, name, ${isoTime("created_at")} as "createdAt",
  ${isoTime("last_used_at")} as "lastUsedAt", ${isoTime("revoked_at")} as "revokedAt"`;

/** The user's API tokens, newest first (revoked ones too; never the tokens themselves). */
export const listApiTokens = (ctx: ReadContext, userId: string) =>
  queryRows<ApiToken>(
    ctx.db,
    sql`select ${API_TOKEN_COLUMNS} from api_tokens where user_id = ${userId} order by created_at desc`,
  );

/**
 * Whether a refused sign-in to this account while locked was already recorded since `since`:
 * the audit log keeps one such entry a lock, not one per attempt (see sign-in.ts).
 */
export const hasLockedSignInSince = async (ctx: ReadContext, userId: string, since: Date) =>
  (await queryOne(
    ctx.db,
    sql`select 1 from audit_entries where entity = 'user' and entity_id = ${userId}
          and action = 'SIGN_IN_FAILED' and after->>'reason' = 'locked' and at >= ${since.toISOString()}
        limit 1`,
  )) !== undefined;
