import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/open.js";
import { migratedTemplate } from "./helpers.js";

// These tests run the real command-line program as a separate process on the embedded database.
const ADMIN_PASSWORD = "process-test-password";
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "accord-proc-"));
  dirs.push(d);
  return d;
};

/**
 * A data directory whose embedded database is already made and migrated, from the tests' migrated
 * copy: a process that creates one runs initdb and every migration in WebAssembly, some 6 s of CPU
 * (9.3 s against 3.6 s for a small import, measured 2026-12-07). The first-start test, the restore
 * and the D2 kill of an HTTP import's own trigger aside, the tests here start on such a directory.
 */
const migratedDir = async () => {
  const d = tempDir();
  const client = await PGlite.create(join(d, "db"), { loadDataDir: await migratedTemplate() });
  await client.close();
  return d;
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@accord/source", CLI, ...args], {
    // The journey signs in with a password only: no role must enrol a second factor here.
    env: {
      ...process.env,
      LOG_LEVEL: "warn",
      ACCORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ACCORD_TOTP_REQUIRED_ROLES: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function startServer(dataDir: string, extra: Record<string, string> = {}) {
  const port = await freePort();
  return signedIn(run(["serve"], { ACCORD_DATA_DIR: dataDir, PORT: String(port), ...extra }), port);
}

/** Waits until the server `r` answers on `port`, then signs in as the first administrator. */
async function signedIn(r: Run, port: number) {
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (r.child.exitCode !== null) throw new Error(`server exited: ${r.output()}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${r.output()}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  // Sign in as the first administrator; `api` sends the session cookie and the anti-CSRF proof.
  const signIn = await fetch(`${base}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { cookie, "x-csrf-token": csrfToken, ...(init.headers as Record<string, string> | undefined) },
    });
  return { ...r, base, api };
}

/** Every file under `dir` (lock files included) with the SHA-256 of its bytes. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash("sha256").update(readFileSync(path)).digest("hex");
  }
  return out;
}

/** PostgreSQL's DBState in global/pg_control (offset 16): how the database was last left. */
const DB_SHUTDOWNED = 1;
const DB_IN_PRODUCTION = 6;
const controlState = (dataDir: string) =>
  readFileSync(join(dataDir, "db", "global", "pg_control")).readUInt32LE(16);

// biome-ignore lint/suspicious/noExplicitAny: test reads loosely typed JSON answers
const json = (res: Response) => res.json() as Promise<any>;

/** The command lines of the extraction workers whose parent is `pid` (from /proc). */
const extractionWorkersOf = (pid: number) =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== pid) return [];
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
        return cmdline.includes("extract-worker") ? [cmdline] : [];
      } catch {
        return [];
      }
    });

const tinyBundle = (dir: string) => {
  const path = join(dir, "tiny.json");
  writeFileSync(
    path,
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
  return path;
};

describe("the server process on the embedded database", () => {
  it("loads the bundled dataset on the first start only, in a process of its own (a second server meanwhile is refused), and keeps edits across restarts", async () => {
    const dir = tempDir();
    const port = await freePort();
    const starting = run(["serve"], { ACCORD_DATA_DIR: dir, PORT: String(port) });
    // The loader child has imported the registry and goes on with the documents and the rest.
    for (const deadline = Date.now() + 120_000; !starting.output().includes("Loaded the bundled dataset"); ) {
      if (starting.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`no bundled dataset loaded: ${starting.output()}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    const meanwhile = run(["serve"], { ACCORD_DATA_DIR: dir, PORT: String(await freePort()) });
    expect(await meanwhile.exited).toBe(1);
    // Refused, naming the process that holds the directory: the loader, not the starting server.
    const holder = Number(/Another Accord process \(PID (\d+)\)/.exec(meanwhile.output())?.[1]);
    expect(holder, meanwhile.output()).toBeGreaterThan(0);
    expect(holder).not.toBe(starting.child.pid);
    const first = await signedIn(starting, port);
    // Everything bundled was loaded, once, by the loader.
    for (const part of [
      "Loaded the bundled dataset",
      "bundled documents",
      "Loaded the bundled monitoring",
      "Loaded statistics rtci-monthly",
      "Loaded monitoring costs",
      "Read the text of",
    ])
      expect(first.output().split(part).length - 1, part).toBe(1);
    // The loader read every bundled document's text: the server found no extraction to run, and
    // started no extraction worker.
    expect(first.output()).toMatch(/Read the text of \d+ bundled files/);
    const documents = await json(await first.api(`/api/v1/documents?limit=100`));
    expect(documents.items.length).toBeGreaterThan(0);
    expect(documents.items.filter((d: { status: string }) => d.status !== "ready")).toEqual([]);
    expect(extractionWorkersOf(first.child.pid!)).toEqual([]);
    const list = await json(await first.api(`/api/v1/matters?limit=1`));
    const bundled = JSON.parse(
      readFileSync(fileURLToPath(new URL("../../../data/bundle/registry.json", import.meta.url)), "utf8"),
    );
    expect(list.total).toBe(bundled.matters.length);
    const res = await first.api(`/api/v1/matters/baltimore-bpd-2017`);
    const etag = res.headers.get("etag")!;
    const patched = await first.api(`/api/v1/matters/baltimore-bpd-2017`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "if-match": etag },
      body: JSON.stringify({ monitor: "Edited before restart" }),
    });
    expect(patched.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dir, "accord.lock"))).toBe(false);

    const second = await startServer(dir);
    const again = await json(await second.api(`/api/v1/matters/baltimore-bpd-2017`));
    expect(again.monitor).toBe("Edited before restart");
    expect(second.output()).not.toContain("Loaded");
    const after = await json(await second.api(`/api/v1/matters?limit=1`));
    expect(after.total).toBe(bundled.matters.length);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 180_000);

  it("D6: accord backup asks the running server; accord restore fills an empty directory only", async () => {
    const dir = await migratedDir();
    const server = await startServer(dir, { ACCORD_BUNDLE: tinyBundle(dir) });
    const created = await server.api(`/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: "backed-up", kind: "hearing", date: "2030-01-01", title: "Backed up" }),
    });
    expect(created.status).toBe(201);
    const out = join(tempDir(), "backup");
    const backup = run(["backup", "--out", out], { ACCORD_DATA_DIR: dir });
    expect(await backup.exited, backup.output()).toBe(0);
    expect(backup.output()).toContain(`(taken by the running server, PID ${server.child.pid})`);
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
    // The server went on serving, and still holds its directory.
    expect((await fetch(`${server.base}/healthz`)).ok).toBe(true);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    const target = tempDir();
    const restore = run(["restore", out], { ACCORD_DATA_DIR: target });
    expect(await restore.exited, restore.output()).toBe(0);
    expect(restore.output()).toMatch(/the audit log's hash chain holds \(\d+ entries\)/);
    const again = run(["restore", out], { ACCORD_DATA_DIR: target });
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain("Refusing to restore");

    // The restored instance starts with the same users and data.
    const restored = await startServer(target);
    expect((await restored.api(`/api/v1/events/backed-up`)).status).toBe(200);
    restored.child.kill("SIGTERM");
    expect(await restored.exited).toBe(0);
  }, 300_000);

  it("says why a first start's loading failed, and loads what is missing on the next start", async () => {
    const dir = tempDir();
    const bundle = join(dir, "broken.json");
    writeFileSync(bundle, "{ not json");
    const failed = run(["serve"], {
      ACCORD_DATA_DIR: dir,
      PORT: String(await freePort()),
      ACCORD_BUNDLE: bundle,
    });
    expect(await failed.exited).toBe(1);
    expect(failed.output()).toContain("Loading the bundled data failed (exit code 1)");
    expect(failed.output()).toContain("SyntaxError"); // the loader's own message, above
    expect(existsSync(join(dir, "accord.lock"))).toBe(false);
    // The database was made, but holds no bundled data and no administrator yet.
    writeFileSync(bundle, readFileSync(tinyBundle(dir)));
    const server = await startServer(dir, { ACCORD_BUNDLE: bundle });
    expect(server.output()).toContain("Loaded the bundled dataset: 1 matters");
    expect((await server.api(`/api/v1/matters/testville-decree`)).status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 180_000);

  it("refuses a second server on the same data directory, naming the first one's PID", async () => {
    const dir = await migratedDir();
    const first = await startServer(dir, { ACCORD_BUNDLE: tinyBundle(dir) });
    const second = run(["serve"], { ACCORD_DATA_DIR: dir, PORT: String(await freePort()) });
    const started = Date.now();
    expect(await second.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(second.output()).toContain(`PID ${first.child.pid}`);
    // The first one is unharmed.
    expect((await fetch(`${first.base}/healthz`)).ok).toBe(true);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  }, 180_000);

  // D3, D5 and D4 (c) share one data directory, so that the file starts as few servers as it can:
  // writes killed with SIGKILL, a restart that takes over the stale lock and is stopped with
  // SIGTERM under load, then damaged copies of the directory it leaves.
  describe("D3, D5, D4 (c): one data directory", () => {
    let dir = "";
    let acked: number[] = [];

    it("D3: keeps every acknowledged write after kill -9 during a stream of writes", async () => {
      dir = await migratedDir();
      const server = await startServer(dir, { ACCORD_BUNDLE: tinyBundle(dir) });
      const KILL_AT = 2_000;
      acked = [];
      let next = 0;
      let killed = false;
      // Four writers at once: when the 2,000th write is acknowledged, others are in flight.
      const writer = async () => {
        while (!killed) {
          const n = next++;
          const res = await server
            .api(`/api/v1/events`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({
                slug: `ack-${n}`,
                kind: "hearing",
                date: "2030-01-01",
                title: `Hearing ${n}`,
              }),
            })
            .catch(() => null);
          if (res?.status !== 201) {
            if (!killed) throw new Error(`write ${n} failed: ${res?.status} ${await res?.text()}`);
            return;
          }
          acked.push(n);
          if (acked.length >= KILL_AT && !killed) {
            killed = true;
            server.child.kill("SIGKILL");
          }
        }
      };
      await Promise.all(Array.from({ length: 4 }, writer));
      await server.exited;
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AT);
      // Killed while open: its lock is left, and pg_control says the database was in production
      // (the next open replays the log).
      expect(existsSync(join(dir, "accord.lock"))).toBe(true);
      expect(controlState(dir)).toBe(DB_IN_PRODUCTION);
      // What the reopened database holds is read at the end of D5, after the restart.
    }, 240_000);

    it("D5: SIGTERM under load from 10 clients: answers in full, refuses the rest, exits 0", async () => {
      expect(acked.length).toBeGreaterThan(0);
      // The restart takes over the stale lock and replays the log.
      const server = await startServer(dir);
      // When each request was sent and when it ended, against the signal.
      type Outcome = { status: number | "refused" | "cut"; sentAfter: boolean; endedAfter: boolean };
      const outcomes: Outcome[] = [];
      let termAt = 0;
      const client = async () => {
        for (;;) {
          const sentAfter = termAt > 0;
          const push = (status: Outcome["status"]) =>
            outcomes.push({ status, sentAfter, endedAfter: termAt > 0 });
          let res: Response;
          try {
            res = await server.api(`/api/v1/events?limit=20`);
          } catch {
            // Not taken: the listening socket is closed, or an idle connection was.
            push("refused");
            return;
          }
          try {
            // An answer begun must end whole: a body cut off midway fails here.
            const body = await res.text();
            if (res.status === 200) JSON.parse(body);
            push(res.status);
          } catch {
            push("cut");
            return;
          }
          if (res.status !== 200) return;
        }
      };
      const clients = Array.from({ length: 10 }, client);
      // The signal comes once the load is running: a second, and more than ten answers (a busy
      // machine answers fewer in a second; the signal waits for them rather than the test failing).
      const loadFrom = Date.now();
      while (Date.now() - loadFrom < 1_000 || (outcomes.length <= 10 && Date.now() - loadFrom < 30_000))
        await new Promise((r) => setTimeout(r, 50));
      termAt = Date.now();
      server.child.kill("SIGTERM");
      const code = await server.exited;
      const took = Date.now() - termAt;
      await Promise.all(clients);
      expect(code).toBe(0);
      expect(took).toBeLessThan(10_000);
      const before = outcomes.filter((o) => !o.endedAfter);
      // Load ran before the signal, all of it answered with 200.
      expect(before.length).toBeGreaterThan(10);
      expect(before.filter((o) => o.status !== 200)).toEqual([]);
      // Requests under way when the signal came were answered in full (the drain), not dropped.
      expect(outcomes.filter((o) => !o.sentAfter && o.endedAfter && o.status === 200).length).toBeGreaterThan(
        0,
      );
      // Around and after the signal: answered in full, or 503, or not taken; never cut off.
      expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503 && o.status !== "refused")).toEqual(
        [],
      );
      // A clean stop: no lock, no postmaster.pid, and pg_control says "shut down", so the next
      // open starts without crash recovery (PostgreSQL replays the log only from another state).
      expect(existsSync(join(dir, "accord.lock"))).toBe(false);
      expect(existsSync(join(dir, "db", "postmaster.pid"))).toBe(false);
      expect(controlState(dir)).toBe(DB_SHUTDOWNED);

      // D3's end: every write acknowledged before the kill is in the reopened database.
      const database = await openDatabase({ pgliteDir: join(dir, "db") });
      try {
        const { rows } = (await database.db.execute(
          sql.raw("select slug from events where slug like 'ack-%'"),
        )) as unknown as { rows: { slug: string }[] };
        const stored = new Set(rows.map((r) => Number(r.slug.slice(4))));
        expect(acked.filter((n) => !stored.has(n))).toEqual([]);
        expect(Math.max(...stored)).toBeGreaterThanOrEqual(acked[acked.length - 1]!);
      } finally {
        await database.close();
      }
      expect(controlState(dir)).toBe(DB_SHUTDOWNED);
    }, 240_000);

    it("D4 (c): refuses a damaged or half-made database, says to restore, leaves it untouched", async () => {
      expect(controlState(dir)).toBe(DB_SHUTDOWNED);
      const damaged = (name: string, damage: (db: string) => void) => {
        const copy = join(tempDir(), name);
        cpSync(dir, copy, { recursive: true });
        damage(join(copy, "db"));
        return copy;
      };
      const segment = (db: string) =>
        join(db, "pg_wal", readdirSync(join(db, "pg_wal")).find((f) => /^[0-9A-F]{24}$/.test(f))!);
      const cases = [
        // A write-ahead log segment cut short.
        damaged("truncated-wal", (db) => truncateSync(segment(db), 8192)),
        // A first start cut short while PGlite wrote initdb's files: some files, no control file.
        damaged("half-initdb", (db) => {
          rmSync(join(db, "global"), { recursive: true });
          rmSync(join(db, "pg_wal"), { recursive: true });
        }),
        // Damage only PGlite sees: pg_control's bytes (its checksum no longer holds).
        damaged("bad-control", (db) => {
          const path = join(db, "global", "pg_control");
          const bytes = readFileSync(path);
          bytes.fill(0x55, 16, 48);
          writeFileSync(path, bytes);
        }),
      ];
      // The three servers start at once: each refuses its own copy.
      await Promise.all(
        cases.map(async (copy) => {
          const before = hashTree(copy);
          const r = run(["serve"], { ACCORD_DATA_DIR: copy, PORT: String(await freePort()) });
          expect(await r.exited, r.output()).toBe(1);
          expect(r.output()).toContain(`The database in ${join(copy, "db")} cannot be opened`);
          expect(r.output()).toContain("accord restore");
          expect(r.output()).not.toMatch(/\n\s+at /);
          expect(hashTree(copy)).toEqual(before);
        }),
      );
    }, 120_000);
  });

  it("exports, imports into an empty directory, and exports the same bytes; re-import changes nothing", async () => {
    const a = await migratedDir();
    const b = await migratedDir();
    const bundle = tinyBundle(a);
    const imp = run(["import", bundle], { ACCORD_DATA_DIR: a });
    expect(await imp.exited).toBe(0);
    const out1 = join(a, "export1.json");
    expect(await run(["export", "--out", out1], { ACCORD_DATA_DIR: a }).exited).toBe(0);
    const imp2 = run(["import", out1], { ACCORD_DATA_DIR: b });
    expect(await imp2.exited).toBe(0);
    const out2 = join(b, "export2.json");
    expect(await run(["export", "--out", out2], { ACCORD_DATA_DIR: b }).exited).toBe(0);
    expect(readFileSync(out2, "utf8")).toBe(readFileSync(out1, "utf8"));
    const again = run(["import", out1], { ACCORD_DATA_DIR: b });
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(
      /created 0 jurisdictions, 0 agencies, 0 matters, 0 events, 0 awards, 0 conditions, 0 program facts; updated 0; unchanged 2/,
    );
    // Six processes, each opening an embedded database made from the migrated copy.
  }, 180_000);

  it("D2: an import killed with SIGKILL inside its transaction leaves nothing; the retry imports once", async () => {
    const dir = await migratedDir();
    const bundle = join(dir, "big.json");
    const EVENTS = 5_000;
    writeFileSync(
      bundle,
      JSON.stringify({
        format: "accord-bundle",
        version: 1,
        jurisdictions: [{ slug: "bigtown-md", name: "Bigtown", kind: "city", stateCode: "MD" }],
        events: Array.from({ length: EVENTS }, (_, i) => ({
          slug: `big-event-${i}`,
          jurisdiction: "bigtown-md",
          kind: "hearing",
          date: "2030-01-01",
          title: `Hearing ${i}`,
        })),
      }),
    );
    const counts = async () => {
      const database = await openDatabase({ pgliteDir: join(dir, "db") });
      try {
        const row = async (q: string) =>
          Number(
            ((await database.db.execute(sql.raw(q))) as unknown as { rows: { n: number }[] }).rows[0]!.n,
          );
        return {
          events: await row("select count(*)::int as n from events where slug like 'big-event-%'"),
          jurisdictions: await row("select count(*)::int as n from jurisdictions where slug = 'bigtown-md'"),
          staged: await row("select count(*)::int as n from import_staging"),
        };
      } finally {
        await database.close();
      }
    };

    // The first import is killed once it says it wrote the events, before its commit.
    const killed = run(["import", bundle], { ACCORD_DATA_DIR: dir });
    await new Promise<void>((resolve, reject) => {
      const watch = (d: Buffer) => {
        if (/Wrote 5000 events \(not committed yet\)/.test(d.toString())) {
          killed.child.kill("SIGKILL");
          resolve();
        }
      };
      killed.child.stderr!.on("data", watch);
      killed.exited.then(() =>
        reject(new Error(`the import ended before it was killed: ${killed.output()}`)),
      );
    });
    expect(await killed.exited).toBeNull();
    expect(killed.output()).not.toMatch(/Imported/);
    // Nothing of it is in the database; only its staged rows are left over.
    const after = await counts();
    expect(after).toEqual({ events: 0, jurisdictions: 0, staged: EVENTS + 1 });

    // The retry (the next process clears the dead import's staged rows) imports everything once;
    // the same file again changes nothing.
    const retry = run(["import", bundle], { ACCORD_DATA_DIR: dir });
    expect(await retry.exited, retry.output()).toBe(0);
    expect(retry.output()).toMatch(/created 1 jurisdictions, 0 agencies, 0 matters, 5000 events/);
    const again = run(["import", bundle], { ACCORD_DATA_DIR: dir });
    expect(await again.exited, again.output()).toBe(0);
    expect(again.output()).toMatch(
      /created 0 jurisdictions, 0 agencies, 0 matters, 0 events.*unchanged 5001/,
    );
    expect(await counts()).toEqual({ events: EVENTS, jurisdictions: 1, staged: 0 });
  }, 240_000);

  it("names the bad row of a CSV import and imports nothing", async () => {
    const dir = await migratedDir();
    const csv = join(dir, "bad.csv");
    writeFileSync(
      csv,
      "slug,kind,status,title,jurisdiction\nok-one,grant,awarded,One,testville-md\nbad-two,grant,flying,Two,testville-md\n",
    );
    const r = run(["import", csv], { ACCORD_DATA_DIR: dir });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/row 3, field status/);
  });

  it("prints its help", async () => {
    const r = run(["--help"], {});
    expect(await r.exited).toBe(0);
    expect(r.output()).toMatch(/accord serve/);
    expect(r.output()).toMatch(/accord import FILE/);
  });
});

/**
 * D2 over HTTP: the server (a child process) is killed with SIGKILL while a 5,000-row statistics
 * import sent with an Idempotency-Key has its transaction open. On PostgreSQL (TEST_DATABASE_URL
 * set) the child serves a database of its own on that server; else the embedded one.
 */
describe(`the statistics import killed mid-transaction (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const dbName = `accord_d2_${process.pid}_${Date.now()}`;
  const dbUrl = () => {
    const url = new URL(adminUrl!);
    url.pathname = `/${dbName}`;
    return url.toString();
  };
  afterAll(async () => {
    if (!adminUrl) return;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it("D2: SIGKILL during an HTTP import leaves no row a reader sees and no record, its staged rows are swept at the start, the retry with the key imports once, then replays", async () => {
    const dir = tempDir();
    const engine: Record<string, string> = adminUrl ? { DATABASE_URL: dbUrl() } : {};
    if (adminUrl) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
    }
    const withDb = async <T>(work: (q: (text: string) => Promise<number>) => Promise<T>) => {
      const database = await openDatabase(
        adminUrl ? { databaseUrl: dbUrl(), poolSize: 1 } : { pgliteDir: join(dir, "db") },
      );
      try {
        return await work(async (text) => {
          const res = (await database.db.execute(sql.raw(text))) as unknown as { rows: { n?: number }[] };
          return Number(res.rows[0]?.n ?? 0);
        });
      } finally {
        await database.close();
      }
    };
    // The test's own trigger (no hook in the server): the 3,000th row's insert sleeps 60 s, so
    // the import is certainly under way, its third batch of 1,000 staged rows in an open
    // statement, when the kill comes. Set on
    // a migrated database (on PGlite, the tests' migrated copy: initdb and the migrations in
    // WebAssembly take many seconds).
    // On the embedded database the trigger first writes a file into the data directory (PGlite's
    // file system is the real folder), which tells the test the transaction is open.
    const signal = adminUrl
      ? ""
      : "execute format('copy (select 1) to %L', current_setting('data_directory') || '/d2-holding');";
    const hold = `create function accord_test_hold() returns trigger language plpgsql as $$
        begin if new.note = 'hold here' then ${signal} perform pg_sleep(60); end if; return new; end $$;
      create trigger accord_test_hold before insert on stat_values
        for each row execute function accord_test_hold();`;
    if (adminUrl) {
      const fresh = await openDatabase({ databaseUrl: dbUrl(), poolSize: 1 });
      await fresh.migrate();
      await fresh.db.execute(sql.raw(hold));
      await fresh.close();
    } else {
      const client = await PGlite.create(join(dir, "db"), { loadDataDir: await migratedTemplate() });
      await client.exec(hold);
      await client.close();
    }

    const ROWS = 5_000;
    const lines = ["metric,jurisdiction,period,value,note"];
    for (let i = 0; i < ROWS; i++)
      lines.push(`d2_crash,testville-md,${1000 + i},${i},${i === 2_999 ? "hold here" : ""}`);
    const csv = `${lines.join("\n")}\n`;
    const KEY = '"d2-crash-retry-1"';
    const importOnce = (server: Awaited<ReturnType<typeof startServer>>) =>
      server.api("/api/v1/statistics/import", {
        method: "POST",
        headers: { "content-type": "text/csv", "idempotency-key": KEY },
        body: csv,
      });
    // Each opening of the embedded database costs seconds: one look after the kill, one at the end.
    const counts = (then?: (q: (text: string) => Promise<number>) => Promise<unknown>) =>
      withDb(async (q) => {
        const found = {
          // Values readers see (of a published source), and values staged by an import not published.
          values:
            await q(`select count(*)::int as n from stat_values v join stat_sources s on s.id = v.source_id
            where v.metric = 'd2_crash' and s.staged_at is null`),
          staged:
            await q(`select count(*)::int as n from stat_values v join stat_sources s on s.id = v.source_id
            where v.metric = 'd2_crash' and s.staged_at is not null`),
          imports: await q("select count(*)::int as n from imports"),
          audit: await q(
            "select count(*)::int as n from audit_entries where action = 'STATISTICS_IMPORTED' and after->>'values' = '5000'",
          ),
        };
        await then?.(q);
        return found;
      });

    const killed = await startServer(dir, { ACCORD_BUNDLE: tinyBundle(dir), ...engine });
    const pending = importOnce(killed).then(
      (res) => res.status,
      () => "cut",
    );
    // When is the transaction open? On PostgreSQL, the server's backend is seen sleeping in the
    // trigger (pg_stat_activity). On the embedded database, the trigger's file is there. (Waiting
    // for the server to stop answering /healthz, as this did before, killed it before the third
    // batch twice on a loaded machine: at loads of 14 and 12, a start alone misses four checks.)
    const admin = adminUrl ? new pg.Client({ connectionString: adminUrl }) : null;
    await admin?.connect();
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the import never reached row 3,000: ${killed.output()}`);
      if (admin) {
        const { rows } = await admin.query(
          "select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event = 'PgSleep' and xact_start is not null",
          [dbName],
        );
        if (rows[0].n > 0) break;
      } else if (existsSync(join(dir, "db", "d2-holding"))) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    killed.child.kill("SIGKILL");
    expect(await killed.exited).toBeNull();
    expect(await pending).toBe("cut");
    if (admin) {
      // The backend of a killed client notices only at its next read of the socket, after the
      // sleep: end it now, as the server would after 60 s (its transaction rolls back either way).
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [dbName],
      );
      await admin.end();
    }
    // Nothing of it was published: no value a reader sees, no import record, no audit entry; the
    // first two batches of 1,000 it staged are there, unpublished. The trigger goes. On PostgreSQL
    // the start sweeps only imports idle 15 minutes (another instance may be importing): the
    // killed import's are made that old, as the time would.
    const after = await counts(async (q) => {
      await q("drop trigger accord_test_hold on stat_values");
      await q("drop function accord_test_hold()");
      if (adminUrl)
        await q(
          "update stat_sources set staged_at = staged_at - interval '16 minutes' where staged_at is not null",
        );
    });
    expect(after).toEqual({ values: 0, staged: 2_000, imports: 0, audit: 0 });

    // The restart; the retry with the same key imports every row once; the next is replayed.
    const server = await startServer(dir, engine);
    const retry = await importOnce(server);
    expect(retry.status, await retry.clone().text()).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    const first = await retry.json();
    expect(first).toMatchObject({ values: ROWS });
    const again = await importOnce(server);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(first);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    // One import's rows and record, and one STATISTICS_IMPORTED entry: the replay wrote none. The
    // killed import's staged rows were swept when the server started.
    expect(await counts()).toEqual({ values: ROWS, staged: 0, imports: 1, audit: 1 });
  }, 120_000);
});
