import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "../src/context/app-error.js";
import { systemContext } from "../src/context/command-context.js";
import type { Database } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import { OIDC_PENDING_LIMITS, startOidcSignIn } from "../src/modules/auth/commands/start-oidc-sign-in.js";
import { recordFailure } from "../src/modules/auth/throttle.js";
import { ENGINE, openTestDatabase } from "./helpers.js";

/** Issue 16, item 8: anonymous requests cannot grow the sign-on and throttle tables without bound. */
describe(`anonymous requests and table growth (${ENGINE})`, () => {
  let database: Database;
  const now = new Date("2026-12-06T12:00:00Z");
  /** Days before the test's clock (not the database's now(): the commands run on the test's clock). */
  const daysBefore = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  const ctxFrom = (address: string) => ({ ...systemContext(database.db, "test", () => now), address });
  const start = (address: string) =>
    startOidcSignIn(
      { state: randomUUID(), nonce: randomUUID(), codeVerifier: randomUUID(), returnTo: "/" },
      ctxFrom(address),
    );

  it("limits unfinished single sign-ons per address (an IPv6 /64 as one) and clears expired ones", async () => {
    // Expired attempts from this address do not count, and go.
    await database.db.execute(
      sql`insert into oidc_logins (state, nonce, code_verifier, address, created_at)
          select 'old-' || i, 'n', 'v', '2001:db8:5:5::/64', ${daysBefore(2)} from generate_series(1, 30) i`,
    );
    for (let i = 0; i < OIDC_PENDING_LIMITS.perAddress; i++) await start(`2001:db8:5:5::${i + 1}`);
    const refused = await start("2001:db8:5:5::abcd").catch((e: AppError) => e);
    expect(refused).toMatchObject({ code: "too_many_requests", status: 429 });
    await start("2001:db8:5:6::1");
    const rows = await queryRows<{ address: string; n: number }>(
      database.db,
      sql`select address, count(*)::int as n from oidc_logins group by address order by address`,
    );
    expect(rows).toEqual([
      { address: "2001:db8:5:5::/64", n: OIDC_PENDING_LIMITS.perAddress },
      { address: "2001:db8:5:6::/64", n: 1 },
    ]);
  });

  it("forgets sign-in failures that no longer count", async () => {
    await database.db.execute(
      sql`insert into sign_in_throttle (key, failures, last_failure_at)
          select 'user:ghost-' || i || '@192.0.2.' || i, 1, ${daysBefore(1)} from generate_series(1, 500) i`,
    );
    await database.db.execute(
      sql`insert into sign_in_throttle (key, failures, last_failure_at, locked_until)
          values ('ip:192.0.2.250', 0, ${new Date(now.getTime() - 20 * 60_000).toISOString()},
            ${new Date(now.getTime() + 5 * 60_000).toISOString()})`,
    );
    await recordFailure(database.db, "someone", "198.51.100.3", now);
    const left = await queryRows<{ key: string }>(
      database.db,
      sql`select key from sign_in_throttle order by key`,
    );
    expect(left.map((r) => r.key)).toEqual([
      "ip:192.0.2.250",
      "ip:198.51.100.3",
      "user:someone",
      "user:someone@198.51.100.3",
    ]);
  });
});
