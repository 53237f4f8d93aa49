import {
  type AllCompliance,
  type ComplianceLevel,
  DEFAULT_COMPLIANCE_LEVELS,
  type PeriodFigures,
} from "./compliance.js";

/** Shares and scores to four decimals. */
export const roundShare = (v: number) => Math.round(v * 10_000) / 10_000;

/** Figures of one period from its counts per level (`counts` in the order of `levels`). */
export function periodFiguresOf(
  counts: number[],
  levels: readonly (ComplianceLevel | undefined)[],
): PeriodFigures {
  let total = 0;
  let rated = 0;
  let weighted = 0;
  let full = 0;
  counts.forEach((n, i) => {
    total += n;
    const l = levels[i];
    if (l?.rated) {
      rated += n;
      weighted += n * (l.normalized ?? 0);
      if (l.full) full += n;
    }
  });
  return {
    total,
    rated,
    counts,
    shares: counts.map((n) => (total ? roundShare(n / total) : 0)),
    score: rated ? roundShare(weighted / rated) : null,
    shareFull: rated ? roundShare(full / rated) : null,
  };
}

/** A decree's latest rated period, as the view across decrees reads it. */
export interface LatestRatedPeriod {
  matter: { id: string; slug: string; title: string };
  period: { id: string; label: string; endsOn: string | null };
}

/** A roll-up count of a decree's latest rated period: overall ('' topic) or of one topic. */
export interface LatestPeriodCount {
  matterId: string;
  level: string;
  topic: string;
  count: number;
}

/**
 * Every decree's latest rated period on the common scale, and each topic across decrees, from
 * the counts of those periods and each matter's levels (the default scale when it has none).
 */
export function allComplianceOf(
  latest: readonly LatestRatedPeriod[],
  counts: readonly LatestPeriodCount[],
  scales: Readonly<Record<string, ComplianceLevel[]>>,
): AllCompliance {
  // Counts per matter: overall by level, and per topic by level.
  const overall = new Map<string, Map<string, number>>();
  const byTopic = new Map<string, { matters: Set<string>; rated: number; full: number; weighted: number }>();
  const levelsOf = (matterId: string) => scales[matterId] ?? DEFAULT_COMPLIANCE_LEVELS;
  const levelMaps = new Map<string, Map<string, ComplianceLevel>>();
  const levelOf = (matterId: string, code: string) => {
    let m = levelMaps.get(matterId);
    if (!m) {
      m = new Map(levelsOf(matterId).map((l) => [l.code, l]));
      levelMaps.set(matterId, m);
    }
    return m.get(code);
  };
  for (const { matterId, level, topic, count } of counts) {
    if (!topic) {
      const perLevel = overall.get(matterId) ?? new Map<string, number>();
      perLevel.set(level, count);
      overall.set(matterId, perLevel);
      continue;
    }
    const l = levelOf(matterId, level);
    const t = byTopic.get(topic) ?? { matters: new Set<string>(), rated: 0, full: 0, weighted: 0 };
    t.matters.add(matterId);
    if (l?.rated) {
      t.rated += count;
      t.weighted += count * (l.normalized ?? 0);
      if (l.full) t.full += count;
    }
    byTopic.set(topic, t);
  }
  return {
    matters: latest.map(({ matter, period }) => {
      const perLevel = overall.get(matter.id) ?? new Map<string, number>();
      const levels = levelsOf(matter.id);
      const total = [...perLevel.values()].reduce((a, b) => a + b, 0);
      const rated = levels.filter((l) => l.rated);
      const ratedCount = rated.reduce((a, l) => a + (perLevel.get(l.code) ?? 0), 0);
      const full = rated.filter((l) => l.full).reduce((a, l) => a + (perLevel.get(l.code) ?? 0), 0);
      const weighted = rated.reduce((a, l) => a + (perLevel.get(l.code) ?? 0) * (l.normalized ?? 0), 0);
      return {
        matter,
        period,
        total,
        rated: ratedCount,
        levels: levels.map((l) => ({
          level: l.code,
          label: l.label,
          normalized: l.normalized,
          full: l.full,
          count: perLevel.get(l.code) ?? 0,
          share: total ? roundShare((perLevel.get(l.code) ?? 0) / total) : 0,
        })),
        score: ratedCount ? roundShare(weighted / ratedCount) : null,
        shareFull: ratedCount ? roundShare(full / ratedCount) : null,
      };
    }),
    byTopic: [...byTopic.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([topic, t]) => ({
        topic,
        matters: t.matters.size,
        rated: t.rated,
        full: t.full,
        shareFull: t.rated ? roundShare(t.full / t.rated) : null,
        score: t.rated ? roundShare(t.weighted / t.rated) : null,
      })),
  };
}
