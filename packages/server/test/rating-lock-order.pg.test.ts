import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { lockMatterRatings } from "../src/modules/compliance/rollups.js";
import { buildMatter, buildTestApp, type TestApp } from "./helpers.js";

/**
 * A rating write and an edit of the same matter take their locks in one order. The edit locks the
 * matter's row and then moves the matter's compliance generation; a rating write used to move
 * that generation first and key-share the matter's row later, and the two deadlocked (the mixed
 * bench case: "deadlock detected", a 500). Now the rating write's first lock waits for the
 * edit's row lock, before it holds anything the edit needs. PostgreSQL only: PGlite runs one
 * transaction at a time, so nothing there can wait on a row.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** What the backend `pid` waits for now (pg_stat_activity), polled until `want` or 10 s. */
async function waitEventOf(pid: number, want: string) {
  let seen: string | null = null;
  for (let i = 0; i < 200 && seen !== want; i++) {
    const row = await queryOne<{ waiting: string | null }>(
      t.database.db,
      sql`select wait_event_type as waiting from pg_stat_activity where pid = ${pid}`,
    );
    seen = row?.waiting ?? null;
    if (seen !== want) await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

describe("rating writes and matter edits lock in one order (postgres)", () => {
  it("a rating write's first lock waits while an edit holds the matter's row", async () => {
    const m = await buildMatter(t.app, { title: "Lock order matter" });
    const { db } = t.database;

    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const rowLocked = new Promise<void>((r) => {
      locked = r;
    });
    // The edit: the matter's row locked, as PATCH /matters/:key locks it, and kept until released.
    const edit = db.transaction(async (tx) => {
      await tx.execute(sql`select id from matters where id = ${m.id} for update`);
      locked();
      await held;
    });
    await rowLocked;

    let ratingPid!: (pid: number) => void;
    const pid = new Promise<number>((r) => {
      ratingPid = r;
    });
    let lockedRatings = false;
    const rating = db.transaction(async (tx) => {
      const me = await queryOne<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
      ratingPid(me!.pid);
      await lockMatterRatings(tx, m.id);
      lockedRatings = true;
    });

    // The rating write waits on the row lock (a heavyweight lock), holding nothing yet.
    expect(await waitEventOf(await pid, "Lock")).toBe("Lock");
    expect(lockedRatings).toBe(false);
    const advisory = await queryOne<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = ${await pid} and granted`,
    );
    expect(advisory!.n).toBe(0);

    release();
    await edit;
    await rating;
    expect(lockedRatings).toBe(true);
  });
});
