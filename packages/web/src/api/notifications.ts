import type {
  CreateWatch,
  Notification,
  NotificationPreferences,
  SinceLastVisit,
  UpdateNotificationPreferences,
  Watch,
} from "@accord/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";

const V1 = "/api/v1";

export const notificationKeys = {
  inbox: ["notifications"] as const,
  watches: ["watches"] as const,
  preferences: ["notification-preferences"] as const,
  sinceLastVisit: ["since-last-visit"] as const,
};

export interface Inbox {
  items: Notification[];
  total: number;
  unread: number;
}

/** The inbox (only unread ones when asked); refreshed every minute, for the bell's count. */
export function useInbox(query: { unread?: boolean; limit?: number; offset?: number } = {}, enabled = true) {
  return useQuery({
    queryKey: [...notificationKeys.inbox, query],
    queryFn: ({ signal }) =>
      api.get<Inbox>(
        `${V1}/notifications`,
        { unread: query.unread ? "true" : undefined, limit: query.limit, offset: query.offset },
        signal,
      ),
    refetchInterval: 60_000,
    enabled,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Notification>(`${V1}/notifications/${id}/read`, undefined),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.inbox }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ marked: number }>(`${V1}/notifications/read-all`, undefined),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.inbox }),
  });
}

export function useWatches(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.watches,
    queryFn: ({ signal }) => api.get<{ items: Watch[] }>(`${V1}/watches`, undefined, signal),
    enabled,
  });
}

export function useCreateWatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (watch: CreateWatch) => api.post<Watch>(`${V1}/watches`, watch),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.watches }),
  });
}

export function useDeleteWatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${V1}/watches/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.watches }),
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: ({ signal }) =>
      api.get<NotificationPreferences>(`${V1}/notifications/preferences`, undefined, signal),
  });
}

export function useSaveNotificationPreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (changes: UpdateNotificationPreferences) =>
      api.put<NotificationPreferences>(`${V1}/notifications/preferences`, changes),
    onSuccess: (saved) => qc.setQueryData(notificationKeys.preferences, saved),
  });
}

export function useSinceLastVisit(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.sinceLastVisit,
    queryFn: ({ signal }) => api.get<SinceLastVisit>(`${V1}/since-last-visit`, undefined, signal),
    enabled,
  });
}

export function useMarkVisit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ lastVisitAt: string }>(`${V1}/since-last-visit/seen`, undefined),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.sinceLastVisit }),
  });
}
