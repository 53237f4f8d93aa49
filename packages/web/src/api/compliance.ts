import type {
  AllCompliance,
  AssessmentInput,
  ComplianceScale,
  CreatePeriod,
  Grid,
  ImportAssessmentsResult,
  MatterCompliance,
  Period,
  Rater,
  SaveAssessmentsResult,
  SetComplianceScale,
  UpdatePeriod,
} from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Query, request } from "./client";
import { provisionKeys } from "./provisions";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const complianceKeys = {
  /** Every compliance query: a rating, a period or a scale change refreshes them all. */
  all: ["compliance"] as const,
  scale: (key: string) => ["compliance", "scale", key] as const,
  periods: (key: string) => ["compliance", "periods", key] as const,
  grid: (key: string, q: Query) => ["compliance", "grid", key, q] as const,
  matter: (key: string, q: Query) => ["compliance", "matter", key, q] as const,
  allMatters: ["compliance", "all"] as const,
};

export interface PeriodList {
  items: Period[];
  abilities: { edit: boolean };
}

/** One rating as a 412 answer carries it: what someone else saved meanwhile (null: removed). */
export interface CurrentRating {
  provisionId: string;
  periodId: string;
  rater: Rater;
  assessment: Grid["items"][number]["assessment"];
}

// ---------------------------------------------------------------- reads

export function useComplianceScale(matterKey: string) {
  return useQuery({
    queryKey: complianceKeys.scale(matterKey),
    queryFn: ({ signal }) =>
      api.get<ComplianceScale>(`${V1}/matters/${enc(matterKey)}/compliance-scale`, undefined, signal),
  });
}

export function usePeriods(matterKey: string) {
  return useQuery({
    queryKey: complianceKeys.periods(matterKey),
    queryFn: ({ signal }) =>
      api.get<PeriodList>(`${V1}/matters/${enc(matterKey)}/periods`, undefined, signal),
  });
}

/** The rating grid of one period (query: period, topic, section). */
export function useGrid(matterKey: string, query: Query) {
  return useQuery({
    queryKey: complianceKeys.grid(matterKey, query),
    queryFn: ({ signal }) => api.get<Grid>(`${V1}/matters/${enc(matterKey)}/assessments`, query, signal),
    placeholderData: keepPreviousData,
    // The grid holds unsaved input: it must not be replaced behind the person's back.
    refetchOnWindowFocus: false,
  });
}

export const fetchGrid = (matterKey: string, query: Query) =>
  api.get<Grid>(`${V1}/matters/${enc(matterKey)}/assessments`, query);

/** The roll-ups (query: from, to — the movement's two periods). */
export function useMatterCompliance(matterKey: string, query: Query = {}) {
  return useQuery({
    queryKey: complianceKeys.matter(matterKey, query),
    queryFn: ({ signal }) =>
      api.get<MatterCompliance>(`${V1}/matters/${enc(matterKey)}/compliance`, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAllCompliance() {
  return useQuery({
    queryKey: complianceKeys.allMatters,
    queryFn: ({ signal }) => api.get<AllCompliance>(`${V1}/compliance`, undefined, signal),
  });
}

// ---------------------------------------------------------------- writes

export function useInvalidateCompliance() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: complianceKeys.all }),
      // Provision pages show ratings.
      qc.invalidateQueries({ queryKey: provisionKeys.all }),
    ]);
}

export function useSetComplianceScale(matterKey: string) {
  const qc = useQueryClient();
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: async ({ body, version }: { body: SetComplianceScale; version: number }) =>
      (
        await request<ComplianceScale>("PUT", `${V1}/matters/${enc(matterKey)}/compliance-scale`, {
          body,
          version,
        })
      ).data,
    onSuccess: (scale) => {
      qc.setQueryData(complianceKeys.scale(matterKey), scale);
      return invalidate();
    },
  });
}

export function useCreatePeriod(matterKey: string) {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: (body: CreatePeriod) => api.post<Period>(`${V1}/matters/${enc(matterKey)}/periods`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdatePeriod() {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: string; version: number; patch: UpdatePeriod }) =>
      api.patch<Period>(`${V1}/periods/${enc(id)}`, patch, version),
    onSuccess: () => invalidate(),
  });
}

export function useDeletePeriod() {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: async ({
      id,
      version,
      withRatings,
    }: {
      id: string;
      version: number;
      withRatings: boolean;
    }) => {
      await request<void>("DELETE", `${V1}/periods/${enc(id)}`, {
        version,
        query: withRatings ? { withRatings: "true" } : undefined,
      });
    },
    onSuccess: () => invalidate(),
  });
}

/** Saves ratings; each row may carry the version it is based on (a stale one: 412, nothing saved). */
export function useSaveAssessments(matterKey: string) {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: (items: AssessmentInput[]) =>
      api.put<SaveAssessmentsResult>(`${V1}/matters/${enc(matterKey)}/assessments`, { items }),
    onSuccess: () => invalidate(),
  });
}

export function useImportAssessments(matterKey: string) {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: (body: { csv: string; period?: string; document?: string; rater?: Rater }) =>
      api.post<ImportAssessmentsResult>(`${V1}/matters/${enc(matterKey)}/assessments/import`, body),
    onSuccess: () => invalidate(),
  });
}

export function useSetSustainmentStart() {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: ({
      provisionId,
      date,
      eventId,
    }: {
      provisionId: string;
      date: string | null;
      eventId?: string | null;
    }) =>
      api.put<{ provisionId: string; startsOn: string | null; eventId: string | null }>(
        `${V1}/provisions/${enc(provisionId)}/sustainment-start`,
        { date, eventId: eventId ?? null },
      ),
    onSuccess: () => invalidate(),
  });
}

export function useSetSectionTermination(matterKey: string) {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: ({ number, on, eventId }: { number: string; on: string | null; eventId?: string | null }) =>
      api.put<{ section: string; provisions: number; terminatedOn: string | null; eventId: string | null }>(
        `${V1}/matters/${enc(matterKey)}/sections/${enc(number)}/termination`,
        { on, eventId: eventId ?? null },
      ),
    onSuccess: () => invalidate(),
  });
}
