/**
 * The mixed case (issue 18, target 2): BENCH_MIXED_USERS virtual users (50) for
 * BENCH_MIXED_DURATION seconds (60), each sending one request after another over distinct URLs:
 * matters lists, matter pages, searches, dashboards and jurisdiction pages (and portfolios), and
 * one request in ten a write that changes the data as a person would, so that the read caches are
 * emptied as they would be: a matter edited with If-Match (after reading it), a rating saved with
 * If-Match, and now and then a document uploaded. Bounded in time (and so in requests), on
 * 127.0.0.1. It reports the latencies of all requests and of each kind, the errors, the read
 * cache's hits and misses (the bench-only /bench/cache), the CPU time per request and the load.
 */
import { BASE_NAMES } from "../generate/bundle.js";
import { CONTENT_WORDS } from "../generate/documents.js";
import { int, pick, prng, type Rand } from "../generate/random.js";
import { killChild } from "../harness/cleanup.js";
import { listPath } from "../harness/distinct.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { log, round } from "../harness/log.js";
import { meter } from "../harness/meter.js";
import { SEED } from "../harness/settings.js";
import { type Server, startServer } from "../harness/start-server.js";
import { percentile } from "../harness/timing.js";

export const MIXED = {
  users: Number(process.env.BENCH_MIXED_USERS ?? 50),
  durationSeconds: Number(process.env.BENCH_MIXED_DURATION ?? 60),
  /** Matters with compliance data (provisions × periods rated), whose ratings the writes save again. */
  complianceMatters: 20,
  provisions: 50,
  periods: 4,
};

/** Reads by weight; writes are one request in ten (WRITE_SHARE). */
const READS = [
  ["list", 30],
  ["matter", 25],
  ["search", 15],
  ["dashboard", 10],
  ["jurisdiction", 10],
  ["portfolio", 10],
] as const;
const WRITE_SHARE = 0.1;
/** Of the writes: edits, rating saves, uploads. */
const WRITES = [
  ["edit", 55],
  ["rating", 40],
  ["upload", 5],
] as const;

type Kind = (typeof READS)[number][0] | (typeof WRITES)[number][0] | "editRead";

const weighted = <T extends string>(r: Rand, items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
};

const dayOf = (r: Rand) => new Date(Date.UTC(2000, 0, 1 + int(r, 0, 9130))).toISOString().slice(0, 10);

interface Slugs {
  matters: string[];
  jurisdictions: string[];
}

/**
 * Every URL a read asks is new: a set remembers them and a draw that repeats one is drawn again
 * (up to a hundred times: a thousand jurisdiction pages can run out, and the repeat then shows
 * among the read cache's hits).
 */
function readPath(r: Rand, kind: (typeof READS)[number][0], slugs: Slugs, seen: Set<string>): string {
  for (let tries = 0; ; tries++) {
    let path: string;
    switch (kind) {
      case "list":
        path = listPath(r);
        break;
      case "matter":
        path = `/api/v1/matters/${pick(r, slugs.matters)}${r() < 0.2 ? `?asOf=${dayOf(r)}` : ""}`;
        break;
      case "search": {
        const words = [pick(r, CONTENT_WORDS), pick(r, CONTENT_WORDS), pick(r, BASE_NAMES).toLowerCase()];
        const q = r() < 0.5 ? words[0]! : r() < 0.5 ? `${words[0]} ${words[1]}` : `${words[2]} ${words[0]}`;
        path = `/api/v1/search?q=${encodeURIComponent(q)}&limit=20${r() < 0.5 ? "" : `&offset=${int(r, 1, 5) * 20}`}`;
        break;
      }
      case "dashboard":
        path = `/api/v1/dashboard?asOf=${dayOf(r)}`;
        break;
      case "jurisdiction":
        path = `/api/v1/jurisdictions/${pick(r, slugs.jurisdictions)}`;
        break;
      case "portfolio":
        path = `/api/v1/jurisdictions/${pick(r, slugs.jurisdictions)}/portfolio?asOf=${dayOf(r)}`;
        break;
    }
    if (!seen.has(path) || tries >= 100) {
      seen.add(path);
      return path;
    }
  }
}

interface Rating {
  provisionId: string;
  periodId: string;
  level: string;
  version: number;
}

const LEVELS = ["not_in_compliance", "preliminary", "secondary", "full"];

/**
 * For development only: BENCH_MIXED_ATTACH, a JSON `{ base, authorization, writerAuthorization,
 * pid, databaseUrl? }`, runs the case against a bench server already serving a filled database
 * (so that a change is measured without a new import; the writes of earlier runs stay in it).
 */
function attached(): { server: Server; env: Record<string, string> } | null {
  const raw = process.env.BENCH_MIXED_ATTACH;
  if (!raw) return null;
  const a = JSON.parse(raw) as {
    base: string;
    authorization: string;
    writerAuthorization: string;
    pid: number;
    databaseUrl?: string;
  };
  return {
    server: { ...a, child: { pid: a.pid } } as unknown as Server,
    env: a.databaseUrl ? { BENCH_DATABASE_URL: a.databaseUrl } : {},
  };
}

export async function benchMixed(engine: Engine) {
  const attach = attached();
  const env = attach?.env ?? (await engineDatabase(engine, "mixed"));
  if (!env) return NO_POSTGRES;
  const { users, durationSeconds } = MIXED;
  log(`${engine}: mixed: loading the registry and compliance data`);
  const server =
    attach?.server ??
    (await startServer(
      {
        ...env,
        BENCH_EXTRA_MATTERS: "1",
        BENCH_COMPLIANCE_PROVISIONS: String(MIXED.provisions),
        BENCH_COMPLIANCE_MATTERS: String(MIXED.complianceMatters),
        BENCH_COMPLIANCE_PERIODS: String(MIXED.periods),
      },
      30 * 60_000,
    ));
  try {
    const get = async <T>(path: string, authorization = server.authorization) => {
      const res = await fetch(server.base + path, { headers: { authorization } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<T>;
    };
    const slugs: Slugs = { matters: [], jurisdictions: [] };
    for (let offset = 0; ; offset += 500) {
      const page = await get<{ items: { slug: string }[]; total: number }>(
        `/api/v1/jurisdictions?limit=500&offset=${offset}`,
      );
      slugs.jurisdictions.push(...page.items.map((j) => j.slug));
      if (offset + 500 >= page.total) break;
    }
    for (let offset = 0; ; offset += 500) {
      const page = await get<{ items: { slug: string }[]; total: number }>(
        `/api/v1/matters?limit=500&offset=${offset}&sort=title`,
      );
      slugs.matters.push(...page.items.map((m) => m.slug));
      if (offset + 500 >= page.total) break;
    }
    const ratings = await get<Rating[]>(`/bench/ratable?n=${users * 40}`);

    const times: Record<string, number[]> = {};
    let non2xx = 0;
    let errors = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const deadline = performance.now() + durationSeconds * 1000;
    const metered = await meter(server, env.BENCH_DATABASE_URL);
    const t0 = performance.now();

    /** Per kind: answers from the read cache, computed by a route that keeps them, and by one that keeps none. */
    const cacheUse: Record<string, { hits: number; misses: number; withoutCache: number }> = {};
    const took = (kind: Kind, ms: number, cache?: string | null) => {
      const list = times[kind] ?? [];
      list.push(ms);
      times[kind] = list;
      const use = cacheUse[kind] ?? { hits: 0, misses: 0, withoutCache: 0 };
      if (cache === "hit") use.hits++;
      else if (cache === "miss") use.misses++;
      else if (cache !== "failed") use.withoutCache++;
      cacheUse[kind] = use;
    };
    const timed = async (kind: Kind, path: string, init: RequestInit = {}) => {
      const start = performance.now();
      try {
        const res = await fetch(server.base + path, {
          ...init,
          headers: { authorization: server.authorization, ...(init.headers as Record<string, string>) },
          signal: AbortSignal.timeout(30_000),
        });
        const body = await res.text();
        took(kind, performance.now() - start, res.headers.get("x-bench-cache"));
        if (!res.ok) {
          non2xx++;
          if (failures.length < 10)
            failures.push(`${init.method ?? "GET"} ${path}: ${res.status} ${body.slice(0, 200)}`);
          return null;
        }
        return { body, etag: res.headers.get("etag") };
      } catch (e) {
        took(kind, performance.now() - start, "failed");
        errors++;
        if (failures.length < 10) failures.push(`${init.method ?? "GET"} ${path}: ${String(e)}`);
        return null;
      }
    };
    const writer = { authorization: server.writerAuthorization, "content-type": "application/json" };

    // Each user writes only its own matters and ratings, so that no two users race for a version.
    const user = async (u: number) => {
      const r = prng(SEED * 1000 + u);
      const own = slugs.matters.filter((_, k) => k % users === u);
      const ownRatings = ratings.filter((_, k) => k % users === u);
      let uploads = 0;
      while (performance.now() < deadline) {
        if (r() >= WRITE_SHARE) {
          const kind = weighted(r, READS);
          await timed(kind, readPath(r, kind, slugs, seen));
          continue;
        }
        const kind = weighted(r, WRITES);
        if (kind === "edit") {
          // Read the matter for its version, then change its status note with If-Match.
          const slug = pick(r, own);
          const read = await timed("editRead", `/api/v1/matters/${slug}`);
          if (!read?.etag) continue;
          await timed("edit", `/api/v1/matters/${slug}`, {
            method: "PATCH",
            headers: { ...writer, "if-match": read.etag },
            body: JSON.stringify({ statusNote: `bench edit ${u}-${int(r, 0, 1e9)}` }),
          });
        } else if (kind === "rating" && ownRatings.length) {
          const rating = pick(r, ownRatings);
          const level = pick(
            r,
            LEVELS.filter((l) => l !== rating.level),
          );
          const saved = await timed(
            "rating",
            `/api/v1/provisions/${rating.provisionId}/ratings/${rating.periodId}/monitor`,
            {
              method: "PUT",
              headers: { ...writer, "if-match": `"${rating.version}"` },
              body: JSON.stringify({ level, rationale: `bench rating ${u}` }),
            },
          );
          if (saved) {
            const body = JSON.parse(saved.body) as { version: number; level: string };
            rating.version = body.version;
            rating.level = body.level;
          }
        } else {
          const form = new FormData();
          const text = `Bench upload ${u}-${uploads++}-${int(r, 0, 1e9)}.\n\n${Array.from({ length: 200 }, () => pick(r, CONTENT_WORDS)).join(" ")}\n`;
          form.append("file", new Blob([text], { type: "text/plain" }), `bench-${u}-${uploads}.txt`);
          form.append("kind", "other");
          await timed("upload", `/api/v1/matters/${pick(r, own)}/documents`, {
            method: "POST",
            headers: { authorization: server.writerAuthorization },
            body: form,
          });
        }
      }
    };
    log(`${engine}: mixed: ${users} users for ${durationSeconds} s`);
    await Promise.all(Array.from({ length: users }, (_, u) => user(u)));
    const seconds = (performance.now() - t0) / 1000;
    const all = Object.values(times).flat();
    const m = await metered(all.length);

    const stats = (t: number[]) => {
      const sorted = [...t].sort((a, b) => a - b);
      return {
        requests: t.length,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
        max: round(sorted.at(-1) ?? 0),
      };
    };
    const overall = stats(all);
    const writes = ["edit", "rating", "upload"].reduce((n, k) => n + (times[k]?.length ?? 0), 0);
    const reads = all.length - writes;
    const lookups = m.readCache.hits + m.readCache.misses;
    const p95Limit = engine === "postgres" ? 250 : null;
    const p99Limit = engine === "postgres" ? 500 : 1000;
    const result = {
      settings: {
        users,
        durationSeconds,
        host: "127.0.0.1",
        reads: Object.fromEntries(READS),
        writeShare: WRITE_SHARE,
        writes: Object.fromEntries(WRITES),
        note: "every read a URL asked once in the run (lists, matter pages, searches, dashboards and portfolios as of distinct days, jurisdiction pages); an edit reads its matter first (editRead) for the If-Match version; writes empty the read cache as any write does",
      },
      seconds: round(seconds),
      rps: round(all.length / seconds),
      reads,
      writes,
      ...overall,
      non2xx,
      errors,
      failures,
      /** Per kind: its latencies, and how its answers were made (the bench server's x-bench-cache header). */
      byKind: Object.fromEntries(
        Object.entries(times).map(([k, t]) => [k, { ...stats(t), cache: cacheUse[k] }]),
      ),
      /** The reads' answers: from the read cache (hits) or computed (misses); the cached share in words. */
      readCache: {
        ...m.readCache,
        cachedShare: round(m.readCache.hits / Math.max(1, lookups), 3),
        /** Reads of routes that keep no cached answer (jurisdiction pages): always computed. */
        readsWithoutCache: Math.max(0, reads - lookups),
        note: "hits are answers a write had not yet invalidated and a read had asked before (a matter page read again for an edit, a jurisdiction page asked again): every other read is computed",
      },
      serverCpuMsPerRequest: m.serverCpuMsPerRequest,
      databaseCpuMsPerRequest: m.databaseCpuMsPerRequest,
      loadAverage: m.loadAverage,
      ...(m.statements ? { statements: m.statements } : {}),
      targets: {
        ...(p95Limit ? { [`p95AtMost${p95Limit}ms`]: overall.p95 <= p95Limit } : {}),
        [`p99AtMost${p99Limit}ms`]: overall.p99 <= p99Limit,
        noErrors: non2xx + errors === 0,
      },
    };
    log(`${engine}: mixed ${JSON.stringify({ ...result, settings: undefined })}`);
    return result;
  } finally {
    if (!attach) await killChild(server.child);
  }
}
