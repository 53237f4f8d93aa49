import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { isRole } from "@accord/domain";
import { describeBackup, takeBackup } from "./backup/backup.js";
import { sendControlRequest } from "./backup/control-socket.js";
import { RestoreRefusedError, restoreBackup } from "./backup/restore.js";
import { ingestCommand } from "./cli/ingest.js";
import { type Config, loadConfig } from "./config.js";
import { AppError, appError } from "./context/app-error.js";
import { systemContext } from "./context/command-context.js";
import { openDatabase } from "./db/open.js";
import { DatabaseDamagedError } from "./db/pglite-files.js";
import { acquireDataDirLock, DataDirLockedError } from "./lock.js";
import { verifyAuditChain } from "./modules/audit/index.js";
import {
  exportBundle,
  importBundle,
  parseBundle,
  parseCsvFile,
  serializeBundle,
} from "./modules/transfer/index.js";
import { createUser, preparePassword, resetPassword } from "./modules/users/index.js";
import {
  backupStamp,
  createFirstAdmin,
  loadBundledData,
  MigrationFailedError,
  openConfigured,
  serve,
} from "./server.js";

const HELP = `accord — the registry of federal agreements with local law enforcement

Usage:
  accord serve               start the web app and API (http://127.0.0.1:3000)
  accord migrate             apply database migrations and exit
  accord import FILE         import a bundle (.json), or matters, grant awards or conditions
                             (.csv, told apart by their header) in one transaction;
                             re-importing the same file changes nothing
  accord export [--out FILE] write the whole registry as a JSON bundle (stdout by default)
  accord user add --role ROLE NAME
                             create a user (roles: admin, approver, reviewer, monitor, viewer);
                             prints a generated password once
  accord user reset-password NAME
                             give a user a new password (printed once) and end their sessions
  accord ingest --matter SLUG [--kind KIND] [--title T] [--date D] [--source URL] [--public] FILE…
                             add files (PDF, HTML, text, DOCX) to a matter and read their text,
                             showing progress; exits 1 if any file failed, with the reasons
  accord backup [--out DIR]  a consistent backup of everything, while the server runs or not: every
                             table, the stored files and a manifest of checksums, into DIR (default
                             ACCORD_DATA_DIR/backups/accord-<UTC time>); copy it off the machine
  accord restore DIR         restore a backup into an empty data directory or database, checking
                             every file's hash, every table's checksum and the audit chain
  accord audit verify        recompute the audit log's hash chain; exits 1 naming the first
                             broken link if an entry was changed, removed or slipped in
  accord --help              this help

Environment:
  PORT (3000), HOST (127.0.0.1), ACCORD_DATA_DIR (./data), ACCORD_ADMIN_PASSWORD (first admin's password),
  DATABASE_URL (unset: embedded PGlite in ACCORD_DATA_DIR/db; postgres://… for PostgreSQL),
  ACCORD_UPLOAD_LIMIT_MB (100), ACCORD_MAX_PAGES (2000), ACCORD_EXTRACT_TIMEOUT_S (120),
  ACCORD_EXTRACT_HEAP_MB (512), ACCORD_EXTRACT_MEMORY_MB (1024), ACCORD_EXTRACT_THREADS (2 with
  two cores or more)

With the embedded database, only one process may use a data directory at a time: stop the
server before running import, export, ingest, migrate or restore on the same directory
(accord backup asks a running server to take the backup itself).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case "serve":
      await serve(config);
      return -1; // keep running
    case "load-bundled": {
      // Not in the help: what `accord serve` runs, in a process of its own, on a first start.
      // The first administrator's password hashed first, while this process is small: scrypt's
      // 128 MB at the end, beside all the loading holds, was the first start's peak (the loader's
      // 360 MB went to 500 MB).
      const adminPassword = await preparePassword(config.adminPassword);
      // Holding the startup lock on PostgreSQL while it loads (see serve).
      const opened = await openConfigured(config, { keepStartupLock: true });
      try {
        // The documents' text too, so that the server starts with no extraction to run
        // (readBundledDocumentsText).
        await loadBundledData(opened.database, config, (m) => console.log(m), { readText: true });
        // Then the first administrator, here rather than in the server: hashing its password
        // takes scrypt's 128 MB, which the server would keep (its resident memory stayed ~40 MB
        // above a restart's). Last, so that a load that fails leaves no administrator and the
        // next start runs the loader again; the server creates one itself when none is made.
        await createFirstAdmin(opened.database, config.adminPassword, (m) => console.log(m), adminPassword);
      } finally {
        await opened.close();
      }
      return 0;
    }
    case "migrate": {
      const opened = await openConfigured(config);
      await opened.close();
      console.error("Migrations applied.");
      return 0;
    }
    case "import": {
      const file = args[0];
      if (!file) {
        console.error(
          "accord import: give the file to import (JSON bundle, or CSV of matters, awards or conditions)",
        );
        return 2;
      }
      const text = readFileSync(file, "utf8");
      const bundle =
        extname(file).toLowerCase() === ".csv"
          ? parseCsvFile(text).bundle
          : parseBundle(parseJson(text, file));
      const opened = await openConfigured(config);
      try {
        const s = await importBundle(bundle, systemContext(opened.database.db, "cli"), (m) =>
          console.error(m),
        );
        console.error(
          `Imported ${file}: created ${s.created.jurisdictions} jurisdictions, ${s.created.agencies} agencies, ${s.created.matters} matters, ${s.created.events} events, ${s.created.awards} awards, ${s.created.conditions} conditions, ${s.created.programFacts} program facts; updated ${Object.values(s.updated).reduce((a, b) => a + b, 0)}; unchanged ${s.unchanged}.`,
        );
      } finally {
        await opened.close();
      }
      return 0;
    }
    case "export": {
      const outIndex = args.indexOf("--out");
      const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
      const opened = await openConfigured(config);
      try {
        const text = serializeBundle(await exportBundle(systemContext(opened.database.db, "cli")));
        if (out) writeFileSync(out, text);
        else process.stdout.write(text);
      } finally {
        await opened.close();
      }
      return 0;
    }
    case "backup":
      return backupCommand(config, args);
    case "restore":
      return restoreCommand(config, args);
    case "user":
      return userCommand(config, args);
    case "ingest":
      return ingestCommand(config, args);
    case "audit": {
      if (args[0] !== "verify") {
        console.error('accord audit: the subcommand is "verify"');
        return 2;
      }
      const opened = await openConfigured(config);
      try {
        const { entries, broken } = await verifyAuditChain(systemContext(opened.database.db, "cli"));
        if (!broken) {
          console.log(`The audit log's hash chain holds: ${entries} entries verified.`);
          return 0;
        }
        console.log(
          `The audit log's hash chain is broken at entry ${broken.id}${broken.chainSeq === null ? "" : ` (place ${broken.chainSeq} in the chain)`}: ${broken.reason}.`,
        );
        return 1;
      } finally {
        await opened.close();
      }
    }
    default:
      console.error(`accord: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

async function userCommand(config: ReturnType<typeof loadConfig>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const ctx = (db: Parameters<typeof createUser>[1]["db"]) => systemContext(db, "cli");
  if (sub === "add") {
    const roleIndex = rest.indexOf("--role");
    const role = roleIndex >= 0 ? rest[roleIndex + 1] : undefined;
    const name = rest.filter((_, i) => i !== roleIndex && i !== roleIndex + 1)[0];
    if (!role || !name || !isRole(role)) {
      console.error("accord user add --role ROLE NAME   (roles: admin, approver, reviewer, monitor, viewer)");
      return 2;
    }
    const opened = await openConfigured(config);
    try {
      const { user, password } = await createUser({ username: name, role }, ctx(opened.database.db));
      console.log(
        `Created ${user.username} (${user.role}). This password is shown only once:\n  ${password}`,
      );
    } finally {
      await opened.close();
    }
    return 0;
  }
  if (sub === "reset-password" && rest[0]) {
    const opened = await openConfigured(config);
    try {
      const { user, password } = await resetPassword({ key: rest[0] }, ctx(opened.database.db));
      console.log(
        `New password for ${user.username} (shown only once; their sessions were ended):\n  ${password}`,
      );
    } finally {
      await opened.close();
    }
    return 0;
  }
  console.error("accord user add --role ROLE NAME | accord user reset-password NAME");
  return 2;
}

async function backupCommand(config: Config, args: string[]): Promise<number> {
  const outIndex = args.indexOf("--out");
  if (outIndex >= 0 && !args[outIndex + 1]) {
    console.error("accord backup [--out DIR]");
    return 2;
  }
  const out = resolve(
    outIndex >= 0 ? args[outIndex + 1]! : join(config.dataDir, "backups", `accord-${backupStamp()}`),
  );
  if (config.databaseUrl) {
    // PostgreSQL: a snapshot of our own, while the server (if any) goes on writing.
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
    try {
      console.log(describeBackup(out, await takeBackup({ ...database, dataDir: config.dataDir }, out)));
    } finally {
      await database.close();
    }
    return 0;
  }
  let release: () => void;
  try {
    release = acquireDataDirLock(config.dataDir);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    // A running server holds the embedded database: it takes the backup.
    const reply = await sendControlRequest(config.dataDir, { command: "backup", out }).catch((c: Error) => {
      throw new Error(`${e.message} It could not be asked for a backup: ${c.message}`);
    });
    if (!reply.ok) {
      console.error(`accord backup: ${reply.error}`);
      return 1;
    }
    console.log(`${reply.message} (taken by the running server, PID ${e.pid})`);
    return 0;
  }
  try {
    if (!existsSync(join(config.dataDir, "db"))) {
      console.error(`accord backup: there is no database in ${config.dataDir} to back up`);
      return 1;
    }
    const database = await openDatabase({ pgliteDir: join(config.dataDir, "db") });
    try {
      console.log(describeBackup(out, await takeBackup({ ...database, dataDir: config.dataDir }, out)));
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
  return 0;
}

async function restoreCommand(config: Config, args: string[]): Promise<number> {
  const dir = args[0];
  if (!dir) {
    console.error("accord restore DIR   (a folder written by accord backup)");
    return 2;
  }
  const release = config.databaseUrl ? () => {} : acquireDataDirLock(config.dataDir);
  try {
    const result = await restoreBackup(
      dir,
      { dataDir: config.dataDir, databaseUrl: config.databaseUrl },
      (m) => console.log(m),
    );
    if (result.auditBroken) {
      console.error(
        `accord restore: the data is restored as it was backed up, but its audit log's hash chain is broken at entry ${result.auditBroken.id}: ${result.auditBroken.reason}.`,
      );
      return 1;
    }
    console.log(
      `Restored ${result.rows} rows in ${result.tables} tables and ${result.files} files; the audit log's hash chain holds (${result.auditEntries} entries).`,
    );
    return 0;
  } catch (e) {
    if (e instanceof RestoreRefusedError) {
      console.error(`accord restore: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    release();
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw appError("malformed_json", `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    if (
      e instanceof DataDirLockedError ||
      e instanceof MigrationFailedError ||
      e instanceof DatabaseDamagedError
    )
      console.error(`accord: ${e.message}`);
    else if (e instanceof AppError) {
      console.error(`accord: ${e.message}`);
      for (const fe of e.details.errors ?? []) console.error(`  ${fe.path}: ${fe.message}`);
    } else console.error(e);
    process.exit(1);
  },
);
