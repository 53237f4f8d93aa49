import { sql } from "drizzle-orm";
import { type MigrationMeta, readMigrationFiles } from "drizzle-orm/migrator";
import type { Queryable } from "./open.js";
import { queryOne } from "./sql.js";

/** The migration a database was last brought to, as Drizzle records it (null: none yet). */
export interface AppliedMigration {
  /** How many migrations were applied. */
  count: number;
  /** The last one's hash and folder time (its `when` in the journal): what names it. */
  hash: string;
  createdAt: number;
}

/** The migrations of a folder, oldest first (Drizzle's reader). */
export function readMigrations(folder: string): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder: folder });
}

/** The last applied migration, or null on a database Drizzle never migrated. */
export async function appliedMigration(db: Queryable): Promise<AppliedMigration | null> {
  const table = await queryOne<{ found: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as found`,
  );
  if (!table?.found) return null;
  const last = await queryOne<{ count: number; hash: string; createdAt: string }>(
    db,
    sql`select (select count(*)::int from drizzle.__drizzle_migrations) as count, hash,
          created_at::text as "createdAt"
        from drizzle.__drizzle_migrations order by created_at desc limit 1`,
  );
  return last ? { count: last.count, hash: last.hash, createdAt: Number(last.createdAt) } : null;
}

/** The migrations Drizzle would apply next: those newer than the last applied one. */
export function pendingMigrations(all: MigrationMeta[], applied: AppliedMigration | null): MigrationMeta[] {
  return applied ? all.filter((m) => m.folderMillis > applied.createdAt) : all;
}

/**
 * Applies migrations inside a transaction the caller holds, recording them as Drizzle does, so a
 * later `migrate()` goes on from there. A restore runs them in its own transaction with the data.
 */
export async function applyMigrations(tx: Queryable, migrations: MigrationMeta[]) {
  await tx.execute(sql`create schema if not exists drizzle`);
  await tx.execute(sql`create table if not exists drizzle.__drizzle_migrations (
      id serial primary key, hash text not null, created_at bigint)`);
  for (const migration of migrations) {
    for (const statement of migration.sql) if (statement.trim()) await tx.execute(sql.raw(statement));
    await tx.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
    );
  }
}
