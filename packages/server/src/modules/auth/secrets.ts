import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from "node:crypto";

/**
 * The cost of new password hashes: OWASP's current guidance for scrypt (N = 2^17, r = 8, p = 1),
 * 128 MiB of memory a hash. Hashes made with less are redone at the next sign-in (needsRehash).
 */
export const SCRYPT_GUIDANCE = { N: 2 ** 17, r: 8, p: 1, keylen: 32 } as const;
let SCRYPT: { N: number; r: number; p: number; keylen: number } = { ...SCRYPT_GUIDANCE };

/**
 * Lowers (or restores) the cost of new hashes. For the test suite only, which makes hundreds of
 * users and sign-ins on two shared cores (a hash at the guidance's cost takes 0.4–1.5 s there);
 * the server always runs at SCRYPT_GUIDANCE, and a test checks hashes made at that cost.
 */
export function setPasswordHashCost(N: number) {
  SCRYPT = { ...SCRYPT, N };
}
/** Enough for the current cost (128·N·r bytes) with room to spare. */
const MAXMEM = 256 * 1024 * 1024;
/**
 * At most this many hashes at once: each holds 128 MiB, so a burst of sign-ins waits its turn
 * instead of taking the server's memory (libuv's pool would run four).
 */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number) {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password, salt, keylen, { N, r, p, maxmem: MAXMEM }, (err, key) =>
        err ? reject(err) : resolve(key),
      ),
    );
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** scrypt with a random salt, stored with its parameters so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(
    password,
    Buffer.from(salt, "base64url"),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(key, expected);
}

/**
 * Whether a stored hash was made with less than the current cost (or another scheme): after a
 * sign-in proves the password, it is hashed again at the current cost.
 */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split("$");
  return scheme !== "scrypt" || Number(n) < SCRYPT.N || Number(r) < SCRYPT.r || Number(p) < SCRYPT.p;
}

/**
 * A password hash that matches nothing, at the current cost: checked for unknown user names and
 * for users without a password (single sign-on only), so the answer's timing does not tell them
 * from a real account.
 */
export const dummyHash = () =>
  `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${"A".repeat(22)}$${"A".repeat(43)}`;

/** Letters and digits that cannot be read as one another: no I, l, 1, O, o or 0. */
const PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A generated password, to be read off a screen and typed: 24 characters of an alphabet without
 * look-alikes (about 139 bits), in groups of four (`k7Qm-…`). Each character is drawn without bias.
 */
export function generatePassword(): string {
  const chars = Array.from({ length: 24 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]);
  return Array.from({ length: 6 }, (_, i) => chars.slice(i * 4, i * 4 + 4).join("")).join("-");
}

/** An opaque random token (session id, API token, CSRF proof). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

export const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");
