import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/open.js";
import { KEPT_MARK, keepStatements, newKeptStatementsState } from "../src/db/pg-statements.js";
import { kept, queryOne, queryRows } from "../src/db/sql.js";
import { openTestDatabase } from "./helpers.js";

/**
 * Named prepared statements on PostgreSQL for the statements marked `kept` (db/pg-statements.ts):
 * the same answers, a bound per connection, and a statement that survives what happens to its
 * connection and its tables. PostgreSQL only (vitest.config.ts leaves this file out otherwise).
 */
let database: Database;
let url: string;
const clients: pg.Client[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  const { rows } = (await database.db.execute(sql`select current_database() as name`)) as unknown as {
    rows: { name: string }[];
  };
  const target = new URL(process.env.TEST_DATABASE_URL!);
  target.pathname = `/${rows[0]!.name}`;
  url = target.toString();
});
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  await database.close();
});

/** A client of its own whose kept statements are bounded by `size`. */
async function keptClient(size = 100) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The last test ends every other connection to the database, these included.
  client.on("error", () => {});
  clients.push(client);
  const state = newKeptStatementsState();
  keepStatements(client, state, size);
  const run = async <T>(text: string, values: unknown[] = []) =>
    (await client.query<T & pg.QueryResultRow>({ text: `${text} ${KEPT_MARK}` }, values)).rows;
  const prepared = async () =>
    Number(
      (await client.query<{ n: string }>("select count(*) as n from pg_prepared_statements")).rows[0]!.n,
    );
  return { client, state, run, prepared };
}

describe("kept statements on PostgreSQL", () => {
  it("parse a kept statement once per connection and give the same answers", async () => {
    const { state, run, prepared } = await keptClient();
    for (let k = 0; k < 20; k++) {
      expect(await run<{ n: number }>("select $1::int + 1 as n", [k])).toEqual([{ n: k + 1 }]);
    }
    expect(state.stats).toMatchObject({ prepared: 1, reused: 19 });
    expect(await prepared()).toBe(1);
  });

  it("leave statements without the mark unnamed, through the database as through a client", async () => {
    const before = { ...database.keptStatements!.stats };
    expect(await queryOne(database.db, sql`select ${3}::int as n`)).toEqual({ n: 3 });
    expect(database.keptStatements!.stats).toEqual(before);
    expect(await queryOne(database.db, kept(sql`select ${4}::int as n`))).toEqual({ n: 4 });
    expect(database.keptStatements!.stats.prepared + database.keptStatements!.stats.reused).toBe(
      before.prepared + before.reused + 1,
    );
  });

  it("keep at most `size` statements a connection, closing the least recently used", async () => {
    const { state, run, prepared } = await keptClient(3);
    for (let k = 0; k < 6; k++)
      expect(await run<{ n: number }>(`select $1::int * ${k} as n`, [2])).toEqual([{ n: 2 * k }]);
    expect(state.stats.closed).toBe(3);
    expect(await prepared()).toBe(3);
    // One closed before is parsed again.
    expect(await run<{ n: number }>("select $1::int * 0 as n", [5])).toEqual([{ n: 0 }]);
    expect(await prepared()).toBe(3);
  });

  it("parse again and run once more a statement whose table changed its columns", async () => {
    const { state, run, client } = await keptClient();
    await client.query("create table kept_t (id int primary key, a text)");
    await client.query("insert into kept_t values (1, 'x')");
    expect(await run("select * from kept_t where id = $1", [1])).toEqual([{ id: 1, a: "x" }]);
    await client.query("alter table kept_t add column b int default 7");
    expect(await run("select * from kept_t where id = $1", [1])).toEqual([{ id: 1, a: "x", b: 7 }]);
    expect(state.stats.retried).toBe(1);
    // Inside a transaction the error stands (it aborted the transaction); after it, all is well.
    await client.query("alter table kept_t drop column b");
    await client.query("begin");
    await expect(run("select * from kept_t where id = $1", [1])).rejects.toMatchObject({ code: "0A000" });
    await client.query("rollback");
    expect(await run("select * from kept_t where id = $1", [1])).toEqual([{ id: 1, a: "x" }]);
  });

  it("keep a statement parsed in a transaction that rolled back, and survive a failed bind", async () => {
    const { run, client, state } = await keptClient();
    await client.query("begin");
    expect(await run("select $1::uuid as id", ["00000000-0000-0000-0000-000000000001"])).toHaveLength(1);
    await client.query("rollback");
    await expect(run("select $1::uuid as id", ["not a uuid"])).rejects.toMatchObject({ code: "22P02" });
    expect(await run("select $1::uuid as id", ["00000000-0000-0000-0000-000000000002"])).toEqual([
      { id: "00000000-0000-0000-0000-000000000002" },
    ]);
    expect(state.stats.prepared).toBe(1);
  });

  it("forget every statement after migrations, and start anew on a new connection", async () => {
    const db = database.db;
    const stats = database.keptStatements!.stats;
    for (let k = 0; k < 5; k++) await queryOne(db, kept(sql`select ${k}::int as n, 'migrations' as t`));
    const closed = stats.closed;
    await database.migrate();
    expect(await queryOne(db, kept(sql`select ${9}::int as n, 'migrations' as t`))).toEqual({
      n: 9,
      t: "migrations",
    });
    expect(stats.closed).toBeGreaterThan(closed);
    // Every connection of the pool ended under it: the next ones prepare their own.
    await db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const rows = await queryRows<{ n: number }>(
      db,
      kept(sql`select n from generate_series(1, ${3}::int) n`),
    ).catch(() => queryRows<{ n: number }>(db, kept(sql`select n from generate_series(1, ${3}::int) n`)));
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
  });
});
