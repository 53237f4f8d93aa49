/** Requests timed one by one from send to last byte, and the percentiles of such times. */
import { round } from "./log.js";
import type { Server } from "./start-server.js";

/** The `q` quantile (0 to 1) of ascending `sorted` times, nearest rank, rounded to 0.1 ms. */
export const percentile = (sorted: readonly number[], q: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0);

export interface Latencies {
  requests: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * `requests` GETs cycling through `paths` over `connections` connections, each timed from send to
 * the last byte (autocannon reports no 95th percentile); a few first requests warm up, untimed:
 * the first paths again, or `warmup` when given (so that no timed request was answered before).
 */
export async function timeRequests(
  server: Server,
  paths: readonly string[],
  requests: number,
  connections: number,
  warmup?: readonly string[],
) {
  const get = async (path: string) => {
    const res = await fetch(server.base + path, {
      headers: { authorization: server.authorization },
      signal: AbortSignal.timeout(120_000),
    });
    const body = await res.arrayBuffer();
    return { ok: res.ok, bytes: body.byteLength };
  };
  for (const p of warmup ?? paths.slice(0, Math.min(10, requests))) await get(p);
  const times: number[] = [];
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  let bytes = 0;
  const worker = async () => {
    for (let i = next++; i < requests; i = next++) {
      const t0 = performance.now();
      try {
        const res = await get(paths[i % paths.length]!);
        if (!res.ok) non2xx++;
        bytes = Math.max(bytes, res.bytes);
      } catch {
        errors++;
      }
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    round(times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))]!);
  const latencies: Latencies = {
    requests: times.length,
    mean: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: round(times.at(-1) ?? 0),
    non2xx,
    errors,
  };
  return { ...latencies, largestResponseBytes: bytes };
}
