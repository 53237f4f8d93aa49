import { resolve } from "node:path";
import { ROLES, type Role } from "@accord/domain";
import { findUp } from "./db/open.js";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  webDir: string | null;
  bundlePath: string | null;
  logLevel: string;
  /** The first administrator's password (else a random one is printed once). */
  adminPassword: string | undefined;
  sessionIdleMinutes: number;
  /** Roles that must enrol a second factor (ACCORD_TOTP_REQUIRED_ROLES, comma-separated). */
  totpRequiredRoles: Role[];
  /** Behind a reverse proxy that terminates https: trust its X-Forwarded-* headers. */
  trustProxy: boolean;
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
    webDir: env.ACCORD_WEB_DIR ? resolve(env.ACCORD_WEB_DIR) : (findUp("packages/web/dist") ?? findUp("web")),
    bundlePath: env.ACCORD_BUNDLE ? resolve(env.ACCORD_BUNDLE) : findUp("data/bundle/registry.json"),
    logLevel: env.LOG_LEVEL ?? "info",
    adminPassword: env.ACCORD_ADMIN_PASSWORD || undefined,
    sessionIdleMinutes: Number(env.ACCORD_SESSION_IDLE_MINUTES ?? 60),
    trustProxy: env.ACCORD_TRUST_PROXY === "1",
    // Administrators and approving officials must use a second factor unless configured otherwise.
    totpRequiredRoles: (env.ACCORD_TOTP_REQUIRED_ROLES ?? "admin,approver")
      .split(",")
      .map((r) => r.trim())
      .filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
  };
}
