import type { Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import { type CommandContext, withDb } from "../../../context/command-context.js";
import { queryOne } from "../../../db/sql.js";
import { recordAudit } from "../../audit/index.js";
import { getUser } from "../../users/index.js";
import { createSession, deleteSession, deleteSessionsOf, signedInActor } from "../sessions.js";

/** Who the identity provider vouched for. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  username: string;
  displayName: string | null;
  role: Role;
}

export interface SignInWithOidcOptions {
  identity: OidcIdentity;
  userAgent: string | null;
  /** The session cookie the browser already had: it ends (no fixation). */
  oldCookie: string | undefined;
}

/**
 * Signs in the user the provider vouched for, in one transaction: finds them by issuer and
 * subject, or creates them; brings their role in line with the provider's claim; ends the
 * browser's old session and starts a fresh one marked as single sign-on. A user name already
 * held by another account is refused: a password account is never taken over. Every entry is
 * recorded as made by the user themselves (the request came from nobody yet).
 */
export function signInWithOidc(
  { identity, userAgent, oldCookie }: SignInWithOidcOptions,
  ctx: CommandContext,
): Promise<{ cookieValue: string; csrfToken: string; userId: string }> {
  return ctx.db.transaction(async (tx) => {
    const read = withDb(ctx, tx);
    const existing = await queryOne<{ id: string; role: Role; active: boolean }>(
      tx,
      sql`select id, role, active from users
          where oidc_issuer = ${identity.issuer} and oidc_subject = ${identity.subject} for update`,
    );
    let userId: string;
    if (existing) {
      userId = existing.id;
      if (!existing.active) {
        throw appError("sso_account_deactivated", "Your Accord account is deactivated; ask an administrator");
      }
      if (existing.role !== identity.role) {
        const before = await getUser(read, userId);
        await tx.execute(
          sql`update users set role = ${identity.role}, version = version + 1, updated_at = now() where id = ${userId}`,
        );
        // As for any role change: sessions granted under the old role end.
        await deleteSessionsOf(tx, userId);
        const after = await getUser(read, userId);
        const actor = signedInActor(after, ctx);
        await recordAudit(tx, actor, {
          action: "USER_UPDATED",
          entity: "user",
          entityId: userId,
          before,
          after,
        });
        await recordAudit(tx, actor, {
          action: "USER_ROLE_CHANGED",
          entity: "user",
          entityId: userId,
          before: { role: before.role },
          after: { role: after.role },
        });
      }
    } else {
      const taken = await queryOne<{ oidcIssuer: string | null }>(
        tx,
        sql`select oidc_issuer as "oidcIssuer" from users where username = ${identity.username}`,
      );
      if (taken) {
        throw appError(
          "sso_username_taken",
          taken.oidcIssuer === null
            ? `The user name "${identity.username}" belongs to an account that signs in with a password; an administrator must rename one of them`
            : `The user name "${identity.username}" belongs to another single sign-on account`,
        );
      }
      const row = await queryOne<{ id: string }>(
        tx,
        sql`insert into users (username, display_name, role, password_hash, oidc_issuer, oidc_subject)
            values (${identity.username}, ${identity.displayName}, ${identity.role}, null,
              ${identity.issuer}, ${identity.subject})
            on conflict do nothing
            returning id`,
      );
      // Another first sign-in of the same person (or name) committed in between.
      if (!row) throw appError("sso_conflict", "Another sign-in created this account meanwhile; try again");
      userId = row.id;
      const after = await getUser(read, userId);
      await recordAudit(tx, signedInActor(after, ctx), {
        action: "USER_CREATED",
        entity: "user",
        entityId: userId,
        after: { ...after, oidcIssuer: identity.issuer, oidcSubject: identity.subject },
      });
    }
    // A fresh session id at every sign-in (no fixation): any session the browser had is ended.
    if (oldCookie) await deleteSession(tx, oldCookie);
    const user = await getUser(read, userId);
    const session = await createSession(tx, userId, {
      address: ctx.address,
      userAgent,
      method: "oidc",
      now: ctx.now(),
    });
    // The audit entry also marks the data as changed, so the old session is forgotten everywhere.
    await recordAudit(tx, signedInActor(user, ctx), {
      action: "SIGNED_IN",
      entity: "user",
      entityId: userId,
      after: { method: "oidc" },
    });
    return { ...session, userId };
  });
}
