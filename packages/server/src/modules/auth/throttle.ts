import { sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { Queryable } from "../../db/open.js";
import { queryOne, queryRows } from "../../db/sql.js";

/** After this many failures within the window, the key is locked for a while. */
export const THROTTLE = {
  windowMinutes: 15,
  lockMinutes: 15,
  /** Failures for one account from one address (an IPv6 /64 counts as one address). */
  accountLimit: 5,
  /** Failures from one address, whatever the accounts. */
  addressLimit: 20,
  /**
   * Failures for one account from anywhere: a guess spread over many addresses. This lock never
   * refuses a correct password with its second factor, so nobody can lock out an account that
   * has one (administrators must) by failing on purpose.
   */
  accountEverywhereLimit: 50,
  /** From this many failures on (one account, one address), each answer is delayed, growing. */
  slowAfter: 2,
};

/**
 * The address a limit counts: an IPv6 address by its /64 (one household or host gets a whole
 * /64, so counting single addresses would let it take 2^64 tries), an IPv4-mapped one as IPv4.
 */
export function addressKey(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (!a.includes(":")) return a;
  const [head = "", tail] = a.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (g || "0").replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

type LockOf = "account" | "address" | "account_everywhere";

export const throttleKeys = (
  username: string,
  address: string,
): { key: string; limit: number; of: LockOf }[] => {
  const user = username.toLowerCase();
  const from = addressKey(address);
  return [
    { key: `user:${user}@${from}`, limit: THROTTLE.accountLimit, of: "account" },
    { key: `ip:${from}`, limit: THROTTLE.addressLimit, of: "address" },
    { key: `user:${user}`, limit: THROTTLE.accountEverywhereLimit, of: "account_everywhere" },
  ];
};

/**
 * Attempts still being checked (their password being hashed), by throttle key, in this process.
 * They count against the limits of the account from an address and of the address as failures
 * would: attempts sent at once, without waiting for answers, cannot all have their password
 * hashed (128 MiB and most of a second of a core each) before the first failure is counted.
 * Not the account's limit from everywhere: a flood from elsewhere must not refuse its owner.
 */
const checking = new Map<string, number>();

/** How long an attempt refused for too many at once is told to wait, in seconds. */
export const CHECKING_RETRY_SECONDS = 5;

/** The failures each throttle key of this sign-in has counted within the window. */
export async function recentFailures(
  db: Queryable,
  username: string,
  address: string,
  now: Date,
): Promise<Map<string, number>> {
  const keys = throttleKeys(username, address).map((k) => k.key);
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
  const rows = await queryRows<{ key: string; failures: number }>(
    db,
    sql`select key, failures from sign_in_throttle
        where key in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )}) and last_failure_at >= ${windowStart}`,
  );
  return new Map(rows.map((r) => [r.key, r.failures]));
}

/**
 * Counts an attempt as being checked, or refuses it (429) when the attempts being checked and
 * the failures counted (`failures`, read just before: call this without awaiting in between)
 * reach a limit; the function returned ends it (call it once the attempt is answered).
 */
export function startChecking(
  username: string,
  address: string,
  failures: ReadonlyMap<string, number>,
): () => void {
  const keys = throttleKeys(username, address).filter((k) => k.of !== "account_everywhere");
  for (const { key, limit, of } of keys) {
    if ((checking.get(key) ?? 0) + (failures.get(key) ?? 0) >= limit)
      throw appError(
        "sign_in_locked",
        `Too many sign-ins at once for ${of === "account" ? "this account from your address" : "your address"}. Try again in a few seconds.`,
        { headers: { "retry-after": String(CHECKING_RETRY_SECONDS) } },
      );
  }
  for (const { key } of keys) checking.set(key, (checking.get(key) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const { key } of keys) {
      const n = (checking.get(key) ?? 1) - 1;
      if (n > 0) checking.set(key, n);
      else checking.delete(key);
    }
  };
}

/** A lock in force on sign-in: of the account from this address, of the address, or everywhere. */
export interface SignInLock {
  /** Whose failures locked it. */
  of: LockOf;
  /** ISO time the lock ends. */
  lockedUntil: string;
}

/** The lock in force on the account (from this address), the address or the account everywhere. */
export async function findSignInLock(
  db: Queryable,
  username: string,
  address: string,
  now: Date,
): Promise<SignInLock | null> {
  for (const { key, of } of throttleKeys(username, address)) {
    const row = await queryOne<{ lockedUntil: string | null }>(
      db,
      sql`select to_char(locked_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lockedUntil"
          from sign_in_throttle where key = ${key} and locked_until > ${now.toISOString()}`,
    );
    if (row?.lockedUntil) return { of, lockedUntil: row.lockedUntil };
  }
  return null;
}

/** The 429 a locked sign-in answers, with how long the lock lasts. */
export function signInLocked(lock: SignInLock, now: Date) {
  const what =
    lock.of === "account"
      ? "this account from your address"
      : lock.of === "address"
        ? "your address"
        : "this account";
  const minutes = Math.max(1, Math.ceil((Date.parse(lock.lockedUntil) - now.getTime()) / 60_000));
  return appError(
    "sign_in_locked",
    `Too many failed sign-ins for ${what}. Sign-in is locked for ${minutes} more minute${minutes === 1 ? "" : "s"}; try again later or ask an administrator to reset the password.`,
    { headers: { "retry-after": String(minutes * 60) } },
  );
}

/** Counts a failure; returns the failures of the account from this address (to slow the answer). */
export async function recordFailure(
  db: Queryable,
  username: string,
  address: string,
  now: Date,
): Promise<number> {
  let accountFailures = 0;
  // Anonymous failures add rows (any user name, any address): forget those that count no more.
  await db.execute(
    sql`delete from sign_in_throttle
        where last_failure_at < ${new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString()}
          and (locked_until is null or locked_until < ${now.toISOString()})`,
  );
  for (const { key, limit, of } of throttleKeys(username, address)) {
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
    if (of === "account") accountFailures = failures;
  }
  return accountFailures;
}

/** Forgets the account's failures from everywhere (a successful sign-in, a password reset). */
export async function clearFailures(db: Queryable, username: string) {
  const user = username.toLowerCase();
  await db.execute(
    sql`delete from sign_in_throttle where key = ${`user:${user}`} or starts_with(key, ${`user:${user}@`})`,
  );
}

/** The delay before answering a failed sign-in: nothing at first, then growing to 2 s. */
export const failureDelayMs = (failures: number) =>
  failures <= THROTTLE.slowAfter ? 0 : Math.min(2000, (failures - THROTTLE.slowAfter) * 400);
