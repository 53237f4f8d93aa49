import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { queryOne } from "../src/db/sql.js";
import { verifyAuditChain } from "../src/modules/audit/index.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Issue 16, item 11 (RELIABILITY-CHECKS L3): the audit log refuses UPDATE, DELETE and TRUNCATE;
 * its hash chain verifies after concurrent writes; an entry changed or removed with the guard
 * turned off is named by the verifier as the first broken link.
 */
describe(`the audit log is append-only and its chain verifies (${ENGINE})`, () => {
  let t: TestApp;
  const verify = () => verifyAuditChain(systemContext(t.database.db, "test"));
  const refused = async (statement: ReturnType<typeof sql>) => {
    const error = await t.database.db.execute(statement).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error, "the statement was refused").not.toBeNull();
    const messages = [error?.message, (error as { cause?: Error } | null)?.cause?.message].join(" ");
    expect(messages).toMatch(/append-only/);
  };

  beforeAll(async () => {
    t = await buildTestApp();
    // Writes at once, from several requests: each one extends the chain in turn.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => buildMatter(t.app, { title: `Chain matter ${i}` })),
    );
  });
  afterAll(() => t.close());

  it("links every entry to the one before it", async () => {
    const result = await verify();
    expect(result.broken).toBeNull();
    expect(result.entries).toBeGreaterThanOrEqual(24);
    const seq = await queryOne<{ n: number; max: number }>(
      t.database.db,
      sql`select count(*)::int as n, max(chain_seq)::int as max from audit_entries`,
    );
    expect(seq?.max).toBe(seq?.n);
  });

  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    await refused(sql`update audit_entries set actor = 'someone else'`);
    await refused(sql`delete from audit_entries where id = (select min(id) from audit_entries)`);
    await refused(sql`truncate audit_entries`);
    expect((await verify()).broken).toBeNull();
  });

  it("names the first entry changed with the guard turned off", async () => {
    const victim = await queryOne<{ id: number; seq: number }>(
      t.database.db,
      sql`select id::int as id, chain_seq::int as seq from audit_entries order by chain_seq offset 5 limit 1`,
    );
    await t.database.db.execute(sql`alter table audit_entries disable trigger audit_entries_append_only`);
    await t.database.db.execute(
      sql`update audit_entries set after = jsonb_build_object('title', 'rewritten') where id = ${victim!.id}`,
    );
    await t.database.db.execute(sql`alter table audit_entries enable trigger audit_entries_append_only`);
    const { broken } = await verify();
    expect(broken).toMatchObject({ id: victim!.id, chainSeq: victim!.seq });
    expect(broken?.reason).toMatch(/do not match its hash/);
  });

  it("names the entry after one removed", async () => {
    const t2 = await buildTestApp();
    try {
      await buildMatter(t2.app, { title: "One" });
      await buildMatter(t2.app, { title: "Two" });
      const rows = await t2.database.db.execute(
        sql`select id::int as id from audit_entries order by chain_seq`,
      );
      const ids = (rows as unknown as { rows: { id: number }[] }).rows.map((r) => r.id);
      await t2.database.db.execute(sql`alter table audit_entries disable trigger audit_entries_append_only`);
      await t2.database.db.execute(sql`delete from audit_entries where id = ${ids[1]!}`);
      await t2.database.db.execute(sql`alter table audit_entries enable trigger audit_entries_append_only`);
      const { broken } = await verifyAuditChain(systemContext(t2.database.db, "test"));
      expect(broken).toMatchObject({ id: ids[2], reason: "the entry before it is missing" });
    } finally {
      await t2.close();
    }
  });
});
