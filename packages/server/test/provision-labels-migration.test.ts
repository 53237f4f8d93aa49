import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../src/db/open.js";
import * as schema from "../src/db/schema.js";
import { queryRows } from "../src/db/sql.js";

/**
 * The migration that gives provisions their labels and place in the outline keeps every
 * existing row, its id and its ratings: a database at the migration before, with provisions
 * and ratings in it, is migrated and read back. (PGlite: the SQL is the same on PostgreSQL.)
 */
describe("migrating provisions to labels", () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-migration-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every id and rating, labelling each paragraph ¶ N in the decree's order", async () => {
    const all = migrationsFolder();
    cpSync(all, dir, { recursive: true });
    const journalPath = join(dir, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag === "0024_provision-labels");
    expect(at).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));

    const client = new PGlite();
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: dir });
    const matterId = crypto.randomUUID();
    const periodId = crypto.randomUUID();
    // The rows alone matter here: their matter and period need not exist.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`insert into provisions (matter_id, number, label, path, text)
          select ${matterId}, n, '¶ ' || n, '¶ ' || n, 'The text of paragraph ' || n from generate_series(1, 5) n`,
      );
      await tx.execute(
        sql`insert into provisions (matter_id, number, label, path, text, retired_at)
          values (${matterId}, 3, '¶ 3', '¶ 3', 'A retired paragraph', now())`,
      );
      await tx.execute(
        sql`insert into assessments (provision_id, period_id, level)
          select id, ${periodId}, 'partial' from provisions where matter_id = ${matterId}`,
      );
    });
    const before = await queryRows<{ id: string; number: number }>(
      db,
      sql`select id, number from provisions order by number, id`,
    );

    await migrate(db, { migrationsFolder: all });
    const after = await queryRows<{
      id: string;
      number: number;
      label: string;
      position: number;
      depth: number;
      heading: boolean;
      parentId: string | null;
      ratings: number;
    }>(
      db,
      sql`select p.id, p.number, p.label, p.position, p.depth, p.heading, p.parent_id as "parentId",
          (select count(*)::int from assessments a where a.provision_id = p.id) as ratings
        from provisions p order by number, id`,
    );
    expect(after.map((r) => [r.id, r.number])).toEqual(before.map((r) => [r.id, r.number]));
    for (const r of after)
      expect(r).toMatchObject({
        label: `¶ ${r.number}`,
        position: r.number,
        depth: 0,
        heading: false,
        parentId: null,
        ratings: 1,
      });
    // Labels are unique among current provisions only: a retired ¶ 3 sits beside the current one.
    await expect(
      db.execute(
        sql`insert into provisions (matter_id, number, label, path, text) values (${matterId}, 9, '¶ 1', '¶ 1', 'x')`,
      ),
    ).rejects.toThrow();
    await client.close();
  });
});
