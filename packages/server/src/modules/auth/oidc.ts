import { isRole, ROLES, type Role } from "@accord/domain";
import * as client from "openid-client";
import type { OidcConfig } from "../../config.js";
import { appError } from "../../context/app-error.js";

/** Where the provider sends the user back, unless ACCORD_OIDC_REDIRECT_URI says otherwise. */
export const OIDC_CALLBACK_PATH = "/api/v1/session/oidc/callback";
/** A sign-in attempt (its state, nonce and PKCE verifier) is good for this long. */
export const OIDC_LOGIN_TTL_MINUTES = 10;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/** Whether the URL names this machine: the only place a plain-http provider is accepted. */
export const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname);

/**
 * The issuer as a URL; refuses anything but https, except on a loopback address (a provider
 * running next to the server, or in a test). Called when the routes are registered, so a wrong
 * setting stops the server at start rather than at the first sign-in.
 */
export function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`ACCORD_OIDC_ISSUER must be a URL, got ${issuer}`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopback(url)) return url;
  throw new Error(
    `ACCORD_OIDC_ISSUER must use https (plain http only for 127.0.0.1, ::1 or localhost), got ${issuer}`,
  );
}

/**
 * The provider's configuration, discovered at first use and then kept; a failed discovery is
 * not kept, so the next sign-in tries again. The client authenticates with its secret
 * (client_secret_basic, the default of OpenID Connect).
 */
export function oidcClient(options: OidcConfig, timeoutSeconds = 10) {
  const issuer = parseIssuer(options.issuer);
  if (options.redirectUri) {
    try {
      new URL(options.redirectUri);
    } catch {
      throw new Error(`ACCORD_OIDC_REDIRECT_URI must be an absolute URL, got ${options.redirectUri}`);
    }
  }
  let configuration: Promise<client.Configuration> | null = null;
  const discover = () =>
    client.discovery(
      issuer,
      options.clientId,
      options.clientSecret,
      client.ClientSecretBasic(options.clientSecret),
      {
        timeout: timeoutSeconds,
        // openid-client refuses plain http unless told; parseIssuer allowed it for loopback only.
        execute: issuer.protocol === "http:" ? [client.allowInsecureRequests] : [],
      },
    );
  return {
    issuer,
    /** The discovered configuration, or 503 sso_unavailable when the provider cannot be asked. */
    async configuration(log?: (error: unknown) => void): Promise<client.Configuration> {
      configuration ??= discover().catch((error: unknown) => {
        configuration = null;
        throw error;
      });
      try {
        return await configuration;
      } catch (error) {
        log?.(error);
        throw appError(
          "sso_unavailable",
          "The identity provider cannot be reached or did not answer as an OpenID provider; try again later",
        );
      }
    },
  };
}
export type OidcClient = ReturnType<typeof oidcClient>;

/**
 * A path inside this site to go back to after signing in: one leading "/" (not "//", nor "/\",
 * which browsers read as another host), no control characters; anything else is "/".
 */
export function safeReturnTo(value: string | undefined): string {
  if (!value || value.length > 2000) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return "/";
  const base = "http://accord.invalid";
  try {
    const url = new URL(value, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}

/**
 * The role a claim value gives: a value that names a role is that role, others go through the
 * role map; of several, the most privileged (ROLES is in that order). No match: the default
 * role, or null (refused).
 */
export function roleFromClaim(
  value: unknown,
  options: Pick<OidcConfig, "roleMap" | "defaultRole">,
): Role | null {
  const values =
    typeof value === "string"
      ? [value]
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === "string")
        : [];
  const roles = new Set<Role>();
  for (const v of values) {
    if (isRole(v)) roles.add(v);
    // Own keys only: a claim of "constructor" must not reach Object.prototype.
    else if (Object.hasOwn(options.roleMap, v)) roles.add(options.roleMap[v] as Role);
  }
  return ROLES.find((role) => roles.has(role)) ?? options.defaultRole;
}

/** The user name a new single sign-on user gets: preferred_username, else email, else sso-<sub>. */
export function usernameFromClaims(claims: Record<string, unknown>, sub: string): string {
  for (const key of ["preferred_username", "email"]) {
    const value = claims[key];
    if (typeof value === "string" && value.trim()) return value.trim().toLowerCase().slice(0, 100);
  }
  return `sso-${sub}`.toLowerCase().slice(0, 100);
}
