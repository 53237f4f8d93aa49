/**
 * Every error code the API answers with, its HTTP status and a default message. The server can
 * raise only these (`appError(code, …)`), and clients switch on them as a closed type. A new
 * refusal is added here first, in words a person understands.
 */
export const ERROR_CATALOGUE = {
  // Requests the server cannot read
  bad_request: { status: 400, message: "The request could not be read" },
  malformed_json: { status: 400, message: "The request body is not valid JSON" },
  invalid_text: { status: 400, message: "The request holds a character that cannot be stored" },
  validation_failed: { status: 400, message: "Some fields are not valid" },
  if_match_invalid: { status: 400, message: 'If-Match must be a version ETag such as "3"' },
  invalid_edit: { status: 400, message: "This edit cannot be applied" },
  no_files: { status: 400, message: "Send at least one file" },
  review_incomplete: { status: 400, message: "The review is not complete" },
  sso_state_unknown: { status: 400, message: "This sign-in link has expired or was already used" },
  payload_too_large: { status: 413, message: "The request is too large" },
  too_many_files: { status: 413, message: "Too many files in one request" },
  too_many_parts: { status: 413, message: "Too many parts in one request" },
  unsupported_media_type: { status: 415, message: "This kind of content is not accepted here" },
  duplicate_label: { status: 422, message: "Another node of the draft already has this label" },
  import_invalid: { status: 422, message: "The import holds invalid records; nothing was imported" },
  citation_unknown: {
    status: 422,
    message: "A cited statistic does not exist, or is not one you may read",
  },
  webhook_target_refused: {
    status: 422,
    message:
      "Webhooks are sent only to http(s) addresses, and to private or loopback ones only when the server allows it",
  },
  idempotency_key_reused: {
    status: 422,
    message: "This Idempotency-Key was sent with another request: use a new key for a new request",
  },
  draft_incomplete: {
    status: 422,
    message: "Some rows of the draft have no provision or no level: fix or drop them, then accept",
  },

  // Who is asking
  unauthenticated: { status: 401, message: "Sign in first" },
  sign_in_failed: { status: 401, message: "The user name or password is wrong" },
  second_factor_needed: { status: 401, message: "Enter the code from your authenticator app" },
  second_factor_failed: { status: 401, message: "The code is not valid" },
  sso_denied: { status: 401, message: "The identity provider did not sign you in" },
  forbidden: { status: 403, message: "Your role may not do this" },
  csrf_failed: { status: 403, message: "This request lacks the anti-CSRF proof" },
  second_factor_required: { status: 403, message: "Your role must use a second factor: set one up first" },
  password_change_required: {
    status: 403,
    message: "Choose your own password first: the one you signed in with was generated for you",
  },
  own_review: { status: 403, message: "You cannot approve or return your own review" },
  sso_account_deactivated: { status: 403, message: "This account is deactivated" },
  sso_no_role: { status: 403, message: "The identity provider gave this account no role in Accord" },
  sign_in_locked: { status: 429, message: "Too many failed sign-ins: try again later" },
  too_many_requests: { status: 429, message: "Too many requests: try again in a few minutes" },

  // What is asked for
  not_found: { status: 404, message: "Not found" },
  route_not_found: { status: 404, message: "No such route" },
  page_not_found: { status: 404, message: "The document has no such page" },
  file_missing: { status: 404, message: "The stored file is missing" },

  // The state of the record forbids it
  slug_taken: { status: 409, message: "Already in use" },
  label_taken: { status: 409, message: "Already in use" },
  username_taken: { status: 409, message: "This user name is taken" },
  sso_username_taken: { status: 409, message: "This user name is taken by another account" },
  sso_conflict: { status: 409, message: "This account is linked to another identity" },
  agency_in_use: { status: 409, message: "This agency is party to matters" },
  jurisdiction_in_use: { status: 409, message: "This jurisdiction has agencies or matters" },
  matter_has_documents: { status: 409, message: "This matter has documents" },
  matter_reviewed: { status: 409, message: "This matter has reviews" },
  status_transition_not_allowed: { status: 409, message: "This change of status is not allowed" },
  review_state: { status: 409, message: "The review's status does not allow this" },
  cycle_started: { status: 409, message: "The review cycle has started" },
  not_a_reviewer: { status: 409, message: "This user cannot review" },
  not_a_monitor: { status: 409, message: "This user is not a monitor" },
  user_inactive: { status: 409, message: "This user is deactivated" },
  cannot_change_self: { status: 409, message: "You cannot change your own role or deactivate yourself" },
  second_factor_enrolled: { status: 409, message: "A second factor is already set up" },
  no_enrolment: { status: 409, message: "Start setting up the second factor first" },
  document_not_ready: { status: 409, message: "The document's text has not been read yet" },
  not_a_decree: { status: 409, message: "Only an agreement or decree can be parsed into provisions" },
  no_matter: { status: 409, message: "The document belongs to no matter" },
  parse_empty: { status: 409, message: "No provisions were found" },
  parse_not_draft: { status: 409, message: "This parse is no longer a draft" },
  rating_draft_accepted: {
    status: 409,
    message: "This draft was accepted: read the report again to start a new one",
  },
  parse_of_another_matter: { status: 409, message: "This parse belongs to another matter" },
  anchor_has_date: { status: 409, message: "This anchor's date comes from the record" },
  no_such_occurrence: { status: 409, message: "The deadline does not fall due on that day" },
  deadline_not_open: { status: 409, message: "The deadline is not in a state that allows this" },
  level_in_use: { status: 409, message: "Ratings use this level" },
  period_has_ratings: { status: 409, message: "This period has ratings" },
  watch_exists: { status: 409, message: "You already watch this" },
  saved_search_kind_mismatch: {
    status: 422,
    message:
      "A saved search is watched, a saved calendar filter is followed by a feed: not the other way round",
  },
  idempotency_key_in_flight: {
    status: 409,
    message: "A request with this Idempotency-Key is still running: wait for its answer, then retry",
  },
  version_conflict: { status: 412, message: "Someone else changed this record; your change was not saved" },
  if_match_required: { status: 428, message: "Send the If-Match header with the version you read" },

  // The server
  internal_error: { status: 500, message: "The server failed to answer this request" },
  sso_failed: { status: 502, message: "The identity provider could not be reached" },
  sso_unavailable: { status: 503, message: "Single sign-on is not configured" },
  search_busy: { status: 503, message: "The server is busy with other searches: try again in a few seconds" },
  search_timeout: {
    status: 503,
    message: "This search took too long and was stopped: try again, or narrow it",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === "string" && Object.hasOwn(ERROR_CATALOGUE, code);

/** The HTTP status an error code is answered with. */
export const errorStatus = (code: ErrorCode): number => ERROR_CATALOGUE[code].status;

/** The title of a problem+json answer, by status. */
export const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  412: "Precondition failed",
  413: "Payload too large",
  414: "URI too long",
  415: "Unsupported media type",
  422: "Unprocessable content",
  428: "Precondition required",
  429: "Too many attempts",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
};
