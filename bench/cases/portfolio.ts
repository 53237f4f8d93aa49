/**
 * The portfolio case (issue 13): BENCH_PORTFOLIO_MATTERS matters (10,000, 10 events each) and
 * BENCH_PORTFOLIO_AWARDS awards (50,000, a condition each with one to three dated changes). It
 * times, at one connection and with every request a distinct URL (no answer can come from the
 * read cache), a jurisdiction's portfolio as of a day, and the matters list as of a day beside the
 * same list shapes without one.
 */
import { killChild } from "../harness/cleanup.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { log } from "../harness/log.js";
import { startServer } from "../harness/start-server.js";
import { timeRequests } from "../harness/timing.js";

const PORTFOLIO = {
  matters: Number(process.env.BENCH_PORTFOLIO_MATTERS ?? 10_000),
  awards: Number(process.env.BENCH_PORTFOLIO_AWARDS ?? 50_000),
  requests: Number(process.env.BENCH_PORTFOLIO_REQUESTS ?? 300),
};
const WARMUP = 10;

/** The k-th day from 2000-01-01: distinct days make distinct requests. */
const dayOf = (k: number) => new Date(Date.UTC(2000, 0, 1 + k)).toISOString().slice(0, 10);

const KINDS = ["consent_decree", "pattern_or_practice_investigation", "technical_assistance", "grant"];
const STATES = ["MD,IL,CA", "TX,NY,FL", "PA,OH,GA", "WA,AZ,LA", "MI,NC,VA"];

/** The n-th list query of a fixed set of shapes, every one different (kind, states, page). */
const listPath = (n: number) =>
  `/api/v1/matters?kind=${KINDS[n % KINDS.length]}&state=${STATES[Math.floor(n / KINDS.length) % STATES.length]}` +
  `&sort=-openedOn&limit=50&offset=${Math.floor(n / (KINDS.length * STATES.length)) * 50}`;

export async function benchPortfolio(engine: Engine) {
  const env = await engineDatabase(engine, "portfolio");
  if (!env) return NO_POSTGRES;
  const { matters, awards, requests } = PORTFOLIO;
  log(`${engine}: portfolio: loading ${matters} matters and ${awards} awards with conditions`);
  const server = await startServer(
    {
      ...env,
      BENCH_MATTERS: String(matters),
      BENCH_AWARDS: String(awards),
      BENCH_EXTRA_MATTERS: "1",
      BENCH_DOCUMENTS: "0",
    },
    30 * 60_000,
  );
  try {
    const get = async (path: string) => {
      const res = await fetch(server.base + path, { headers: { authorization: server.authorization } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ items: { slug: string }[]; total: number }>;
    };
    const slugs: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await get(`/api/v1/jurisdictions?limit=500&offset=${offset}`);
      slugs.push(...page.items.map((j) => j.slug));
      if (offset + 500 >= page.total) break;
    }
    const n = requests + WARMUP;
    // Every request its own place and day; the warm-up ones are never timed nor asked again.
    const portfolioPaths = Array.from(
      { length: n },
      (_, k) => `/api/v1/jurisdictions/${slugs[(k * 7919) % slugs.length]}/portfolio?asOf=${dayOf(k * 9)}`,
    );
    const plainPaths = Array.from({ length: n }, (_, k) => listPath(k));
    const asOfPaths = Array.from({ length: n }, (_, k) => `${listPath(k)}&asOf=${dayOf(k * 13)}`);
    // Filtering on the status of the day needs every match's status: reported, with no target.
    const asOfStatusPaths = Array.from(
      { length: n },
      (_, k) => `${listPath(k)}&status=active,open,awarded&asOf=${dayOf(k * 17)}`,
    );
    const timed = async (name: string, paths: string[]) => {
      log(`${engine}: portfolio: ${name}, ${requests} distinct requests at 1 connection`);
      const figures = await timeRequests(server, paths.slice(WARMUP), requests, 1, paths.slice(0, WARMUP));
      log(`${engine}: portfolio: ${name} ${JSON.stringify(figures)}`);
      return figures;
    };
    const portfolio = await timed("portfolio as of a day", portfolioPaths);
    const plainList = await timed("list", plainPaths);
    const asOfList = await timed("list as of a day", asOfPaths);
    const asOfStatusList = await timed("list as of a day, filtered by that day's status", asOfStatusPaths);
    const p95Limit = engine === "postgres" ? 50 : 100;
    const clean = (f: { non2xx: number; errors: number }) => f.non2xx + f.errors === 0;
    return {
      dataset: { matters, awards, jurisdictions: slugs.length, import: server.imported },
      settings: {
        requests,
        connections: 1,
        note: "every request a distinct URL (place × day, or list shape × page × day): none is a cached answer; latency from send to last byte, after 10 untimed warm-up requests of other URLs",
        examples: {
          portfolio: portfolioPaths[WARMUP],
          list: plainPaths[WARMUP],
          asOfList: asOfPaths[WARMUP],
          asOfStatusList: asOfStatusPaths[WARMUP],
        },
      },
      portfolio,
      plainList,
      asOfList,
      asOfStatusList,
      targets: {
        [`portfolioP95Under${p95Limit}ms`]: portfolio.p95 < p95Limit && clean(portfolio),
        [`asOfListP95Under${p95Limit}ms`]: asOfList.p95 < p95Limit && clean(asOfList),
        asOfListWithin2xPlainList: asOfList.p95 <= 2 * plainList.p95 && clean(asOfList),
      },
    };
  } finally {
    await killChild(server.child);
  }
}
