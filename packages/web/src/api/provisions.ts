import type {
  AcceptResult,
  DeadlineOccurrence,
  DecreeParse,
  DecreeParseListItem,
  MatterDeadlines,
  ParseEdit,
  Provision,
  ProvisionListItem,
  SimilarProvisions,
  Topic,
} from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, isApiError, type Query, request } from "./client";
import type { Page } from "./hooks";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const provisionKeys = {
  /** Every provision query: accepting a parse or correcting topics refreshes them all. */
  all: ["provisions"] as const,
  matterList: (key: string, q: Query) => ["provisions", "matter", key, q] as const,
  list: (q: Query) => ["provisions", "list", q] as const,
  byRef: (key: string, ref: string) => ["provisions", "ref", key, ref] as const,
  one: (id: string) => ["provisions", "one", id] as const,
  similar: (id: string, limit: number) => ["provisions", "similar", id, limit] as const,
  parses: (key: string) => ["provisions", "parses", key] as const,
  parse: (id: string) => ["provisions", "parse", id] as const,
  /** Deadlines change with provisions (accepting, anchor dates). */
  matterDeadlines: (key: string, q: Query) => ["provisions", "deadlines", key, q] as const,
  deadlines: (q: Query) => ["provisions", "deadlines", "all", q] as const,
};

// ---------------------------------------------------------------- reads

/** A matter's provisions (filters: topic, section, q; paged). */
export function useMatterProvisions(matterKey: string, query: Query) {
  return useQuery({
    queryKey: provisionKeys.matterList(matterKey, query),
    queryFn: ({ signal }) =>
      api.get<Page<ProvisionListItem>>(`${V1}/matters/${enc(matterKey)}/provisions`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Provisions across every matter in view (filters: topic, q; paged). */
export function useProvisions(query: Query, enabled = true) {
  return useQuery({
    queryKey: provisionKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<ProvisionListItem>>(`${V1}/provisions`, query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** A provision by its citable address: the matter and the paragraph number or the label. */
export function useProvisionByRef(matterKey: string, ref: string) {
  return useQuery({
    queryKey: provisionKeys.byRef(matterKey, ref),
    queryFn: ({ signal }) =>
      api.get<Provision>(`${V1}/matters/${enc(matterKey)}/provisions/${enc(ref)}`, undefined, signal),
    enabled: Boolean(matterKey) && Boolean(ref.trim()),
  });
}

export function useProvision(id: string | undefined) {
  return useQuery({
    queryKey: provisionKeys.one(id ?? ""),
    queryFn: ({ signal }) => api.get<Provision>(`${V1}/provisions/${enc(id ?? "")}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Other matters' provisions most like this one, best first. */
export function useSimilarProvisions(id: string | undefined, limit = 10) {
  return useQuery({
    queryKey: provisionKeys.similar(id ?? "", limit),
    queryFn: ({ signal }) =>
      api.get<SimilarProvisions>(`${V1}/provisions/${enc(id ?? "")}/similar`, { limit }, signal),
    enabled: Boolean(id),
  });
}

/** The parses of a matter's decrees, newest first (signed-in readers only). */
export function useMatterParses(matterKey: string, enabled = true) {
  return useQuery({
    queryKey: provisionKeys.parses(matterKey),
    queryFn: ({ signal }) =>
      api.get<{ items: DecreeParseListItem[] }>(`${V1}/matters/${enc(matterKey)}/parses`, undefined, signal),
    enabled: enabled && Boolean(matterKey),
  });
}

export function useParse(id: string | undefined) {
  return useQuery({
    queryKey: provisionKeys.parse(id ?? ""),
    queryFn: ({ signal }) => api.get<DecreeParse>(`${V1}/parses/${enc(id ?? "")}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useMatterDeadlines(matterKey: string, query: Query) {
  return useQuery({
    queryKey: provisionKeys.matterDeadlines(matterKey, query),
    queryFn: ({ signal }) =>
      api.get<MatterDeadlines>(`${V1}/matters/${enc(matterKey)}/deadlines`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Dated deadlines across every matter in view, by date. */
export function useDeadlines(query: Query, enabled = true) {
  return useQuery({
    queryKey: provisionKeys.deadlines(query),
    queryFn: ({ signal }) => api.get<Page<DeadlineOccurrence>>(`${V1}/deadlines`, query, signal),
    enabled,
  });
}

// ---------------------------------------------------------------- writes

/** Split a decree's text into provisions: the answer is a draft parse to check. */
export function useParseDocument() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) => api.post<DecreeParse>(`${V1}/documents/${enc(documentId)}/parse`, {}),
    onSuccess: (parse) => {
      qc.setQueryData(provisionKeys.parse(parse.id), parse);
      return qc.invalidateQueries({ queryKey: provisionKeys.parses(parse.matter.slug) });
    },
  });
}

/** One correction of a draft parse, based on the version shown. */
export function useEditParse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, edit }: { id: string; version: number; edit: ParseEdit }) =>
      api.patch<DecreeParse>(`${V1}/parses/${enc(id)}`, edit, version),
    onSuccess: (parse) => qc.setQueryData(provisionKeys.parse(parse.id), parse),
    // A stale draft (someone corrected it meanwhile): show the draft as it now stands.
    onError: (error, { id }) => {
      if (isApiError(error) && error.status === 412)
        return qc.invalidateQueries({ queryKey: provisionKeys.parse(id) });
    },
  });
}

/** Accept a draft parse as the matter's provisions. */
export function useAcceptParse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({
      matterKey,
      parseId,
      version,
    }: {
      matterKey: string;
      parseId: string;
      version: number;
    }) =>
      (
        await request<AcceptResult>("POST", `${V1}/matters/${enc(matterKey)}/provisions/accept`, {
          body: { parseId },
          version,
        })
      ).data,
    onSuccess: () => qc.invalidateQueries({ queryKey: provisionKeys.all }),
  });
}

/** Correct a provision's topics (`null`: return to the classifier's). */
export function useCorrectTopics() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, version, topics }: { id: string; version: number; topics: Topic[] | null }) =>
      (
        await request<Provision>(topics ? "PUT" : "DELETE", `${V1}/provisions/${enc(id)}/topics`, {
          body: topics ? { topics } : undefined,
          version,
        })
      ).data,
    onSuccess: (p) => {
      qc.setQueryData(provisionKeys.one(p.id), p);
      return qc.invalidateQueries({ queryKey: provisionKeys.all });
    },
  });
}

/** Give the date a deadline is counted from (null clears it). */
export function useSetAnchorDate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({
      deadlineId,
      version,
      anchorDate,
    }: {
      deadlineId: string;
      /** The version of the deadline's provision the person saw (If-Match). */
      version: number;
      anchorDate: string | null;
    }) =>
      (
        await request<Provision>("PUT", `${V1}/deadlines/${enc(deadlineId)}/anchor-date`, {
          body: { anchorDate },
          version,
        })
      ).data,
    onSuccess: (p) => {
      qc.setQueryData(provisionKeys.one(p.id), p);
      return qc.invalidateQueries({ queryKey: provisionKeys.all });
    },
    // Changed by someone else meanwhile (412): show the provision as it now stands.
    onError: (error) => {
      if (isApiError(error) && error.status === 412)
        return qc.invalidateQueries({ queryKey: provisionKeys.all });
    },
  });
}
