import type {
  CalendarFeedToken,
  CreateSavedSearch,
  SavedSearch,
  SavedSearchKind,
  UpdateSavedSearch,
  Watch,
} from "@accord/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { calendarKeys } from "./calendar";
import { api } from "./client";
import { notificationKeys } from "./notifications";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const savedSearchKeys = {
  all: ["saved-searches"] as const,
  list: (kind?: SavedSearchKind) => ["saved-searches", "list", kind ?? "all"] as const,
};

/** The caller's saved searches and calendar filters (one kind, or both). */
export function useSavedSearches(kind?: SavedSearchKind) {
  return useQuery({
    queryKey: savedSearchKeys.list(kind),
    queryFn: ({ signal }) =>
      api.get<{ items: SavedSearch[] }>(`${V1}/saved-searches`, kind ? { kind } : undefined, signal),
  });
}

export function useCreateSavedSearch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSavedSearch) => api.post<SavedSearch>(`${V1}/saved-searches`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: savedSearchKeys.all }),
  });
}

/** Renames (or changes) a saved search from the version shown (If-Match). */
export function useUpdateSavedSearch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, changes }: { id: string; version: number; changes: UpdateSavedSearch }) =>
      api.patch<SavedSearch>(`${V1}/saved-searches/${enc(id)}`, changes, version),
    onSettled: () => qc.invalidateQueries({ queryKey: savedSearchKeys.all }),
  });
}

export function useDeleteSavedSearch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api.delete(`${V1}/saved-searches/${enc(id)}`, version),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: savedSearchKeys.all }),
        qc.invalidateQueries({ queryKey: notificationKeys.watches }),
        qc.invalidateQueries({ queryKey: calendarKeys.feeds }),
      ]),
  });
}

/** Watches a saved search, or stops watching it (its watch's id). */
export function useToggleSavedSearchWatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (saved: SavedSearch) =>
      saved.watchId
        ? api.delete(`${V1}/watches/${enc(saved.watchId)}`)
        : api.post<Watch>(`${V1}/watches`, { target: "saved_search", key: saved.id }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: savedSearchKeys.all }),
        qc.invalidateQueries({ queryKey: notificationKeys.watches }),
      ]),
  });
}

/** A calendar feed of a saved calendar filter: its address is in this answer only. */
export function useCreateFilterFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (saved: SavedSearch) =>
      api.post<CalendarFeedToken & { token: string; path: string }>(`${V1}/calendar-feeds`, {
        name: saved.name,
        savedSearchId: saved.id,
      }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: savedSearchKeys.all }),
        qc.invalidateQueries({ queryKey: calendarKeys.feeds }),
      ]),
  });
}
