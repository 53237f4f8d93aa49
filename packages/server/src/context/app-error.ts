import { ERROR_CATALOGUE, type ErrorCode } from "@accord/domain";
import type { z } from "zod";

export interface FieldError {
  path: string;
  message: string;
  allowed?: string[];
}

export interface AppErrorDetails {
  /** Per-field errors, answered as problem+json `errors[]`. */
  errors?: FieldError[];
  /** The record as it is now (a stale write's 412 carries it). */
  current?: unknown;
  headers?: Record<string, string>;
}

/**
 * The one error type of the application; the error handler turns it into problem+json. Its code
 * comes from the domain's catalogue, which also fixes its HTTP status.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.status = ERROR_CATALOGUE[code].status;
  }
}

/** An error of the catalogue, with its own message (or the catalogue's default). */
export const appError = (code: ErrorCode, message?: string, details?: AppErrorDetails) =>
  new AppError(code, message, details);

export const notFound = (entity: string, key: string) =>
  appError("not_found", `No ${entity} has the id or slug "${key}"`);

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => {
    const fe: FieldError = { path: issue.path.map(String).join("."), message: issue.message };
    if (issue.code === "invalid_value") fe.allowed = issue.values.map(String);
    return fe;
  });
}
