import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/open.js";
import { PGliteInWorker } from "../src/db/pglite-worker.js";
import { queryOne, queryRows } from "../src/db/sql.js";

// The embedded database only (scripts/test.sh leaves it out of the PostgreSQL run): PGlite in a
// worker thread (db/pglite-worker.ts), as `accord serve` opens it. The rest of the suite runs on
// it too (test/helpers.ts); this file checks what the others take for granted.
describe("the embedded database in a worker thread", () => {
  let root: string;
  let database: Database;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "accord-pglite-worker-"));
    database = await openDatabase({
      pgliteDir: join(root, "db"),
      pgliteWorker: true,
      pgliteSharedBuffers: "16MB",
    });
    await database.db.execute(sql`create table t (id int primary key, v text not null)`);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("is started with the server's parameters", async () => {
    const row = await queryOne<{ shared_buffers: string }>(database.db, sql`show shared_buffers`);
    expect(row?.shared_buffers).toBe("16MB");
  });

  it("keeps a database error's SQLSTATE and constraint, through Drizzle's wrapping", async () => {
    await database.db.execute(sql`insert into t values (1, 'one')`);
    const error = await database.db.execute(sql`insert into t values (1, 'again')`).catch((e: unknown) => e);
    const cause = (error as { cause?: Record<string, unknown> }).cause;
    expect(cause).toMatchObject({ code: "23505", constraint: "t_pkey", table: "t" });
    expect(String(cause?.message)).toMatch(/duplicate key/);
  });

  it("commits a transaction whole, and rolls one back whole when its callback throws", async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into t values (2, 'two')`);
      await tx.execute(sql`insert into t values (3, 'three')`);
    });
    const thrown = new Error("changed my mind");
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into t values (4, 'four')`);
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    // A failed statement aborts the transaction, which rolls back whole (a savepoint inside
    // it, as Drizzle's nested transactions do, recovers).
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into t values (5, 'five')`);
        await tx
          .transaction(async (inner) => inner.execute(sql`insert into t values (1, 'dup')`))
          .catch(() => {});
        await tx.execute(sql`insert into t values (6, 'six')`);
        await tx.execute(sql`insert into t values (2, 'dup')`);
      }),
    ).rejects.toMatchObject({ cause: { code: "23505" } });
    const ids = await queryRows<{ id: number }>(database.db, sql`select id from t order by id`);
    expect(ids.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it("leaves the server's thread free while a long statement runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    try {
      await database.db.execute(sql`select count(*) from generate_series(1, 1500000) g, md5(g::text) m`);
    } finally {
      clearInterval(timer);
    }
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThan(100);
    // A statement on this thread would have let no tick through until it ended.
    expect(ticks).toBeGreaterThan(Math.max(5, ms / 10 / 4));
  }, 60_000);

  it("keeps what was committed once closed, and refuses queries after closing", async () => {
    const dir = join(root, "reopened");
    const first = await openDatabase({ pgliteDir: dir, pgliteWorker: true });
    await first.db.execute(sql`create table kept (v text)`);
    await first.db.execute(sql`insert into kept values ('still here')`);
    await first.close();
    const refused = await first.db.execute(sql`select 1`).catch((e: unknown) => e);
    expect(String((refused as { cause?: Error }).cause?.message)).toMatch(/closed/);
    const again = await openDatabase({ pgliteDir: dir, pgliteWorker: true });
    try {
      expect(await queryOne<{ v: string }>(again.db, sql`select v from kept`)).toEqual({ v: "still here" });
    } finally {
      await again.close();
    }
  }, 120_000);

  it("says when its thread stops unasked (a crash), and not when it is closed", async () => {
    const closed = await openDatabase({ pgliteWorker: true });
    const lostOnClose = closed.lost?.then(() => "lost");
    expect(lostOnClose).toBeDefined();
    await closed.close();
    expect(await Promise.race([lostOnClose, new Promise((r) => setTimeout(() => r("not lost"), 200))])).toBe(
      "not lost",
    );

    const crashing = await PGliteInWorker.open({});
    const running = crashing.query("select count(*) from generate_series(1, 1000000)");
    await crashing.kill();
    expect(String(await crashing.lost)).toMatch(/thread has stopped/);
    await expect(running).rejects.toThrow(/thread has stopped/);
    await expect(crashing.query("select 1")).rejects.toThrow(/thread has stopped/);
  }, 60_000);
});
