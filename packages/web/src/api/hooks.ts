import type {
  Agency,
  CreateAgency,
  CreateEvent,
  CreateJurisdiction,
  CreateMatter,
  Dashboard,
  Event,
  Jurisdiction,
  Matter,
  MatterListItem,
  UpdateAgency,
  UpdateEvent,
  UpdateJurisdiction,
  UpdateMatter,
} from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Query } from "./client";

export interface Page<T> {
  items: T[];
  total: number;
  /** More match than were counted (the matters list): `total` is a lower bound. */
  totalCapped?: boolean;
  limit: number;
  offset: number;
}

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const keys = {
  dashboard: ["dashboard"] as const,
  matters: (q?: Query) => (q ? (["matters", q] as const) : (["matters"] as const)),
  matter: (idOrSlug?: string) => (idOrSlug ? (["matter", idOrSlug] as const) : (["matter"] as const)),
  events: (q?: Query) => (q ? (["events", q] as const) : (["events"] as const)),
  event: (id?: string) => (id ? (["event", id] as const) : (["event"] as const)),
  jurisdictions: (q?: Query) => (q ? (["jurisdictions", q] as const) : (["jurisdictions"] as const)),
  jurisdiction: (id?: string) => (id ? (["jurisdiction", id] as const) : (["jurisdiction"] as const)),
  agencies: (q?: Query) => (q ? (["agencies", q] as const) : (["agencies"] as const)),
  agency: (id?: string) => (id ? (["agency", id] as const) : (["agency"] as const)),
  /** One record's changes; `["history"]` alone matches every record's. */
  history: (entity?: string, id?: string, q?: Query) =>
    entity ? (["history", entity, id, q] as const) : (["history"] as const),
  audit: (q?: Query) => (q ? (["audit", q] as const) : (["audit"] as const)),
  users: ["users"] as const,
  /** Monitors' assignments to matters; `["assignments"]` alone matches every list of them. */
  assignments: (q?: Query) => (q ? (["assignments", q] as const) : (["assignments"] as const)),
};

// ---------------------------------------------------------------- reads

/** The dashboard, as of a day when one is given. */
export function useDashboard(asOf: string | null = null) {
  return useQuery({
    queryKey: asOf ? [...keys.dashboard, asOf] : keys.dashboard,
    queryFn: ({ signal }) => api.get<Dashboard>(`${V1}/dashboard`, asOf ? { asOf } : undefined, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMatters(query: Query) {
  return useQuery({
    queryKey: keys.matters(query),
    queryFn: ({ signal }) => api.get<Page<MatterListItem>>(`${V1}/matters`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** A matter; with `asOf`, its status as it stood that day too (`statusAsOf`). */
export function useMatter(idOrSlug: string | undefined, asOf: string | null = null) {
  return useQuery({
    // The as-of answer is cached apart, so the edit form keeps working on the plain record.
    queryKey: asOf ? [...keys.matter(idOrSlug), "asOf", asOf] : keys.matter(idOrSlug),
    queryFn: ({ signal }) =>
      api.get<Matter>(`${V1}/matters/${enc(idOrSlug ?? "")}`, asOf ? { asOf } : undefined, signal),
    enabled: Boolean(idOrSlug),
  });
}

export function useEvents(query: Query) {
  return useQuery({
    queryKey: keys.events(query),
    queryFn: ({ signal }) => api.get<Page<Event>>(`${V1}/events`, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useEvent(id: string | undefined) {
  return useQuery({
    queryKey: keys.event(id),
    queryFn: ({ signal }) => api.get<Event>(`${V1}/events/${enc(id ?? "")}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useJurisdictions(query: Query, enabled = true) {
  return useQuery({
    queryKey: keys.jurisdictions(query),
    queryFn: ({ signal }) => api.get<Page<Jurisdiction>>(`${V1}/jurisdictions`, query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useJurisdiction(idOrSlug: string | undefined) {
  return useQuery({
    queryKey: keys.jurisdiction(idOrSlug),
    queryFn: ({ signal }) =>
      api.get<Jurisdiction>(`${V1}/jurisdictions/${enc(idOrSlug ?? "")}`, undefined, signal),
    enabled: Boolean(idOrSlug),
  });
}

export function useAgencies(query: Query, enabled = true) {
  return useQuery({
    queryKey: keys.agencies(query),
    queryFn: ({ signal }) => api.get<Page<Agency>>(`${V1}/agencies`, query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAgency(idOrSlug: string | undefined) {
  return useQuery({
    queryKey: keys.agency(idOrSlug),
    queryFn: ({ signal }) => api.get<Agency>(`${V1}/agencies/${enc(idOrSlug ?? "")}`, undefined, signal),
    enabled: Boolean(idOrSlug),
  });
}

export function fetchJurisdictionOptions(q: string) {
  return api.get<Page<Jurisdiction>>(`${V1}/jurisdictions`, { q, limit: 20, sort: "name" });
}

export function fetchMatterOptions(q: string) {
  return api.get<Page<MatterListItem>>(`${V1}/matters`, { q, limit: 20, sort: "title" });
}

// ---------------------------------------------------------------- writes

/** Everything a write may change that lists, the dashboard and the histories show. */
function useInvalidateAll() {
  const qc = useQueryClient();
  return () =>
    Promise.all(
      [
        keys.dashboard,
        keys.matters(),
        keys.events(),
        keys.jurisdictions(),
        keys.agencies(),
        keys.history(),
        keys.audit(),
      ].map((queryKey) => qc.invalidateQueries({ queryKey })),
    );
}

interface VersionedWrite<T> {
  id: string;
  version: number;
  patch: T;
}

export function useCreateMatter() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (body: CreateMatter) => api.post<Matter>(`${V1}/matters`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateMatter() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, version, patch }: VersionedWrite<UpdateMatter>) =>
      api.patch<Matter>(`${V1}/matters/${enc(id)}`, patch, version),
    onSuccess: (matter) => {
      qc.setQueryData(keys.matter(matter.slug), matter);
      qc.setQueryData(keys.matter(matter.id), matter);
      return invalidate();
    },
  });
}

export function useCreateEvent() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (body: CreateEvent) => api.post<Event>(`${V1}/events`, body),
    onSuccess: () => Promise.all([invalidate(), qc.invalidateQueries({ queryKey: keys.matter() })]),
  });
}

export function useUpdateEvent() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, version, patch }: VersionedWrite<UpdateEvent>) =>
      api.patch<Event>(`${V1}/events/${enc(id)}`, patch, version),
    onSuccess: (event) => {
      qc.setQueryData(keys.event(event.id), event);
      return Promise.all([invalidate(), qc.invalidateQueries({ queryKey: keys.matter() })]);
    },
  });
}

export function useDeleteEvent() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api.delete(`${V1}/events/${enc(id)}`, version),
    onSuccess: () => Promise.all([invalidate(), qc.invalidateQueries({ queryKey: keys.matter() })]),
  });
}

export function useCreateJurisdiction() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (body: CreateJurisdiction) => api.post<Jurisdiction>(`${V1}/jurisdictions`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateJurisdiction() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, version, patch }: VersionedWrite<UpdateJurisdiction>) =>
      api.patch<Jurisdiction>(`${V1}/jurisdictions/${enc(id)}`, patch, version),
    onSuccess: (j) => {
      qc.setQueryData(keys.jurisdiction(j.slug), j);
      qc.setQueryData(keys.jurisdiction(j.id), j);
      return Promise.all([invalidate(), qc.invalidateQueries({ queryKey: keys.matter() })]);
    },
  });
}

export function useCreateAgency() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (body: CreateAgency) => api.post<Agency>(`${V1}/agencies`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateAgency() {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, version, patch }: VersionedWrite<UpdateAgency>) =>
      api.patch<Agency>(`${V1}/agencies/${enc(id)}`, patch, version),
    onSuccess: (a) => {
      qc.setQueryData(keys.agency(a.slug), a);
      qc.setQueryData(keys.agency(a.id), a);
      return Promise.all([invalidate(), qc.invalidateQueries({ queryKey: keys.matter() })]);
    },
  });
}
