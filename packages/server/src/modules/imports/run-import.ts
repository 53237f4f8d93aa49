import { createHash, randomUUID } from "node:crypto";
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IMPORT_ERRORS_KEPT,
  type ImportErrorReport,
  type ImportKind,
  isErrorCode,
  parseCsv,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { AppError, type AppErrorDetails, appError, type FieldError } from "../../context/app-error.js";
import type { CommandContext } from "../../context/command-context.js";
import type { Tx } from "../../db/open.js";
import { imports } from "../../db/schema.js";
import { queryOne } from "../../db/sql.js";
import { recordAudit } from "../audit/index.js";

export interface ImportRequest {
  kind: ImportKind;
  csv: string;
  /** What else the request asked (the matter, query parameters, If-Match), fixed order: hashed with the file. */
  parameters: Record<string, unknown>;
  /** The Idempotency-Key header, parsed (none: the import is not deduplicated). */
  idempotencyKey?: string | undefined;
}

/** What an import answers: its status and body, and whether it was replayed from a first request. */
export interface ImportAnswer<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** What an import command calls inside its own transaction, so that its record commits with it. */
export interface ImportRecorder {
  /** The matter the import is for, once found (kept on a failed record too). */
  forMatter(matterId: string): void;
  /**
   * Writes the succeeded record, with the answer to replay, in the import's transaction: a crash
   * before the commit leaves neither rows nor record.
   */
  succeeded(
    tx: Tx,
    outcome: { rowCount: number; rowsWritten: number; status: number; body: unknown },
  ): Promise<void>;
}

/** A failed import's answer, as kept for a replay: the problem's code, detail and errors. */
interface StoredProblem {
  code: string;
  detail: string;
  errors?: FieldError[];
  current?: unknown;
}

const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");

/** Requests with an Idempotency-Key running in this process, by user and key. */
const inFlight = new Set<string>();

/** Data rows of a CSV (header and blank lines not counted), for a failed import's record. */
function countRows(csv: string): number {
  try {
    return parseCsv(csv)
      .slice(1)
      .filter((cells) => cells.some((c) => c.trim() !== "")).length;
  } catch {
    return 0;
  }
}

/** The SQLSTATE of a database error, through Drizzle's wrapping (`cause`). */
function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The problem an error is answered with (an unknown error: a bare 500 that names no SQL or value). */
function problemOf(error: unknown): { status: number; problem: StoredProblem } {
  if (error instanceof AppError) {
    const problem: StoredProblem = { code: error.code, detail: error.message };
    if (error.details.errors) problem.errors = error.details.errors;
    if (error.details.current !== undefined) problem.current = error.details.current;
    return { status: error.status, problem };
  }
  const state = sqlState(error);
  return {
    status: 500,
    problem: {
      code: "internal_error",
      detail: state
        ? `The database refused the import (SQLSTATE ${state}); nothing was imported`
        : "The import failed on the server; nothing was imported",
    },
  };
}

/** The same refusal again, for a retry with the same key. */
function replayProblem(stored: StoredProblem): AppError {
  const details: AppErrorDetails = { headers: { "idempotent-replayed": "true" } };
  if (stored.errors) details.errors = stored.errors;
  if (stored.current !== undefined) details.current = stored.current;
  return appError(isErrorCode(stored.code) ? stored.code : "internal_error", stored.detail, details);
}

/**
 * Runs an HTTP CSV import and keeps its record (`imports`): a success's inside the import's
 * transaction (through the recorder), a failure's after the rollback in a short transaction of its
 * own with an IMPORT_FAILED audit entry; then the failure is answered as before.
 *
 * With an Idempotency-Key (IETF httpapi draft; per user, kept 24 hours): the same key and the same
 * request answer the first answer again without importing; the same key with another request is
 * refused (422); while the first is running, 409. A failure of the server (5xx) keeps no key, so a
 * retry runs again; a refusal of its file (422) is replayed like a success. A request refused before
 * its file is read (403, 404, 412…) is no import: nothing is recorded and its key is not kept.
 */
export async function runImport<T>(
  request: ImportRequest,
  ctx: CommandContext,
  run: (recorder: ImportRecorder) => Promise<{ status: number; body: T }>,
): Promise<ImportAnswer<T>> {
  const id = randomUUID();
  const startedAt = ctx.now().toISOString();
  const fileSha256 = sha256Hex(request.csv);
  const fileBytes = Buffer.byteLength(request.csv, "utf8");
  const requestSha256 = sha256Hex(
    JSON.stringify({ kind: request.kind, parameters: request.parameters, file: fileSha256 }),
  );
  // A key is one user's: without a user (none calls an import so) it is not kept.
  const key = request.idempotencyKey && ctx.actorId ? request.idempotencyKey : null;
  const flightKey = key ? `${ctx.actorId}\u0000${key}` : null;
  let matterId: string | null = null;

  if (flightKey) {
    if (inFlight.has(flightKey))
      throw appError("idempotency_key_in_flight", undefined, { headers: { "retry-after": "1" } });
    inFlight.add(flightKey);
  }
  try {
    if (key) {
      await forgetExpiredKeys(ctx);
      const first = await queryOne<{ requestSha256: string; status: number; body: unknown }>(
        ctx.db,
        sql`select request_sha256 as "requestSha256", response_status as status, response_body as body
          from imports where actor_id = ${ctx.actorId} and idempotency_key = ${key}`,
      );
      if (first) {
        if (first.requestSha256 !== requestSha256)
          throw appError(
            "idempotency_key_reused",
            "This Idempotency-Key was sent with another request (another file or other parameters): use a new key; nothing was imported",
          );
        if (first.status >= 400) throw replayProblem(first.body as StoredProblem);
        return { status: first.status, body: first.body as T, replayed: true };
      }
    }

    const recorder: ImportRecorder = {
      forMatter: (mid) => {
        matterId = mid;
      },
      succeeded: async (tx, outcome) => {
        if (key) {
          // Another instance serving the same user and key: the second to get here is refused
          // rather than importing twice (the lock ends with the transaction, or with a crash).
          const locked = await queryOne<{ ok: boolean }>(
            tx,
            sql`select pg_try_advisory_xact_lock(hashtextextended(${`import:${ctx.actorId}:${key}`}, 0)) as ok`,
          );
          // Or it got here first and committed after this request looked: retrying replays it.
          const answered = await queryOne(
            tx,
            sql`select 1 from imports where actor_id = ${ctx.actorId} and idempotency_key = ${key}`,
          );
          if (!locked?.ok || answered) throw appError("idempotency_key_in_flight");
        }
        await tx.insert(imports).values({
          id,
          kind: request.kind,
          actorId: ctx.actorId,
          matterId,
          status: "succeeded",
          fileSha256,
          fileBytes,
          rowCount: outcome.rowCount,
          rowsWritten: outcome.rowsWritten,
          idempotencyKey: key,
          requestSha256: key ? requestSha256 : null,
          responseStatus: key ? outcome.status : null,
          responseBody: key ? outcome.body : null,
          startedAt,
          finishedAt: ctx.now().toISOString(),
        });
      },
    };

    try {
      const answer = await run(recorder);
      return { ...answer, replayed: false };
    } catch (error) {
      if (error instanceof AppError && error.code === "idempotency_key_in_flight") throw error;
      const { status, problem } = problemOf(error);
      // A failed import is one whose file was read and refused (422: its rows are named) or that
      // the server failed (5xx). A request refused before its file is looked at (its address,
      // role, If-Match or form: 400, 403, 404, 409, 412, 428) imported nothing and is no import:
      // no record, no IMPORT_FAILED entry (RELIABILITY-CHECKS L1: a 4xx writes no change entry),
      // and its key is not kept, so the corrected request may be sent with it.
      if (status !== 422 && status < 500) throw error;
      const errors = problem.errors ?? [];
      const report: ImportErrorReport = {
        code: problem.code,
        detail: problem.detail,
        errors: errors.slice(0, IMPORT_ERRORS_KEPT).map((e) => ({ path: e.path, message: e.message })),
        errorCount: errors.length,
      };
      // A failure of the server is not the request's: a retry with the same key runs again.
      const kept = key && status < 500 ? key : null;
      try {
        await ctx.db.transaction(async (tx) => {
          const values = {
            id,
            kind: request.kind,
            actorId: ctx.actorId,
            matterId,
            status: "failed",
            fileSha256,
            fileBytes,
            rowCount: countRows(request.csv),
            rowsWritten: 0,
            errorReport: report,
            idempotencyKey: kept,
            requestSha256: kept ? requestSha256 : null,
            responseStatus: kept ? status : null,
            responseBody: kept ? problem : null,
            startedAt,
            finishedAt: ctx.now().toISOString(),
          };
          const written = await tx
            .insert(imports)
            .values(values)
            .onConflictDoNothing()
            .returning({ id: imports.id });
          // The key was taken meanwhile (another instance's success): keep the record without it.
          if (!written.length)
            await tx.insert(imports).values({
              ...values,
              idempotencyKey: null,
              requestSha256: null,
              responseStatus: null,
              responseBody: null,
            });
          await recordAudit(tx, ctx, {
            action: "IMPORT_FAILED",
            entity: "import",
            entityId: id,
            after: {
              kind: request.kind,
              code: problem.code,
              rowCount: values.rowCount,
              errorCount: errors.length,
              matterId,
            },
          });
        });
      } catch {
        // The database that failed the import may fail its record too: the import's own error,
        // not this one, is what the caller must see (and nothing was imported either way).
      }
      throw error;
    }
  } finally {
    if (flightKey) inFlight.delete(flightKey);
  }
}

/** Keys older than a day are forgotten (their records stay, without the key and the answer). */
async function forgetExpiredKeys(ctx: CommandContext) {
  const cutoff = new Date(ctx.now().getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString();
  await ctx.db.execute(
    sql`update imports set idempotency_key = null, request_sha256 = null, response_status = null, response_body = null
      where idempotency_key is not null and finished_at < ${cutoff}::timestamptz`,
  );
}
