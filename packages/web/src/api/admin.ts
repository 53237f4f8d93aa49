import type { Assignment, AuditEntry, CreateUser, UpdateUser, User, UserWithPassword } from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, hasCode, type Query, request } from "./client";
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

/** The version an answer's ETag names (`"7"` → 7), or null. */
const versionOfEtag = (etag: string | null) => {
  const m = /^"(\d+)"$/.exec(etag ?? "");
  return m ? Number(m[1]) : null;
};

/**
 * An assignment changes the monitor (the server versions a monitor's set of matters with the
 * monitor: If-Match names the monitor's version, and the answer's ETag the new one), the monitor's
 * lists and the matter's History (it is audited there): the new version goes into the users list
 * at once, so the next change names it, and all of those are read again. A 412 means another
 * administrator changed the monitor meanwhile: the lists are read again to show what they did.
 */
function useAssignmentChanged() {
  const qc = useQueryClient();
  const invalidate = () =>
    Promise.all(
      [keys.users, keys.assignments(), keys.history(), keys.audit(), keys.matters(), keys.dashboard].map(
        (queryKey) => qc.invalidateQueries({ queryKey }),
      ),
    );
  return {
    saved: (user: string, etag: string | null) => {
      const version = versionOfEtag(etag);
      if (version !== null) {
        qc.setQueryData<{ items: User[] }>(keys.users, (list) =>
          list
            ? {
                ...list,
                items: list.items.map((u) => (u.id === user || u.username === user ? { ...u, version } : u)),
              }
            : list,
        );
      }
      return invalidate();
    },
    refused: (error: unknown) => {
      if (hasCode(error, "version_conflict")) void invalidate();
    },
  };
}

/** Which monitor and which version of them (the users list's `version`) a change is based on. */
interface MonitorChange {
  matter: string;
  /** The monitor's id (or user name). */
  user: string;
  /** The monitor's version as read (If-Match). */
  version: number;
}

/** Assign a monitor to a matter; assigning again changes nothing. 409 when not an active monitor. */
export function useAssign() {
  const changed = useAssignmentChanged();
  return useMutation({
    mutationFn: async ({ matter, user, version }: MonitorChange) => {
      const path = `${V1}/matters/${enc(matter)}/assignments/${enc(user)}`;
      const answer = await request<Assignment>("PUT", path, { version });
      await changed.saved(user, answer.etag);
      return answer.data;
    },
    onError: changed.refused,
  });
}

/** Take a monitor off a matter. */
export function useUnassign() {
  const changed = useAssignmentChanged();
  return useMutation({
    mutationFn: async ({ matter, user, version }: MonitorChange) => {
      const path = `${V1}/matters/${enc(matter)}/assignments/${enc(user)}`;
      const answer = await request<void>("DELETE", path, { version });
      await changed.saved(user, answer.etag);
    },
    onError: changed.refused,
  });
}

/** Assign a monitor to many matters at once; those already assigned are counted, not changed. */
export function useAssignMany() {
  const changed = useAssignmentChanged();
  return useMutation({
    mutationFn: async ({ version, ...body }: { user: string; matterIds: string[]; version: number }) => {
      const answer = await request<{ assigned: number; alreadyAssigned: number }>(
        "POST",
        `${V1}/assignments`,
        { body, version },
      );
      await changed.saved(body.user, answer.etag);
      return answer.data;
    },
    onError: changed.refused,
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
