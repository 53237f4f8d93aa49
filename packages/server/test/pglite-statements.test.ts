import { PGlite, type QueryOptions, types } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/open.js";
import { isCachedRead, type PreparedStatements, usePreparedStatements } from "../src/db/pglite-statements.js";
import { PGliteInWorker } from "../src/db/pglite-worker.js";
import { queryRows } from "../src/db/sql.js";

// The embedded database only: PGlite's reads through named prepared statements
// (db/pglite-statements.ts) answer as PGlite's own `query` does.
const keep = (value: string) => value;
const DRIZZLE: QueryOptions = {
  rowMode: "array",
  parsers: { [types.TIMESTAMPTZ]: keep, [types.DATE]: keep, 1182: keep },
};

/** What a rejected promise carried: the error's own fields, without the stack. */
const failure = async (run: () => Promise<unknown>) => {
  const e = (await run().then(
    () => null,
    (error: unknown) => error,
  )) as Record<string, unknown> | null;
  if (!e) return null;
  const fields: Record<string, unknown> = { ...e, message: e.message, name: e.name };
  delete fields.stack;
  return fields;
};

describe("named prepared statements on PGlite", () => {
  let pg: PGlite;
  let plain: PGlite;
  let cache: PreparedStatements;
  const setup = `
    create table t (id int primary key, v text not null, at timestamptz not null, day date,
      tags text[] not null default '{}', n numeric, j jsonb);
    insert into t select i, 'v' || i, timestamptz '2026-01-01 00:00Z' + i * interval '1 hour',
      date '2026-01-01' + i, array['a', 'b' || i], i / 3.0, jsonb_build_object('i', i)
      from generate_series(1, 50) i;`;
  beforeAll(async () => {
    pg = await PGlite.create();
    plain = await PGlite.create();
    await pg.exec(setup);
    await plain.exec(setup);
    cache = usePreparedStatements(pg, 3);
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await plain?.close();
  });

  it("keeps only single reads with parameters", () => {
    expect(isCachedRead("select 1")).toBe(true);
    expect(isCachedRead("  WITH x as (select 1) select * from x")).toBe(true);
    expect(isCachedRead("with x as (delete from t returning id) select * from x")).toBe(false);
    expect(isCachedRead("insert into t values ($1)")).toBe(false);
    expect(isCachedRead("set work_mem = '4MB'")).toBe(false);
  });

  it("answers as query does, rows, fields and types, and reuses the statement", async () => {
    const statements = [
      ["select * from t where id = any($1::int[]) order by id", [[3, 7, 11]]],
      [
        "select id, at, day, tags, n, j from t where at >= $1 and v like $2 order by id",
        ["2026-01-02T00:00:00Z", "v1%"],
      ],
      ["select count(*)::int as n, max(day) as d from t where id > $1", [10]],
      ["select id from t where id = $1 and v = $2", [5, "none"]],
    ] as const;
    for (const options of [DRIZZLE, { rowMode: "object" } as QueryOptions, undefined])
      for (const [sql, params] of statements.slice(0, 3)) {
        const expected = await plain.query(sql, [...params], options);
        for (let i = 0; i < 7; i++) expect(await pg.query(sql, [...params], options)).toEqual(expected);
      }
    expect(cache.stats.prepared).toBe(3);
    expect(cache.stats.reused).toBe(3 * 3 * 7 - 3);
    const [sql, params] = statements[3];
    expect(await pg.query(sql, [...params])).toEqual(await plain.query(sql, [...params]));
    expect(cache.stats.evicted).toBe(1);
    expect(cache.count).toBe(3);
    // The evicted statement is closed on the server with the next Parse.
    await pg.query(statements[0][0], [...statements[0][1]]);
    const names = await pg.query<{ name: string }>("select name from pg_prepared_statements");
    expect(names.rows).toHaveLength(3);
  });

  it("fails with query's error, code and detail, and keeps working", async () => {
    for (const [sql, params] of [
      ["select * from nowhere where id = $1", [1]],
      ["select id from t where id = $1::int", ["not a number"]],
      ["select 1 / (id - $1) from t where id = $1", [4]],
      ["select * from t where id = $1; select 2", [1]],
    ] as const) {
      const expected = await failure(() => plain.query(sql, [...params]));
      expect(expected).not.toBeNull();
      expect(await failure(() => pg.query(sql, [...params]))).toEqual(expected);
      expect(await failure(() => pg.query(sql, [...params]))).toEqual(expected);
    }
    expect((await pg.query("select v from t where id = $1", [2])).rows).toEqual([{ v: "v2" }]);
  });

  it("answers right inside transactions, and a statement parsed in one that rolls back stays", async () => {
    const sql = "select v from t where id = $1";
    await pg
      .transaction(async (tx) => {
        await tx.query("update t set v = 'changed' where id = 9");
        expect((await tx.query(sql, [9])).rows).toEqual([{ v: "changed" }]);
        await tx.rollback();
      })
      .catch(() => {});
    expect((await pg.query(sql, [9])).rows).toEqual([{ v: "v9" }]);
    const prepared = await pg.query<{ n: number }>(
      "select count(*)::int as n from pg_prepared_statements where statement = $1",
      [sql],
    );
    expect(prepared.rows).toEqual([{ n: 1 }]);
    // An aborted transaction refuses the read as it would refuse query's.
    // An aborted transaction refuses the read as it refuses query's, a known statement or a new one.
    const refused: unknown[] = [];
    await pg
      .transaction(async (tx) => {
        await tx.query("select 1 / 0").catch(() => {});
        refused.push(await failure(() => tx.query(sql, [9])));
        refused.push(await failure(() => tx.query("select v, id from t where id = $1", [9])));
      })
      .catch(() => {});
    expect(refused).toMatchObject([{ code: "25P02" }, { code: "25P02" }]);
    expect((await pg.query(sql, [9])).rows).toEqual([{ v: "v9" }]);
  });

  it("answers right when the table changes between two executions", async () => {
    const sql = "select * from t where id = $1";
    const before = await pg.query(sql, [1]);
    expect(before.fields.map((f) => f.name)).toEqual(["id", "v", "at", "day", "tags", "n", "j"]);
    for (const db of [pg, plain]) await db.exec("alter table t add column extra int not null default 7");
    // PostgreSQL refuses a cached plan whose columns changed: the statement is parsed again.
    const after = await pg.query(sql, [1]);
    expect(after).toEqual(await plain.query(sql, [1]));
    expect(after.fields.map((f) => f.name)).toContain("extra");
    // A new index: same answer, the plan is made again by PostgreSQL itself.
    for (const db of [pg, plain]) await db.exec("create index t_v on t (v)");
    const byV = "select id from t where v = $1";
    for (let i = 0; i < 8; i++) await pg.query(byV, ["v3"]);
    for (const db of [pg, plain]) await db.exec("update t set v = 'x' where id = 3");
    expect(await pg.query(byV, ["x"])).toEqual(await plain.query(byV, ["x"]));
  });
});

describe("named prepared statements in the embedded database's thread", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ pgliteWorker: true, pglitePrepared: true });
    await database.db.execute(sql`create table w (id int primary key, v text not null)`);
    await database.db.execute(sql`insert into w select i, 'v' || i from generate_series(1, 20) i`);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  const prepared = async () =>
    (
      await queryRows<{ statement: string }>(
        database.db,
        sql.raw("select statement from pg_prepared_statements"),
      )
    )
      .map((r) => r.statement)
      .filter((s) => s.includes(" w "));

  it("reads through one named statement, in and out of transactions, and forgets them on demand", async () => {
    for (let i = 1; i <= 8; i++)
      expect(await queryRows(database.db, sql`select v from w where id = ${i}`)).toEqual([{ v: `v${i}` }]);
    await database.db.transaction(async (tx) => {
      expect(await queryRows(tx, sql`select v from w where id = ${9}`)).toEqual([{ v: "v9" }]);
    });
    expect(await prepared()).toEqual(["select v from w where id = $1"]);
    const error = await queryRows(database.db, sql`select v from w where id = ${"x"}`).catch(
      (e: unknown) => e,
    );
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("22P02");
    const client = (database.db as unknown as { $client: unknown }).$client;
    expect(client).toBeInstanceOf(PGliteInWorker);
    await (client as PGliteInWorker).forgetStatements();
    expect(await prepared()).toEqual([]);
    expect(await queryRows(database.db, sql`select v from w where id = ${3}`)).toEqual([{ v: "v3" }]);
  });
});
