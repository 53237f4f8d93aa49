import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import type { Database } from "../src/db/open.js";
import { totpCode } from "../src/modules/auth/totp.js";
import { buildMatter, createUserWithToken, ENGINE, openTestDatabase, uniqueSlug } from "./helpers.js";

/**
 * L5: the server's own log (pino, at trace level with every request logged, as LOG_LEVEL=trace
 * runs it), captured while a user signs in, changes their password, uploads a file and enrols a
 * second factor with known secret values: none of them is written. Every write is one JSON line,
 * whatever control characters the values logged hold.
 */

const chunks: string[] = [];
const stream = new Writable({
  write(chunk: Buffer, _enc, done) {
    chunks.push(chunk.toString("utf8"));
    done();
  },
});

let database: Database;
let app: FastifyInstance;
let adminToken: string;
let dataDir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "accord-test-"));
  app = await buildApp({
    db: database.db,
    engine: database.engine,
    dataDir,
    logger: { level: "trace", stream },
    logRequests: true,
  });
  await app.ready();
  adminToken = await createUserWithToken(database.db, "admin", uniqueSlug("logadmin"));
});
afterAll(async () => {
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const HOSTILE = 'evil\n{"level":60,"msg":"forged"}\r\u001b[31mred\u001b[0m<script>alert(1)</script>';

describe(`L5: log hygiene (${ENGINE})`, () => {
  it("L5: writes no password, cookie, token (in a header or an address), CSRF token or TOTP secret, and one JSON line per entry", async () => {
    const admin = { authorization: `Bearer ${adminToken}` };
    const username = uniqueSlug("logged");
    const password = "Known-Secret-Password-One";
    const newPassword = "Known-Secret-Password-Two";
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: admin,
      payload: { username, role: "admin", password },
    });
    expect(created.statusCode, created.body).toBe(201);

    // Sign-in, a wrong one with a hostile user name, then the password change.
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: HOSTILE, password: "Known-Wrong-Password" },
    });
    expect(wrong.statusCode).toBe(401);
    const signIn = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username, password },
    });
    expect(signIn.statusCode).toBe(200);
    const firstCookie = signIn.cookies.find((c) => c.name === "accord_session")!.value;
    const firstCsrf = signIn.json().csrfToken as string;
    const changed = await app.inject({
      method: "POST",
      url: "/api/v1/session/password",
      headers: { cookie: `accord_session=${firstCookie}`, "x-csrf-token": firstCsrf },
      payload: { currentPassword: password, newPassword },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const cookie = changed.cookies.find((c) => c.name === "accord_session")!.value;
    const csrf = changed.json().csrfToken as string;
    const session = { cookie: `accord_session=${cookie}`, "x-csrf-token": csrf };

    // Second-factor enrolment.
    const start = await app.inject({ method: "POST", url: "/api/v1/session/totp", headers: session });
    expect(start.statusCode, start.body).toBe(200);
    const { secret } = start.json() as { secret: string };
    const code = totpCode(secret, new Date());
    const confirm = await app.inject({
      method: "POST",
      url: "/api/v1/session/totp/confirm",
      headers: session,
      payload: { code },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] };

    // An upload, and a matter whose title holds line breaks, ESC and markup.
    const asAdmin = {
      inject: (o: Record<string, unknown>) => app.inject({ ...o, headers: admin } as never),
    } as unknown as FastifyInstance;
    const m = await buildMatter(asAdmin, { title: "Plain title" });
    const form = new FormData();
    form.append("kind", "other");
    form.append("file", new Blob(["A memo with nothing secret in it"]), "memo.txt");
    const up = await app.inject({
      method: "POST",
      url: `/api/v1/matters/${m.slug}/documents`,
      body: form,
      headers: session,
    });
    expect(up.statusCode, up.body).toBe(201);
    const titled = await app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.slug}`,
      headers: { ...admin, "if-match": `"${m.version}"` },
      payload: { title: HOSTILE },
    });
    expect([200, 400]).toContain(titled.statusCode);
    // Credentials in an address: a calendar feed's token, and a single sign-on callback's code and
    // state (answered 404 here, with no provider set up, but logged as they arrive).
    const feed = await app.inject({
      method: "POST",
      url: "/api/v1/calendar-feeds",
      headers: session,
      payload: { name: "Phone" },
    });
    expect(feed.statusCode, feed.body).toBe(201);
    const feedToken = (feed.json() as { token: string }).token;
    const ics = await app.inject({
      method: "GET",
      url: `/api/v1/calendar.ics?token=${encodeURIComponent(feedToken)}`,
    });
    expect(ics.statusCode, ics.body).toBe(200);
    await app.inject({
      method: "GET",
      url: "/api/v1/session/oidc/callback?code=Known-Oidc-Code&state=Known-Oidc-State",
    });
    // What a module would write about a user or a record, through the app's own logger.
    app.log.warn({ username: HOSTILE, title: HOSTILE }, `refused ${HOSTILE}`);
    await new Promise((r) => setImmediate(r));

    const log = chunks.join("");
    expect(chunks.length).toBeGreaterThan(10);
    const secrets = {
      password,
      newPassword,
      wrongPassword: "Known-Wrong-Password",
      adminToken,
      bearer: adminToken.slice(4),
      firstCookie,
      cookie,
      firstCsrf,
      csrf,
      totpSecret: secret,
      totpCode: code,
      feedToken,
      oidcCode: "Known-Oidc-Code",
      oidcState: "Known-Oidc-State",
      ...Object.fromEntries(recoveryCodes.map((c, i) => [`recovery${i}`, c])),
    };
    // The multipart plugin logs the request's headers at trace level: there, redacted.
    const busboy = chunks.map((c) => JSON.parse(c)).find((e) => e.busboyOptions);
    expect(busboy?.busboyOptions.headers).toMatchObject({
      cookie: "[redacted]",
      "x-csrf-token": "[redacted]",
    });
    for (const [name, value] of Object.entries(secrets))
      expect(log, `${name} is in the log`).not.toContain(value);

    // The address is still logged, with the credential's value replaced.
    expect(log).toContain("/api/v1/calendar.ics?token=%5Bredacted%5D");
    expect(log).toContain("/api/v1/session/oidc/callback?code=%5Bredacted%5D&state=%5Bredacted%5D");

    // One JSON object per line, nothing raw that a terminal or a line-based reader would act on.
    for (const chunk of chunks) {
      expect(chunk.endsWith("\n")).toBe(true);
      const line = chunk.slice(0, -1);
      for (const raw of ["\n", "\r", "\u001b"]) expect(line.includes(raw)).toBe(false);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    const entry = chunks.map((c) => JSON.parse(c)).find((e) => e.msg === `refused ${HOSTILE}`);
    expect(entry).toMatchObject({ username: HOSTILE, title: HOSTILE });
    expect(chunks.map((c) => JSON.parse(c).msg)).not.toContain("forged");
  });
});
