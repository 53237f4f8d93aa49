import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import type { Database } from "../src/db/open.js";
import { queryOne } from "../src/db/sql.js";
import { createUserWithToken, ENGINE, openTestDatabase, uniqueSlug } from "./helpers.js";

/** I5: errors fail closed, and their answers say nothing of the server's insides. */

/** The keys of every problem answer, and nothing else for a failure of the server. */
const PROBLEM_KEYS = ["code", "detail", "requestId", "status", "title", "type"];
/** What a 500's body must never hold: SQL, its parameters, a stack, a file path, a driver's or the fault's words. */
const INSIDES =
  /select |insert into|update |delete from|failed query|params|constraint|i5_fault|\bat .*\(|\.ts\b|\.js\b|\/srv\/|\/work\/|node_modules|pglite|pool|retired-role/i;

let database: Database;
let app: FastifyInstance;
let token: string;
const logged: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({
    db: database.db,
    engine: database.engine,
    localVersion: database.localVersion,
    logger: {
      level: "error",
      stream: new Writable({
        write(chunk, _enc, done) {
          logged.push(String(chunk));
          done();
        },
      }),
    },
  });
  await app.ready();
  token = await createUserWithToken(database.db, "admin");
});
afterAll(async () => {
  await app?.close();
  // The last test closed the database (on PostgreSQL, its close also dropped it).
});

const send = (method: "GET" | "POST" | "PATCH", url: string, payload?: object, headers = {}) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...headers },
    ...(payload ? { payload } : {}),
  });

/** A 500 answered as a bare problem: its exact keys, the generic words, and its id in the log. */
function expectBare500(res: Awaited<ReturnType<typeof send>>, { api = true } = {}) {
  expect(res.statusCode, res.body).toBe(500);
  expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(PROBLEM_KEYS);
  expect(body).toEqual({
    type: "https://accord.invalid/problems/internal_error",
    title: "Internal server error",
    status: 500,
    detail: "The server failed to answer this request",
    code: "internal_error",
    requestId: res.headers["x-request-id"],
  });
  expect(res.body).not.toMatch(INSIDES);
  // The details go to the log, under the same request id.
  expect(logged.some((line) => line.includes(body.requestId) && /"err"/.test(line))).toBe(true);
  // The H1 headers hold on a 500 as on any answer.
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  if (api) expect(res.headers["cache-control"]).toBe("no-store");
  expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
}

describe(`errors fail closed (${ENGINE})`, () => {
  it("I5: a failing query (its SQL and parameters in the error) → a bare 500, nothing changed", async () => {
    const jurisdiction = (
      await send("POST", "/api/v1/jurisdictions", {
        slug: uniqueSlug("i5"),
        name: "I5",
        kind: "city",
        stateCode: "MD",
      })
    ).json();
    await database.db.execute(
      sql`alter table matters add constraint i5_fault check (title <> 'I5 fault title') not valid`,
    );
    try {
      const res = await send("POST", "/api/v1/matters", {
        slug: "i5-fault",
        kind: "consent_decree",
        status: "active",
        title: "I5 fault title",
        jurisdictionId: jurisdiction.id,
      });
      expectBare500(res);
      expect(logged.join("\n")).toMatch(/i5_fault/);
    } finally {
      await database.db.execute(sql`alter table matters drop constraint i5_fault`);
    }
    const found = await queryOne(database.db, sql`select 1 from matters where slug = 'i5-fault'`);
    expect(found).toBeUndefined();
  });

  it("I5: a policy check that throws refuses the request (500), and changes nothing", async () => {
    const jurisdiction = (
      await send("POST", "/api/v1/jurisdictions", {
        slug: uniqueSlug("i5"),
        name: "I5",
        kind: "city",
        stateCode: "MD",
      })
    ).json();
    // A user whose role the policy table does not know (a role a later version removed, a row
    // edited by hand): the permission check throws on it. A new token, so nothing is remembered.
    const username = uniqueSlug("i5-retired");
    const retired = await createUserWithToken(database.db, "approver", username);
    await database.db.execute(sql`update users set role = 'retired-role' where username = ${username}`);
    const res = await send(
      "POST",
      "/api/v1/matters",
      {
        slug: "i5-policy",
        kind: "consent_decree",
        status: "active",
        title: "Made while the policy was broken",
        jurisdictionId: jurisdiction.id,
      },
      { authorization: `Bearer ${retired}` },
    );
    expectBare500(res);
    expect(logged.join("\n")).toMatch(/retired-role|Cannot read properties of undefined/);
    const found = await queryOne(database.db, sql`select 1 from matters where slug = 'i5-policy'`);
    expect(found).toBeUndefined();
  });

  it("I5: an unknown route → a generic 404 problem", async () => {
    const res = await send("GET", "/api/v1/no-such-thing");
    expect(res.statusCode).toBe(404);
    expect(Object.keys(res.json()).sort()).toEqual(PROBLEM_KEYS);
    expect(res.json()).toMatchObject({ code: "route_not_found", status: 404 });
    expect(res.body).not.toMatch(INSIDES);
  });

  it("I5: with the database closed → a bare 500, and the server still answers", async () => {
    // Signed in while the database was open (who the token is may be remembered).
    expect((await send("GET", "/api/v1/matters")).statusCode).toBe(200);
    await database.close();
    // A read not answered before (the read cache may answer one it already did, unchanged).
    expectBare500(await send("GET", "/api/v1/jurisdictions?q=closed"));
    expectBare500(await send("GET", "/healthz"), { api: false });
    expectBare500(
      await send("POST", "/api/v1/jurisdictions", {
        slug: "i5-closed",
        name: "C",
        kind: "city",
        stateCode: "MD",
      }),
    );
  });
});
