import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../src/context/app-error.js";
import { PGLITE_SEARCH_ROUND_MS, SearchGate } from "../src/modules/search/index.js";
import {
  asAnotherRequest,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
} from "./helpers.js";
import { seeded } from "./seeded.js";

/**
 * Searches under load: a bounded queue in front of the search statement and a time limit on it,
 * both answered 503 with Retry-After (see modules/search/limits.ts). The limits here are small so
 * that each case is reached on purpose, and large enough that a normal search on a busy machine
 * keeps well within them.
 */
const LIMITS = { statementTimeoutMs: 1500, concurrency: 1, queue: 1 };

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ publicRead: true, searchLimits: LIMITS });
  const place = await buildJurisdiction(t.app, { name: "Springfield", stateCode: "IL" });
  await buildMatter(t.app, {
    jurisdictionId: place.id,
    title: "Springfield consent decree",
    summary: "Requires body cameras and crisis intervention teams.",
    openedOn: "2016-03-01",
    public: true,
  });
});
afterAll(async () => {
  await t?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every search its own text, so none is answered from the read cache. */
let n = 0;
const searchUrl = () => `/api/v1/search?q=${encodeURIComponent(`cameras -zz${++n}`)}`;

/** Holds the gate's one slot until `release` is called, as a long search would. */
function holdGate(gate: SearchGate) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const done = gate.run(() => held);
  return { release, done };
}

describe(`search limits (${ENGINE})`, () => {
  beforeEach(async () => {
    await expect.poll(() => t.app.searchGate.running).toBe(0);
  });

  it("answers a normal search as before, in its turn", async () => {
    const res = await t.app.inject(searchUrl());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: { title: string }) => i.title)).toEqual(["Springfield consent decree"]);
    // The turn is handed back once the event loop has had its own turn.
    await expect.poll(() => t.app.searchGate.running).toBe(0);
    expect(t.app.searchGate.waiting).toBe(0);
  });

  it("answers 503 with Retry-After at once when the queue is full, and serves the one waiting", async () => {
    const gate = t.app.searchGate;
    const shed = gate.shed;
    const hold = holdGate(gate);
    const waiting = t.app.inject(searchUrl());
    // The first search waits its turn; the queue (of one) is then full.
    await expect.poll(() => gate.waiting).toBe(1);
    const t0 = performance.now();
    const refused = await t.app.inject(searchUrl());
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({ status: 503, code: "search_busy" });
    expect(refused.json().detail).toMatch(/busy with other searches.*Try again/);
    expect(gate.shed).toBe(shed + 1);
    hold.release();
    await hold.done;
    const served = await waiting;
    expect(served.statusCode, served.body).toBe(200);
    expect(served.json().total).toBe(1);
  });

  it("answers 503 to a search that waited past the time limit for its turn", async () => {
    const gate = t.app.searchGate;
    const hold = holdGate(gate);
    const waiting = t.app.inject(searchUrl());
    await expect.poll(() => gate.waiting).toBe(1);
    await sleep(LIMITS.statementTimeoutMs + 200);
    hold.release();
    await hold.done;
    const res = await waiting;
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(res.json()).toMatchObject({ code: "search_busy" });
    expect(res.json().detail).toMatch(/waited more than 1\.5 s/);
    // The next search is served.
    expect((await t.app.inject(searchUrl())).statusCode).toBe(200);
  });

  it("answers 503 search_timeout when the statement runs over the limit, and frees its turn", async () => {
    // A write holds the pages locked: the search statement waits for it past the time limit.
    // PostgreSQL cancels it (statement_timeout counts lock waits); PGlite, which runs one
    // transaction at a time, answers when the limit passes and drops the statement's result.
    let res: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    const t0 = performance.now();
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table document_pages in access exclusive mode`);
      res = await asAnotherRequest(() => t.app.inject(searchUrl()));
    });
    const elapsed = performance.now() - t0;
    expect(res?.statusCode, res?.body).toBe(503);
    expect(res?.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(Number(res?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(res?.json()).toMatchObject({ status: 503, code: "search_timeout" });
    expect(res?.json().detail).toMatch(/took longer than 1\.5 s and was stopped/);
    expect(elapsed).toBeGreaterThanOrEqual(LIMITS.statementTimeoutMs - 50);
    expect(elapsed).toBeLessThan(LIMITS.statementTimeoutMs + 5000);
    // The turn comes back once the statement has ended; searches are served again.
    await expect.poll(() => t.app.searchGate.running).toBe(0);
    const next = await t.app.inject(searchUrl());
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().total).toBe(1);
  });

  it("drops a waiting search whose client went away, unrun", async () => {
    const gate = new SearchGate(ENGINE, { statementTimeoutMs: 10_000, concurrency: 1, queue: 10 });
    const hold = holdGate(gate);
    const gone = new AbortController();
    let ran = false;
    const dropped = gate
      .run(async () => {
        ran = true;
      }, gone.signal)
      .catch((e: unknown) => e);
    const kept = gate.run(async () => "served");
    gone.abort();
    hold.release();
    await hold.done;
    expect(await kept).toBe("served");
    expect(await dropped).toBeInstanceOf(AppError);
    expect(ran).toBe(false);
    expect(gate.abandoned).toBe(1);
  });

  it("lets other work run between queued searches that each hold the thread (as PGlite's do)", async () => {
    const gate = new SearchGate("pglite", { statementTimeoutMs: 10_000, concurrency: 1, queue: 10 });
    const order: string[] = [];
    /** A search whose statement holds the thread for 30 ms, as a PGlite statement does. */
    const blocking = (name: string) =>
      gate.run(async () => {
        await Promise.resolve();
        const until = performance.now() + 30;
        while (performance.now() < until) {}
        order.push(name);
      });
    const searches = ["a", "b", "c", "d"].map(blocking);
    // Another request's work, due at once: it must not wait for the whole queue.
    const other = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push("other");
        resolve();
      }, 0),
    );
    await Promise.all([...searches, other]);
    // At most two searches before it (a timer waits for the loop's next round); all four without the hand-over.
    expect(order.indexOf("other")).toBeLessThanOrEqual(2);
    expect(order.filter((o) => o !== "other")).toEqual(["a", "b", "c", "d"]);
  });

  /**
   * A PGlite gate on a clock of the test's own: `clock` is the time, `busy` the event loop's busy
   * time, and each search of `searches` moves the clock on by `runMs`, as a statement holding the
   * thread would. Returns the order the searches ran in and what each answered.
   */
  async function rounds(options: {
    waiting: number;
    runMs: number;
    otherBusyMs: number;
    statementTimeoutMs?: number;
  }) {
    let clock = 0;
    let busy = 0;
    const gate = new SearchGate(
      "pglite",
      { statementTimeoutMs: options.statementTimeoutMs ?? 60_000, concurrency: 1, queue: 100 },
      () => clock,
      () => busy,
    );
    const hold = holdGate(gate);
    const order: number[] = [];
    const answers = Array.from({ length: options.waiting }, (_, k) =>
      gate
        .run(async () => {
          order.push(k);
          clock += options.runMs;
          busy += options.runMs;
          return "served";
        })
        .catch((e: unknown) => (e instanceof AppError ? e.code : String(e))),
    );
    expect(gate.waiting).toBe(options.waiting);
    hold.release();
    await hold.done;
    // The rest of this round of the event loop: other requests' work before the searches' turn.
    clock += options.otherBusyMs;
    busy += options.otherBusyMs;
    const answered = await Promise.all(answers);
    await expect.poll(() => gate.running).toBe(0);
    return { gate, order, answered };
  }

  it("on PGlite hands one search the turn a round while little else runs", async () => {
    const { gate, order, answered } = await rounds({ waiting: 6, runMs: 30, otherBusyMs: 2 });
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(answered).toEqual(Array(6).fill("served"));
    expect(gate.mostInRound).toBe(1);
    expect(gate.rounds).toBe(6);
  });

  it("on PGlite hands several searches the turn in a round, in order, for as long as other work took", async () => {
    // 100 ms of other work: searches of 30 ms start at 0, 30, 60 and 90 ms of the round.
    const { gate, order, answered } = await rounds({ waiting: 6, runMs: 30, otherBusyMs: 100 });
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(answered).toEqual(Array(6).fill("served"));
    expect(gate.mostInRound).toBe(4);
    // The next round had no other work since: the two left went one a round.
    expect(gate.rounds).toBe(3);
    expect(gate.shed).toBe(0);
  });

  it(`on PGlite gives searches no more than ${PGLITE_SEARCH_ROUND_MS} ms of a round, however busy the rest`, async () => {
    const { gate, order } = await rounds({ waiting: 60, runMs: 30, otherBusyMs: 10_000 });
    expect(order).toEqual(Array.from({ length: 60 }, (_, k) => k));
    expect(gate.mostInRound).toBe(Math.ceil(PGLITE_SEARCH_ROUND_MS / 30));
  });

  it("on PGlite refuses a search past its deadline within a round, and serves the others", async () => {
    // Queued at 0 with 100 ms to wait: the fifth would start at 120 ms of the round.
    const { gate, order, answered } = await rounds({
      waiting: 6,
      runMs: 30,
      otherBusyMs: 1000,
      statementTimeoutMs: 1090,
    });
    // The hold ends at 0, the round starts at 1000; searches start at 1000, 1030, 1060, 1090.
    expect(order).toEqual([0, 1, 2, 3]);
    expect(answered).toEqual(["served", "served", "served", "served", "search_busy", "search_busy"]);
    expect(gate.shed).toBe(2);
  });

  it("lets other work run between rounds of searches that each hold the thread, in a real event loop", async () => {
    // The gate's clock and the loop's busy time count this test's own work only (the test app's
    // background work, or a busy machine, would change the rounds at random).
    let busy = 0;
    const hold = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {}
      busy += ms;
    };
    const gate = new SearchGate(
      "pglite",
      { statementTimeoutMs: 10_000, concurrency: 1, queue: 100 },
      () => busy,
      () => busy,
    );
    const order: string[] = [];
    const blocking = (name: string) =>
      gate.run(async () => {
        await Promise.resolve();
        hold(20);
        order.push(name);
      });
    const searches = Array.from({ length: 30 }, (_, k) => blocking(`s${k}`));
    // Other work due every 5 ms, each holding the thread 40 ms, while the searches wait.
    let others = 0;
    const other = setInterval(() => {
      hold(40);
      order.push(`o${others++}`);
    }, 5);
    await Promise.all(searches);
    clearInterval(other);
    const firstSearches = order.slice(0, order.indexOf("s29") + 1);
    // Searches in order; none waits for the whole queue of others, nor the others for all searches.
    expect(firstSearches.filter((o) => o.startsWith("s"))).toEqual(
      Array.from({ length: 30 }, (_, k) => `s${k}`),
    );
    let run = 0;
    let longest = 0;
    for (const o of firstSearches) {
      run = o.startsWith("s") ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    // Two 20 ms searches (three on a slow machine) a 40 ms of other work; never the queue in one go.
    expect(longest).toBeGreaterThanOrEqual(2);
    expect(longest).toBeLessThanOrEqual(4);
    expect(gate.mostInRound).toBeGreaterThanOrEqual(2);
  });

  it("keeps the turn until the hand-over: a search that comes in the meantime waits at the gate, where its deadline applies", async () => {
    // On PGlite a search runs within its request's callback; requests read in the same poll phase
    // after it ended must queue here, not run at once (the reverted gate gave the turn back at the
    // search's end: no search ever waited at the gate, and floods timed out in the sockets).
    const gate = new SearchGate("pglite", { statementTimeoutMs: 10_000, concurrency: 1, queue: 10 });
    const order: string[] = [];
    await gate.run(async () => {
      order.push("a");
    });
    expect(gate.running).toBe(1);
    const b = gate.run(async () => {
      order.push("b");
    });
    expect(gate.waiting).toBe(1);
    expect(order).toEqual(["a"]);
    await b;
    expect(order).toEqual(["a", "b"]);
    await expect.poll(() => gate.running).toBe(0);
  });

  it("on PGlite serves waiters in order within their deadline, refuses the rest, and never hangs (random runs)", async () => {
    const seen = { mostInRound: 0, shed: 0, abandoned: 0, served: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const draw = seeded(seed);
      const int = (lo: number, hi: number) => lo + Math.floor(draw() * (hi - lo + 1));
      let clock = 0;
      let busy = 0;
      const limits = { statementTimeoutMs: int(50, 400), concurrency: 1, queue: int(1, 12) };
      const gate = new SearchGate(
        "pglite",
        limits,
        () => clock,
        () => busy,
      );
      const runs: { k: number; queued: number; started: number }[] = [];
      const answers: Promise<string>[] = [];
      let refusedAtOnce = 0;
      const searches = int(10, 40);
      for (let k = 0; k < searches; ) {
        // A batch of searches read in one poll phase, then the loop turns.
        for (let b = int(1, 6); b > 0 && k < searches; b--, k++) {
          const queued = clock;
          const runMs = int(0, 80);
          const gone = new AbortController();
          if (draw() < 0.1) setImmediate(() => gone.abort());
          const full = gate.running >= limits.concurrency && gate.waiting >= limits.queue;
          if (full) refusedAtOnce++;
          const id = k;
          answers.push(
            gate
              .run(async () => {
                runs.push({ k: id, queued, started: clock });
                clock += runMs;
                busy += runMs;
                return "served";
              }, gone.signal)
              .catch((e: unknown) => (e instanceof AppError ? e.code : `unexpected ${String(e)}`)),
          );
        }
        // Other requests' work in this turn of the loop.
        const other = int(0, 150);
        clock += other;
        busy += other;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answered = await Promise.all(answers);
      await expect.poll(() => gate.running).toBe(0);
      expect(gate.waiting).toBe(0);
      const seedNote = `seed ${seed}`;
      expect(
        answered.every((a) => a === "served" || a === "search_busy"),
        seedNote,
      ).toBe(true);
      // Served in the order they came, each within its deadline, each once.
      expect(
        runs.map((r) => r.k),
        seedNote,
      ).toEqual([...runs.map((r) => r.k)].sort((a, b) => a - b));
      for (const r of runs)
        expect(r.started - r.queued, seedNote).toBeLessThanOrEqual(limits.statementTimeoutMs);
      expect(answered.filter((a) => a === "served").length, seedNote).toBe(runs.length);
      // Every refusal is counted: a full queue or a deadline (shed), or a client gone (abandoned).
      expect(gate.shed + gate.abandoned, seedNote).toBe(answered.length - runs.length);
      expect(gate.shed, seedNote).toBeGreaterThanOrEqual(refusedAtOnce);
      seen.mostInRound = Math.max(seen.mostInRound, gate.mostInRound);
      seen.shed += gate.shed;
      seen.abandoned += gate.abandoned;
      seen.served += runs.length;
    }
    // The draws reach every case: several searches in a round, refusals of each kind, searches served.
    expect(seen.mostInRound).toBeGreaterThan(1);
    expect(seen.shed).toBeGreaterThan(0);
    expect(seen.abandoned).toBeGreaterThan(0);
    expect(seen.served).toBeGreaterThan(100);
  });

  it("cancels a statement over the limit on PostgreSQL, and refuses it on PGlite while it waits", async () => {
    const gate = new SearchGate(ENGINE, { statementTimeoutMs: 200, concurrency: 1, queue: 1 });
    const t0 = performance.now();
    const error = await gate
      .read(t.database.db, (db) =>
        ENGINE === "postgres"
          ? db.execute(sql`select pg_sleep(3)`)
          : // PGlite: the statement waits behind a transaction that holds the database for 1 s.
            (async () => {
              const holder = t.database.db.transaction(async () => sleep(1000));
              const read = db.execute(sql`select 1`);
              await holder;
              return read;
            })(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("search_timeout");
    expect((error as AppError).details.headers?.["retry-after"]).toBe("1");
    expect(performance.now() - t0).toBeLessThan(ENGINE === "postgres" ? 2500 : 1000);
  });
});
