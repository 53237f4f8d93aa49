import type { Assignment, AuditEntry, CreateUser, UpdateUser, User, UserWithPassword } from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Query } from "./client";
import { keys, type Page } from "./hooks";

const V1 = "/api/v1";
const enc = encodeURIComponent;

// ---------------------------------------------------------------- users

export type { CreateUser, UpdateUser, User, UserWithPassword } from "@accord/domain";

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: ({ signal }) => api.get<{ items: User[] }>(`${V1}/users`, undefined, signal),
    enabled,
  });
}

export const fetchUser = (id: string) => api.get<User>(`${V1}/users/${enc(id)}`);

function useInvalidateUsers() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: keys.users }),
      qc.invalidateQueries({ queryKey: keys.audit() }),
    ]);
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: CreateUser) => api.post<UserWithPassword>(`${V1}/users`, body),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: string; version: number; patch: UpdateUser }) =>
      api.patch<User>(`${V1}/users/${enc(id)}`, patch, version),
    onSuccess: () => invalidate(),
  });
}

export function useResetPassword() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<UserWithPassword>(`${V1}/users/${enc(id)}/reset-password`, undefined),
    onSuccess: () => invalidate(),
  });
}

// ---------------------------------------------------------------- monitors' assignments

/** A monitor assigned to a matter (the monitor reads only the matters they are assigned to). */
export type { Assignment } from "@accord/domain";

/** The assignments of one monitor (`user`: id or user name) or of one matter (`matter`: id or slug). */
export function useAssignments(query: { user?: string; matter?: string; limit?: number }, enabled = true) {
  return useQuery({
    queryKey: keys.assignments(query),
    queryFn: ({ signal }) => api.get<Page<Assignment>>(`${V1}/assignments`, query, signal),
    enabled,
  });
}

/**
 * An assignment changes the monitor's lists and the matter's History (it is audited there): all
 * of those are read again.
 */
function useInvalidateAssignments() {
  const qc = useQueryClient();
  return () =>
    Promise.all(
      [keys.assignments(), keys.history(), keys.audit(), keys.matters(), keys.dashboard].map((queryKey) =>
        qc.invalidateQueries({ queryKey }),
      ),
    );
}

/** Assign a monitor to a matter; assigning again changes nothing. 409 when not an active monitor. */
export function useAssign() {
  const invalidate = useInvalidateAssignments();
  return useMutation({
    mutationFn: ({ matter, user }: { matter: string; user: string }) =>
      api.put<Assignment>(`${V1}/matters/${enc(matter)}/assignments/${enc(user)}`),
    onSuccess: () => invalidate(),
  });
}

/** Take a monitor off a matter. */
export function useUnassign() {
  const invalidate = useInvalidateAssignments();
  return useMutation({
    mutationFn: ({ matter, user }: { matter: string; user: string }) =>
      api.delete(`${V1}/matters/${enc(matter)}/assignments/${enc(user)}`),
    onSuccess: () => invalidate(),
  });
}

/** Assign a monitor to many matters at once; those already assigned are counted, not changed. */
export function useAssignMany() {
  const invalidate = useInvalidateAssignments();
  return useMutation({
    mutationFn: (body: { user: string; matterIds: string[] }) =>
      api.post<{ assigned: number; alreadyAssigned: number }>(`${V1}/assignments`, body),
    onSuccess: () => invalidate(),
  });
}

// ---------------------------------------------------------------- audit and history

/** The records whose changes have a History. */
export type HistoryEntity = "matter" | "event" | "jurisdiction" | "agency";

export function useAudit(query: Query) {
  return useQuery({
    queryKey: keys.audit(query),
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>(`${V1}/audit`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** The actions and record types the audit log holds (its filters offer them). */
export function useAuditFacets() {
  return useQuery({
    queryKey: ["audit-facets"],
    queryFn: ({ signal }) =>
      api.get<{ actions: string[]; entities: string[] }>(`${V1}/audit/facets`, {}, signal),
    staleTime: 60_000,
  });
}

/** The changes of one record, newest first. */
export function useHistory(entity: HistoryEntity, idOrSlug: string, query: Query) {
  return useQuery({
    queryKey: keys.history(entity, idOrSlug, query),
    queryFn: ({ signal }) =>
      api.get<Page<AuditEntry>>(`${V1}/history/${entity}/${enc(idOrSlug)}`, query, signal),
    placeholderData: keepPreviousData,
  });
}
