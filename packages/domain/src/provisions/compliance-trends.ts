import { formatPartialDate } from "../partial-date.js";
import type { ComplianceLevel, Forecast, MOVEMENTS } from "./compliance.js";
import { addSpan } from "./deadlines.js";

/*
 * What the compliance views compute from ratings: how a provision moved between two periods,
 * when a decree may reach full compliance at its pace (with its uncertainty said in words), and
 * how long a provision has held its sustainment level. Pure: the server reads, this computes.
 */

// ---------------------------------------------------------------- movement

export type Movement = (typeof MOVEMENTS)[number];

/** How a provision moved between two ratings (undefined: no rating, or a level that is no rating). */
export function movementOf(
  from: ComplianceLevel | undefined,
  to: ComplianceLevel | undefined,
): Movement | null {
  const f = from?.rated ? from.normalized : null;
  const t = to?.rated ? to.normalized : null;
  if (f === null && t === null) return null;
  if (f === null) return "newly_rated";
  if (t === null) return "no_longer_rated";
  return t > f ? "improved" : t < f ? "backslid" : "unchanged";
}

// ---------------------------------------------------------------- dates

const YEAR_MS = 365.2425 * 24 * 3600 * 1000;
const toYears = (date: string) => Date.parse(`${date}T00:00:00Z`) / YEAR_MS + 1970;
const fromYears = (years: number) => new Date((years - 1970) * YEAR_MS).toISOString().slice(0, 10);
/** "2031-05-17" → "May 2031". */
const monthOf = (date: string) => formatPartialDate(date.slice(0, 7));

/** The date `years` after `date` (in whole months: 1.5 years is 18 months). */
export const addYears = (date: string, years: number) =>
  addSpan(date, { n: Math.round(years * 12), unit: "month" });

// ---------------------------------------------------------------- forecast

/** Two-sided 95% quantiles of Student's t by degrees of freedom (1–30); 1.96 beyond. */
const T95 = [
  12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Points a forecast needs: two define a line but say nothing of how well it fits. */
export const FORECAST_MIN_PERIODS = 3;

const points = (x: number) => `${Math.abs(Math.round(x * 1000) / 10)}`;

/**
 * When full compliance would be reached at the current pace: a least-squares line through (period
 * end, share of rated provisions at full compliance), extended to 100%. Its uncertainty is the
 * slope's 95% range (standard error × Student's t), pivoting on the mean point; the dates are never
 * before the latest period.
 */
export function forecastFullCompliance(
  series: readonly { endsOn: string | null; shareFull: number | null }[],
): Forecast {
  // A period no source dates has no place on the time line: it is left out of the fit.
  const pts = series
    .filter((p): p is { endsOn: string; shareFull: number } => p.shareFull !== null && p.endsOn !== null)
    .map((p) => ({ x: toYears(p.endsOn), y: p.shareFull, endsOn: p.endsOn }))
    .sort((a, b) => a.x - b.x);
  const n = pts.length;
  const base = {
    reachesFullOn: null,
    range: null,
    slopePerYear: null,
    slopeStandardError: null,
    periodsUsed: n,
  };
  const last = pts.at(-1);
  if (last && last.y >= 1)
    return {
      ...base,
      status: "reached",
      reachesFullOn: last.endsOn,
      statement: `Full compliance was reached: every rated provision is at full compliance in the period ending ${last.endsOn}.`,
    };
  if (n < FORECAST_MIN_PERIODS || !last)
    return {
      ...base,
      status: "insufficient",
      statement: `Not enough periods to forecast (need ${FORECAST_MIN_PERIODS} with ratings, have ${n}).`,
    };
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0)
    return {
      ...base,
      status: "insufficient",
      statement: "Not enough periods to forecast: they all end on one date.",
    };
  const slope = pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  const ssr = pts.reduce((s, p) => s + (p.y - (my + slope * (p.x - mx))) ** 2, 0);
  const se = Math.sqrt(ssr / (n - 2) / sxx);
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  const fitted = { ...base, slopePerYear: round(slope), slopeStandardError: round(se) };
  const t = T95[n - 3] ?? 1.96;
  const slowest = slope - t * se;
  if (slope <= 0)
    return {
      ...fitted,
      status: "no_progress",
      statement: `No progress at the current pace: the share of provisions in full compliance ${
        slope < 0 ? `fell by ${points(slope)} points a year` : "did not change"
      } over ${n} periods, so no date can be forecast.`,
    };
  // A rise smaller than its own uncertainty is no pace to forecast from.
  if (slowest <= 0)
    return {
      ...fitted,
      status: "no_progress",
      statement: `No clear progress at the current pace: the share of provisions in full compliance rose by ${points(slope)} points a year over ${n} periods, but its 95% range (${slowest < 0 ? "−" : ""}${points(slowest)} to +${points(slope + t * se)} points a year) includes no progress at all, so no date can be forecast.`,
    };
  const at = (pace: number) => fromYears(Math.max(last.x, mx + (1 - my) / pace));
  const reachesFullOn = at(slope);
  const earliest = at(slope + t * se);
  const latest = at(slowest);
  return {
    ...fitted,
    status: "forecast",
    reachesFullOn,
    range: { earliest, latest },
    statement: `At the current pace (${points(slope)} points a year, a straight line through ${n} periods), full compliance would be reached around ${monthOf(reachesFullOn)}. The pace is uncertain: its 95% range puts that date between ${monthOf(earliest)} and ${monthOf(latest)}.`,
  };
}

// ---------------------------------------------------------------- sustainment

/**
 * When a provision's sustainment clock started: the end of the first period of the unbroken run
 * of qualifying ratings that reaches its latest rating, or the date a court ordered. The court's
 * date stands unless a rating of a period ending after the order fell below the level (the order
 * may overrule earlier ratings, not later ones). Null without either.
 */
export function sustainmentClock(
  ratings: readonly { endsOn: string; qualifies: boolean }[],
  courtOrder: { startedOn: string; orderedOn: string | null } | null,
): { startedOn: string; source: "ratings" | "court_order" } | null {
  const sorted = [...ratings].sort((a, b) => a.endsOn.localeCompare(b.endsOn));
  let lastBad: string | null = null;
  for (const r of sorted) if (!r.qualifies) lastBad = r.endsOn;
  if (courtOrder) {
    const since = courtOrder.orderedOn ?? courtOrder.startedOn;
    if (lastBad === null || lastBad <= since)
      return { startedOn: courtOrder.startedOn, source: "court_order" };
  }
  const run = sorted.filter((r) => lastBad === null || r.endsOn > lastBad);
  return run.length ? { startedOn: run[0]!.endsOn, source: "ratings" } : null;
}
