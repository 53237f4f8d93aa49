/**
 * The compliance case: BENCH_COMPLIANCE_MATTERS decrees (100) × BENCH_COMPLIANCE_PROVISIONS
 * provisions (1000) × BENCH_COMPLIANCE_PERIODS periods (20) of ratings in a database of their own
 * (bench/load-compliance.ts); it times the per-decree dashboard and the all-decrees roll-up
 * (BENCH_COMPLIANCE_REQUESTS requests each, 200, over BENCH_COMPLIANCE_CONNECTIONS connections, 1).
 */
import { killChild } from "../harness/cleanup.js";
import { type Engine, engineDatabase, NO_POSTGRES } from "../harness/engines.js";
import { log } from "../harness/log.js";
import { startServer } from "../harness/start-server.js";
import { timeRequests } from "../harness/timing.js";

/** The case's size and requests. */
const COMPLIANCE = {
  matters: Number(process.env.BENCH_COMPLIANCE_MATTERS ?? 100),
  provisions: Number(process.env.BENCH_COMPLIANCE_PROVISIONS ?? 1000),
  periods: Number(process.env.BENCH_COMPLIANCE_PERIODS ?? 20),
  requests: Number(process.env.BENCH_COMPLIANCE_REQUESTS ?? 200),
  connections: Number(process.env.BENCH_COMPLIANCE_CONNECTIONS ?? 1),
};

/**
 * The compliance case: 100 decrees × 1,000 provisions × 20 periods of ratings (2,000,000) with
 * their roll-ups, loaded by set-based SQL into a database of its own; then the per-decree
 * dashboard and the all-decrees roll-up, against the raw scans the roll-ups spare.
 */
export async function benchCompliance(engine: Engine) {
  const env = await engineDatabase(engine, "compliance");
  if (!env) return NO_POSTGRES;
  const { matters, provisions, periods, requests, connections } = COMPLIANCE;
  log(
    `${engine}: compliance: loading ${matters} decrees × ${provisions} provisions × ${periods} periods of ratings`,
  );
  const server = await startServer(
    {
      ...env,
      BENCH_MATTERS: String(matters),
      BENCH_EVENTS_PER_MATTER: "0",
      BENCH_EXTRA_MATTERS: "1",
      BENCH_DOCUMENTS: "0",
      BENCH_COMPLIANCE_MATTERS: String(matters),
      BENCH_COMPLIANCE_PROVISIONS: String(provisions),
      BENCH_COMPLIANCE_PERIODS: String(periods),
    },
    60 * 60_000,
  );
  try {
    log(`${engine}: compliance: loaded ${JSON.stringify(server.compliance)}`);
    const all = (await (
      await fetch(`${server.base}/api/v1/compliance`, { headers: { authorization: server.authorization } })
    ).json()) as {
      matters: { matter: { id: string; slug: string } }[];
    };
    const decrees = all.matters.map((m) => m.matter);
    if (!decrees.length) throw new Error("GET /api/v1/compliance lists no decree");
    log(`${engine}: compliance: per-decree dashboard, ${requests} requests at ${connections} connection(s)`);
    const matterDashboard = await timeRequests(
      server,
      decrees.map((d) => `/api/v1/matters/${d.slug}/compliance`),
      requests,
      connections,
    );
    log(`${engine}: compliance: dashboard ${JSON.stringify(matterDashboard)}`);
    const allDecrees = await timeRequests(server, ["/api/v1/compliance"], requests, connections);
    log(`${engine}: compliance: all decrees ${JSON.stringify(allDecrees)}`);
    const rawMatter = await timeRequests(
      server,
      decrees.map((d) => `/bench/compliance-raw/${d.id}`),
      Math.min(50, requests),
      1,
    );
    const rawAll = await timeRequests(server, ["/bench/compliance-raw-all"], Math.min(10, requests), 1);
    log(`${engine}: compliance: raw scans ${JSON.stringify({ rawMatter, rawAll })}`);
    return {
      dataset: server.compliance,
      settings: {
        requests,
        connections,
        note: "latency from send to last byte, after 10 untimed warm-up requests",
      },
      matterDashboard,
      allDecrees,
      rawScan: {
        /** One decree's counts per period, level, topic and section, counted from its ratings. */
        matterCounts: rawMatter,
        /** Every decree's latest period by topic and level, counted from the ratings. */
        allDecreesByTopic: rawAll,
      },
      targets: {
        matterDashboardP95Under50ms:
          matterDashboard.p95 < 50 && matterDashboard.non2xx + matterDashboard.errors === 0,
        allDecreesP95Under100ms: allDecrees.p95 < 100 && allDecrees.non2xx + allDecrees.errors === 0,
        allDecreesFasterThanRawScan: allDecrees.p95 < rawAll.p50,
      },
    };
  } finally {
    await killChild(server.child);
  }
}
