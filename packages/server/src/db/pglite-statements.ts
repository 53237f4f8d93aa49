/**
 * Named prepared statements for PGlite's reads. PGlite's `query` sends every statement as the
 * unnamed one (Parse, Describe, Bind, Describe, Execute, Sync: six calls into WebAssembly), so
 * PostgreSQL parses it again each time. Here a read with parameters is parsed once under a name,
 * and each later run is one call (Bind, Execute, Sync) with the row description kept from the
 * first. It is still planned for its values each time (plan_cache_mode=force_custom_plan): the
 * generic plans PostgreSQL would otherwise switch to made the full-text lists twice as slow.
 * PostgreSQL plans a statement again when a table it reads changes; one whose columns changed
 * it refuses, and that statement is parsed anew. Each kept statement holds ~90 KB of
 * PGlite's memory (its parse trees), hence a bound of 100.
 *
 * Answers are `query`'s: the same serializers for the parameters, the same parsers and
 * `parseResults` for the rows, the same DatabaseError (code, detail…) with query and params.
 * Named statements are not transactional: one parsed in a transaction that rolls back stays.
 * Only single reads are kept (SELECT, or WITH without a write); the rest goes to `query`.
 *
 * It imports nothing of ours: the worker thread (pglite-thread.ts) bundles it.
 */
import {
  messages as backend,
  type PGlite,
  parse,
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
} from "@electric-sql/pglite";

type BackendMessage = backend.BackendMessage;
type RowDescription = backend.RowDescriptionMessage;
const { serialize } = protocol;

interface Statement {
  name: string;
  /** The parameters' types as PostgreSQL inferred them (ParameterDescription). */
  paramTypes: number[];
  /** The rows' description (Describe of the statement), null when it returns none. */
  rows: RowDescription | null;
}

/** A read this cache keeps: one SELECT, or a WITH that writes nothing. */
export function isCachedRead(sql: string): boolean {
  const head = /^\s*(select|with)\b/i.exec(sql);
  if (!head) return false;
  return head[1]?.toLowerCase() === "select" || !/\b(insert|update|delete|merge)\b/i.test(sql);
}

/** "cached plan must not change result type": a table's columns changed under the statement. */
const resultTypeChanged = (e: unknown) =>
  e instanceof backend.DatabaseError && e.code === "0A000" && /result type/.test(e.message);

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

export class PreparedStatements {
  /** By SQL text, least recently used first (a Map keeps insertion order). */
  readonly #statements = new Map<string, Statement>();
  /** Evicted statements, closed with the next Parse. */
  #toClose: string[] = [];
  #next = 0;
  /**
   * Whether plan_cache_mode is force_custom_plan in the session: a statement is planned for its
   * values each time (parsing and the calls saved), never with a generic plan, which made the
   * full-text lists twice as slow (bench/explain-list.ts: broadQRank 25 -> 40-45 ms).
   */
  #customPlans = false;
  /** PGlite's own `query`, kept before usePreparedStatements replaces it. */
  readonly #query: PGlite["query"];
  /** False: every statement goes to PGlite's `query` as before (benches compare the two). */
  enabled = true;
  /** Counts, for tests and benches. */
  readonly stats = { prepared: 0, reused: 0, evicted: 0 };

  constructor(
    readonly pg: PGlite,
    readonly size = 100,
  ) {
    this.#query = pg.query.bind(pg);
  }

  get count() {
    return this.#statements.size;
  }

  /**
   * Runs `sql` as `pg.query` (outside a transaction) or `tx.query` (inside one) would, through a
   * named statement when it is a read with parameters.
   */
  query<T>(
    sql: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
    tx?: Transaction,
  ): Promise<Results<T>> {
    // A closed database fails as query fails.
    if (
      !this.enabled ||
      !params?.length ||
      options?.blob ||
      options?.paramTypes ||
      this.pg.closed ||
      !isCachedRead(sql)
    )
      return tx ? tx.query<T>(sql, params, options) : this.#query<T>(sql, params, options);
    if (tx) {
      // The session's setting is made outside a transaction (one rolled back would undo it).
      if (!this.#customPlans) return tx.query<T>(sql, params, options);
      if (tx.closed) return Promise.reject(new Error("Transaction is closed"));
      // The transaction holds PGlite's transaction lock; a statement takes the query lock.
      return this.pg._runExclusiveQuery(() => this.#run<T>(sql, params, options, true));
    }
    return this.pg.waitReady.then(() =>
      this.pg._runExclusiveTransaction(() =>
        this.pg._runExclusiveQuery(() => this.#run<T>(sql, params, options, false)),
      ),
    );
  }

  /** Forgets every statement (after migrations: DEALLOCATE ALL). */
  async clear() {
    this.#statements.clear();
    this.#toClose = [];
    await this.pg.exec("DEALLOCATE ALL");
  }

  async #run<T>(sql: string, params: unknown[], options: QueryOptions | undefined, inTx: boolean) {
    if (!this.#customPlans) {
      await this.pg.execProtocolStream(serialize.query("set plan_cache_mode = force_custom_plan"), {
        syncToFs: false,
      });
      this.#customPlans = true;
    }
    let messages: BackendMessage[];
    let statement: Statement;
    try {
      statement = await this.#statement(sql, options);
      try {
        messages = await this.#execute(statement, params, options);
      } catch (e) {
        // The table under it changed its columns: parse again, once, when no transaction was
        // aborted by the error.
        if (!resultTypeChanged(e)) throw e;
        this.#forget(sql);
        if (inTx) throw e;
        statement = await this.#statement(sql, options);
        messages = await this.#execute(statement, params, options);
      }
    } catch (e) {
      if (e instanceof backend.DatabaseError)
        throw Object.assign(e, { query: sql, params, queryOptions: options });
      throw e;
    }
    if (!inTx) await this.pg.syncToFs();
    const all = statement.rows ? [statement.rows, ...messages] : messages;
    // parseResults spreads the instance's 318 parsers and the query's into a new object on every
    // call (0.3 ms a read, Drizzle passing parsers with each): the query's own parsers go on an
    // object whose prototype is the instance's instead, which looks them up in the same order.
    if (!options?.parsers) return parse.parseResults(all, this.pg.parsers, options)[0] as Results<T>;
    const parsers = Object.assign(Object.create(this.pg.parsers) as PGlite["parsers"], options.parsers);
    return parse.parseResults(all, parsers, { ...options, parsers: undefined })[0] as Results<T>;
  }

  #forget(sql: string) {
    const statement = this.#statements.get(sql);
    if (!statement) return;
    this.#statements.delete(sql);
    this.#toClose.push(statement.name);
  }

  async #statement(sql: string, options: QueryOptions | undefined): Promise<Statement> {
    const known = this.#statements.get(sql);
    if (known) {
      this.#statements.delete(sql);
      this.#statements.set(sql, known);
      this.stats.reused++;
      return known;
    }
    while (this.#statements.size >= this.size) {
      const oldest = this.#statements.keys().next().value as string;
      this.#forget(oldest);
      this.stats.evicted++;
    }
    const name = `accord_${++this.#next}`;
    const closing = this.#toClose;
    // Closing a statement that is not there is no error; the closes go before the Parse, so that
    // a Parse that fails (a syntax error, an aborted transaction) does not skip them.
    const messages = await this.pg.execProtocolStream(
      concat([
        ...closing.map((n) => serialize.close({ type: "S", name: n })),
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
      { syncToFs: false, ...(options?.onNotice ? { onNotice: options.onNotice } : {}) },
    );
    this.#toClose = [];
    let paramTypes: number[] = [];
    let rows: RowDescription | null = null;
    for (const m of messages) {
      if (m instanceof backend.ParameterDescriptionMessage) paramTypes = m.dataTypeIDs;
      else if (m instanceof backend.RowDescriptionMessage) rows = m;
    }
    const statement = { name, paramTypes, rows };
    this.#statements.set(sql, statement);
    this.stats.prepared++;
    return statement;
  }

  #execute(statement: Statement, params: unknown[], options: QueryOptions | undefined) {
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const oid = statement.paramTypes[i] as number;
      const serializer = options?.serializers?.[oid] ?? this.pg.serializers[oid];
      return serializer ? serializer(param) : String(param);
    });
    return this.pg.execProtocolStream(
      concat([
        serialize.bind({ statement: statement.name, values: values as (string | null)[] }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false, ...(options?.onNotice ? { onNotice: options.onNotice } : {}) },
    );
  }
}

/**
 * Makes `pg` (and the transactions it opens) run their reads through a statement cache of
 * `size` statements: its `query` and `transaction` are replaced on the instance, so Drizzle's
 * driver, which calls them, uses it. Returns the cache (the same one for an instance already set).
 */
const installed = new WeakMap<PGlite, PreparedStatements>();

export function usePreparedStatements(pg: PGlite, size = 100): PreparedStatements {
  const known = installed.get(pg);
  if (known) return known;
  const cache = new PreparedStatements(pg, size);
  installed.set(pg, cache);
  const transaction = pg.transaction.bind(pg);
  pg.query = (sql, params, options) => cache.query(sql, params, options);
  pg.transaction = (run) =>
    transaction((tx) =>
      run(
        Object.assign(Object.create(tx) as Transaction, {
          query: (sql: string, params?: unknown[], options?: QueryOptions) =>
            cache.query(sql, params, options, tx),
        }),
      ),
    );
  return cache;
}
