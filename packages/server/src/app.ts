import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Role } from "@accord/domain";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import type { OidcConfig } from "./config.js";
import { appError } from "./context/app-error.js";
import type { CommandContext } from "./context/command-context.js";
import type { Db } from "./db/open.js";
import { frameworkErrors, installErrorHandler } from "./http/errors.js";
import { ReadCache } from "./http/read-cache.js";
import { agencyRoutes } from "./modules/agencies/index.js";
import { assignmentRoutes } from "./modules/assignments/index.js";
import { auditRoutes, DenialLog } from "./modules/audit/index.js";
import { authPlugin, oidcRoutes, sessionRoutes, tokenRoutes } from "./modules/auth/index.js";
import { calendarRoutes } from "./modules/calendar/index.js";
import { complianceRoutes, ratingDraftRoutes } from "./modules/compliance/index.js";
import { dashboardRoutes } from "./modules/dashboard/index.js";
import { BlobStore, documentRoutes } from "./modules/documents/index.js";
import { eventRoutes } from "./modules/events/index.js";
import { grantRoutes } from "./modules/grants/index.js";
import { importRoutes } from "./modules/imports/index.js";
import { jurisdictionRoutes } from "./modules/jurisdictions/index.js";
import { matterRoutes } from "./modules/matters/index.js";
import { notificationRoutes } from "./modules/notifications/index.js";
import { provisionRoutes } from "./modules/provisions/index.js";
import { reviewRoutes } from "./modules/reviews/index.js";
import { savedSearchRoutes } from "./modules/saved-searches/index.js";
import { defaultSearchLimits, SearchGate, type SearchLimits, searchRoutes } from "./modules/search/index.js";
import { statisticsRoutes } from "./modules/statistics/index.js";
import { userRoutes } from "./modules/users/index.js";
import { webhookRoutes } from "./modules/webhooks/index.js";

declare module "fastify" {
  interface FastifyInstance {
    db: Db;
    clock: () => Date;
    readCache: ReadCache;
    /** The bounded queue and time limit of searches. */
    searchGate: SearchGate;
  }
  interface FastifyRequest {
    ctx: CommandContext;
  }
}

export interface AppDeps {
  db: Db;
  /** Built web app to serve at /, when present. */
  webDir?: string | null;
  logger?: FastifyServerOptions["logger"];
  clock?: () => Date;
  version?: string;
  engine?: "pglite" | "postgres";
  /** The embedded database's in-memory count of committed changes (see Database.localVersion). */
  localVersion?: (() => number) | undefined;
  /** Largest accepted request body in bytes (default 1 MiB); larger ones get 413. */
  bodyLimit?: number;
  /**
   * Trust X-Forwarded-* from this many proxy hops, or from these proxy addresses (cookies are then
   * Secure over https); never from every hop.
   */
  trustProxy?: false | number | string[];
  /** Who may read the interactive API docs at /api/docs (ACCORD_API_DOCS). */
  apiDocs?: "public" | "signed-in" | "off";
  /** Roles that must enrol a second factor (TOTP) before anything else. */
  totpRequiredRoles?: readonly Role[];
  /** Sessions unused for this long end (default 60). */
  sessionIdleMinutes?: number;
  /** A session ends this long after sign-in however busy (default 12 hours). */
  sessionMaxHours?: number;
  /** Anonymous visitors may read the matters and events marked public (ACCORD_PUBLIC_READ=1). */
  publicRead?: boolean;
  /** Single sign-on through OpenID Connect (null: off). */
  oidc?: OidcConfig | null;
  /** Log every request (LOG_LEVEL=debug); otherwise only warnings and errors are logged. */
  logRequests?: boolean;
  /** The data directory: uploaded files are stored in its blobs/ folder (default: a temporary one). */
  dataDir?: string;
  /** The largest uploaded file in bytes (ACCORD_UPLOAD_LIMIT_MB; default 100 MB); larger ones get 413. */
  uploadLimitBytes?: number;
  /** Called when extraction jobs were queued, to wake the job runner (see jobs/job-runner.ts). */
  wakeJobs?: () => void;
  /** Whether e-mail can be sent (ACCORD_SMTP_URL is set): the settings page says so. */
  emailAvailable?: boolean;
  /** Webhooks may be registered for loopback and private addresses (ACCORD_WEBHOOK_ALLOW_PRIVATE=1). */
  webhookAllowPrivate?: boolean;
  /** Searches at once, waiting, and their time limit (default: by engine, see modules/search/limits.ts). */
  searchLimits?: SearchLimits;
}

/**
 * What the log never holds (pino `redact`), however a value reaches it: credentials in request
 * headers (also where a plugin logs them, as @fastify/multipart does its busboy options at
 * trace level) and password or second-factor fields of any object logged.
 */
export const LOG_REDACT = {
  paths: [
    ...["headers", "*.headers"].flatMap((h) =>
      ["authorization", "cookie", '["set-cookie"]', '["x-csrf-token"]'].map((k) =>
        k.startsWith("[") ? `${h}${k}` : `${h}.${k}`,
      ),
    ),
    ...["password", "currentPassword", "newPassword", "secret", "recoveryCodes", "csrfToken"].flatMap((k) => [
      k,
      `*.${k}`,
    ]),
  ],
  censor: "[redacted]",
};

/** Query parameters that carry a credential: a feed token, a single sign-on code and state. */
const SECRET_QUERY_PARAMS = new Set([
  "token",
  "code",
  "state",
  "access_token",
  "id_token",
  "refresh_token",
  "password",
]);

/** A request address as the log may hold it: each credential's value in the query is replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const key of new Set(params.keys()))
    if (SECRET_QUERY_PARAMS.has(key.toLowerCase())) {
      params.set(key, LOG_REDACT.censor);
      changed = true;
    }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

/** Fastify's own request serializer, with the address's credentials redacted (see redactUrl). */
const LOG_SERIALIZERS = {
  req: (req: {
    method: string;
    url: string;
    headers?: Record<string, string | string[] | undefined>;
    host?: string;
    ip?: string;
    socket?: { remotePort?: number };
  }) => ({
    method: req.method,
    url: redactUrl(req.url),
    version: req.headers?.["accept-version"]?.toString(),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};

/** Files of the web app's folder that are never served: source maps, dot files and folders. */
const NOT_SERVED = /\.map$|(^|\/)\./i;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.logger && typeof deps.logger === "object"
        ? { redact: LOG_REDACT, serializers: LOG_SERIALIZERS, ...deps.logger }
        : (deps.logger ?? false),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    logController: new LogController({ disableRequestLogging: !deps.logRequests }),
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    // A hop count as proxy-addr's trust function (what Fastify does with a number, which its
    // types omit): the first n hops before us are proxies, the address before them the client.
    trustProxy:
      typeof deps.trustProxy === "number"
        ? (_address: string, hop: number) => hop < (deps.trustProxy as number)
        : (deps.trustProxy ?? false),
    // Draining on close: in-flight requests finish, new connections are refused.
    forceCloseConnections: "idle",
    // A path parameter may be a slug (at most 120 characters) or a provision's label; longer
    // ones are refused (414) before routing, as problem+json.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();

  // JSON sent as text/plain (a body a cross-site form or fetch may send without a preflight) is
  // refused with 415, not parsed as a string; no route reads plain text.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate("db", deps.db);
  app.decorate("clock", deps.clock ?? (() => new Date()));
  app.decorate("readCache", new ReadCache(deps.localVersion));
  const engine = deps.engine ?? "pglite";
  app.decorate("searchGate", new SearchGate(engine, deps.searchLimits ?? defaultSearchLimits(engine)));
  app.decorateRequest("ctx", null as unknown as CommandContext);
  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
    // API answers hold records a shared computer's cache must not keep; a route that may be
    // cached says so itself (the calendar feeds).
    if (req.url.startsWith("/api/")) reply.header("cache-control", "no-store");
  });
  const webDir = deps.webDir && existsSync(join(deps.webDir, "index.html")) ? deps.webDir : null;
  const denials = new DenialLog(deps.db, app.clock);
  installErrorHandler(app, { spa: webDir !== null, onRefused: (req, error) => denials.record(req, error) });

  // Before the auth hook: a request it refuses still gets the security headers.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        "default-src": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "form-action": ["'self'"],
      },
    },
  });

  await app.register(cookie);
  // Before any route: it checks that every route declares its policy, and enforces it.
  await app.register(authPlugin, {
    sessionIdleMinutes: deps.sessionIdleMinutes ?? 60,
    sessionMaxHours: deps.sessionMaxHours ?? 12,
    totpRequiredRoles: deps.totpRequiredRoles ?? [],
    localVersion: deps.localVersion,
    publicRead: deps.publicRead ?? false,
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Accord API",
        version: deps.version ?? "0.1.0",
        description:
          "The registry of federal agreements with local law enforcement. Errors are RFC 9457 problem+json. Updates send If-Match with the version they read: a stale one gets 412 with the current record, a missing one 428.",
      },
    },
    transform: jsonSchemaTransform,
  });
  // The interactive API docs: public, for signed-in users (the default unless public reading is
  // on), or not served at all. The OpenAPI document itself stays at /api/openapi.json.
  const apiDocs = deps.apiDocs ?? (deps.publicRead ? "public" : "signed-in");
  if (apiDocs !== "off") {
    await app.register(swaggerUi, {
      routePrefix: "/api/docs",
      uiHooks: {
        onRequest: async (req) => {
          if (apiDocs === "signed-in" && !req.user)
            throw appError("unauthenticated", "Sign in to read the API documentation");
        },
      },
    });
  }
  app.get("/api/openapi.json", { config: { policy: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    "/healthz",
    {
      schema: {
        tags: ["health"],
        response: { 200: z.object({ status: z.literal("ok"), engine: z.string() }) },
      },
    },
    async () => {
      await app.db.execute(sql`select 1`);
      return { status: "ok" as const, engine: deps.engine ?? "pglite" };
    },
  );

  await app.register(
    async (api) => {
      await api.register(matterRoutes);
      await api.register(eventRoutes);
      await api.register(jurisdictionRoutes);
      await api.register(agencyRoutes);
      await api.register(dashboardRoutes);
      await api.register(calendarRoutes, { publicRead: deps.publicRead ?? false });
      await api.register(grantRoutes);
      await api.register(statisticsRoutes);
      await api.register(importRoutes);
      await api.register(sessionRoutes, {
        totpRequiredRoles: deps.totpRequiredRoles ?? [],
        publicRead: deps.publicRead ?? false,
        singleSignOn: deps.oidc ? { label: deps.oidc.label } : null,
      });
      if (deps.oidc) await api.register(oidcRoutes, { oidc: deps.oidc });
      await api.register(userRoutes);
      await api.register(tokenRoutes);
      await api.register(auditRoutes);
      await api.register(assignmentRoutes);
      await api.register(reviewRoutes);
      const store = new BlobStore(deps.dataDir ?? join(tmpdir(), `accord-${process.pid}`));
      // Uploads a crashed process was staging. Embedded, this process holds the data directory
      // (its lock): anything from before it started is dead. Several servers on one PostgreSQL
      // may share the folder, so there only files untouched for an hour count as dead.
      const started = Date.now() - process.uptime() * 1000;
      await store.sweepStaged(
        new Date(
          (deps.engine ?? "pglite") === "pglite" ? started : Math.min(started, Date.now() - 3_600_000),
        ),
      );
      await api.register(documentRoutes, {
        store,
        uploadLimitBytes: deps.uploadLimitBytes ?? 100 * 1024 * 1024,
        wakeJobs: deps.wakeJobs ?? (() => {}),
      });
      await api.register(searchRoutes);
      await api.register(provisionRoutes);
      await api.register(complianceRoutes);
      await api.register(ratingDraftRoutes);
      await api.register(notificationRoutes, { emailAvailable: deps.emailAvailable ?? false });
      await api.register(webhookRoutes, { allowPrivate: deps.webhookAllowPrivate ?? false });
      await api.register(savedSearchRoutes);
    },
    { prefix: "/api/v1" },
  );

  if (webDir) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      // Never served, should a build hold them: source maps (the source code) and dot files
      // and folders (a checkout's .git/, an .env).
      globIgnore: ["**/*.map"],
      allowedPath: (path) => !NOT_SERVED.test(path),
    });
    app.get("/", { schema: { hide: true } }, (_req, reply) => reply.sendFile("index.html"));
  }
  return app;
}
