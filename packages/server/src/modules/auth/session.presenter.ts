import { permissionsOf, type Role, type Session } from "@accord/domain";
import type { SessionUser } from "./sessions.js";

export interface SessionPresenterOptions {
  totpRequiredRoles: readonly Role[];
  publicRead: boolean;
  singleSignOn: { label: string } | null;
}

/** The session as GET /session and every sign-in answer it. */
export function presentSession(
  user: SessionUser | null,
  csrfToken: string | null,
  authVia: "session" | "token" | null,
  options: SessionPresenterOptions,
): Session {
  return {
    user,
    totp: user
      ? {
          enabled: user.totpEnabled,
          // Single sign-on leaves the second factor to the identity provider.
          required: !user.viaSso && options.totpRequiredRoles.includes(user.role),
        }
      : null,
    passwordChangeRequired: Boolean(user?.mustChangePassword),
    csrfToken,
    permissions: permissionsOf(user?.role ?? null),
    authVia,
    publicRead: options.publicRead,
    singleSignOn: options.singleSignOn
      ? { label: options.singleSignOn.label, startUrl: "/api/v1/session/oidc/start" }
      : null,
  };
}
