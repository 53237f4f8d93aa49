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
  /**
   * Searches run at once; the others wait their turn. On PGlite the most that may be in the
   * database at once (waiting in its queue or running): one while the database has little other
   * work, more only as other requests' statements fill its queue (see SearchGate).
   */
  concurrency: number;
  /** Searches that may wait; one more is answered 503 at once rather than queued. */
  queue: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_SEARCH_QUEUE = 100;

/**
 * By engine. PGlite runs one statement at a time: a search in its queue cannot be shed and every
 * other request waits behind it, so one at a time while the database is otherwise idle, and up to
 * four while other requests keep its queue long (SearchGate: each search then mostly waits its
 * turn among theirs, as any request does). On PostgreSQL a few, leaving the pool's other
 * connections to the rest of the API.
 */
export const defaultSearchConcurrency = (_engine: "pglite" | "postgres") => 4;

/**
 * On PGlite, one more search may be in the database for each this many milliseconds that a search
 * recently waited there for other requests' statements: a search adds its own run (tens of ms) to
 * a wait that is already several of these.
 */
export const PGLITE_SEARCH_SLICE_MS = 100;
/** Weight of the latest search's wait in the running average of the waits. */
const WAIT_WEIGHT = 0.25;

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

/** What a search is told of its turn. */
export interface Turn {
  /** A statement that may outlive the answer (PGlite, after a 503): the turn ends with it. */
  keep(work: Promise<unknown>): void;
  /** The statement's turn in the database has come (PGlite: its transaction began). */
  started(): void;
}

/**
 * A bounded queue in front of the search statement: at most `concurrency` run, at most `queue`
 * wait, each no longer than the statement time limit. What cannot wait is refused at once with
 * 503 and Retry-After (search_busy), so a burst of broad searches sheds load clearly instead of
 * piling up behind the database while every other request waits.
 *
 * On PGlite, which runs one statement at a time in the order they come, an admitted search
 * waits in the database's queue behind every other request's statements before it runs. With one
 * search admitted at a time, its turn was held for that whole wait: under a mixed load (a queue of
 * many requests) searches passed at a fraction of the rate the database could run them, and
 * waited seconds for their turn. So the gate measures how long each search waited in the
 * database for work other than searches (from its admission to its transaction's start, less
 * the searches that ran meanwhile) and admits one more search for every PGLITE_SEARCH_SLICE_MS of
 * that wait (running average), up to `concurrency`: a search then waits among the other requests
 * as they do. With little other work (a burst of searches alone) one at a time, so that a probe or
 * a cached read waits behind one search at most and the queue sheds what cannot wait.
 */
export class SearchGate {
  #running = 0;
  readonly #waiting: Waiter[] = [];
  /** PGlite: running average of a search's wait in the database for other requests' statements (ms). */
  #othersWaitMs = 0;
  /** PGlite: the searches' own running time so far (ms), from their turn to their statement's end. */
  #searchWorkMs = 0;
  /** Searches refused because the queue was full, or because they waited past their deadline. */
  shed = 0;
  /** Searches dropped from the queue because their client went away before their turn. */
  abandoned = 0;
  /** The longest wait for a turn and the longest run so far (ms), to see where time goes. */
  longestWaitMs = 0;
  longestRunMs = 0;

  constructor(
    readonly engine: "pglite" | "postgres",
    readonly limits: SearchLimits = defaultSearchLimits(engine),
    readonly now: () => number = () => performance.now(),
  ) {}

  /** A read statement of the search, in its turn and under the time limit. */
  read<T>(db: Queryable, read: (db: Queryable) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run((turn) => withStatementTimeout(db, this.engine, this.limits, read, turn), signal);
  }

  get running() {
    return this.#running;
  }
  get waiting() {
    return this.#waiting.length;
  }
  /** How many searches may run at once now (on PGlite, by the database's recent queue). */
  get limit() {
    if (this.engine === "postgres") return this.limits.concurrency;
    const extra = Math.floor(this.#othersWaitMs / PGLITE_SEARCH_SLICE_MS);
    return Math.max(1, Math.min(this.limits.concurrency, 1 + extra));
  }

  /**
   * Runs `search` in its turn; 503 when the queue is full or the turn comes too late. The turn
   * ends when `search` has settled and so has every promise it passed to `turn.keep` (a statement
   * still running after its answer was sent). `signal`: the client went away; a search still
   * waiting is then dropped, unrun.
   */
  async run<T>(search: (turn: Turn) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const queued = this.now();
    if (this.#running >= this.limit || this.#waiting.length) {
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
    const admitted = this.now();
    this.longestWaitMs = Math.max(this.longestWaitMs, admitted - queued);
    const workBefore = this.#searchWorkMs;
    let startedAt: number | null = null;
    const kept: Promise<unknown>[] = [];
    const turn: Turn = {
      keep: (work) => kept.push(work.catch(() => {})),
      started: () => {
        if (startedAt !== null) return;
        startedAt = this.now();
        const others = Math.max(0, startedAt - admitted - (this.#searchWorkMs - workBefore));
        this.#othersWaitMs += WAIT_WEIGHT * (others - this.#othersWaitMs);
        // A longer queue in the database may let more searches in at once.
        if (this.#waiting.length && this.#running < this.limit) this.#release(false);
      },
    };
    const ended = () => {
      const end = this.now();
      if (startedAt !== null) this.#searchWorkMs += end - startedAt;
      this.longestRunMs = Math.max(this.longestRunMs, end - admitted);
      this.#release(true);
    };
    try {
      return await search(turn);
    } finally {
      if (kept.length) void Promise.all(kept).then(ended);
      else ended();
    }
  }

  /**
   * Hands the turn over to the next waiters still within their deadline, as many as the limit
   * lets in, after the event loop has had a turn of its own (setImmediate). Handed over at once,
   * from the promise that ended the last search, the next search would start in the same
   * microtask run, and so on to the end of the queue: on PGlite, where each statement holds this
   * thread, no request would be read, no cached answer sent and no timer fired until every queued
   * search had run. The deadlines are checked here, at the hand-over, not by timers, for the same
   * reason. `ended`: a search gave its turn back.
   */
  #release(ended: boolean) {
    if (ended) this.#running--;
    setImmediate(() => this.#handOver());
  }

  #handOver() {
    const now = this.now();
    while (this.#running < this.limit) {
      const next = this.#waiting.shift();
      if (!next) return;
      if (next.signal?.aborted) {
        this.abandoned++;
        next.refuse(searchBusy(this.limits, "the client went away"));
        continue;
      }
      if (next.deadline >= now) {
        this.#running++;
        next.start();
        continue;
      }
      this.shed++;
      next.refuse(
        searchBusy(
          this.limits,
          `it waited more than ${this.limits.statementTimeoutMs / 1000} s for its turn`,
        ),
      );
    }
  }
}

/**
 * Runs a read statement of the search under the time limit. On PostgreSQL in a read-only
 * transaction with `SET LOCAL statement_timeout`: the server cancels the statement when the limit
 * passes (lock waits included) and the search answers 503 search_timeout. PGlite never checks its
 * statement_timeout (no timer interrupts WebAssembly): there the answer is 503 search_timeout when
 * the limit passes while the statement waits for the database (behind a long write's
 * transaction, or other requests' statements), and the statement, which cannot be taken back,
 * runs when its turn comes, its result dropped. A statement already running holds this thread to
 * its end: no timer fires until then, and its answer is sent, late. The caller's slot (see
 * SearchGate) is held until the statement has really ended either way. On PGlite the statement
 * runs in a transaction of its own, whose start tells the gate that the search's turn in the
 * database has come (`turn.started`): PGlite begins a transaction in the order of its queue.
 */
export async function withStatementTimeout<T>(
  db: Queryable,
  engine: "pglite" | "postgres",
  limits: SearchLimits,
  read: (db: Queryable) => Promise<T>,
  /** Told of a statement that may outlive its answer (PGlite, after a 503) and of its start. */
  turn: Turn = { keep: () => {}, started: () => {} },
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
  const running = db.transaction(async (tx) => {
    turn.started();
    return read(tx);
  });
  turn.keep(running);
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
