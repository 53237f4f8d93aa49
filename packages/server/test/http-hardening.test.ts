import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTables, tableChecksum } from "../src/backup/backup.js";
import { queryOne } from "../src/db/sql.js";
import {
  buildAgency,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
} from "./helpers.js";

/** The HTTP edge: CSRF and CORS (I6), headers and exposure (H1), errors that fail closed (I5). */

/** The built web app, as far as these tests need it: its page, a script, and what must not be served. */
const webDir = mkdtempSync(join(tmpdir(), "accord-web-"));
mkdirSync(join(webDir, "assets"));
writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Accord</title>");
writeFileSync(join(webDir, "assets", "app.js"), "console.log('accord');");
// A source map left in the build by mistake, and a checkout's metadata beside it.
writeFileSync(join(webDir, "assets", "app.js.map"), '{"version":3,"sources":["../src/secret.ts"]}');
mkdirSync(join(webDir, ".git"));
writeFileSync(join(webDir, ".git", "config"), "[remote] url = https://token@example.org/accord.git");
writeFileSync(join(webDir, ".env"), "ACCORD_SECRET=1");

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ webDir });
});
afterAll(async () => {
  await t.close();
  rmSync(webDir, { recursive: true, force: true });
});

/** Signs the test administrator in: the session cookie and its anti-CSRF proof. */
async function signIn() {
  const res = await t.anonymous({
    method: "POST",
    url: "/api/v1/session",
    payload: { username: "tester", password: "test-password-123" },
  });
  expect(res.statusCode, res.body).toBe(200);
  const set = res.cookies.find((c) => c.name === "accord_session")!;
  return { cookie: `accord_session=${set.value}`, csrf: res.json().csrfToken as string };
}

const auditCount = async () =>
  (await queryOne<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_entries`))!.n;
const matterCount = async () =>
  (await queryOne<{ n: number }>(t.database.db, sql`select count(*)::int as n from matters`))!.n;

describe(`CSRF and CORS (${ENGINE})`, () => {
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    session = await signIn();
  });

  it("I6: a cookie-authenticated change from a foreign Origin is refused, even with the anti-CSRF proof", async () => {
    const { cookie, csrf } = session;
    const before = await matterCount();
    const jurisdiction = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/jurisdictions",
        payload: { slug: "i6-origin-town", name: "Origin Town", kind: "city", stateCode: "MD" },
      })
    ).json();
    const create = (headers: Record<string, string>, slug: string) =>
      t.anonymous({
        method: "POST",
        url: "/api/v1/matters",
        headers: { cookie, "x-csrf-token": csrf, ...headers },
        payload: {
          slug,
          kind: "consent_decree",
          status: "active",
          title: "Origin test",
          jurisdictionId: jurisdiction.id,
        },
      });
    for (const origin of ["https://evil.example", "http://localhost.evil.example", "null"]) {
      const res = await create({ origin }, `i6-refused-${before}`);
      expect(res.statusCode, origin).toBe(403);
      expect(res.json().code, origin).toBe("csrf_failed");
    }
    // A browser marks a request sent by another site, whatever its Origin says.
    const crossSite = await create({ "sec-fetch-site": "cross-site" }, `i6-refused-${before}`);
    expect(crossSite.statusCode).toBe(403);
    expect(await matterCount()).toBe(before);
    // The app's own pages send their own origin (the Host they were served from), or none.
    const same = await create(
      { host: "accord.example:8443", origin: "https://accord.example:8443" },
      "i6-same",
    );
    expect(same.statusCode, same.body).toBe(201);
    // Behind a proxy whose Host header drops the port users see (nginx's `Host $host`).
    const portDropped = await create(
      { host: "accord.example", origin: "https://accord.example:8443" },
      "i6-port-dropped",
    );
    expect(portDropped.statusCode, portDropped.body).toBe(201);
    const noOrigin = await create({}, "i6-no-origin");
    expect(noOrigin.statusCode, noOrigin.body).toBe(201);
    // Signing in from another site (login CSRF) is refused too.
    const foreignSignIn = await t.anonymous({
      method: "POST",
      url: "/api/v1/session",
      headers: { origin: "https://evil.example" },
      payload: { username: "tester", password: "test-password-123" },
    });
    expect(foreignSignIn.statusCode).toBe(403);
    expect(foreignSignIn.cookies).toEqual([]);
    // Anonymous elsewhere: the usual 401, which adds no audit entry (a 403 would).
    const audited = await auditCount();
    const anonymous = await t.anonymous({
      method: "POST",
      url: "/api/v1/matters",
      headers: { origin: "https://evil.example" },
      payload: {},
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await auditCount()).toBe(audited);
  });

  it("I6: a change without the anti-CSRF proof is refused, a multipart upload too", async () => {
    const { cookie } = session;
    const m = await buildMatter(t.app);
    const patch = await t.anonymous({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { cookie, "if-match": `"${m.version}"` },
      payload: { title: "Changed by a forged form" },
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json().code).toBe("csrf_failed");
    const form = new FormData();
    form.append("file", new Blob(["forged upload"]), "forged.txt");
    const upload = await t.anonymous({
      method: "POST",
      url: `/api/v1/matters/${m.slug}/documents`,
      headers: { cookie },
      body: form,
    });
    expect(upload.statusCode).toBe(403);
    expect(upload.json().code).toBe("csrf_failed");
    expect((await t.app.inject(`/api/v1/matters/${m.id}`)).json()).toMatchObject({ version: m.version });
  });

  it("I6: JSON sent as text/plain or as a form is refused with 415, nothing created", async () => {
    const before = await matterCount();
    const jurisdiction = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/jurisdictions",
        payload: { slug: "i6-type-town", name: "Type Town", kind: "city", stateCode: "MD" },
      })
    ).json();
    const body = JSON.stringify({
      slug: "i6-wrong-type",
      kind: "consent_decree",
      status: "active",
      title: "Wrong content type",
      jurisdictionId: jurisdiction.id,
    });
    for (const type of ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded"]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/matters",
        headers: { "content-type": type },
        payload: body,
      });
      expect(res.statusCode, `${type}: ${res.body}`).toBe(415);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().code).toBe("unsupported_media_type");
    }
    expect(await matterCount()).toBe(before);
  });

  it("I6: a CORS preflight or a read from a foreign origin gets no Access-Control-Allow headers", async () => {
    const { cookie } = session;
    const preflight = await t.anonymous({
      method: "OPTIONS",
      url: "/api/v1/matters",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-csrf-token",
      },
    });
    const read = await t.anonymous({
      url: "/api/v1/matters",
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(read.statusCode).toBe(200);
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    for (const res of [preflight, read]) {
      const allow = Object.keys(res.headers).filter((h) => h.startsWith("access-control-"));
      expect(allow).toEqual([]);
    }
  });
});

/** Every table's row count and checksum (as a backup's manifest computes them). */
async function snapshot() {
  const tables: Record<string, string> = {};
  for (const name of await listTables(t.database.db)) {
    const { rows, checksum } = await tableChecksum(t.database.db, name);
    tables[name] = `${rows} ${checksum}`;
  }
  return tables;
}

describe(`reads change nothing (${ENGINE})`, () => {
  it("I6: GET and HEAD on every GET route of the route inventory leave every table as it was", async () => {
    const matter = await buildMatter(t.app, { title: "Sweep decree" });
    const agency = await buildAgency(t.app);
    const jurisdiction = await buildJurisdiction(t.app);
    // Uploaded, not extracted (a worker process takes seconds): a read must not start the job either.
    const form = new FormData();
    form.append("file", new Blob(["1. The department shall sweep."]), "sweep.txt");
    const upload = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const documentId = upload.json().items[0].document.id as string;
    const values: Record<string, string> = {
      key: matter.slug,
      id: documentId,
      n: "1",
      ref: "1",
      entity: "matter",
    };
    /** A route's address with its parameters filled in from what was just made. */
    const fill = (url: string) =>
      url
        .replace(/^\/api\/v1\/agencies\/:key/, `/api/v1/agencies/${agency.slug}`)
        .replace(/^\/api\/v1\/jurisdictions\/:key/, `/api/v1/jurisdictions/${jurisdiction.slug}`)
        .replace(/^\/api\/v1\/users\/:key/, "/api/v1/users/tester")
        .replace(/:(\w+)/g, (_, name: string) => values[name] ?? randomUUID());
    // The API docs serve a document generated from the routes, never the database (and take
    // seconds to generate): left out to keep this test fast.
    const routes = t.app.routePolicies
      .filter((r) => r.method === "GET" && !r.url.startsWith("/api/docs") && r.url !== "/api/openapi.json")
      .map((r) => fill(r.url));
    expect(routes.length).toBeGreaterThan(50);
    const before = await snapshot();
    const statuses: Record<number, number> = {};
    for (const url of routes)
      for (const method of ["GET", "HEAD"] as const) {
        const res = await t.app.inject({ method, url });
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      }
    const after = await snapshot();
    expect(after).toEqual(before);
    // Most answer their record; the rest are refused for a made-up id or a missing parameter.
    expect(statuses[200]).toBeGreaterThan(routes.length);
  });
});

describe(`headers and exposure (${ENGINE})`, () => {
  it("H1: the security headers on the page, JSON, 400, 401, 404 and a download", async () => {
    const m = await buildMatter(t.app);
    const form = new FormData();
    form.append("file", new Blob(["Plain text of a filing."]), "filing.txt");
    const upload = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${m.slug}/documents`,
      body: form,
    });
    const documentId = upload.json().items[0].document.id as string;
    const answers = {
      page: await t.anonymous("/matters/x"),
      shell: await t.anonymous("/"),
      json: await t.app.inject(`/api/v1/matters/${m.id}`),
      list: await t.app.inject("/api/v1/matters"),
      unauthenticated: await t.anonymous("/api/v1/users"),
      notFound: await t.app.inject("/api/v1/nothing-here"),
      invalid: await t.app.inject({ method: "POST", url: "/api/v1/matters", payload: { slug: 1 } }),
      download: await t.app.inject(`/api/v1/documents/${documentId}/file?download=1`),
    };
    const statuses = Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.statusCode]));
    expect(statuses).toEqual({
      page: 200,
      shell: 200,
      json: 200,
      list: 200,
      unauthenticated: 401,
      notFound: 404,
      invalid: 400,
      download: 200,
    });
    for (const [name, res] of Object.entries(answers)) {
      const h = res.headers;
      expect(h["strict-transport-security"], name).toBe("max-age=31536000; includeSubDomains");
      expect(h["x-content-type-options"], name).toBe("nosniff");
      expect(h["referrer-policy"], name).toMatch(/^(no-referrer|strict-origin-when-cross-origin)$/);
      expect(h["x-powered-by"], name).toBeUndefined();
      expect(h["content-type"], name).toMatch(/charset=utf-8/i);
      const csp = String(h["content-security-policy"]);
      if (name !== "download") {
        for (const d of [
          "default-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
        ])
          expect(csp, `${name}: ${d}`).toContain(d);
        expect(/script-src[^;]*'unsafe-(inline|eval)'/.test(csp), name).toBe(false);
      } else expect(csp).toMatch(/^default-src 'none'; sandbox/);
      if (name !== "page" && name !== "shell") expect(h["cache-control"], name).toMatch(/no-store/);
    }
  });

  it("H1: TRACE is not echoed; source maps, /.git/ and dot files are not served", async () => {
    const trace = await t.anonymous({
      method: "TRACE",
      url: "/",
      headers: { cookie: "accord_session=trace-probe-cookie", "x-probe": "trace-probe-header" },
    });
    expect([404, 405]).toContain(trace.statusCode);
    expect(trace.body).not.toMatch(/trace-probe/);
    expect(trace.headers["content-type"]).not.toMatch(/message\/http/);
    expect((await t.anonymous("/assets/app.js")).statusCode).toBe(200);
    for (const url of [
      "/assets/app.js.map",
      "/.git/config",
      "/.git/",
      "/.git/HEAD",
      "/.env",
      "/assets/../.env",
    ]) {
      const res = await t.anonymous(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toMatch(/secret|token@|ACCORD_SECRET|<title>Accord/);
    }
  });
});
