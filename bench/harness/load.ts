/** Load runs with autocannon: many connections for a fixed time, and the figures kept of them. */
import autocannon, { type Request as AcRequest, type Result } from "autocannon";
import { round } from "./log.js";
import type { Server } from "./start-server.js";

/** Connections of every load run. */
export const CONNECTIONS = 50;

export interface Figures {
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export const figures = (r: Result): Figures => ({
  rps: round(r.requests.average),
  p50: r.latency.p50,
  p97_5: r.latency.p97_5,
  p99: r.latency.p99,
  max: r.latency.max,
  requests: r.totalCompletedRequests ?? Math.round(r.requests.average * r.duration),
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

/** Requests that cycle through `paths`, one after the other over all connections. */
function cycling(paths: readonly string[]) {
  let i = 0;
  return [
    {
      method: "GET",
      setupRequest: (req: AcRequest) => ({ ...req, path: paths[i++ % paths.length]! }),
    },
  ];
}

export function load(server: Server, paths: readonly string[], duration: number, timeout = 10) {
  return autocannon({
    url: server.base,
    // The floors (bare, select 1) are outside the API and measured without credentials.
    headers: paths.every((p) => p.startsWith("/api/")) ? { authorization: server.authorization } : {},
    connections: CONNECTIONS,
    duration,
    timeout,
    requests: cycling(paths),
  });
}

/**
 * Requests still queued in the server when autocannon stops are served anyway (nothing cancels
 * their queries): waits until a `select 1` gets through, so that the next measurement starts on
 * an idle server, and returns how long that took.
 */
export async function drain(server: Server): Promise<number> {
  const t0 = performance.now();
  await (await fetch(`${server.base}/bench/select1`, { signal: AbortSignal.timeout(120_000) })).arrayBuffer();
  await new Promise((r) => setTimeout(r, 250));
  return Math.round(performance.now() - t0 - 250);
}
