import type { Metric, Series, SeriesSummary, StatMatch } from "@accord/domain";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Query, toSearch } from "./client";

/** Statistics: a place's series over time, the metric vocabulary, how the bundled sources matched. */

const V1 = "/api/v1";

export const statisticsKeys = {
  all: ["statistics"] as const,
  series: (q: Query) => ["statistics", "series", q] as const,
  metrics: ["statistics", "metrics"] as const,
  matches: (q: Query) => ["statistics", "matches", q] as const,
  summary: (matter: string) => ["statistics", "summary", matter] as const,
};

/** A matter's series with how fresh and complete each is (its jurisdiction's, agencies' and own). */
export function useMatterSeries(matter: string, enabled = true) {
  return useQuery({
    queryKey: statisticsKeys.summary(matter),
    queryFn: ({ signal }) =>
      api.get<{ items: SeriesSummary[] }>(`${V1}/statistics/summary`, { matter }, signal),
    enabled: enabled && Boolean(matter),
    staleTime: 60_000,
  });
}

export function useSeries(query: Query, enabled = true) {
  return useQuery({
    queryKey: statisticsKeys.series(query),
    queryFn: ({ signal }) => api.get<Series>(`${V1}/statistics/series`, query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The same series as a CSV download. */
export const seriesCsvUrl = (query: Query) => `${V1}/statistics/series.csv${toSearch(query)}`;

export function useMetrics() {
  return useQuery({
    queryKey: statisticsKeys.metrics,
    queryFn: ({ signal }) => api.get<{ items: Metric[] }>(`${V1}/statistics/metrics`, undefined, signal),
  });
}

export function useStatMatches(query: Query) {
  return useQuery({
    queryKey: statisticsKeys.matches(query),
    queryFn: ({ signal }) => api.get<{ items: StatMatch[] }>(`${V1}/statistics/matches`, query, signal),
  });
}
