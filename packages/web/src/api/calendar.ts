import type { Calendar, CalendarFeedToken, DeadlineOccurrence } from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError, type Query, request } from "./client";
import { provisionKeys } from "./provisions";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const calendarKeys = {
  all: ["calendar"] as const,
  window: (q: Query) => ["calendar", "window", q] as const,
  feeds: ["calendar", "feeds"] as const,
};

/** The calendar between two days (filters: matter, state, kind, mine). */
export function useCalendar(query: Query) {
  return useQuery({
    queryKey: calendarKeys.window(query),
    queryFn: ({ signal }) => api.get<Calendar>(`${V1}/calendar`, query, signal),
    placeholderData: keepPreviousData,
  });
}

export type DeadlineVerb = "met" | "waive" | "extend" | "assign" | "reopen";

/**
 * Acts on one occurrence of a deadline (If-Match: the occurrence's version as shown). Everything
 * that counts deadlines is refreshed: the calendar, the deadline lists, the compliance views.
 */
export function useDeadlineAction() {
  const qc = useQueryClient();
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: calendarKeys.all }),
      qc.invalidateQueries({ queryKey: provisionKeys.all }),
      qc.invalidateQueries({ queryKey: ["compliance"] }),
    ]);
  return useMutation({
    mutationFn: async ({
      verb,
      deadlineId,
      version,
      body,
    }: {
      verb: DeadlineVerb;
      deadlineId: string;
      version: number;
      body: Record<string, unknown>;
    }) =>
      (
        await request<DeadlineOccurrence>("POST", `${V1}/deadlines/${enc(deadlineId)}/${verb}`, {
          body,
          version,
        })
      ).data,
    onSuccess: refresh,
    // Changed by someone else meanwhile (412): show it as it now stands.
    onError: (error) => {
      if (isApiError(error) && error.status === 412) return refresh();
    },
  });
}

export function useCalendarFeeds() {
  return useQuery({
    queryKey: calendarKeys.feeds,
    queryFn: ({ signal }) =>
      api.get<{ items: CalendarFeedToken[] }>(`${V1}/calendar-feeds`, undefined, signal),
  });
}

export function useCreateCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      api.post<CalendarFeedToken & { token: string; path: string }>(`${V1}/calendar-feeds`, { name }),
    onSuccess: () => qc.invalidateQueries({ queryKey: calendarKeys.feeds }),
  });
}

export function useRevokeCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${V1}/calendar-feeds/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: calendarKeys.feeds }),
  });
}

/** The address of a matter's feed (opened by the session when downloaded from the app). */
export const matterFeedPath = (slug: string) => `${V1}/matters/${enc(slug)}/calendar.ics`;
