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
 * The migration that makes every rating name its rater keeps every rating as it was — its id,
 * level, rationale, evidence and version — as the monitor's: a database at the migration before,
 * with ratings in it, is migrated and read back. (PGlite: the SQL is the same on PostgreSQL.)
 */
describe("migrating ratings to raters", () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-migration-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every rating, its id and level, as the monitor's, and keys ratings by rater", async () => {
    const all = migrationsFolder();
    cpSync(all, dir, { recursive: true });
    const journalPath = join(dir, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag === "0026_assessment-raters");
    expect(at).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));

    const client = new PGlite();
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: dir });
    const matterId = crypto.randomUUID();
    const periodId = crypto.randomUUID();
    const documentId = crypto.randomUUID();
    // The rows alone matter here: their matter, period and document need not exist.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`insert into provisions (matter_id, number, label, path, text)
          select ${matterId}, n, '¶ ' || n, '¶ ' || n, 'The text of paragraph ' || n from generate_series(1, 4) n`,
      );
      await tx.execute(
        sql`insert into assessments (provision_id, period_id, level, rationale, evidence, rated_by, version)
          select id, ${periodId}, case when number % 2 = 0 then 'full' else 'partial' end, 'Rated ¶ ' || number,
            jsonb_build_array(jsonb_build_object('documentId', ${documentId}::text, 'page', number)), 'mona', number
          from provisions where matter_id = ${matterId}`,
      );
      await tx.execute(
        sql`insert into compliance_generations (matter_id, generation) values (${matterId}, 7)`,
      );
    });
    const columns = sql`id, provision_id as "provisionId", period_id as "periodId", level, rationale, evidence,
      rated_by as "ratedBy", rated_at as "ratedAt", version`;
    const before = await queryRows<Record<string, unknown>>(
      db,
      sql`select ${columns} from assessments order by id`,
    );
    expect(before).toHaveLength(4);

    await migrate(db, { migrationsFolder: all });
    const after = await queryRows<{ provisionId: string; rater: string }>(
      db,
      sql`select ${columns}, rater from assessments order by id`,
    );
    expect(after).toEqual(before.map((r) => ({ ...r, rater: "monitor" })));
    // Stored compliance views were made before they listed other raters: none stands any more.
    const generation = await queryRows<{ generation: number }>(
      db,
      sql`select generation::int from compliance_generations where matter_id = ${matterId}`,
    );
    expect(generation).toEqual([{ generation: 8 }]);
    // A provision's period now takes one rating per rater, and only one (foreign keys aside, as above).
    const provisionId = after[0]!.provisionId;
    const insert = (rater: string) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(
          sql`insert into assessments (provision_id, period_id, rater, level) values (${provisionId}, ${periodId}, ${rater}, 'full')`,
        );
      });
    await insert("department");
    await expect(insert("monitor")).rejects.toThrow();
    await expect(insert("department")).rejects.toThrow();
    await expect(insert("press")).rejects.toThrow();
    expect(
      await queryRows(
        db,
        sql`select rater from assessments where provision_id = ${provisionId} order by rater`,
      ),
    ).toEqual([{ rater: "department" }, { rater: "monitor" }]);
    await client.close();
  });
});
