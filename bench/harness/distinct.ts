/**
 * Requests that no cache has seen: matters-list URLs drawn from the filters, searches, sorts and
 * pages a reader of the list uses, every one different from every other (and from every URL a
 * case fetched before), so that each is computed by the server. The parameters are always written
 * in one order, so that two different URLs are two different queries (the read cache keys on the
 * parsed query).
 */
import { MATTER_KINDS, MATTER_SORT_FIELDS, MATTER_STATUSES, US_STATE_CODES } from "@accord/domain";
import { BASE_NAMES } from "../generate/bundle.js";
import { int, pick, prng, type Rand } from "../generate/random.js";

/** What a reader types in the list's search box: a town, a town and its number, an agency word. */
const WORDS = [
  "police",
  "sheriff",
  "county",
  "department",
  "investigation",
  "consent decree",
  "technical assistance",
  "task force",
  "detention center",
  "campus police",
  "grant",
  "settlement",
];
const town = (r: Rand) => pick(r, BASE_NAMES).toLowerCase();

function q(r: Rand): string | null {
  const x = r();
  if (x < 0.4) return null;
  if (x < 0.55) return town(r);
  if (x < 0.7) return `${town(r)} ${int(r, 1, 999)}`;
  if (x < 0.8) return `${town(r)} ${pick(r, ["police", "sheriff", "county"])}`;
  return pick(r, WORDS);
}

/** Up to `max` distinct items, in the order drawn. */
function some<T>(r: Rand, items: readonly T[], max: number): T[] {
  const chosen = new Set<T>();
  const n = int(r, 1, max);
  while (chosen.size < n) chosen.add(pick(r, items));
  return [...chosen];
}

/** A day from 2000 to 2024. */
const day = (r: Rand) => new Date(Date.UTC(2000, 0, 1 + int(r, 0, 9130))).toISOString().slice(0, 10);

/** One list URL of the draws `r`. */
export function listPath(r: Rand): string {
  const params: [string, string][] = [];
  const text = q(r);
  if (text) params.push(["q", text]);
  if (r() < 0.5) params.push(["kind", some(r, MATTER_KINDS, 3).join(",")]);
  if (r() < 0.15) params.push(["status", some(r, MATTER_STATUSES, 2).join(",")]);
  if (r() < 0.5) params.push(["state", some(r, US_STATE_CODES, 3).join(",")]);
  // As of a day: the portfolio picker, which few readers open (and the costliest list, see bench/README.md).
  if (r() < 0.05) params.push(["asOf", day(r)]);
  // With q and no sort the best matches come first; otherwise the list's own order.
  if (r() < 0.7) {
    const field = pick(r, MATTER_SORT_FIELDS);
    params.push(["sort", r() < 0.5 ? `-${field}` : field]);
  }
  const limit = pick(r, [20, 25, 50, 50, 50, 100]);
  params.push(["limit", String(limit)]);
  // Most readers stay on the first page; some go a few pages on.
  params.push(["offset", String(r() < 0.7 ? 0 : limit * int(r, 1, 10))]);
  return `/api/v1/matters?${new URLSearchParams(params).toString()}`;
}

/** `n` distinct list URLs of seed `seed`, none of them in `exclude`. */
export function distinctListPaths(n: number, seed: number, exclude: Iterable<string> = []): string[] {
  const r = prng(seed);
  const seen = new Set(exclude);
  const paths: string[] = [];
  for (let tries = 0; paths.length < n && tries < n * 20; tries++) {
    const p = listPath(r);
    if (seen.has(p)) continue;
    seen.add(p);
    paths.push(p);
  }
  if (paths.length < n) throw new Error(`only ${paths.length} distinct list URLs of ${n}`);
  return paths;
}
