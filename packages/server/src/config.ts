import { resolve } from "node:path";
import { ROLES, type Role } from "@accord/domain";
import { findUp } from "./db/open.js";
import type { MailConfig } from "./modules/notifications/index.js";
import {
  DEFAULT_SEARCH_QUEUE,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  defaultSearchConcurrency,
  type SearchLimits,
} from "./modules/search/limits.js";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The embedded database's buffer pool (ACCORD_PGLITE_SHARED_BUFFERS, 32MB). */
  pgliteSharedBuffers: string;
  /**
   * ACCORD_PGLITE_WORKER=1: `accord serve` runs the embedded database in a worker thread of its
   * own, so that a long statement does not hold the thread serving HTTP (db/pglite-worker.ts).
   */
  pgliteWorker: boolean;
  webDir: string | null;
  bundlePath: string | null;
  logLevel: string;
  /** The first administrator's password (else a random one is printed once). */
  adminPassword: string | undefined;
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however busy (ACCORD_SESSION_MAX_HOURS, 12). */
  sessionMaxHours: number;
  /** Roles that must enrol a second factor (ACCORD_TOTP_REQUIRED_ROLES, comma-separated). */
  totpRequiredRoles: Role[];
  /**
   * Behind reverse proxies: how many hops to trust (1 for one proxy), or the proxies' addresses
   * (CIDRs allowed). Only what those proxies append to X-Forwarded-* is believed; false: none.
   */
  trustProxy: TrustProxy;
  /** Who may read the interactive API docs (ACCORD_API_DOCS: public, signed-in or off). */
  apiDocs: "public" | "signed-in" | "off";
  /** ACCORD_PUBLIC_READ=1: anonymous visitors may read the matters and events marked public. */
  publicRead: boolean;
  /** Single sign-on through an OpenID Connect provider, when ACCORD_OIDC_ISSUER is set. */
  oidc: OidcConfig | null;
  /** The largest uploaded file, in bytes (ACCORD_UPLOAD_LIMIT_MB, default 100). */
  uploadLimitBytes: number;
  /** Text extraction: pages read at most (ACCORD_MAX_PAGES, 2000), time per document
   * (ACCORD_EXTRACT_TIMEOUT_S, 120), each worker process's V8 heap (ACCORD_EXTRACT_HEAP_MB, 512)
   * and all its memory, set by the operating system (ACCORD_EXTRACT_MEMORY_MB, 1024), and the
   * worker processes one PDF may be read with (ACCORD_EXTRACT_THREADS, 2 on two cores or more). */
  extraction: {
    maxPages: number;
    timeoutMs: number;
    heapMb: number;
    memoryMb: number;
    spareIdleMs: number;
    threads?: number;
  };
  /**
   * E-mail of notifications, when ACCORD_SMTP_URL is set (with ACCORD_MAIL_FROM; links use
   * ACCORD_PUBLIC_URL, default http://HOST:PORT; digests go out from ACCORD_DIGEST_HOUR, 7 UTC).
   */
  mail: MailConfig | null;
  /** ACCORD_WEBHOOK_ALLOW_PRIVATE=1: webhooks may target loopback and private addresses. */
  webhookAllowPrivate: boolean;
  /**
   * Searches: a statement's time limit (ACCORD_STATEMENT_TIMEOUT_MS, 5000), how many run at once
   * (ACCORD_SEARCH_CONCURRENCY, 1 on PGlite, 4 on PostgreSQL) and how many may wait
   * (ACCORD_SEARCH_QUEUE, 100); beyond, 503 with Retry-After.
   */
  search: SearchLimits;
}

export interface OidcConfig {
  /** The provider's issuer URL (its discovery document is at /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim (in the ID token or from userinfo) that names the user's role. Default "accord_role". */
  roleClaim: string;
  /** Claim values mapped to roles ("accord-admins=admin,auditors=viewer"); a role's own name always maps to it. */
  roleMap: Record<string, Role>;
  /** The role given when the claim names none of Accord's roles; null refuses the sign-in. */
  defaultRole: Role | null;
  /** The button's text on the sign-in page. Default "Sign in with single sign-on". */
  label: string;
  /** Where the provider sends the user back; default: this server's /api/v1/session/oidc/callback. */
  redirectUri: string | null;
}

function parseRole(value: string, name: string): Role {
  if (!(ROLES as readonly string[]).includes(value))
    throw new Error(`${name} must name a role (${ROLES.join(", ")}), got ${value}`);
  return value as Role;
}

function loadOidcConfig(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = env.ACCORD_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.ACCORD_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.ACCORD_OIDC_CLIENT_SECRET;
  if (!clientId || !clientSecret)
    throw new Error(
      "ACCORD_OIDC_ISSUER is set: ACCORD_OIDC_CLIENT_ID and ACCORD_OIDC_CLIENT_SECRET are needed too",
    );
  const roleMap: Record<string, Role> = {};
  for (const pair of (env.ACCORD_OIDC_ROLE_MAP ?? "").split(",")) {
    if (!pair.trim()) continue;
    const [claim, role] = pair.split("=").map((part) => part.trim());
    if (!claim || !role) throw new Error(`ACCORD_OIDC_ROLE_MAP entries look like value=role, got ${pair}`);
    roleMap[claim] = parseRole(role, "ACCORD_OIDC_ROLE_MAP");
  }
  return {
    issuer,
    clientId,
    clientSecret,
    roleClaim: env.ACCORD_OIDC_ROLE_CLAIM?.trim() || "accord_role",
    roleMap,
    defaultRole: env.ACCORD_OIDC_DEFAULT_ROLE
      ? parseRole(env.ACCORD_OIDC_DEFAULT_ROLE.trim(), "ACCORD_OIDC_DEFAULT_ROLE")
      : null,
    label: env.ACCORD_OIDC_LABEL?.trim() || "Sign in with single sign-on",
    redirectUri: env.ACCORD_OIDC_REDIRECT_URI?.trim() || null,
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
}

export type TrustProxy = false | number | string[];

/** A switch: 1 (on) or 0 (off); unset, the default. */
function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (raw === "1" || raw === "0") return raw === "1";
  throw new Error(`${name} must be 1 (on) or 0 (off), got ${raw}`);
}

/** ACCORD_API_DOCS; unset: public when public reading is on, else for signed-in users. */
function parseApiDocs(raw: string | undefined, publicRead: boolean): "public" | "signed-in" | "off" {
  const value = raw?.trim();
  if (!value) return publicRead ? "public" : "signed-in";
  if (value === "public" || value === "signed-in" || value === "off") return value;
  throw new Error(`ACCORD_API_DOCS must be public, signed-in or off, got ${raw}`);
}

/**
 * ACCORD_TRUST_PROXY: a number of proxy hops, or a comma-separated list of proxy addresses or
 * CIDRs. Never "trust every hop": a client could then name any address in X-Forwarded-For and
 * escape the per-address sign-in limit or forge the audit trail's address.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim();
  if (!value || value === "0") return false;
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = value
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const bad = addresses.find((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a));
  if (bad !== undefined || addresses.length === 0) {
    throw new Error(
      `ACCORD_TRUST_PROXY must be a number of proxy hops (1 for one proxy) or a comma-separated list of proxy addresses, got ${raw}`,
    );
  }
  return addresses;
}

/** A PostgreSQL memory setting such as 32MB: a number and kB, MB or GB, at least 128kB. */
function memorySize(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const m = /^(\d+)\s*(kB|MB|GB)$/i.exec(raw);
  const kb = m ? Number(m[1]) * { kb: 1, mb: 1024, gb: 1024 * 1024 }[m[2]!.toLowerCase() as "kb"] : 0;
  if (!m || kb < 128)
    throw new Error(`${name} must be a size such as 32MB (kB, MB or GB, at least 128kB), got ${raw}`);
  return `${m[1]}${{ kb: "kB", mb: "MB", gb: "GB" }[m[2]!.toLowerCase() as "kb"]}`;
}

/** The configuration, from environment variables only (the README lists them). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? "127.0.0.1",
    dataDir: resolve(env.ACCORD_DATA_DIR ?? "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteSharedBuffers: memorySize(env, "ACCORD_PGLITE_SHARED_BUFFERS", "32MB"),
    pgliteWorker: flag(env, "ACCORD_PGLITE_WORKER", false),
    webDir: env.ACCORD_WEB_DIR ? resolve(env.ACCORD_WEB_DIR) : (findUp("packages/web/dist") ?? findUp("web")),
    bundlePath: env.ACCORD_BUNDLE ? resolve(env.ACCORD_BUNDLE) : findUp("data/bundle/registry.json"),
    logLevel: env.LOG_LEVEL ?? "info",
    adminPassword: env.ACCORD_ADMIN_PASSWORD || undefined,
    // A value that is not a positive number would make sessions never expire: refuse it.
    sessionIdleMinutes: positive(env, "ACCORD_SESSION_IDLE_MINUTES", 60),
    sessionMaxHours: positive(env, "ACCORD_SESSION_MAX_HOURS", 12),
    trustProxy: parseTrustProxy(env.ACCORD_TRUST_PROXY),
    publicRead: env.ACCORD_PUBLIC_READ === "1",
    apiDocs: parseApiDocs(env.ACCORD_API_DOCS, env.ACCORD_PUBLIC_READ === "1"),
    oidc: loadOidcConfig(env),
    uploadLimitBytes: positive(env, "ACCORD_UPLOAD_LIMIT_MB", 100) * 1024 * 1024,
    extraction: {
      maxPages: positive(env, "ACCORD_MAX_PAGES", 2000),
      timeoutMs: positive(env, "ACCORD_EXTRACT_TIMEOUT_S", 120) * 1000,
      heapMb: positive(env, "ACCORD_EXTRACT_HEAP_MB", 512),
      memoryMb: positive(env, "ACCORD_EXTRACT_MEMORY_MB", 1024),
      spareIdleMs: positive(env, "ACCORD_EXTRACT_SPARE_IDLE_S", 60) * 1000,
      // Unset: the extraction module's default, from the machine's cores.
      ...(env.ACCORD_EXTRACT_THREADS
        ? { threads: Math.ceil(positive(env, "ACCORD_EXTRACT_THREADS", 1)) }
        : {}),
    },
    // Administrators and approving officials must use a second factor unless configured otherwise.
    totpRequiredRoles: (env.ACCORD_TOTP_REQUIRED_ROLES ?? "admin,approver")
      .split(",")
      .map((r) => r.trim())
      .filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    mail: loadMailConfig(env, env.HOST ?? "127.0.0.1", port),
    webhookAllowPrivate: env.ACCORD_WEBHOOK_ALLOW_PRIVATE === "1",
    search: {
      statementTimeoutMs: positive(env, "ACCORD_STATEMENT_TIMEOUT_MS", DEFAULT_STATEMENT_TIMEOUT_MS),
      concurrency: Math.ceil(
        positive(
          env,
          "ACCORD_SEARCH_CONCURRENCY",
          defaultSearchConcurrency(env.DATABASE_URL ? "postgres" : "pglite"),
        ),
      ),
      queue: Math.ceil(positive(env, "ACCORD_SEARCH_QUEUE", DEFAULT_SEARCH_QUEUE)),
    },
  };
}

/** ACCORD_SMTP_URL and ACCORD_MAIL_FROM (both, or neither: no e-mail is sent). */
export function loadMailConfig(env: NodeJS.ProcessEnv, host: string, port: number): MailConfig | null {
  const smtpUrl = env.ACCORD_SMTP_URL?.trim();
  if (!smtpUrl) return null;
  if (!/^smtps?:\/\//.test(smtpUrl)) throw new Error("ACCORD_SMTP_URL must start with smtp:// or smtps://");
  const from = env.ACCORD_MAIL_FROM?.trim();
  if (!from) throw new Error("ACCORD_SMTP_URL is set: ACCORD_MAIL_FROM (the From address) is needed too");
  const digestHour = Number(env.ACCORD_DIGEST_HOUR ?? 7);
  if (!Number.isInteger(digestHour) || digestHour < 0 || digestHour > 23)
    throw new Error(`ACCORD_DIGEST_HOUR must be an hour from 0 to 23, got ${env.ACCORD_DIGEST_HOUR}`);
  return {
    smtpUrl,
    from,
    publicUrl: env.ACCORD_PUBLIC_URL?.trim() || `http://${host}:${port}`,
    digestHour,
  };
}
