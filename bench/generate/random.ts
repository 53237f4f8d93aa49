/**
 * Seeded random draws shared by the generators (the same seed always gives the same draws), and
 * the dates made of them.
 */

/** mulberry32: small, fast and good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
export function weighted<T>(r: Rand, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Picks from weighted items in O(log n): the cumulative weights, searched by bisection. */
export function weightedPicker<T>(items: readonly (readonly [T, number])[]): (r: Rand) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of items) {
    total += w;
    cumulative.push(total);
  }
  return (r) => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]![0];
  };
}

/** Two digits: a month, a day or an hour. */
export const pad = (n: number) => String(n).padStart(2, "0");

/** A partial date in `year`: mostly to the day, sometimes only the month or the year. */
export function partialDate(r: Rand, year: number): string {
  const precision = r();
  if (precision < 0.15) return String(year);
  const month = int(r, 1, 12);
  if (precision < 0.4) return `${year}-${pad(month)}`;
  return `${year}-${pad(month)}-${pad(int(r, 1, 28))}`;
}
