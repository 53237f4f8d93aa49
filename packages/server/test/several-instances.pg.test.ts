import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { type Database, openDatabase } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import { verifyAuditChain } from "../src/modules/audit/index.js";
import { pdfOf } from "./document-fixtures.js";

/**
 * Issue 18: several instances behind a proxy on one PostgreSQL and one shared file directory.
 * Two real server processes (`accord serve`) start at once on one new database and one data
 * directory; requests alternate between them, as a proxy spreading the load would send them.
 * PostgreSQL only (vitest.config.ts leaves this file out of runs without TEST_DATABASE_URL).
 */
const ADMIN_PASSWORD = "several-instances-password";
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const adminUrl = process.env.TEST_DATABASE_URL;
const dbName = `accord_multi_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const dir = mkdtempSync(join(tmpdir(), "accord-multi-"));
const children: ChildProcess[] = [];
const receivers: Server[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

interface Instance {
  name: string;
  base: string;
  pid: number;
  output: () => string;
}

/** Starts `accord serve` on a free port; resolves once it answers /healthz. */
async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@accord/source", CLI, "serve"], {
    env: {
      ...process.env,
      LOG_LEVEL: "warn",
      ACCORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ACCORD_TOTP_REQUIRED_ROLES: "",
      PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 100_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited (${child.exitCode}): ${out}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`instance ${name} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name, base, pid: child.pid!, output: () => out };
}

let a: Instance;
let b: Instance;
let database: Database;
/** The address the proxy says each test's client has (X-Forwarded-For, one trusted hop). */
let nextClient = 10;

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely typed JSON answers
const json = (res: Response) => res.json() as Promise<any>;

/** A signed-in client: its session cookie and anti-CSRF proof, sent to whichever instance. */
interface Client {
  cookie: string;
  csrfToken: string;
  address: string;
  call: (via: Instance, path: string, init?: RequestInit) => Promise<Response>;
}

async function signIn(via: Instance, username = "admin", password = ADMIN_PASSWORD): Promise<Client> {
  const address = `203.0.113.${nextClient++}`;
  const res = await fetch(`${via.base}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in through ${via.name} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = await json(res);
  return {
    cookie,
    csrfToken,
    address,
    call: (to, path, init = {}) =>
      fetch(`${to.base}${path}`, {
        ...init,
        headers: {
          cookie,
          "x-csrf-token": csrfToken,
          "x-forwarded-for": address,
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
  };
}

const patchJson = (body: unknown, etag: string): RequestInit => ({
  method: "PATCH",
  headers: { "content-type": "application/json", "if-match": etag },
  body: JSON.stringify(body),
});

const postJson = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!adminUrl)
    throw new Error("These tests need PostgreSQL: bash scripts/with-postgres.sh npx vitest run <this file>");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const bundle = join(dir, "bundle", "registry.json");
  mkdirSync(join(dir, "bundle"));
  writeFileSync(
    bundle,
    JSON.stringify({
      format: "accord-bundle",
      version: 1,
      jurisdictions: [{ slug: "testville-md", name: "Testville", kind: "city", stateCode: "MD" }],
      matters: [
        {
          slug: "testville-decree",
          kind: "consent_decree",
          status: "active",
          title: "Testville decree",
          jurisdiction: "testville-md",
        },
      ],
    }),
  );
  const env = {
    DATABASE_URL: url.toString(),
    ACCORD_DATA_DIR: join(dir, "shared"),
    ACCORD_BUNDLE: bundle,
    ACCORD_TRUST_PROXY: "1",
    ACCORD_WEBHOOK_ALLOW_PRIVATE: "1",
  };
  // Both at once on an empty database: one migrates and loads the bundled data, the other waits.
  [a, b] = await Promise.all([startInstance("A", env), startInstance("B", env)]);
  database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
}, 200_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.all(
    children.map((c) =>
      c.exitCode === null ? new Promise((r) => c.once("exit", r)) : Promise.resolve(c.exitCode),
    ),
  );
  for (const r of receivers) r.close();
  await database?.close();
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("several instances on one PostgreSQL and one file directory", () => {
  it("start together: one migration, one first administrator, the bundled data loaded once", async () => {
    const admins = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from users where username = 'admin'`,
    );
    expect(admins[0]!.n).toBe(1);
    const client = await signIn(a);
    for (const via of [a, b]) {
      const list = await json(await client.call(via, "/api/v1/matters?limit=5"));
      expect(list.total).toBe(1);
    }
    const loads = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_entries where entity = 'matter'`,
    );
    expect(loads[0]!.n).toBe(1);
    // Neither instance logged an error on the way up.
    expect(`${a.output()}${b.output()}`).not.toMatch(/error|failed/i);
  });

  it("share sessions: signed in through A, used through B, signed out through B ends it on A", async () => {
    const client = await signIn(a);
    for (const via of [b, a, b]) {
      const res = await client.call(via, "/api/v1/session");
      expect(res.status).toBe(200);
      expect((await json(res)).user.username).toBe("admin");
    }
    // A remembers the session for a minute; the sign-out through B must reach it all the same.
    expect((await client.call(a, "/api/v1/users")).status).toBe(200);
    expect((await client.call(b, "/api/v1/session", { method: "DELETE" })).status).toBe(204);
    for (const via of [a, b]) {
      expect((await client.call(via, "/api/v1/users")).status).toBe(401);
      expect((await json(await client.call(via, "/api/v1/session"))).user).toBeNull();
    }
  });

  it("accept A's anti-CSRF proof on B, and refuse a forged one on both", async () => {
    const client = await signIn(a);
    const read = await client.call(b, "/api/v1/session");
    expect((await json(read)).csrfToken).toBe(client.csrfToken);
    const matter = await client.call(b, "/api/v1/matters/testville-decree");
    let etag = matter.headers.get("etag")!;
    const patched = await client.call(
      b,
      "/api/v1/matters/testville-decree",
      patchJson({ monitor: "CSRF B" }, etag),
    );
    expect(patched.status, await patched.clone().text()).toBe(200);
    etag = patched.headers.get("etag")!;
    const forge = (proof: string): RequestInit => {
      const init = patchJson({ monitor: "Forged" }, etag);
      return { ...init, headers: { ...(init.headers as Record<string, string>), "x-csrf-token": proof } };
    };
    for (const via of [a, b]) {
      const forged = await client.call(
        via,
        "/api/v1/matters/testville-decree",
        forge(`${client.csrfToken}x`),
      );
      expect(forged.status).toBe(403);
      expect((await json(forged)).code).toBe("csrf_failed");
    }
    // The proof B accepted works on A too; the forged attempts changed nothing.
    const back = await client.call(
      a,
      "/api/v1/matters/testville-decree",
      patchJson({ monitor: "CSRF A" }, etag),
    );
    expect(back.status, await back.clone().text()).toBe(200);
  });

  it("count sign-in failures through A and B together (the limit is in the database)", async () => {
    const admin = await signIn(b);
    const username = `limited-${randomUUID().slice(0, 8)}`;
    const password = `${username}-chosen-password`;
    const created = await admin.call(a, "/api/v1/users", postJson({ username, role: "viewer", password }));
    expect(created.status, await created.clone().text()).toBe(201);
    const from = "198.51.100.23";
    const attempt = (via: Instance, pw: string) =>
      fetch(`${via.base}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": from },
        body: JSON.stringify({ username, password: pw }),
      });
    // Five failures, alternating: neither instance saw five, the database did.
    for (const [i, via] of [a, b, a, b, a].entries())
      expect((await attempt(via, `wrong-${i}`)).status).toBe(401);
    for (const via of [b, a]) {
      const locked = await attempt(via, password);
      expect(locked.status).toBe(429);
      expect((await json(locked)).detail).toMatch(/for this account from your address/);
    }
    // From another address the account is open, through either instance.
    const elsewhere = await fetch(`${b.base}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.24" },
      body: JSON.stringify({ username, password }),
    });
    expect(elsewhere.status).toBe(200);
  });

  it("serve a write through A at once through B (read caches follow the database)", async () => {
    const client = await signIn(a);
    const path = "/api/v1/matters/testville-decree";
    // Warm both instances' caches of the matter, the list and the search.
    for (const via of [a, b, a, b]) {
      expect((await client.call(via, path)).status).toBe(200);
      expect((await client.call(via, "/api/v1/matters?limit=5")).status).toBe(200);
    }
    for (let i = 0; i < 4; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const etag = (await client.call(reader, path)).headers.get("etag")!;
      const title = `Testville decree, edit ${i} through ${writer.name}`;
      const res = await client.call(writer, path, patchJson({ title }, etag));
      expect(res.status, await res.clone().text()).toBe(200);
      // Read back at once through the other instance, which held the older answer.
      const seen = await client.call(reader, path);
      expect((await json(seen)).title).toBe(title);
      expect(seen.headers.get("etag")).toBe(res.headers.get("etag"));
      const list = await json(await client.call(reader, "/api/v1/matters?limit=5"));
      expect(list.items.map((m: { title: string }) => m.title)).toContain(title);
    }
  });

  it("upload through A, read the file and its text through B", async () => {
    const client = await signIn(a);
    const text = `Paragraph 12. The shared directory holds this file ${randomUUID()}.`;
    const bytes = await pdfOf([text, "Second page of the shared upload."]);
    const form = new FormData();
    form.append("kind", "monitor_report");
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }), "shared.pdf");
    const up = await client.call(a, "/api/v1/matters/testville-decree/documents", {
      method: "POST",
      body: form,
    });
    expect(up.status, await up.clone().text()).toBe(201);
    const id: string = (await json(up)).items[0].document.id;
    const file = await client.call(b, `/api/v1/documents/${id}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    const ready = await waitFor("the extraction", async () => {
      const d = await json(await client.call(b, `/api/v1/documents/${id}`));
      return d.status === "ready" || d.status === "failed" ? d : undefined;
    });
    expect(ready).toMatchObject({ status: "ready", pageCount: 2 });
    const page = await json(await client.call(b, `/api/v1/documents/${id}/pages/1`));
    expect(page.text).toContain("The shared directory holds this file");
  });

  it("run each background job once, with both instances' runners at work", async () => {
    const client = await signIn(b);
    // A webhook receiver: each delivery must arrive once, whichever runner sends it.
    const received: string[] = [];
    const receiver = createHttpServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push(String(req.headers["x-accord-delivery"]));
        res.end("ok");
      });
    });
    receivers.push(receiver);
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const hook = await client.call(
      a,
      "/api/v1/webhooks",
      postJson({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        kinds: ["document.added"],
      }),
    );
    expect(hook.status, await hook.clone().text()).toBe(201);

    // Six uploads at once, three through each instance: each wakes its own runner.
    const uploads = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const via = i % 2 === 0 ? a : b;
        const bytes = await pdfOf([`Job ${i} first page ${randomUUID()}`, `Job ${i} second page`]);
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }), `job-${i}.pdf`);
        const res = await client.call(via, "/api/v1/matters/testville-decree/documents", {
          method: "POST",
          body: form,
        });
        expect(res.status, await res.clone().text()).toBe(201);
        return (await json(res)).items[0].document.id as string;
      }),
    );
    await waitFor("six extractions", async () => {
      const rows = await queryRows<{ status: string }>(
        database.db,
        sql`select status from documents where id in (${sql.join(
          uploads.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
      return rows.every((r) => r.status === "ready" || r.status === "failed") ? rows : undefined;
    });
    const jobs = await queryRows<{ documentId: string; status: string; attempts: number; lockedBy: string }>(
      database.db,
      sql`select document_id as "documentId", status, attempts, locked_by as "lockedBy" from jobs
          where kind = 'extract' and document_id in (${sql.join(
            uploads.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
    );
    // One job a document, claimed once (attempts 1), done; its pages written once.
    expect(jobs).toHaveLength(6);
    for (const job of jobs) expect(job).toMatchObject({ status: "done", attempts: 1 });
    const pages = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from document_pages where document_id in (${sql.join(
        uploads.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(pages[0]!.n).toBe(12);
    // Each runner names its process: both instances ran some of the jobs.
    const pids = new Set(jobs.map((j) => Number(j.lockedBy.split(":")[1])));
    expect([...pids].sort()).toEqual([a.pid, b.pid].sort());

    // Six document.added deliveries, each received once (the notification cursor is shared).
    await waitFor("six webhook deliveries", async () => (received.length >= 6 ? received : undefined));
    await new Promise((r) => setTimeout(r, 3000));
    expect(received).toHaveLength(6);
    expect(new Set(received).size).toBe(6);
  });

  /** A CSV of one metric for Testville: a value a month from January 1980 on. */
  const statCsv = (metric: string, values: number[]) =>
    [
      "metric,jurisdiction,period,value",
      ...values.map(
        (v, i) =>
          `${metric},testville-md,${1980 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")},${v}`,
      ),
    ].join("\n");

  it("import through A and read through B; two imports at once land whole, or one fails clearly", async () => {
    const client = await signIn(a);
    const importVia = (via: Instance, source: string, csv: string) =>
      client.call(via, `/api/v1/statistics/import?source=${encodeURIComponent(source)}`, {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: csv,
      });
    const metric = `arrests_${randomUUID().slice(0, 6)}`;
    const imported = await importVia(a, "Shared figures", statCsv(metric, [10, 11, 12]));
    expect(imported.status, await imported.clone().text()).toBe(201);
    const series = await json(
      await client.call(b, `/api/v1/statistics/series?jurisdiction=testville-md&metric=${metric}`),
    );
    expect(series.items.map((p: { value: number }) => p.value)).toEqual([10, 11, 12]);

    // The same new metric imported through both instances at the same moment, three times over.
    for (let round = 0; round < 3; round++) {
      const racing = `stops_${round}_${randomUUID().slice(0, 6)}`;
      const sent = [a, b].map((via, k) => ({
        via,
        source: `Racing ${round} through ${via.name}`,
        values: Array.from({ length: 600 }, (_, i) => (k + 1) * 10_000 + i),
      }));
      const answers = await Promise.all(
        sent.map((s) => importVia(s.via, s.source, statCsv(racing, s.values))),
      );
      const landed = await queryRows<{ source: string; n: number; total: number }>(
        database.db,
        sql`select s.name as source, count(*)::int as n, sum(v.value)::float8 as total
            from stat_values v join stat_sources s on s.id = v.source_id
            where v.metric = ${racing} group by s.name`,
      );
      for (const [k, res] of answers.entries()) {
        const mine = landed.find((l) => l.source === sent[k]!.source);
        if (res.status === 201) {
          // Every row of it, none of the other's.
          const total = sent[k]!.values.reduce((x, y) => x + y, 0);
          expect(mine).toEqual({ source: sent[k]!.source, n: 600, total });
        } else {
          // Refused as a whole, with a problem that says so (never a 500).
          expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get("content-type")).toMatch(/problem\+json/);
          expect(mine).toBeUndefined();
        }
      }
      expect(answers.map((r) => r.status)).toContain(201);
      // The metric is added once, and said added by the import that added it only.
      const added = await Promise.all(answers.filter((r) => r.status === 201).map((r) => json(r)));
      expect(added.filter((r) => r.metricsAdded.includes(racing))).toHaveLength(1);
    }
  });

  it("keep one audit chain through interleaved writes on both instances", async () => {
    const client = await signIn(a);
    const writes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        client.call(
          i % 2 === 0 ? a : b,
          "/api/v1/jurisdictions",
          postJson({
            slug: `chain-${i}-${randomUUID().slice(0, 6)}`,
            name: `Chainville ${i}`,
            kind: "city",
            stateCode: "MD",
          }),
        ),
      ),
    );
    for (const w of writes) expect(w.status, await w.clone().text()).toBe(201);
    const { entries, broken } = await verifyAuditChain(systemContext(database.db, "test"));
    expect(broken).toBeNull();
    expect(entries).toBeGreaterThan(16);
  });
});
