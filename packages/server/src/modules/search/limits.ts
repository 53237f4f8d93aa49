import { sql } from "drizzle-orm";
import { appError } from "../../context/app-error.js";
import type { Queryable } from "../../db/open.js";

/**
 * How much search one server does at once, and for how long (ACCORD_STATEMENT_TIMEOUT_MS,
 * ACCORD_SEARCH_CONCURRENCY, ACCORD_SEARCH_QUEUE; see the README's configuration table).
 */
export interface SearchLimits {
  /**
   * The longest a search statement may run: PostgreSQL cancels it (statement_timeout) and the
   * search answers 503. Also the longest a search waits for its turn. PGlite cannot cancel a
   * running statement (it runs in this thread; its statement_timeout never fires): there the limit
   * bounds the wait only.
   */
  statementTimeoutMs: number;
  /** Searches run at once; the others wait their turn. */
  concurrency: number;
  /** Searches that may wait; one more is answered 503 at once rather than queued. */
  queue: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_SEARCH_QUEUE = 100;

/**
 * By engine: PGlite runs one statement at a time, so more than one search at once only moves the
 * queue into PGlite, where no deadline is checked and every other request waits behind it. On
 * PostgreSQL a few, leaving the pool's other connections to the rest of the API.
 */
export const defaultSearchConcurrency = (engine: "pglite" | "postgres") => (engine === "pglite" ? 1 : 4);

export function defaultSearchLimits(engine: "pglite" | "postgres"): SearchLimits {
  return {
    statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
    concurrency: defaultSearchConcurrency(engine),
    queue: DEFAULT_SEARCH_QUEUE,
  };
}

/** PostgreSQL's SQLSTATE of a statement cancelled by statement_timeout (or by a cancel request). */
const QUERY_CANCELED = "57014";

function isCancelled(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === QUERY_CANCELED) return true;
  }
  return false;
}

/** Seconds a client is asked to wait before it tries again: at least 1. */
const retryAfter = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export const searchTimedOut = (limits: SearchLimits) =>
  appError(
    "search_timeout",
    `This search took longer than ${limits.statementTimeoutMs / 1000} s and was stopped. Try again in a moment, or narrow it with more words or a filter`,
    { headers: { "retry-after": retryAfter(limits.statementTimeoutMs) } },
  );

const searchBusy = (limits: SearchLimits, why: string) =>
  appError("search_busy", `The server is busy with other searches (${why}). Try again in a few seconds`, {
    headers: { "retry-after": retryAfter(Math.min(limits.statementTimeoutMs, 2000)) },
  });

interface Waiter {
  deadline: number;
  /** Aborted when the client went away: the search is dropped from the queue, unrun. */
  signal: AbortSignal | undefined;
  start: () => void;
  refuse: (error: Error) => void;
}

/**
 * PGlite: the most searches may hold the thread in one round of the event loop, handed over one
 * after the other (ms). See SearchGate.
 */
export const PGLITE_SEARCH_ROUND_MS = 1000;

/** The event loop's busy time so far (ms): Node's event loop utilisation, `active`. */
const loopBusyMs = () => performance.eventLoopUtilization().active;

/**
 * A bounded queue in front of the search statement: at most `concurrency` run, at most `queue`
 * wait, each no longer than the statement time limit. What cannot wait is refused at once with
 * 503 and Retry-After (search_busy), so a burst of broad searches sheds load clearly instead of
 * piling up behind the database while every other request waits.
 *
 * On PGlite a statement runs to its end without letting the event loop turn (it is WebAssembly
 * called from promises: no timer, no I/O in between), so a search's turn is its run, and the
 * queue here is the only one searches wait in. The next search is handed the turn from the loop's
 * check phase (setImmediate), after the loop has read new requests and run them. One search a
 * round, though, let searches pass at one per round of everything else: under a mixed load, where
 * a round runs every other client's request (hundreds of ms, seconds on a busy machine), they
 * waited past the time limit for their turn and were refused. So in one round the waiting searches
 * are handed the turn one after the other for as long as the rest of the loop was busy since the
 * last round (at least one search, at most PGLITE_SEARCH_ROUND_MS): with little other work (a
 * burst of searches alone) one a round, so that a cached read or /healthz waits behind one search
 * at most; under a mixed load searches take about the time of the thread the other requests take,
 * and a request waits for a round of searches no longer than for the round of other work before.
 */
export class SearchGate {
  #running = 0;
  readonly #waiting: Waiter[] = [];
  /** Searches refused because the queue was full, or because they waited past their deadline. */
  shed = 0;
  /** Searches dropped from the queue because their client went away before their turn. */
  abandoned = 0;
  /** The longest wait for a turn and the longest run so far (ms), to see where time goes. */
  longestWaitMs = 0;
  longestRunMs = 0;
  /** PGlite: the most searches may hold the thread in one round (ms); 0: one search a round. */
  roundMs = PGLITE_SEARCH_ROUND_MS;
  /** PGlite: rounds of hand-overs so far, and the most searches handed the turn in one. */
  rounds = 0;
  mostInRound = 0;
  /** PGlite: the round of hand-overs now (its start, its length, its searches), if one runs. */
  #round: { start: number; budgetMs: number; searches: number } | undefined;
  /** PGlite: the event loop's busy time when the last round ended. */
  #busyAtRoundEnd: number;

  constructor(
    readonly engine: "pglite" | "postgres",
    readonly limits: SearchLimits = defaultSearchLimits(engine),
    readonly now: () => number = () => performance.now(),
    /** The event loop's busy time so far (ms); a test's own clock. */
    readonly busy: () => number = loopBusyMs,
  ) {
    this.#busyAtRoundEnd = busy();
  }

  /** A read statement of the search, in its turn and under the time limit. */
  read<T>(db: Queryable, read: (db: Queryable) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run((keep) => withStatementTimeout(db, this.engine, this.limits, read, keep), signal);
  }

  get running() {
    return this.#running;
  }
  get waiting() {
    return this.#waiting.length;
  }

  /**
   * Runs `search` in its turn; 503 when the queue is full or the turn comes too late. The turn
   * ends when `search` has settled and so has every promise it passed to `keep` (a statement
   * still running after its answer was sent). `signal`: the client went away; a search still
   * waiting is then dropped, unrun.
   */
  async run<T>(
    search: (keep: (work: Promise<unknown>) => void) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const queued = this.now();
    if (this.#running >= this.limits.concurrency) {
      if (this.#waiting.length >= this.limits.queue) {
        this.shed++;
        throw searchBusy(this.limits, `${this.limits.queue} searches are already waiting`);
      }
      await new Promise<void>((start, refuse) => {
        this.#waiting.push({ deadline: queued + this.limits.statementTimeoutMs, signal, start, refuse });
      });
    } else {
      this.#running++;
    }
    const started = this.now();
    this.longestWaitMs = Math.max(this.longestWaitMs, started - queued);
    const kept: Promise<unknown>[] = [];
    try {
      return await search((work) => kept.push(work.catch(() => {})));
    } finally {
      this.longestRunMs = Math.max(this.longestRunMs, this.now() - started);
      if (kept.length) void Promise.all(kept).then(() => this.#release());
      else this.#release();
    }
  }

  /**
   * Hands the turn to the next waiter still within its deadline, after the event loop has had a
   * turn of its own (setImmediate). Handed over at once, from the promise that ended the last
   * search, the next search would start in the same microtask run, and so on to the end of the
   * queue: on PGlite, where each statement holds this thread, no request would be read, no cached
   * answer sent and no timer fired until every queued search had run. The deadlines are checked
   * here, at the hand-over, not by timers, for the same reason. On PGlite, within a round (see the
   * class), the turn is handed over at once while the round has time left.
   */
  #release() {
    if (this.engine === "pglite" && this.#round && this.#waiting.length) {
      if (this.now() - this.#round.start < this.#round.budgetMs) {
        this.#handOver();
        return;
      }
    }
    this.#endRound();
    setImmediate(() => this.#startRound());
  }

  #startRound() {
    if (this.engine === "pglite" && this.#waiting.length) {
      const otherMs = this.busy() - this.#busyAtRoundEnd;
      this.#round = {
        start: this.now(),
        budgetMs: Math.min(this.roundMs, Math.max(0, otherMs)),
        searches: 0,
      };
      this.rounds++;
    }
    this.#handOver();
  }

  #endRound() {
    if (this.engine !== "pglite") return;
    this.#round = undefined;
    this.#busyAtRoundEnd = this.busy();
  }

  #handOver() {
    const now = this.now();
    for (let next = this.#waiting.shift(); next; next = this.#waiting.shift()) {
      if (next.signal?.aborted) {
        this.abandoned++;
        next.refuse(searchBusy(this.limits, "the client went away"));
        continue;
      }
      if (next.deadline >= now) {
        if (this.#round) this.mostInRound = Math.max(this.mostInRound, ++this.#round.searches);
        next.start();
        return;
      }
      this.shed++;
      next.refuse(
        searchBusy(
          this.limits,
          `it waited more than ${this.limits.statementTimeoutMs / 1000} s for its turn`,
        ),
      );
    }
    this.#running--;
    this.#endRound();
  }
}

/**
 * Runs a read statement of the search under the time limit. On PostgreSQL in a read-only
 * transaction with `SET LOCAL statement_timeout`: the server cancels the statement when the limit
 * passes (lock waits included) and the search answers 503 search_timeout. PGlite never checks its
 * statement_timeout (no timer interrupts WebAssembly): there the answer is 503 search_timeout when
 * the limit passes while the statement waits for the database (behind a long write's
 * transaction), and the statement, which cannot be taken back, runs when its turn comes, its
 * result dropped. A statement already running holds this thread to its end: no timer fires
 * until then, and its answer is sent, late. The caller's slot (see SearchGate) is held until the
 * statement has really ended either way.
 */
export async function withStatementTimeout<T>(
  db: Queryable,
  engine: "pglite" | "postgres",
  limits: SearchLimits,
  read: (db: Queryable) => Promise<T>,
  /** Told of a statement that may outlive its answer (PGlite, after a 503). */
  keep: (work: Promise<unknown>) => void = () => {},
): Promise<T> {
  if (engine === "postgres") {
    try {
      return await db.transaction(
        async (tx) => {
          await tx.execute(sql.raw(`set local statement_timeout = ${Math.ceil(limits.statementTimeoutMs)}`));
          return read(tx);
        },
        { accessMode: "read only" },
      );
    } catch (e) {
      if (isCancelled(e)) throw searchTimedOut(limits);
      throw e;
    }
  }
  const running = read(db);
  keep(running);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(searchTimedOut(limits)), limits.statementTimeoutMs);
  });
  try {
    return await Promise.race([running, late]);
  } finally {
    clearTimeout(timer);
  }
}
