import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { CommandContext } from "../../../context/command-context.js";
import { recordAudit } from "../../audit/index.js";
import { findSignInAccount, hasLockedSignInSince, type SignInAccount } from "../queries.js";
import { acceptSecondFactor } from "../second-factor.js";
import { dummyHash, hashPassword, needsRehash, verifyPassword } from "../secrets.js";
import { createSession, deleteSession, type SessionUser, signedInActor } from "../sessions.js";
import {
  clearFailures,
  failureDelayMs,
  findSignInLock,
  knownSignInLock,
  recentFailures,
  recordFailure,
  type SignInLock,
  signInLocked,
  startChecking,
  stillWithinLimits,
  THROTTLE,
} from "../throttle.js";

export interface SignInOptions {
  username: string;
  password: string;
  /** The authenticator's code, or a recovery code, for users with a second factor. */
  code?: string | undefined;
  /** The session cookie the browser already had: it ends (no fixation). */
  oldCookie?: string | undefined;
  userAgent: string | null;
}

export interface SignedIn {
  user: SessionUser;
  /** The new session's cookie value (only its hash is stored). */
  cookieValue: string;
  csrfToken: string;
}

/** Why a sign-in to a known account was refused, as its SIGN_IN_FAILED entry keeps it. */
type FailureReason = "wrong_password" | "deactivated" | "second_factor_failed";

/**
 * Signs a user in with their password (and second factor, when they have one): a fresh session
 * (any session the browser had ends), recorded as SIGNED_IN by the user themselves.
 *
 * A refusal of a known account is recorded as SIGN_IN_FAILED with its reason, committed in its
 * own transaction before the error is thrown (the error must not roll it back). An unknown user
 * name is not recorded at all: the audit log is kept for good and exported, and anyone could
 * otherwise fill it with names of their choosing (or with a password typed into the name field);
 * the throttle table already counts those attempts, and forgets them. Refusals while locked
 * cost the caller nothing (no password check), so they are recorded once a lock, not once an
 * attempt.
 */
export async function signIn(options: SignInOptions, ctx: CommandContext): Promise<SignedIn> {
  const address = ctx.address ?? "";
  const now = ctx.now();
  // Under a lock this process knows of, or past a limit with the attempts being checked and the
  // failures it knows of: refused before costing even a query. A flood must not queue on the
  // database: at most a limit's worth of attempts reach it at once (throttle.ts).
  const known = knownSignInLock(options.username, address, now);
  if (known) throw signInLocked(known, now);
  const done = startChecking(options.username, address, now);
  try {
    stillWithinLimits(
      options.username,
      address,
      await recentFailures(ctx.db, options.username, address, now),
    );
    return await checkedSignIn(options, ctx);
  } finally {
    done();
  }
}

async function checkedSignIn(
  { username, password, code, oldCookie, userAgent }: SignInOptions,
  ctx: CommandContext,
): Promise<SignedIn> {
  const now = ctx.now();
  const address = ctx.address ?? "";
  const lock = await findSignInLock(ctx.db, username, address, now);
  /** Refuses while locked: recorded once a lock for a known account, never counted again. */
  const refuseLocked = async (held: SignInLock): Promise<never> => {
    const account = await findSignInAccount(ctx, username);
    const lockStart = new Date(Date.parse(held.lockedUntil) - THROTTLE.lockMinutes * 60_000);
    if (account && !(await hasLockedSignInSince(ctx, account.id, lockStart))) {
      await ctx.db.transaction((tx) =>
        recordAudit(tx, ctx, {
          action: "SIGN_IN_FAILED",
          entity: "user",
          entityId: account.id,
          after: { reason: "locked", lock: held.of },
        }),
      );
    }
    throw signInLocked(held, now);
  };
  // Failures from this address (for this account or any) lock it out at once. A lock of the
  // account from everywhere is decided below: it never refuses a correct password with its
  // second factor, so failing on purpose cannot lock such an account (every administrator's).
  if (lock && lock.of !== "account_everywhere") return refuseLocked(lock);

  /** Counts the failure, records it for a known account, and slows the answer down. */
  const refuse = async (account: SignInAccount | undefined, reason: FailureReason) => {
    if (lock) return refuseLocked(lock);
    const failures = await recordFailure(ctx.db, username, address, now);
    if (account) {
      await ctx.db.transaction((tx) =>
        recordAudit(tx, ctx, {
          action: "SIGN_IN_FAILED",
          entity: "user",
          entityId: account.id,
          after: { reason },
        }),
      );
    }
    const delay = failureDelayMs(failures);
    if (delay) await new Promise((r) => setTimeout(r, delay));
  };

  const account = await findSignInAccount(ctx, username);
  // The same work whether or not the user exists, or has a password at all (single sign-on
  // only), so timing does not tell.
  const passwordOk = await verifyPassword(password, account?.passwordHash ?? dummyHash());
  if (!passwordOk || !account?.active) {
    await refuse(account, passwordOk ? "deactivated" : "wrong_password");
    throw appError("sign_in_failed", "Wrong user name or password, or the account is deactivated");
  }
  if (account.totpSecret) {
    const given = code?.trim();
    if (!given) {
      throw appError(
        "second_factor_needed",
        "Enter the 6-digit code from your authenticator app, or a recovery code",
      );
    }
    if (
      !(await acceptSecondFactor(ctx.db, account.id, account.totpSecret, account.totpLastStep, given, now))
    ) {
      await refuse(account, "second_factor_failed");
      throw appError(
        "second_factor_failed",
        "That code is not valid (codes change every 30 seconds and work once)",
      );
    }
  } else if (lock) {
    // A password alone does not get past a lock of the account from everywhere.
    return refuseLocked(lock);
  }
  await clearFailures(ctx.db, username);
  // A hash made at an older, lower cost is redone now that the password is known (the only
  // moment it is), at the current cost. Done before the transaction: hashing takes a while.
  const rehashed =
    account.passwordHash && needsRehash(account.passwordHash) ? await hashPassword(password) : null;
  const user: SessionUser = {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    totpEnabled: account.totpSecret !== null,
    mustChangePassword: account.mustChangePassword,
  };
  // A fresh session id at every sign-in (no fixation): any session the browser had is ended.
  // The audit entry also marks the data as changed, so the old session is forgotten everywhere.
  const session = await ctx.db.transaction(async (tx) => {
    if (oldCookie) await deleteSession(tx, oldCookie);
    // Only if it is still the hash that was checked (a password change meanwhile wins).
    if (rehashed)
      await tx.execute(
        sql`update users set password_hash = ${rehashed} where id = ${account.id} and password_hash = ${account.passwordHash}`,
      );
    const created = await createSession(tx, user.id, { address: ctx.address, userAgent, now: ctx.now() });
    await recordAudit(tx, signedInActor(user, ctx), {
      action: "SIGNED_IN",
      entity: "user",
      entityId: user.id,
      after: { method: "password" },
    });
    return created;
  });
  return { user, ...session };
}
