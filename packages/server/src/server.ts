import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ReviewCyclesFileSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { describeBackup, takeBackup } from "./backup/backup.js";
import { startControlSocket } from "./backup/control-socket.js";
import type { Config } from "./config.js";
import { systemContext } from "./context/command-context.js";
import { appliedMigration, pendingMigrations, readMigrations } from "./db/migrations.js";
import { type Database, migrationsFolder, openDatabase } from "./db/open.js";
import { isNewPgliteDir } from "./db/pglite-files.js";
import { settings } from "./db/schema.js";
import { queryOne } from "./db/sql.js";
import { type JobRunner, runPendingJobs, startJobRunner } from "./jobs/job-runner.js";
import { acquireDataDirLock, acquireStartupLock } from "./lock.js";
import { loadBundledMonitoringOnce, loadBundledRatingsHistoriesOnce } from "./modules/compliance/index.js";
import {
  DEFAULT_LIMITS,
  documentManifestPath,
  loadBundledDocumentsOnce,
  stopSpareWorker,
} from "./modules/documents/index.js";
import { createCycle, findCycle } from "./modules/reviews/index.js";
import {
  bundledInvoicesDir,
  bundledStatisticsDir,
  loadBundledMonitoringCostsOnce,
  loadBundledStatisticsOnce,
  STAGED_ABANDONED_MINUTES,
  sweepStagedSources,
} from "./modules/statistics/index.js";
import { analyzeTables, importBundle, parseBundle } from "./modules/transfer/index.js";
import { countUsers, createUser, type PreparedPassword } from "./modules/users/index.js";

export interface Opened {
  database: Database;
  release: () => void;
  close: () => Promise<void>;
  /**
   * With `keepStartupLock` on PostgreSQL: releases the startup lock held since before the
   * migrations (what a first start loads is done under it too). Otherwise does nothing.
   */
  releaseStartupLock: () => Promise<void>;
}

/**
 * Opens the configured database (taking the data-directory lock for PGlite) and migrates it,
 * backing it up first when it has data and migrations are pending. On PostgreSQL, where several
 * servers may share the database, the migrations run under the startup lock (acquireStartupLock):
 * servers starting together migrate one at a time, the later ones finding nothing to do.
 */
export async function openConfigured(
  config: Config,
  options: {
    migrationsFolder?: string;
    log?: (m: string) => void;
    keepStartupLock?: boolean;
    /** PGlite in a worker thread when the configuration says so (`accord serve`; commands need not). */
    worker?: boolean;
  } = {},
): Promise<Opened> {
  const log = options.log ?? ((m) => console.error(m));
  const release = config.databaseUrl ? () => {} : acquireDataDirLock(config.dataDir);
  let releaseStartupLock = async () => {};
  try {
    if (config.databaseUrl) releaseStartupLock = await acquireStartupLock(config.databaseUrl, log);
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: join(config.dataDir, "db"),
      pgliteSharedBuffers: config.pgliteSharedBuffers,
      pgliteWorker: options.worker === true && config.pgliteWorker,
    });
    try {
      await migrateWithBackup(database, config.dataDir, log, options.migrationsFolder);
      if (!options.keepStartupLock) await releaseStartupLock();
      // The rows an import staged before its process died (kill -9 mid-import): on the embedded
      // database this process holds the data directory, so no other import is staging now.
      if (!config.databaseUrl) await database.db.execute(sql`delete from import_staging`);
      // So with statistics an import staged and never published: every one on the embedded
      // database; on a shared PostgreSQL those no import has written to for a while (another
      // instance may be importing now; the job runner's hourly sweep takes the rest).
      await sweepStagedSources(database.db, config.databaseUrl ? STAGED_ABANDONED_MINUTES : 0);
    } catch (e) {
      await database.close();
      throw e;
    }
    return {
      database,
      release,
      releaseStartupLock,
      close: async () => {
        await releaseStartupLock().catch(() => {});
        await database.close();
        release();
      },
    };
  } catch (e) {
    await releaseStartupLock().catch(() => {});
    release();
    throw e;
  }
}

export class MigrationFailedError extends Error {
  constructor(
    message: string,
    readonly backupDir: string | null,
  ) {
    super(message);
  }
}

/**
 * Applies the pending migrations. On a database that has been migrated before (it holds data),
 * a backup is taken first, into `<dataDir>/backups/before-migration-…`: should a migration fail,
 * the database stays as it was (they run in one transaction) and the error says where the backup is.
 */
export async function migrateWithBackup(
  database: Database,
  dataDir: string,
  log: (m: string) => void,
  folder = migrationsFolder(),
): Promise<string | null> {
  const applied = await appliedMigration(database.db);
  const pending = pendingMigrations(readMigrations(folder), applied);
  let backupDir: string | null = null;
  if (applied && pending.length) {
    backupDir = join(
      dataDir,
      "backups",
      `before-migration-${applied.count}-to-${applied.count + pending.length}-${backupStamp()}`,
    );
    const manifest = await takeBackup({ db: database.db, engine: database.engine, dataDir }, backupDir);
    log(
      `${pending.length} database migration${pending.length === 1 ? "" : "s"} to apply; first, a backup. ${describeBackup(backupDir, manifest)}`,
    );
  }
  try {
    await database.migrate(folder);
  } catch (e) {
    const reason = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new MigrationFailedError(
      `A database migration failed (${reason}). The database was left as it was: the migrations run in one transaction${
        backupDir
          ? `. The backup taken just before is in ${backupDir}; should the database be damaged, restore it with \`accord restore ${backupDir}\` into an empty data directory or database`
          : ""
      }.`,
      backupDir,
    );
  }
  return backupDir;
}

/** A UTC time for a backup folder's name: 2026-12-07T04-10-00Z. */
export const backupStamp = (at = new Date()) => `${at.toISOString().slice(0, 19).replaceAll(":", "-")}Z`;

/** On the first start only: loads the bundled public dataset. Later starts keep the data as it is. */
export async function loadBundledDataOnce(
  database: Database,
  bundlePath: string | null,
  log: (m: string) => void,
) {
  const done = await queryOne<{ value: unknown }>(
    database.db,
    sql`select value from settings where key = 'bundle_loaded'`,
  );
  if (done) return;
  if (!bundlePath) {
    log("No bundled dataset found; starting with an empty registry");
    return;
  }
  const bundle = parseBundle(JSON.parse(readFileSync(bundlePath, "utf8")));
  const summary = await importBundle(bundle, systemContext(database.db, "system"));
  await database.db
    .insert(settings)
    .values({ key: "bundle_loaded", value: { at: new Date().toISOString(), summary } })
    .onConflictDoNothing();
  log(
    `Loaded the bundled dataset: ${summary.created.matters} matters, ${summary.created.events} events, ${summary.created.jurisdictions} jurisdictions, ${summary.created.agencies} agencies`,
  );
}

/**
 * The review cycles bundled beside the dataset (review-cycles.json), once: a cycle whose slug is
 * already taken is left alone.
 */
export async function loadBundledCyclesOnce(
  database: Database,
  bundlePath: string | null,
  log: (m: string) => void,
) {
  const path = bundlePath ? join(dirname(bundlePath), "review-cycles.json") : null;
  if (!path || !existsSync(path)) return;
  const done = await queryOne(database.db, sql`select 1 from settings where key = 'review_cycles_loaded'`);
  if (done) return;
  const file = ReviewCyclesFileSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const ctx = systemContext(database.db, "system");
  const loaded: string[] = [];
  for (const { mandateDocumentFile, ...cycle } of file.cycles) {
    if (await findCycle(ctx, cycle.slug)) continue;
    // The mandate document, by the bundled file's name, when it was loaded.
    const mandate = mandateDocumentFile
      ? await queryOne<{ id: string }>(
          database.db,
          sql`select id from documents where filename = ${mandateDocumentFile} order by created_at limit 1`,
        )
      : undefined;
    await createCycle({ cycle: { ...cycle, mandateDocumentId: mandate?.id ?? null } }, ctx);
    loaded.push(cycle.name);
  }
  await database.db
    .insert(settings)
    .values({ key: "review_cycles_loaded", value: { at: new Date().toISOString(), loaded } })
    .onConflictDoNothing();
  if (loaded.length) log(`Loaded the bundled review cycles: ${loaded.join("; ")}`);
}

/**
 * On an empty database: creates the administrator `admin`, with ACCORD_ADMIN_PASSWORD or a random
 * password printed once (no password is shared between installations). `prepared`: that password
 * hashed beforehand (preparePassword(password)).
 */
export async function createFirstAdmin(
  database: Database,
  password: string | undefined,
  log: (m: string) => void,
  prepared?: PreparedPassword,
) {
  const ctx = systemContext(database.db, "system");
  if ((await countUsers(ctx)) > 0) return;
  const created = await createUser(
    { username: "admin", displayName: "Administrator", role: "admin", ...(password ? { password } : {}) },
    ctx,
    prepared,
  );
  if (password)
    log("Created the first administrator, user name admin, with the password in ACCORD_ADMIN_PASSWORD.");
  else {
    log("Created the first administrator. This password is shown only once; sign in and change it:");
    log(`  user name: admin`);
    log(`  password:  ${created.password}`);
  }
}

/**
 * Loads what of the bundled data is not loaded yet (each part once, in order). `readText`: the
 * documents' text too, right after them (the first start's loader; the server leaves it to its
 * job runner).
 */
export async function loadBundledData(
  database: Database,
  config: Config,
  log: (m: string) => void,
  { readText = false } = {},
) {
  await loadBundledDataOnce(database, config.bundlePath, log);
  await loadBundledDocumentsOnce(database, documentManifestPath(config.bundlePath), config.dataDir, log);
  // Their text at once, while this process holds the least: the worker reading a PDF (some 140 MB)
  // beside the monitoring's parsing was the first start's peak.
  if (readText) await readBundledDocumentsText(database, config, log);
  // After the documents: a cycle's mandate may be one of them.
  await loadBundledCyclesOnce(database, config.bundlePath, log);
  await loadBundledRatingsHistoriesOnce(database, config.bundlePath, log);
  // After the documents: the agreements and reports it reads are among them.
  // With one extraction worker: a PDF read in halves takes a second worker process (some 150 MB)
  // beside the loader's own memory and the database's, for a few seconds' gain once.
  await loadBundledMonitoringOnce(database, config.dataDir, log, {
    ...DEFAULT_LIMITS,
    ...config.extraction,
    threads: 1,
  });
  // Its warm worker would wait a minute for another file: none comes, and the statistics, loaded
  // next, parse their files beside it.
  await stopSpareWorker();
  // After the registry: the statistics' places are matched to its jurisdictions.
  await loadBundledStatisticsOnce(database, bundledStatisticsDir(config.bundlePath), log);
  // After the registry too: the invoices are the Baltimore decree's.
  await loadBundledMonitoringCostsOnce(database, bundledInvoicesDir(config.bundlePath), log);
}

/**
 * The first start's loader (`accord load-bundled`): reads the text of the bundled documents
 * (their jobs queued by loadBundledDocumentsOnce), with one worker, then ends it. Read here rather
 * than by the server's job runner, the server process starts no extraction worker on a first
 * start: the two it kept warm for a minute after the last file held some 220 MB beside it (the
 * start bench's steady memory with children: 496 MB, then 258-290 MB). Resolves with how many
 * were read.
 */
export async function readBundledDocumentsText(
  database: Database,
  config: Config,
  log: (m: string) => void,
): Promise<number> {
  const read = await runPendingJobs({
    db: database.db,
    dataDir: config.dataDir,
    limits: { ...config.extraction, threads: 1 },
    kinds: ["extract"],
    dispatch: false,
    log,
  });
  await stopSpareWorker();
  if (read) log(`Read the text of ${read} bundled file${read === 1 ? "" : "s"}`);
  return read;
}

/**
 * The command-line program to load the bundled data with: the built dist/cli.js (this module is
 * bundled into it), or from the sources src/cli.ts, run as this process is (tsx's loader is in
 * its node flags). Null when this module was loaded otherwise (a test importing it).
 */
function bundledDataLoader(): string | null {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith(`${sep}dist${sep}cli.js`)) return self;
  const source = join(dirname(self), "cli.ts");
  return self.endsWith(`${sep}src${sep}server.ts`) && process.argv[1] === source ? source : null;
}

/** Runs `accord load-bundled` (the same node flags and environment) and waits for it; its output is the server's. */
function runBundledDataLoader(cli: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, cli, "load-bundled"], {
      stdio: "inherit",
      env: process.env,
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `Loading the bundled data failed (${signal ? `signal ${signal}` : `exit code ${code}`}); the messages above say why. The next start loads what is missing.`,
            ),
          ),
    );
  });
}

/** Starts the server; resolves once listening. SIGTERM/SIGINT drain requests, close the database and exit 0. */
export async function serve(config: Config): Promise<FastifyInstance> {
  const started = performance.now();
  const phases: string[] = [];
  let lastPhase = started;
  let lastCpu = process.cpuUsage();
  /** How long each step of the start took: one log line once listening. */
  const phase = (name: string) => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    phases.push(
      `${name} ${Math.round(now - lastPhase)} ms, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms`,
    );
    lastCpu = process.cpuUsage();
    lastPhase = now;
  };
  // A first start loads the bundled data in a process of its own, which then ends: the server
  // does not keep the memory that loading took (some 100 MB it would otherwise hold all its life).
  // The loader takes the startup lock (and the data directory's) in its turn, and holds it while
  // it loads: a second server starting meanwhile waits (PostgreSQL) or is refused, naming the
  // loader (the embedded database), and finds the data loaded.
  const loader = bundledDataLoader();
  let loaded = false;
  // On a new embedded database the loader runs before this process opens it: PGlite never gives
  // back the WebAssembly memory that making and migrating a database touched (190 MB more, held
  // beside the loader's while it ran and by the server all its life after).
  if (loader && !config.databaseUrl && isNewPgliteDir(join(config.dataDir, "db"))) {
    await runBundledDataLoader(loader);
    phase("bundled data loader");
    loaded = true;
  }
  // On PostgreSQL the startup lock is kept through the first start's loads: servers starting
  // together must not both create the first administrator or load the bundled data.
  let opened = await openConfigured(config, { keepStartupLock: true, worker: true });
  // No administrator yet: a first start on PostgreSQL, or one that stopped before it was done.
  if (loader && !loaded && (await countUsers(systemContext(opened.database.db, "system"))) === 0) {
    await opened.close();
    await runBundledDataLoader(loader);
    phase("bundled data loader");
    opened = await openConfigured(config, { keepStartupLock: true, worker: true });
  }
  phase("database");
  const { database } = opened;
  // The embedded database's thread gone (it failed): no request can be answered any more, so the
  // server stops, for its service manager to start it again (the files are as after a kill -9).
  void database.lost?.then((reason) => {
    console.error(`${reason.message}: the server stops.`);
    opened.release();
    process.exit(1);
  });
  let app: FastifyInstance;
  let runner: JobRunner | null = null;
  /** Set by SIGTERM/SIGINT: the server drains its requests and stops. */
  let stopping = false;
  try {
    await createFirstAdmin(database, config.adminPassword, (m) => console.log(m));
    // Whatever a first start did not load (data bundled by a newer version), in this process.
    await loadBundledData(database, config, (m) => console.log(m));
    await opened.releaseStartupLock();
    phase("bundled data");
    app = await buildApp({
      db: database.db,
      engine: database.engine,
      localVersion: database.localVersion,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionMaxHours: config.sessionMaxHours,
      totpRequiredRoles: config.totpRequiredRoles,
      trustProxy: config.trustProxy,
      publicRead: config.publicRead,
      apiDocs: config.apiDocs,
      oidc: config.oidc,
      webDir: config.webDir,
      logger: { level: config.logLevel },
      logRequests: config.logLevel === "debug" || config.logLevel === "trace",
      version: readVersion(),
      dataDir: config.dataDir,
      uploadLimitBytes: config.uploadLimitBytes,
      wakeJobs: () => runner?.wake(),
      emailAvailable: config.mail !== null,
      webhookAllowPrivate: config.webhookAllowPrivate,
      searchLimits: config.search,
    });
    // `accord backup` asks the running server, which alone may open the embedded database. On
    // PostgreSQL it opens the database itself, and several servers may share the data directory:
    // none listens there (each would take the socket from the one before).
    const control =
      database.engine === "pglite"
        ? await startControlSocket(config.dataDir, async ({ out }) =>
            describeBackup(
              out,
              await takeBackup({ db: database.db, engine: database.engine, dataDir: config.dataDir }, out),
            ),
          ).catch((e: Error) => {
            app.log.warn(`No control socket, so accord backup cannot reach this server: ${e.message}`);
            return null;
          })
        : null;
    // Stopping, each answer closes its connection: a kept-alive one would hold app.close() until
    // its keep-alive timeout (72 s). Requests under way when the signal comes are common once the
    // database has a thread of its own (this one takes the signal at once).
    app.addHook("onSend", (_req, reply, payload, done) => {
      if (stopping) reply.header("connection", "close");
      done(null, payload);
    });
    // Closing the app (SIGTERM) stops the extraction under way; its job is queued again.
    app.addHook("onClose", async () => {
      control?.close();
      await runner?.stop();
    });
    phase("app");
    await app.listen({ port: config.port, host: config.host });
    phase("listen");
    // The embedded database has no autovacuum to keep the planner's statistics and the visibility
    // map fresh: refresh them once a start, after listening, so the start itself does not wait for it.
    if (database.engine === "pglite")
      analyzeTables(database.db).catch((e: Error) =>
        app.log.warn(`Refreshing statistics failed: ${e.message}`),
      );
    app.log.info(
      {
        startMs: Math.round(performance.now() - started),
        rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
      `started in ${Math.round(performance.now() - started)} ms, ${Math.round(process.uptime() * 1000)} ms since the process began (${phases.join("; ")})`,
    );
    // Text extraction runs in the background: the server answers from the start.
    runner = startJobRunner({
      db: database.db,
      dataDir: config.dataDir,
      limits: config.extraction,
      soleOwner: database.engine === "pglite",
      log: (m) => app.log.info(m),
      mail: config.mail,
      webhooks: { allowPrivate: config.webhookAllowPrivate },
    });
  } catch (e) {
    await opened.close();
    throw e;
  }
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "stopping: draining requests");
    // Connections idle once their answer is sent are closed as they go (app.close closes those
    // idle at its start only); a request sent on one meanwhile is refused, as after the close.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(sweep);
      await opened.close();
      process.exit(0);
    } catch (e) {
      console.error(e);
      opened.release();
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(
    `Accord is serving on http://${config.host}:${port} (${database.engine === "pglite" ? `embedded PGlite in ${join(config.dataDir, "db")}` : "PostgreSQL"})`,
  );
  return app;
}

function readVersion(): string {
  return "0.1.0";
}
