import { z } from "zod";
import { PagingSchema, pageOf } from "./schemas.js";

/**
 * The record of every HTTP CSV import (statistics, a monitor report's ratings): who sent what file,
 * whether it was written (all rows) or failed (none), and what it answered. A succeeded import's
 * record is written in the import's own transaction; a failed one's after the rollback, with an
 * IMPORT_FAILED audit entry. A request killed mid-import leaves no record at all.
 */
export const IMPORT_KINDS = ["statistics", "assessments"] as const;
export const ImportKindSchema = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof ImportKindSchema>;

export const IMPORT_STATUSES = ["succeeded", "failed"] as const;
export const ImportStatusSchema = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/** The most errors a failed import's record keeps (the answer it gave may have named more). */
export const IMPORT_ERRORS_KEPT = 50;

/** Why an import failed, as its record keeps it: the error code, its message and the first row errors. */
export const ImportErrorReportSchema = z.object({
  /** The error code the import answered with (import_invalid, version_conflict, internal_error…). */
  code: z.string(),
  detail: z.string(),
  /** The first row-level errors (at most 50), each naming its row and field. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  /** How many errors the import found in all. */
  errorCount: z.int(),
});
export type ImportErrorReport = z.infer<typeof ImportErrorReportSchema>;

export const ImportRecordSchema = z.object({
  id: z.uuid(),
  kind: ImportKindSchema,
  status: ImportStatusSchema,
  /** Who sent it (null when the account is gone). */
  actor: z.string().nullable(),
  /** The matter whose ratings an assessments import wrote (null for statistics, or when it was not found). */
  matterId: z.uuid().nullable(),
  /** The SHA-256 of the CSV as received (hex). */
  fileSha256: z.string(),
  fileBytes: z.int(),
  /** Data rows in the file (the header and blank lines not counted). */
  rowCount: z.int(),
  /** Rows written: all of them, or 0 for a failed import. */
  rowsWritten: z.int(),
  /** Why it failed (null when it succeeded). */
  errorReport: ImportErrorReportSchema.nullable(),
  /** The Idempotency-Key it was sent with, while it is kept (24 hours). */
  idempotencyKey: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type ImportRecord = z.infer<typeof ImportRecordSchema>;

export const ImportListQuerySchema = z.strictObject({
  kind: ImportKindSchema.optional(),
  status: ImportStatusSchema.optional(),
  ...PagingSchema.shape,
});
export type ImportListQuery = z.infer<typeof ImportListQuerySchema>;

export const ImportListSchema = pageOf(ImportRecordSchema);
export type ImportList = z.infer<typeof ImportListSchema>;

/** How long an Idempotency-Key is remembered: a retry within a day replays the first answer. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The Idempotency-Key header (IETF httpapi draft): a Structured Field string, `"…"`; the bare
 * value is taken too. 1 to 255 visible ASCII characters.
 */
export const IdempotencyKeyHeaderSchema = z
  .string()
  .transform((v) => v.trim().replace(/^"(.*)"$/, "$1"))
  .pipe(
    z
      .string()
      .regex(/^[\x21-\x7e]{1,255}$/, "Idempotency-Key must be 1 to 255 visible ASCII characters")
      .refine((v) => !v.includes('"') && !v.includes("\\"), "Idempotency-Key holds a quote or backslash"),
  )
  .meta({
    description:
      'Optional: a unique key (e.g. a UUID, sent as "…") that makes the import safe to retry. For 24 hours, the same key with the same request answers the first answer again (Idempotent-Replayed: true) without importing again; with a different request, 422; while the first is still running, 409. Keys are per user.',
  });
