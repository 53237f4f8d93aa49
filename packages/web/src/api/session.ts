import type { ApiToken, Permission, Session, SessionUser } from "@accord/domain";
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { browserStorage, clearStoredDrafts } from "../lib/stored-drafts";
import { api, setCsrfToken } from "./client";

/** Who is signed in (`GET /api/v1/session`) and the user it names: shapes from the domain. */
export type { Session, SessionUser } from "@accord/domain";

/** The signed-in user's role must use a second factor they have not set up yet. */
export function mustEnrolSecondFactor(session: Session | undefined): boolean {
  return Boolean(session?.user && session.totp?.required && !session.totp.enabled);
}

/** The signed-in user's password was generated for them: they must choose their own first. */
export function mustChangePassword(session: Session | undefined): boolean {
  return Boolean(session?.user && session.passwordChangeRequired);
}

export type { ApiToken } from "@accord/domain";

export const SIGNED_OUT: Session = {
  user: null,
  csrfToken: null,
  permissions: [],
  authVia: null,
  totp: null,
  passwordChangeRequired: false,
  publicRead: false,
  singleSignOn: null,
};

const V1 = "/api/v1";
export const sessionKey = ["session"] as const;
const tokensKey = ["tokens"] as const;

/** Keep a session answer: in the cache for the screens, and its anti-CSRF proof for the client. */
export function rememberSession(qc: QueryClient, session: Session): void {
  setCsrfToken(session.csrfToken);
  qc.setQueryData(sessionKey, session);
}

/**
 * The signed-in user and what they may do; `data.user` is null when nobody is signed in.
 * `refetchOnMount: "always"` asks the server again even if the answer is fresh (the sign-in page:
 * a session ended here is replaced by SIGNED_OUT, which knows nothing of single sign-on).
 */
export function useSession(options: { refetchOnMount?: "always" } = {}) {
  return useQuery({
    refetchOnMount: options.refetchOnMount ?? true,
    queryKey: sessionKey,
    queryFn: async ({ signal }) => {
      const session = await api.get<Session>(`${V1}/session`, undefined, signal);
      setCsrfToken(session.csrfToken);
      return session;
    },
    staleTime: 60_000,
    refetchOnWindowFocus: true,
  });
}

/** The signed-in user; only for screens inside the signed-in part of the app. */
export function useCurrentUser(): SessionUser | null {
  return useSession().data?.user ?? null;
}

/**
 * Whether the signed-in user holds a permission (the domain's policy, as the server reports
 * it for this user). Actions a user may not take are not offered: check with this hook.
 */
export function useCan(permission: Permission): boolean {
  const { data } = useSession();
  return data?.permissions.includes(permission) ?? false;
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string; code?: string }) =>
      api.post<Session>(`${V1}/session`, body),
    onSuccess: (session) => {
      // Nothing read for someone else may show for this user.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      rememberSession(qc, session);
    },
  });
}

/**
 * Ends the session, then reloads on the sign-in page so nothing of it stays in memory, nor in
 * this browser's storage (review drafts kept there are forgotten).
 */
export function useSignOut() {
  return useMutation({
    mutationFn: () => api.delete(`${V1}/session`),
    onSettled: () => {
      setCsrfToken(null);
      clearStoredDrafts(browserStorage());
      window.location.replace("/sign-in");
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post<Session>(`${V1}/session/password`, body),
    onSuccess: (session) => rememberSession(qc, session),
  });
}

// ---------------------------------------------------------------- second factor (TOTP)

/** Start enrolling an authenticator app: its secret, and the otpauth address for it. */
export function useStartTotp() {
  return useMutation({
    mutationFn: () => api.post<{ secret: string; otpauthUrl: string }>(`${V1}/session/totp`, {}),
  });
}

/** Finish enrolling with the app's first code; answers the ten recovery codes, shown once. */
export function useConfirmTotp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      api.post<{ recoveryCodes: string[] }>(`${V1}/session/totp/confirm`, { code }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKey }),
  });
}

export function useRemoveTotp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => api.post<void>(`${V1}/session/totp/remove`, { password }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKey }),
  });
}

// ---------------------------------------------------------------- API tokens

export function useTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: ({ signal }) => api.get<{ items: ApiToken[] }>(`${V1}/tokens`, undefined, signal),
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<ApiToken & { token: string }>(`${V1}/tokens`, { name }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${V1}/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}
