/**
 * Named prepared statements on PostgreSQL for the statements marked `kept` (sql.ts). node-postgres
 * sends every statement as the unnamed one: PostgreSQL parses, analyses and plans it again on each
 * run, and for a statement that reads a few rows by key (the caller's credential with the data
 * version, one record's detail) planning costs more than running: pg_stat_statements over LD1
 * gave 0.23 ms of planning against 0.02 ms of execution for the credential's statement, 0.6-0.7
 * against 0.1 ms for a review's or a document's detail. A kept statement is parsed once per
 * connection under a name; PostgreSQL plans it for its values the first five runs, then keeps a
 * generic plan where that costs no more (plan_cache_mode auto). Only marked statements are named:
 * a list's or a search's best plan depends on its values (generic plans made PGlite's full-text
 * lists twice as slow, pglite-statements.ts), and unnamed statements are always planned for theirs.
 *
 * Per connection (each pg.Client of the pool): at most `size` statements, the least recently used
 * closed (a Close message, sent before the connection's next statement) beyond that. A dropped
 * connection takes its statements with it (the pool's next client starts empty). PostgreSQL plans
 * a statement again when a table it reads changes; one whose result columns changed it refuses
 * ("cached plan must not change result type"): after this server's migrations every connection
 * forgets its statements, and a statement refused so (another instance migrated) is parsed again
 * and run once more when no transaction was open (inside one, the error stands: the transaction
 * is aborted). Named statements are not transactional: one parsed in a transaction that rolls
 * back stays, which is what is wanted.
 */
import type pg from "pg";

/** The mark a kept statement's text ends with (see `kept` in sql.ts). */
export const KEPT_MARK = "/* accord:kept */";

/** What the pool's connections share: bumped after migrations, so that each forgets its statements. */
export interface KeptStatementsState {
  generation: number;
  /** Counts, for tests and benches. */
  stats: { prepared: number; reused: number; closed: number; retried: number };
}

export const newKeptStatementsState = (): KeptStatementsState => ({
  generation: 0,
  stats: { prepared: 0, reused: 0, closed: 0, retried: 0 },
});

/** node-postgres's connection internals this relies on (pg 8: lib/connection.js, lib/query.js). */
interface Connection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements?: Record<string, string>;
  close(msg: { type: "S"; name: string }): void;
  on(event: "readyForQuery", listener: (msg: { status: string }) => void): void;
}

interface QueryConfig {
  text?: unknown;
  name?: unknown;
  submit?: unknown;
}

type Callback = (err: Error | null, result?: unknown) => void;

/** "cached plan must not change result type": a table's columns changed under the statement. */
const resultTypeChanged = (e: unknown) =>
  (e as { code?: string }).code === "0A000" && /result type/.test((e as Error).message);

let next = 0;

/**
 * Makes `client` run its kept statements under names of its own (at most `size`), as the module's
 * comment says. Call once per client, before its first query (the pool's "connect" event).
 */
export function keepStatements(client: pg.Client, state: KeptStatementsState, size = 100) {
  const connection = (client as unknown as { connection: Connection }).connection;
  /** Names by statement text, least recently used first (a Map keeps insertion order). */
  const names = new Map<string, string>();
  let generation = state.generation;
  /** The transaction status of the last ReadyForQuery: I idle, T in a transaction, E in a failed one. */
  let status = "I";
  connection.on("readyForQuery", (msg) => {
    status = msg.status;
  });

  const forget = (text: string) => {
    const name = names.get(text);
    if (name === undefined) return;
    names.delete(text);
    delete connection.parsedStatements[name];
    if (connection.submittedNamedStatements) delete connection.submittedNamedStatements[name];
    // Written after whole statements only (node-postgres writes each one's messages at once); a
    // statement not there is no error. Its CloseComplete goes with the next statement's answers.
    connection.close({ type: "S", name });
    state.stats.closed++;
  };
  const nameOf = (text: string) => {
    if (generation !== state.generation) {
      for (const known of [...names.keys()]) forget(known);
      generation = state.generation;
    }
    const known = names.get(text);
    if (known !== undefined) {
      names.delete(text);
      names.set(text, known);
      state.stats.reused++;
      return known;
    }
    while (names.size >= size) forget(names.keys().next().value as string);
    const name = `accord_kept_${++next}`;
    names.set(text, name);
    state.stats.prepared++;
    return name;
  };

  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const query = original as (config: unknown, values?: unknown) => Promise<unknown>;
  client.query = ((...args: unknown[]) => {
    const [config, values, callback] = args;
    const c = config as QueryConfig | null;
    const text = typeof c === "object" && c !== null ? c.text : undefined;
    if (
      typeof text !== "string" ||
      c!.name !== undefined ||
      typeof c!.submit === "function" ||
      !text.endsWith(KEPT_MARK)
    )
      return original(...args);
    let done = callback as Callback | undefined;
    let params = values;
    if (typeof values === "function") {
      done = values as Callback;
      params = undefined;
    }
    const run = () => query({ ...c, name: nameOf(text) }, params);
    const result = run().catch((e: unknown) => {
      if (!resultTypeChanged(e)) throw e;
      forget(text);
      // Inside a transaction the error has aborted it: it stands.
      if (status !== "I") throw e;
      state.stats.retried++;
      return run();
    });
    if (!done) return result;
    result.then(
      (r) => done(null, r),
      (e: Error) => done(e),
    );
    return undefined;
  }) as typeof client.query;
}
