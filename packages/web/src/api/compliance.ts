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
import { api, isApiError, type Query, request } from "./client";
import { keys as registryKeys } from "./hooks";
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

/**
 * An import and a section's termination are changes of the matter: they send the matter's version
 * as read (If-Match) and move it on, so the matter is read again after them, and after a 412.
 */
function useInvalidateMatterCompliance() {
  const qc = useQueryClient();
  const invalidate = useInvalidateCompliance();
  return () => Promise.all([invalidate(), qc.invalidateQueries({ queryKey: registryKeys.matter() })]);
}
const isStale = (error: unknown) => isApiError(error) && error.status === 412;

/** Imports a report's table of ratings, based on the matter's version the person saw. */
export function useImportAssessments(matterKey: string) {
  const invalidate = useInvalidateMatterCompliance();
  return useMutation({
    mutationFn: async ({
      version,
      ...body
    }: {
      csv: string;
      period?: string;
      document?: string;
      rater?: Rater;
      version: number;
    }) =>
      (
        await request<ImportAssessmentsResult>("POST", `${V1}/matters/${enc(matterKey)}/assessments/import`, {
          body,
          version,
        })
      ).data,
    onSuccess: () => invalidate(),
    onError: (error) => (isStale(error) ? invalidate() : undefined),
  });
}

/** Records a court's sustainment start, based on the provision's version the person saw. */
export function useSetSustainmentStart() {
  const invalidate = useInvalidateCompliance();
  return useMutation({
    mutationFn: async ({
      provisionId,
      version,
      date,
      eventId,
    }: {
      provisionId: string;
      version: number;
      date: string | null;
      eventId?: string | null;
    }) =>
      (
        await request<{
          provisionId: string;
          startsOn: string | null;
          eventId: string | null;
          version: number;
        }>("PUT", `${V1}/provisions/${enc(provisionId)}/sustainment-start`, {
          body: { date, eventId: eventId ?? null },
          version,
        })
      ).data,
    onSuccess: () => invalidate(),
    onError: (error) => (isStale(error) ? invalidate() : undefined),
  });
}

/** Terminates (or reinstates) a section, based on the matter's version the person saw. */
export function useSetSectionTermination(matterKey: string) {
  const invalidate = useInvalidateMatterCompliance();
  return useMutation({
    mutationFn: async ({
      number,
      version,
      on,
      eventId,
    }: {
      number: string;
      version: number;
      on: string | null;
      eventId?: string | null;
    }) =>
      (
        await request<{
          section: string;
          provisions: number;
          terminatedOn: string | null;
          eventId: string | null;
          version: number;
        }>("PUT", `${V1}/matters/${enc(matterKey)}/sections/${enc(number)}/termination`, {
          body: { on, eventId: eventId ?? null },
          version,
        })
      ).data,
    onSuccess: () => invalidate(),
    onError: (error) => (isStale(error) ? invalidate() : undefined),
  });
}
