import { sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { Queryable } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";

/** After this many failures within the window, the account (or address) is locked for a while. */
export const THROTTLE = {
  windowMinutes: 15,
  lockMinutes: 15,
  accountLimit: 5,
  addressLimit: 20,
  /** From this many failures on, each answer is delayed, growing with the count. */
  slowAfter: 2,
};

export const throttleKeys = (username: string, address: string) => [
  { key: `user:${username.toLowerCase()}`, limit: THROTTLE.accountLimit },
  { key: `ip:${address}`, limit: THROTTLE.addressLimit },
];

/** A lock in force on sign-in: of the account or of the address. */
export interface SignInLock {
  /** Whose failures locked it. */
  of: "account" | "address";
  /** ISO time the lock ends. */
  lockedUntil: string;
}

/** The lock in force on the account or the address, if any (the account's first). */
export async function findSignInLock(
  db: Queryable,
  username: string,
  address: string,
  now: Date,
): Promise<SignInLock | null> {
  for (const { key } of throttleKeys(username, address)) {
    const row = await queryOne<{ lockedUntil: string | null }>(
      db,
      sql`select to_char(locked_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lockedUntil"
          from sign_in_throttle where key = ${key} and locked_until > ${now.toISOString()}`,
    );
    if (row?.lockedUntil)
      return { of: key.startsWith("user:") ? "account" : "address", lockedUntil: row.lockedUntil };
  }
  return null;
}

/** The 429 a locked sign-in answers, with how long the lock lasts. */
export function signInLocked(lock: SignInLock, now: Date) {
  const what = lock.of === "account" ? "this account" : "your address";
  const minutes = Math.max(1, Math.ceil((Date.parse(lock.lockedUntil) - now.getTime()) / 60_000));
  return appError(
    "sign_in_locked",
    `Too many failed sign-ins for ${what}. Sign-in is locked for ${minutes} more minute${minutes === 1 ? "" : "s"}; try again later or ask an administrator to reset the password.`,
    { headers: { "retry-after": String(minutes * 60) } },
  );
}

/** Counts a failure; returns the account's failure count (to slow the answer down). */
export async function recordFailure(
  db: Queryable,
  username: string,
  address: string,
  now: Date,
): Promise<number> {
  let accountFailures = 0;
  for (const { key, limit } of throttleKeys(username, address)) {
    const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
    const lockUntil = new Date(now.getTime() + THROTTLE.lockMinutes * 60_000).toISOString();
    const row = await queryOne<{ failures: number }>(
      db,
      sql`insert into sign_in_throttle (key, failures, last_failure_at) values (${key}, 1, ${now.toISOString()})
          on conflict (key) do update set
            failures = case when sign_in_throttle.last_failure_at < ${windowStart} then 1 else sign_in_throttle.failures + 1 end,
            last_failure_at = excluded.last_failure_at
          returning failures`,
    );
    const failures = row?.failures ?? 1;
    if (failures >= limit) {
      await db.execute(
        sql`update sign_in_throttle set locked_until = ${lockUntil}, failures = 0 where key = ${key}`,
      );
    }
    if (key.startsWith("user:")) accountFailures = failures;
  }
  return accountFailures;
}

/** Forgets the account's failures (a successful sign-in, a password reset lifts its lock). */
export async function clearFailures(db: Queryable, username: string) {
  await db.execute(sql`delete from sign_in_throttle where key = ${`user:${username.toLowerCase()}`}`);
}

/** The delay before answering a failed sign-in: nothing at first, then growing to 2 s. */
export const failureDelayMs = (failures: number) =>
  failures <= THROTTLE.slowAfter ? 0 : Math.min(2000, (failures - THROTTLE.slowAfter) * 400);
