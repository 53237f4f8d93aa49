import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import type { z } from "zod";

export interface FieldError {
  path: string;
  message: string;
  allowed?: string[];
}

/** The one error type of the application; the error handler turns it into problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: { errors?: FieldError[]; current?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export const notFound = (entity: string, key: string) =>
  new AppError("not_found", 404, `No ${entity} has the id or slug "${key}"`);

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  412: "Precondition failed",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  428: "Precondition required",
  429: "Too many attempts",
  500: "Internal server error",
};

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => {
    const fe: FieldError = { path: issue.path.map(String).join("."), message: issue.message };
    if (issue.code === "invalid_value") fe.allowed = issue.values.map(String);
    return fe;
  });
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extra = {},
) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `https://accord.invalid/problems/${code}`,
      title: TITLES[status] ?? "Error",
      status,
      detail,
      code,
      requestId: req.id,
      ...extra,
    });
}

/** PostgreSQL's codes for text with a NUL byte or an invalid encoding. */
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

/** The SQLSTATE of a database error, through Drizzle's wrapping (`cause`). */
function databaseErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function installErrorHandler(app: FastifyInstance, options: { spa: boolean }) {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) {
      for (const [k, v] of Object.entries(error.details.headers ?? {})) reply.header(k, v);
      const extra: Record<string, unknown> = {};
      if (error.details.errors) extra.errors = error.details.errors;
      if (error.details.current !== undefined) extra.current = error.details.current;
      return send(reply, req, error.status, error.code, error.message, extra);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: FieldError[] = error.validation.map((v) => {
        const values = (v.params as { values?: unknown[] }).values;
        const fe: FieldError = {
          path: v.instancePath.replace(/^\//, "").replaceAll("/", "."),
          message: v.message ?? "Invalid value",
        };
        if (Array.isArray(values)) fe.allowed = values.map(String);
        return fe;
      });
      const where = error.validationContext ?? "request";
      const first = errors[0];
      const detail = first
        ? `Invalid ${where}: ${first.path || "(root)"}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`
        : `Invalid ${where}`;
      return send(reply, req, 400, "validation_failed", detail, { errors });
    }
    if (isResponseSerializationError(error as never)) {
      req.log.error({ err: error }, "response did not match its schema");
      return send(reply, req, 500, "internal_error", "The server failed to answer this request");
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const fe = error as FastifyError;
      const code =
        fe.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError
          ? "malformed_json"
          : fe.code === "FST_ERR_CTP_BODY_TOO_LARGE"
            ? "payload_too_large"
            : fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
              ? "unsupported_media_type"
              : "bad_request";
      return send(reply, req, status, code, error.message);
    }
    // Text PostgreSQL cannot store (a NUL byte) is the request's fault, wherever it was sent.
    if (UNSTORABLE_TEXT.has(databaseErrorCode(error) ?? "")) {
      return send(
        reply,
        req,
        400,
        "invalid_text",
        "The request holds a character that cannot be stored (a NUL byte, \\u0000): remove it and send it again",
      );
    }
    // Unknown errors may carry SQL and its parameters: log them, answer a bare 500.
    req.log.error({ err: error }, "unhandled error");
    return send(reply, req, 500, "internal_error", "The server failed to answer this request");
  });

  app.setNotFoundHandler((req, reply) => {
    // Deep links into the web app (/matters/baltimore-bpd-2017) get the app, which routes itself.
    // A file extension in the path (not in the query: /search?q=12601.5) means a missing file.
    const path = req.url.split("?")[0] ?? "";
    const isPage = req.method === "GET" && !path.startsWith("/api/") && !/\.[a-z0-9]+$/i.test(path);
    if (options.spa && isPage) return reply.type("text/html").sendFile("index.html");
    return send(reply, req, 404, "route_not_found", `No route ${req.method} ${req.url}`);
  });
}
