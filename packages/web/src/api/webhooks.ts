import type { CreateWebhook, Webhook, WebhookDelivery } from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const webhookKeys = {
  all: ["webhooks"] as const,
  list: ["webhooks", "list"] as const,
  deliveries: (id: string, page: { limit: number; offset: number }) =>
    ["webhooks", "deliveries", id, page] as const,
};

/** The registered webhooks, and whether private receivers may be registered. */
export function useWebhooks() {
  return useQuery({
    queryKey: webhookKeys.list,
    queryFn: ({ signal }) =>
      api.get<{ items: Webhook[]; allowPrivate: boolean }>(`${V1}/webhooks`, undefined, signal),
  });
}

export function useCreateWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhook) => api.post<Webhook & { secret: string }>(`${V1}/webhooks`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${V1}/webhooks/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

/** A webhook's deliveries, newest first; refreshed while some are still being tried. */
export function useDeliveries(id: string | null, page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id ?? "", page),
    queryFn: ({ signal }) =>
      api.get<{ items: WebhookDelivery[]; total: number }>(
        `${V1}/webhooks/${enc(id!)}/deliveries`,
        page,
        signal,
      ),
    enabled: id !== null,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === "pending") ? 5_000 : false),
  });
}

export function useRedeliver() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      api.post<WebhookDelivery>(`${V1}/webhook-deliveries/${enc(deliveryId)}/redeliver`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}
