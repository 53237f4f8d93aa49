import type {
  AtRisk,
  Award,
  AwardList,
  Condition,
  ConditionStatusChangeInput,
  CreateAward,
  Portfolio,
  ProgramFact,
  UpdateAward,
} from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Query, request, toSearch } from "./client";
import { keys } from "./hooks";

/** Grants: awards and their conditions, a place's portfolio, the money at risk. */

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const grantKeys = {
  all: ["grants"] as const,
  list: (q: Query) => ["grants", "list", q] as const,
  award: (key: string, asOf: string | null) => ["grants", "award", key, asOf] as const,
  atRisk: (asOf: string | null) => ["grants", "at-risk", asOf] as const,
  portfolio: (of: PortfolioOf, slug: string, asOf: string | null) =>
    ["grants", "portfolio", of, slug, asOf] as const,
  programFacts: ["grants", "program-facts"] as const,
};

const asOfQuery = (asOf: string | null): Query | undefined => (asOf ? { asOf } : undefined);

export function useAwards(query: Query) {
  return useQuery({
    queryKey: grantKeys.list(query),
    queryFn: ({ signal }) => api.get<AwardList>(`${V1}/grants`, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAward(key: string | undefined, asOf: string | null) {
  return useQuery({
    queryKey: grantKeys.award(key ?? "", asOf),
    queryFn: ({ signal }) => api.get<Award>(`${V1}/grants/${enc(key ?? "")}`, asOfQuery(asOf), signal),
    enabled: Boolean(key),
  });
}

export function useAtRisk(asOf: string | null) {
  return useQuery({
    queryKey: grantKeys.atRisk(asOf),
    queryFn: ({ signal }) => api.get<AtRisk>(`${V1}/grants/at-risk`, asOfQuery(asOf), signal),
    placeholderData: keepPreviousData,
  });
}

/** The at-risk table as a CSV download, of the same day. */
export const atRiskCsvUrl = (asOf: string | null) => `${V1}/grants/at-risk.csv${toSearch(asOfQuery(asOf))}`;

/** Whose portfolio: a jurisdiction's or an agency's. */
export type PortfolioOf = "jurisdictions" | "agencies";

export function usePortfolio(of: PortfolioOf, slug: string | undefined, asOf: string | null) {
  return useQuery({
    queryKey: grantKeys.portfolio(of, slug ?? "", asOf),
    queryFn: ({ signal }) =>
      api.get<Portfolio>(`${V1}/${of}/${enc(slug ?? "")}/portfolio`, asOfQuery(asOf), signal),
    enabled: Boolean(slug),
    placeholderData: keepPreviousData,
  });
}

export function useProgramFacts() {
  return useQuery({
    queryKey: grantKeys.programFacts,
    queryFn: ({ signal }) => api.get<ProgramFact[]>(`${V1}/program-facts`, undefined, signal),
  });
}

/** After a grant write: every grant screen, the dashboard's money and the histories. */
function useInvalidateGrants() {
  const qc = useQueryClient();
  return () =>
    Promise.all(
      [grantKeys.all, keys.dashboard, keys.history(), keys.audit()].map((queryKey) =>
        qc.invalidateQueries({ queryKey }),
      ),
    );
}

export function useCreateAward() {
  const invalidate = useInvalidateGrants();
  return useMutation({
    mutationFn: (body: CreateAward) => api.post<Award>(`${V1}/grants`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateAward() {
  const invalidate = useInvalidateGrants();
  return useMutation({
    mutationFn: ({ key, version, patch }: { key: string; version: number; patch: UpdateAward }) =>
      api.patch<Award>(`${V1}/grants/${enc(key)}`, patch, version),
    onSuccess: () => invalidate(),
  });
}

/** A dated change of a condition's status, based on the version the person saw (If-Match). */
export function useChangeConditionStatus() {
  const invalidate = useInvalidateGrants();
  return useMutation({
    mutationFn: ({
      key,
      version,
      change,
    }: {
      key: string;
      version: number;
      change: ConditionStatusChangeInput;
    }) =>
      request<Condition>("POST", `${V1}/conditions/${enc(key)}/status`, { body: change, version }).then(
        (r) => r.data,
      ),
    onSuccess: () => invalidate(),
  });
}
