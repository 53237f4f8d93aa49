import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Manifest } from "../src/backup/backup.js";
import { restoreBackup } from "../src/backup/restore.js";
import { loadConfig } from "../src/config.js";
import { systemContext } from "../src/context/command-context.js";
import { appliedMigration, readMigrations } from "../src/db/migrations.js";
import { migrationsFolder } from "../src/db/open.js";
import { queryOne } from "../src/db/sql.js";
import { createUser } from "../src/modules/users/index.js";
import { MigrationFailedError, openConfigured } from "../src/server.js";
import { emptyTarget } from "./empty-target.js";
import { ENGINE } from "./helpers.js";

/** The server's migrations and one more, which changes a table and then fails. */
function migrationsWithAFailingOne(): string {
  const folder = mkdtempSync(join(tmpdir(), "accord-migrations-"));
  cpSync(migrationsFolder(), folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  const last = journal.entries.at(-1)!;
  const tag = `${String(last.idx + 1).padStart(4, "0")}_fails`;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
  writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  writeFileSync(
    join(folder, `${tag}.sql`),
    `ALTER TABLE "users" ADD COLUMN "doomed" integer;--> statement-breakpoint\nSELECT 1 / 0;`,
  );
  return folder;
}

/**
 * RELIABILITY-CHECKS D7: before migrating a database that holds data, a backup is taken; a
 * migration that fails leaves the schema as it was, the app boots on it, and the backup is there
 * (and restores).
 */
describe(`a backup before migrations (${ENGINE})`, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it("D7: a failing migration leaves the old schema and the backup taken before it", async () => {
    const instance = await emptyTarget();
    cleanup.push(instance.drop);
    const config = loadConfig({
      ACCORD_DATA_DIR: instance.dataDir,
      ...(instance.databaseUrl ? { DATABASE_URL: instance.databaseUrl } : {}),
    });
    const log: string[] = [];
    const options = { log: (m: string) => log.push(m) };

    // The first start migrates an empty database: nothing to back up.
    let opened = await openConfigured(config, options);
    await createUser({ username: "kept", role: "reviewer" }, systemContext(opened.database.db, "test"));
    const before = await appliedMigration(opened.database.db);
    await opened.close();
    expect(existsSync(join(instance.dataDir, "backups"))).toBe(false);
    expect(before?.count).toBe(readMigrations(migrationsFolder()).length);

    const bad = migrationsWithAFailingOne();
    cleanup.push(async () => rmSync(bad, { recursive: true, force: true }));
    const error = await openConfigured(config, { ...options, migrationsFolder: bad }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    const backupDir = (error as MigrationFailedError).backupDir!;
    expect(backupDir).toContain(join(instance.dataDir, "backups", "before-migration-"));
    expect((error as Error).message).toContain("division by zero");
    expect((error as Error).message).toContain(`The backup taken just before is in ${backupDir}`);
    expect(log.join("\n")).toContain(`1 database migration to apply; first, a backup. Backed up`);
    const manifest = JSON.parse(readFileSync(join(backupDir, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.migration).toEqual(before);

    // The schema is as it was, and the app boots on it with its data.
    opened = await openConfigured(config, options);
    try {
      expect(await appliedMigration(opened.database.db)).toEqual(before);
      const doomed = await queryOne(
        opened.database.db,
        sql`select 1 from information_schema.columns where table_name = 'users' and column_name = 'doomed'`,
      );
      expect(doomed).toBeUndefined();
      expect(
        await queryOne(opened.database.db, sql`select username from users where username = 'kept'`),
      ).toEqual({ username: "kept" });
    } finally {
      await opened.close();
    }

    // And the backup restores.
    const into = await emptyTarget();
    cleanup.push(into.drop);
    const restored = await restoreBackup(backupDir, { dataDir: into.dataDir, databaseUrl: into.databaseUrl });
    expect(restored.auditBroken).toBeNull();
  }, 180_000);
});
