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
 * Attempts being checked (from before their first query until they are answered), by throttle
 * key, in this process. They count against the limits of the account from an address and of the
 * address as failures would: attempts sent at once, without waiting for answers, cannot all have
 * their password hashed (128 MiB and most of a second of a core each), nor all wait on the
 * database, before the first failure is counted. Not the account's limit from everywhere: a
 * flood from elsewhere must not refuse its owner.
 */
const checking = new Map<string, number>();

/** How long an attempt refused for too many at once is told to wait, in seconds. */
export const CHECKING_RETRY_SECONDS = 5;

/**
 * How long what this process knows of the throttle table (failures counted, locks) is trusted
 * before the database is asked again: another instance may have counted more, or ended a lock
 * (a password reset).
 */
export const LOCK_RECHECK_MS = 5_000;
/** Keys remembered at most, in each of the maps below (the oldest are forgotten first). */
const MAX_REMEMBERED = 10_000;

function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  if (map.size >= MAX_REMEMBERED) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

/**
 * Failures counted within the window, by throttle key, as this process last read or wrote them
 * (only keys with some): with the attempts being checked, they refuse an attempt past a limit
 * before its first query.
 */
const knownFailures = new Map<string, { failures: number; atMs: number }>();

function knowFailures(key: string, failures: number, atMs: number) {
  if (failures > 0) remember(knownFailures, key, { failures, atMs });
  else knownFailures.delete(key);
}

/** The failures this process knows of, for the keys of this sign-in, read or written lately. */
function rememberedFailures(username: string, address: string, now: Date): Map<string, number> {
  const nowMs = now.getTime();
  const known = new Map<string, number>();
  for (const { key } of throttleKeys(username, address)) {
    const entry = knownFailures.get(key);
    if (entry && nowMs - entry.atMs < LOCK_RECHECK_MS && nowMs >= entry.atMs) known.set(key, entry.failures);
  }
  return known;
}

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
  const failures = new Map(rows.map((r) => [r.key, r.failures]));
  for (const key of keys) knowFailures(key, failures.get(key) ?? 0, now.getTime());
  return failures;
}

const tooManyAtOnce = (of: LockOf) =>
  appError(
    "sign_in_locked",
    `Too many sign-ins at once for ${of === "account" ? "this account from your address" : "your address"}. Try again in a few seconds.`,
    { headers: { "retry-after": String(CHECKING_RETRY_SECONDS) } },
  );

/**
 * Counts an attempt as being checked, before it costs anything, or refuses it (429) when the
 * attempts being checked and the failures this process knows of reach a limit; the function
 * returned ends it (call it once the attempt is answered). Once the failures are read from the
 * database, `stillWithinLimits` checks again.
 */
export function startChecking(username: string, address: string, now: Date): () => void {
  const keys = throttleKeys(username, address).filter((k) => k.of !== "account_everywhere");
  const failures = rememberedFailures(username, address, now);
  for (const { key, limit, of } of keys) {
    if ((checking.get(key) ?? 0) + (failures.get(key) ?? 0) >= limit) throw tooManyAtOnce(of);
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

/**
 * Refuses (429) an attempt being checked when the failures just read (`failures`) and the other
 * attempts being checked reach a limit.
 */
export function stillWithinLimits(username: string, address: string, failures: ReadonlyMap<string, number>) {
  for (const { key, limit, of } of throttleKeys(username, address)) {
    if (of === "account_everywhere") continue;
    if ((checking.get(key) ?? 1) - 1 + (failures.get(key) ?? 0) >= limit) throw tooManyAtOnce(of);
  }
}

/**
 * Locks of an account from an address, and of an address, that this process has set or seen, by
 * throttle key: an attempt under such a lock is refused (429) before costing a query or a hash.
 * A flood keeps hitting the same lock, and asking the database about it each time (four queries
 * an attempt, with the recording of the refusal) was most of what LD5's 200 attempts a second
 * cost the server (by a CPU profile), and queued them on the database. The database stays the truth: a known lock is checked again there by one
 * attempt every LOCK_RECHECK_MS (another instance may have ended it: a password reset), and
 * a lock this process set is first checked by the next attempt, which records the refusal once
 * (sign-in.ts).
 */
const knownLocks = new Map<string, { of: LockOf; untilMs: number; checkedMs: number }>();

function knowLock(key: string, of: LockOf, untilMs: number, checkedMs: number) {
  if (of !== "account_everywhere") remember(knownLocks, key, { of, untilMs, checkedMs });
}

/**
 * A lock of the account from this address, or of the address, known to this process and not
 * due to be checked again: the attempt is refused without asking the database. Null: ask it (when
 * a known lock is due, this attempt does, and the others meanwhile are still refused here).
 */
export function knownSignInLock(username: string, address: string, now: Date): SignInLock | null {
  const nowMs = now.getTime();
  for (const { key } of throttleKeys(username, address)) {
    const known = knownLocks.get(key);
    if (!known) continue;
    if (known.untilMs <= nowMs) {
      knownLocks.delete(key);
      continue;
    }
    if (nowMs - known.checkedMs >= LOCK_RECHECK_MS || nowMs < known.checkedMs) {
      known.checkedMs = nowMs;
      return null;
    }
    return { of: known.of, lockedUntil: new Date(known.untilMs).toISOString() };
  }
  return null;
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
    if (row?.lockedUntil) {
      knowLock(key, of, Date.parse(row.lockedUntil), now.getTime());
      return { of, lockedUntil: row.lockedUntil };
    }
    // Ended meanwhile (a password reset, here or on another instance).
    knownLocks.delete(key);
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
      // Checked at once by the next attempt, which records the first refusal under it.
      knowLock(key, of, Date.parse(lockUntil), Number.NEGATIVE_INFINITY);
    }
    knowFailures(key, failures >= limit ? 0 : failures, now.getTime());
    if (of === "account") accountFailures = failures;
  }
  return accountFailures;
}

/** Forgets the account's failures from everywhere (a successful sign-in, a password reset). */
export async function clearFailures(db: Queryable, username: string) {
  const user = username.toLowerCase();
  for (const map of [knownLocks, knownFailures])
    for (const key of map.keys())
      if (key === `user:${user}` || key.startsWith(`user:${user}@`)) map.delete(key);
  await db.execute(
    sql`delete from sign_in_throttle where key = ${`user:${user}`} or starts_with(key, ${`user:${user}@`})`,
  );
}

/** The delay before answering a failed sign-in: nothing at first, then growing to 2 s. */
export const failureDelayMs = (failures: number) =>
  failures <= THROTTLE.slowAfter ? 0 : Math.min(2000, (failures - THROTTLE.slowAfter) * 400);
