import type { SearchResult } from "@accord/domain";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Query } from "./client";

const V1 = "/api/v1";

export const searchKeys = {
  all: ["search"] as const,
  results: (q: Query) => ["search", q] as const,
};

/**
 * Ranked matters and document pages for `q` (words, "phrases", -word, prefix*), with facets.
 * Nothing is asked while the box is empty; a query the server refuses answers 400 with why.
 */
export function useSearch(query: Query) {
  const q = typeof query.q === "string" ? query.q.trim() : "";
  return useQuery({
    queryKey: searchKeys.results(query),
    queryFn: ({ signal }) => api.get<SearchResult>(`${V1}/search`, query, signal),
    enabled: q !== "",
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
