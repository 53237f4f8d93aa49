import { appError } from "./app-error.js";

export const etagOf = (version: number) => `"${version}"`;

/** A version no record has: what a weak If-Match stands for, so the version check fails. */
const STALE = -1;

/**
 * The version an update was based on, from `If-Match: "N"` (the strong ETag of the GET). Missing → 428,
 * because an update that does not say what it read could silently overwrite someone else.
 */
export function requireIfMatch(header: string | undefined): number {
  if (!header) {
    throw appError(
      "if_match_required",
      'Send the If-Match header with the version you read (the ETag of the GET), e.g. If-Match: "3"',
    );
  }
  // If-Match compares strongly (RFC 9110): a weak validator (W/"3") never matches, so the
  // update fails as stale (412, with the current record) rather than being guessed at.
  if (/^W\/"\d+"$/.test(header.trim())) return STALE;
  // Only the strong ETag the server sent; anything else (a bare number) is malformed.
  const m = /^"(\d+)"$/.exec(header.trim());
  if (!m)
    throw appError(
      "if_match_invalid",
      `If-Match must be the ETag the server sent, such as "3", got ${header}`,
    );
  return Number(m[1]);
}

export function versionConflict(entity: string, current: { version: number }) {
  return appError(
    "version_conflict",
    `This ${entity} was changed by someone else (now version ${current.version}); your change was not saved. Reload it and apply your change again.`,
    { current, headers: { etag: etagOf(current.version) } },
  );
}
