import { ERROR_CATALOGUE, type ErrorCode, PROBLEM_TITLES } from "@accord/domain";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type FieldError } from "../context/app-error.js";

/**
 * What a refusal tells of someone trying their luck, as its log line names it (check L4):
 * failed authentication (401), refusal by policy (403), a limit reached (429), a request that
 * does not validate. Each is written once, with the request id (req.log carries it), to the
 * server's log, not to the audit log: anyone can cause them without signing in, and a row for each
 * would let anyone grow the audit table, kept for good, without bound (issue 16, item 8). The
 * log is the operator's, rotated. (Refusals by policy are also audited, for signed-in callers
 * and throttled, record-denial.ts; failed sign-ins to known accounts too, sign-in.ts.)
 */
function securityEvent(status: number, code: ErrorCode): string | null {
  if (status === 401) return "authentication_failed";
  if (status === 403) return "forbidden";
  if (status === 429) return "rate_limited";
  if (code === "validation_failed" || code === "malformed_json") return "validation_failed";
  return null;
}

/** Answers problem+json; `status` only where Fastify decided it (else the code's own). */
function send(
  reply: FastifyReply,
  req: FastifyRequest,
  code: ErrorCode,
  detail: string = ERROR_CATALOGUE[code].message,
  extra = {},
  status: number = ERROR_CATALOGUE[code].status,
) {
  const event = securityEvent(status, code);
  if (event)
    req.log.info(
      {
        securityEvent: event,
        code,
        status,
        method: req.method,
        route: req.routeOptions.url ?? null,
        address: req.ip,
      },
      `refused: ${event}`,
    );
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `https://accord.invalid/problems/${code}`,
      title: PROBLEM_TITLES[status] ?? "Error",
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

/** The extensions of the files the web app serves: a path ending so is a missing file, not a page. */
const STATIC_FILE =
  /\.(?:js|mjs|css|map|json|html?|txt|xml|ico|png|jpe?g|gif|svg|webp|avif|woff2?|ttf|otf|wasm|pdf|webmanifest)$/i;

/**
 * Fastify's own refusals made before a route is found (a path that is not valid percent-encoding,
 * a path parameter over `maxParamLength`), as problem+json like every other answer: Fastify's
 * default writes plain JSON that skips the error handler.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
    return send(reply, req, "bad_request", "A part of the address is too long", {}, 414);
  if (error.code === "FST_ERR_BAD_URL")
    return send(reply, req, "bad_request", "The address is not valid (a bad percent-encoding)");
  return send(reply, req, "bad_request", error.message, {}, error.statusCode ?? 400);
}

export function installErrorHandler(
  app: FastifyInstance,
  options: {
    spa: boolean;
    /** Told of every refusal by policy (403) before it is answered: the audit log records it. */
    onRefused?: (req: FastifyRequest, error: AppError) => Promise<void>;
  },
) {
  app.setErrorHandler(async (error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) {
      if (ERROR_CATALOGUE[error.code].status === 403) await options.onRefused?.(req, error);
      for (const [k, v] of Object.entries(error.details.headers ?? {})) reply.header(k, v);
      const extra: Record<string, unknown> = {};
      if (error.details.errors) extra.errors = error.details.errors;
      if (error.details.current !== undefined) extra.current = error.details.current;
      return send(reply, req, error.code, error.message, extra);
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
      // The messages name their field ("Title can be at most 300 characters", see the domain's
      // messages.ts): the detail is the first of them, said as it would be beside the field.
      const first = errors[0];
      const more = errors.length - 1;
      const detail = first
        ? `${first.message}${more > 0 ? ` (and ${more} more ${more === 1 ? "problem" : "problems"})` : ""}`
        : "The request is not valid";
      return send(reply, req, "validation_failed", detail, { errors });
    }
    if (isResponseSerializationError(error as never)) {
      req.log.error({ err: error }, "response did not match its schema");
      return send(reply, req, "internal_error");
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const fe = error as FastifyError;
      const code: ErrorCode =
        fe.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError
          ? "malformed_json"
          : fe.code === "FST_ERR_CTP_BODY_TOO_LARGE"
            ? "payload_too_large"
            : fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
              ? "unsupported_media_type"
              : "bad_request";
      return send(reply, req, code, error.message, {}, status);
    }
    // Text PostgreSQL cannot store (a NUL byte) is the request's fault, wherever it was sent.
    if (UNSTORABLE_TEXT.has(databaseErrorCode(error) ?? "")) {
      return send(
        reply,
        req,
        "invalid_text",
        "The request holds a character that cannot be stored (a NUL byte, \\u0000): remove it and send it again",
      );
    }
    // Unknown errors may carry SQL and its parameters: log them, answer a bare 500.
    req.log.error({ err: error }, "unhandled error");
    return send(reply, req, "internal_error");
  });

  app.setNotFoundHandler((req, reply) => {
    // Deep links into the web app (/matters/baltimore-bpd-2017) get the app, which routes itself.
    // A static file's extension in the path (not in the query: /search?q=12601.5) means a
    // missing file; a provision's label is no file (/matters/x/provisions/III.A.1.b).
    const path = req.url.split("?")[0] ?? "";
    // A dot segment (/.git/config, /.env) is no page either: a probe gets a 404, not the app.
    const isPage =
      req.method === "GET" && !path.startsWith("/api/") && !STATIC_FILE.test(path) && !/\/\./.test(path);
    if (options.spa && isPage) return reply.type("text/html").sendFile("index.html");
    return send(reply, req, "route_not_found", `No route ${req.method} ${req.url}`);
  });
}
