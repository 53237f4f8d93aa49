import type { CreateRatingDraft, RatingDraft, UpdateRatingDraft } from "@accord/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, request } from "./client";
import { useInvalidateCompliance } from "./compliance";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const ratingDraftKeys = {
  one: (id: string) => ["rating-drafts", id] as const,
};

export function useRatingDraft(id: string) {
  return useQuery({
    queryKey: ratingDraftKeys.one(id),
    queryFn: ({ signal }) => api.get<RatingDraft>(`${V1}/rating-drafts/${enc(id)}`, undefined, signal),
  });
}

/** Reads a report into a new draft of ratings. */
export function useCreateRatingDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ documentId, body }: { documentId: string; body: CreateRatingDraft }) =>
      api.post<RatingDraft>(`${V1}/documents/${enc(documentId)}/rating-drafts`, body),
    onSuccess: (draft) => qc.setQueryData(ratingDraftKeys.one(draft.id), draft),
  });
}

export function useUpdateRatingDraft(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, patch }: { version: number; patch: UpdateRatingDraft }) =>
      (await request<RatingDraft>("PATCH", `${V1}/rating-drafts/${enc(id)}`, { body: patch, version })).data,
    onSuccess: (draft) => qc.setQueryData(ratingDraftKeys.one(id), draft),
  });
}

export function useAcceptRatingDraft(id: string) {
  const qc = useQueryClient();
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: async (version: number) =>
      (
        await request<{ draft: RatingDraft; saved: number; period: { id: string; label: string } }>(
          "POST",
          `${V1}/rating-drafts/${enc(id)}/accept`,
          { version },
        )
      ).data,
    onSuccess: (result) => {
      qc.setQueryData(ratingDraftKeys.one(id), result.draft);
      return invalidate();
    },
  });
}
