import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomUUID } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  CreateAgency,
  CreateEvent,
  CreateJurisdiction,
  CreateMatter,
  DecreeParse,
  Role,
} from "@accord/domain";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { type AppDeps, buildApp } from "../src/app.js";
import { systemContext } from "../src/context/command-context.js";
import { type Database, findUp, migrationsFolder, openDatabase } from "../src/db/open.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { randomToken, setPasswordHashCost, sha256 } from "../src/modules/auth/secrets.js";
import { statusSpansHash } from "../src/modules/matters/status-spans.js";
import { createUser } from "../src/modules/users/index.js";

let template: Promise<Blob> | undefined;

/** Which engine this run tests: a real PostgreSQL server when TEST_DATABASE_URL is set, else PGlite. */
/**
 * Password hashes at a test's cost (N = 2^12, not 2^17): the suite makes hundreds of users and
 * sign-ins; password-hashing.test.ts checks the guidance's cost itself.
 */
export const TEST_HASH_COST = 2 ** 12;
setPasswordHashCost(TEST_HASH_COST);

export const ENGINE = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

/**
 * What the migrated database depends on: every file of the migrations folder, the functions
 * installed after them, and the versions of PGlite (its data directory format) and Drizzle (its
 * migrations table).
 */
function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const name of ["@electric-sql/pglite", "drizzle-orm"]) {
    const manifest = findUp(`node_modules/${name}/package.json`);
    if (!manifest) throw new Error(`${name} is not installed`);
    hash.update(`${name} ${(JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version}\n`);
  }
  const folder = migrationsFolder();
  const files = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name))
    .sort();
  for (const file of files) hash.update(`${file.slice(folder.length)}\n`).update(readFileSync(file));
  // The functions installed after the migrations (built from the domain's rules).
  hash.update(`status spans ${statusSpansHash()}\n`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The data directory of a freshly migrated PGlite, as `PGlite.clone()` copies it. Creating and
 * migrating PGlite takes seconds (initdb in WebAssembly); loading its dump takes one. The dump is
 * kept in the temporary directory under a name made of everything it depends on, so each test
 * file (a worker process of its own) loads it instead of migrating again; the first file of a run
 * after a change of the migrations makes it (two at once write the same bytes; the rename is atomic).
 */
export async function migratedTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `accord-test-pglite-${migrationsHash()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const client = await PGlite.create("memory://");
  await (await openDatabase({ pglite: client })).migrate();
  const dump = await client.dumpDataDir("none");
  await client.close();
  const partial = `${file}.${process.pid}-${randomUUID()}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

let postgresTemplate: Promise<string> | undefined;

const databaseUrl = (adminUrl: string, name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * On the test PostgreSQL server: a database migrated once, named by what it depends on, which
 * `create database … template` copies for each test. Test files in other workers wait for the
 * one making it (an advisory lock); it gets its name only once fully migrated.
 */
async function migratedPostgresTemplate(adminUrl: string): Promise<string> {
  const name = `accord_template_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(hashtext('accord test template'))");
    const found = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      const partial = `${name}_partial`;
      await admin.query(`drop database if exists ${partial} with (force)`);
      await admin.query(`create database ${partial}`);
      const database = await openDatabase({ databaseUrl: databaseUrl(adminUrl, partial), poolSize: 1 });
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${partial} rename to ${name}`);
    }
    return name;
  } finally {
    await admin.end();
  }
}

/**
 * C3's watchdog, on every database of the suite: a query through the outer handle from inside a
 * transaction's callback is refused at once, naming the query. On PGlite (one connection) such a
 * query waits for the transaction around it forever; on PostgreSQL it runs outside the
 * transaction. A query from another request while a transaction is open still waits its turn:
 * only the transaction's own callback (and what it awaits) is watched.
 */
const inside = new AsyncLocalStorage<{ open: boolean }>();

/**
 * Runs `work` as another request would, outside the transaction whose callback calls it: for a
 * test that holds a transaction open (a lock) while it sends a request, which is no C3 fault.
 */
export const asAnotherRequest = <T>(work: () => PromiseLike<T>): Promise<T> =>
  // Awaited inside: an injected request starts when it is awaited, not when it is made.
  inside.exit(async () => await work());

export function refuseOuterHandleInTransactions(database: Database): Database {
  const client = (database.db as unknown as { $client: Record<string, unknown> }).$client;
  for (const method of ["query", "exec"] as const) {
    const original = client[method];
    if (typeof original !== "function") continue;
    client[method] = function (this: unknown, ...args: unknown[]) {
      if (inside.getStore()?.open) {
        const text = typeof args[0] === "string" ? args[0] : JSON.stringify(args[0]);
        const error = new Error(
          `C3: a query through the outer database handle inside a transaction (it would wait for the transaction forever on PGlite): ${text?.slice(0, 300)}`,
        );
        console.error(error);
        return Promise.reject(error);
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  const transaction = database.db.transaction.bind(database.db);
  database.db.transaction = ((run: (tx: unknown) => Promise<unknown>, config?: unknown) =>
    transaction((tx) => {
      const store = { open: true };
      return inside
        .run(store, () => run(tx))
        .finally(() => {
          store.open = false;
        });
    }, config as never)) as typeof database.db.transaction;
  return database;
}

/**
 * A fresh, migrated database of its own: in-memory PGlite, or a new database on the test
 * PostgreSQL server (dropped by `close`). Tests never share state and never truncate. Its
 * transactions are watched (refuseOuterHandleInTransactions).
 */
export async function openTestDatabase(): Promise<Database> {
  return refuseOuterHandleInTransactions(await openUnwatchedTestDatabase());
}

async function openUnwatchedTestDatabase(): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    template ??= migratedTemplate();
    // TEST_PGLITE_WORKER=1: PGlite in a worker thread (db/pglite-worker.ts), as ACCORD_PGLITE_WORKER=1 serves.
    if (process.env.TEST_PGLITE_WORKER === "1")
      return openDatabase({ pgliteWorker: true, pgliteLoad: await (await template).arrayBuffer() });
    return openDatabase({ pglite: await PGlite.create({ loadDataDir: await template }) });
  }
  postgresTemplate ??= migratedPostgresTemplate(adminUrl);
  const source = await postgresTemplate;
  const name = `accord_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${source}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: databaseUrl(adminUrl, name), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestApp {
  /** The app; its `inject` signs requests with the test administrator's API token. */
  app: FastifyInstance;
  database: Database;
  /** Requests with no credentials at all. */
  anonymous: FastifyInstance["inject"];
  /** A Bearer token for a new user of this role. */
  tokenFor(role: Role, username?: string): Promise<string>;
  /** The app's data directory (uploaded files are in its blobs/ folder). */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A password an administrator chooses for a new user in a test. A generated one (none given) must
 * be replaced at the first sign-in before anything else works.
 */
export const chosenPassword = (username: string) => `${username}-chosen-password`;

/** A viewer created through the API by the test administrator, with its chosen password; its user name. */
export async function createViewer(t: TestApp, prefix: string): Promise<string> {
  const username = uniqueSlug(prefix);
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/users",
    payload: { username, role: "viewer", password: chosenPassword(username) },
  });
  if (res.statusCode !== 201) throw new Error(`createViewer: ${res.statusCode} ${res.body}`);
  return username;
}

/** An anonymous sign-in attempt from an address. */
export const signInFrom = (t: TestApp, username: string, password: string, from: string) =>
  t.anonymous({
    method: "POST",
    url: "/api/v1/session",
    remoteAddress: from,
    payload: { username, password },
  });

/** A user of the given role with an API token, created straight in the database. */
export async function createUserWithToken(
  db: Database["db"],
  role: Role,
  username = uniqueSlug(role),
): Promise<string> {
  const { user } = await createUser(
    { username: username.toLowerCase().slice(0, 60), role, password: "test-password-123" },
    systemContext(db, "test"),
  );
  const token = `acc_${randomToken()}`;
  await db.execute(
    sql`insert into api_tokens (user_id, name, token_hash) values (${user.id}, 'test', ${sha256(token)})`,
  );
  return token;
}

export async function buildTestApp(
  options: Pick<
    AppDeps,
    | "clock"
    | "oidc"
    | "publicRead"
    | "dataDir"
    | "uploadLimitBytes"
    | "trustProxy"
    | "apiDocs"
    | "emailAvailable"
    | "webhookAllowPrivate"
    | "searchLimits"
    | "webDir"
  > = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  // Uploaded files go to a data directory of this app's own, removed by `close`.
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "accord-test-"));
  const app = await buildApp({
    db: database.db,
    engine: database.engine,
    localVersion: database.localVersion,
    ...options,
    dataDir,
  });
  await app.ready();
  const adminToken = await createUserWithToken(database.db, "admin", "tester");
  const anonymous = app.inject.bind(app) as FastifyInstance["inject"];
  // Every test request is signed by the test administrator unless it says otherwise.
  app.inject = ((opts: string | Record<string, unknown>) => {
    const o = typeof opts === "string" ? { url: opts } : opts;
    const headers = { authorization: `Bearer ${adminToken}`, ...((o.headers as object) ?? {}) };
    return anonymous({ ...o, headers } as never);
  }) as FastifyInstance["inject"];
  return {
    app,
    database,
    anonymous,
    tokenFor: (role, username) => createUserWithToken(database.db, role, username),
    dataDir,
    close: async () => {
      await app.close();
      await database.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `If-Match` with a monitor's version as an administrator reads it: what assigning the monitor to
 * a matter, or taking them off one, names (an assignment changes the monitor).
 */
export async function monitorIfMatch(app: FastifyInstance, user: string): Promise<{ "if-match": string }> {
  const res = await app.inject(`/api/v1/users/${encodeURIComponent(user)}`);
  if (res.statusCode !== 200) throw new Error(`GET user ${user}: ${res.statusCode} ${res.body}`);
  return { "if-match": res.headers.etag as string };
}

let counter = 0;
export const uniqueSlug = (prefix: string) =>
  `${prefix}-${process.pid}-${++counter}-${randomUUID().slice(0, 6)}`;

async function post<T>(app: FastifyInstance, url: string, payload: unknown): Promise<T> {
  const res = await app.inject({ method: "POST", url, payload: payload as object });
  if (res.statusCode !== 201) throw new Error(`POST ${url} → ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

export const buildJurisdiction = (app: FastifyInstance, overrides: Partial<CreateJurisdiction> = {}) =>
  post<{ id: string; slug: string; version: number; name: string }>(app, "/api/v1/jurisdictions", {
    slug: uniqueSlug("town"),
    name: "Testville",
    kind: "city",
    stateCode: "MD",
    ...overrides,
  });

export async function buildAgency(app: FastifyInstance, overrides: Partial<CreateAgency> = {}) {
  const jurisdictionId = overrides.jurisdictionId ?? (await buildJurisdiction(app)).id;
  return post<{ id: string; slug: string; version: number; name: string }>(app, "/api/v1/agencies", {
    slug: uniqueSlug("agency"),
    name: "Testville Police Department",
    kind: "police",
    jurisdictionId,
    ...overrides,
  });
}

export async function buildMatter(app: FastifyInstance, overrides: Partial<CreateMatter> = {}) {
  const jurisdictionId = overrides.jurisdictionId ?? (await buildJurisdiction(app)).id;
  return post<{ id: string; slug: string; version: number; title: string; status: string }>(
    app,
    "/api/v1/matters",
    {
      slug: uniqueSlug("matter"),
      kind: "consent_decree",
      status: "active",
      title: "Testville consent decree",
      jurisdictionId,
      ...overrides,
    },
  );
}

export async function buildEvent(app: FastifyInstance, overrides: Partial<CreateEvent> = {}) {
  return post<{ id: string; slug: string; version: number }>(app, "/api/v1/events", {
    slug: uniqueSlug("event"),
    kind: "hearing",
    date: "2030-01-15",
    title: "Status hearing",
    ...overrides,
  });
}

/** `send` (any answer) and `ok` (a 2xx answer's body, else the test fails with it) over `app.inject`. */
export function requests(app: FastifyInstance) {
  const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as "POST",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const ok = async <T>(
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await send(method, url, payload, headers);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
    return res.json() as T;
  };
  return { send, ok };
}

/** Uploads `text` as a document of the matter and reads it (its extraction job run); its id. */
export async function uploadTextDocument(
  t: TestApp,
  matterSlug: string,
  text: string,
  { kind, filename }: { kind: string; filename: string },
): Promise<string> {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new Blob([text]), filename);
  const up = await t.app.inject({
    method: "POST",
    url: `/api/v1/matters/${matterSlug}/documents`,
    body: form,
  });
  if (up.statusCode !== 201) throw new Error(`upload → ${up.statusCode}: ${up.body}`);
  await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
  return up.json().items[0].document.id;
}

/** Parses a document and accepts the parse on its matter (If-Match: the parse's version); the parse. */
export async function parseAndAccept(app: FastifyInstance, documentId: string, matterSlug: string) {
  const { ok } = requests(app);
  const parse = await ok<DecreeParse>("POST", `/api/v1/documents/${documentId}/parse`);
  await ok(
    "POST",
    `/api/v1/matters/${matterSlug}/provisions/accept`,
    { parseId: parse.id },
    {
      "if-match": `"${parse.version}"`,
    },
  );
  return parse;
}
