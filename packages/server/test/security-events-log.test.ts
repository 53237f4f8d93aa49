import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import type { Database } from "../src/db/open.js";
import { THROTTLE } from "../src/modules/auth/throttle.js";
import { chosenPassword, createUserWithToken, ENGINE, openTestDatabase, uniqueSlug } from "./helpers.js";

/**
 * L4: security events. Failed authentication (401), refusals by policy (403), limits reached
 * (429) and requests that do not validate are each written once to the server's log, with the
 * request id, at the level the server runs at by default (info, without request logging). They
 * are not audited when anonymous: anyone could grow the audit table, kept for good, with them
 * (issue 16, item 8). What is audited: sign-ins and failed sign-ins to known accounts (auth.test.ts),
 * refusals by policy (audit-refusals.test.ts).
 */
const lines: Record<string, unknown>[] = [];
const stream = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});

let database: Database;
let app: FastifyInstance;
let viewerToken: string;
beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ db: database.db, engine: database.engine, logger: { level: "info", stream } });
  await app.ready();
  viewerToken = await createUserWithToken(database.db, "viewer", uniqueSlug("l4viewer"));
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** The security event lines written for the request that got this answer. */
const eventsOf = (res: { headers: Record<string, unknown> }) =>
  lines.filter((l) => l.reqId === res.headers["x-request-id"] && l.securityEvent !== undefined);

const auditRows = async () =>
  (
    (await database.db.execute(sql`select count(*)::int as n from audit_entries`)) as unknown as {
      rows: { n: number }[];
    }
  ).rows[0]!.n;

describe(`L4: security events are logged (${ENGINE})`, () => {
  it("L4: a 401, a 403, a validation failure, malformed JSON and a 429 are each logged once with the request id", async () => {
    const username = uniqueSlug("l4");
    await app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: {
        authorization: `Bearer ${await createUserWithToken(database.db, "admin", uniqueSlug("l4admin"))}`,
      },
      payload: { username, role: "viewer", password: chosenPassword(username) },
    });
    const from = "203.0.113.90";
    const cases: { res: Awaited<ReturnType<FastifyInstance["inject"]>>; event: string; code: string }[] = [];
    const anonymous = await app.inject({ method: "GET", url: "/api/v1/users", remoteAddress: from });
    cases.push({ res: anonymous, event: "authentication_failed", code: "unauthenticated" });
    const badToken = await app.inject({
      method: "GET",
      url: "/api/v1/matters",
      headers: { authorization: "Bearer acc_not-a-token" },
      remoteAddress: from,
    });
    cases.push({ res: badToken, event: "authentication_failed", code: "unauthenticated" });
    const forbidden = await app.inject({
      method: "GET",
      url: "/api/v1/users",
      headers: { authorization: `Bearer ${viewerToken}` },
      remoteAddress: from,
    });
    cases.push({ res: forbidden, event: "forbidden", code: "forbidden" });
    const invalid = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: "" },
      remoteAddress: from,
    });
    cases.push({ res: invalid, event: "validation_failed", code: "validation_failed" });
    const malformed = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { "content-type": "application/json" },
      payload: "{not json",
      remoteAddress: from,
    });
    cases.push({ res: malformed, event: "validation_failed", code: "malformed_json" });
    for (let k = 0; k < THROTTLE.accountLimit; k++) {
      const wrong = await app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { username, password: `wrong ${k}` },
        remoteAddress: from,
      });
      cases.push({ res: wrong, event: "authentication_failed", code: "sign_in_failed" });
    }
    const locked = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username, password: chosenPassword(username) },
      remoteAddress: from,
    });
    cases.push({ res: locked, event: "rate_limited", code: "sign_in_locked" });

    for (const { res, event, code } of cases) {
      expect(res.json().code).toBe(code);
      const logged = eventsOf(res);
      expect(logged, `${code}: ${JSON.stringify(logged)}`).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        securityEvent: event,
        code,
        status: res.statusCode,
        address: from,
        level: 30,
      });
    }
    // Nothing of what was sent is in them (the passwords tried, the token).
    const written = JSON.stringify(lines);
    expect(written).not.toContain("wrong 0");
    expect(written).not.toContain(chosenPassword(username));
    expect(written).not.toContain("acc_not-a-token");
  });

  it("L4: anonymous refusals are logged, not audited: 50 of them add no audit row", async () => {
    const before = await auditRows();
    const logged = lines.length;
    for (let k = 0; k < 50; k++) {
      const res = await app.inject({ method: "GET", url: "/api/v1/users", remoteAddress: `203.0.113.${k}` });
      expect(res.statusCode).toBe(401);
    }
    // Unknown user names failing to sign in: counted by the sign-in limits, not audited either.
    for (let k = 0; k < 10; k++)
      await app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { username: uniqueSlug("nobody"), password: "whatever it is" },
        remoteAddress: `198.51.100.${k}`,
      });
    expect(await auditRows()).toBe(before);
    expect(lines.slice(logged).filter((l) => l.securityEvent === "authentication_failed")).toHaveLength(60);
  });
});
