import { type ErrorCode, isErrorCode, type Problem } from "@accord/domain";

/**
 * The codes the web gives a problem itself, where the server's answer names none of the
 * domain's: `network_error` when no answer came at all, `error` for an answer without a code the
 * domain knows (not problem+json, or a code this build of the web predates), `client_error` for a
 * failure in the browser before or after the request. The server never sends these.
 */
export const CLIENT_ERROR_CODES = ["network_error", "error", "client_error"] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every code a problem may carry in the web: the domain's catalogue and the client's own. */
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** A problem+json answer as the web holds it: its code is one of a closed list, to switch on. */
export type ApiProblem = Omit<Problem, "code"> & { code: ApiErrorCode };

/** An answer other than 2xx. Holds the problem+json body when the server sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ApiProblem | null;

  constructor(status: number, problem: ApiProblem | null, fallback: string) {
    super(problem?.detail ?? problem?.title ?? fallback);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  get code(): ApiErrorCode | undefined {
    return this.problem?.code;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Whether `error` is the API's answer with this code: a typo or a removed code fails the type check. */
export function hasCode(error: unknown, code: ApiErrorCode): error is ApiError {
  return isApiError(error) && error.code === code;
}

/** Query-string values: arrays are sent comma-separated, empty values are left out. */
export type QueryValue = string | number | boolean | readonly string[] | null | undefined;
export type Query = Record<string, QueryValue>;

export function toSearch(query: Query | URLSearchParams | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
  for (const [key, value] of entries) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(","));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

interface RequestOptions {
  query?: Query | URLSearchParams;
  body?: unknown;
  /** The version the edit is based on; sent as `If-Match: "<version>"`. */
  version?: number;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

/** Titles for answers whose problem+json carries only a generic one. */
const STATUS_TITLES: Record<number, string> = {
  401: "Not signed in",
  403: "Not allowed",
  429: "Too many attempts",
};

async function readProblem(res: Response): Promise<ApiProblem | null> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("json")) return null;
  try {
    const body = (await res.json()) as Partial<Problem>;
    if (body && typeof body === "object" && typeof body.title === "string") {
      const generic = body.title === "" || body.title === "Error";
      return {
        type: body.type ?? "about:blank",
        ...body,
        title: generic ? (STATUS_TITLES[res.status] ?? body.title) : body.title,
        status: body.status ?? res.status,
        code: isErrorCode(body.code) ? body.code : "error",
      } as ApiProblem;
    }
    if (body && typeof body === "object" && "message" in body) {
      return {
        type: "about:blank",
        title: res.statusText || "Request failed",
        status: res.status,
        code: "error",
        detail: String((body as { message: unknown }).message),
      };
    }
  } catch {
    // not JSON after all: fall through to a generic error
  }
  return null;
}

// ---------------------------------------------------------------- the session's part

/** What `GET /api/v1/session` answers, as far as the client itself needs it. */
interface SessionProof {
  user: unknown;
  csrfToken: string | null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
let csrfToken: string | null = null;
let authHooks: {
  /** A fresh session answer arrived from outside the session query (a CSRF refresh). */
  onSession?: (session: SessionProof) => void;
  /** The server said "sign in first": the session is over. */
  onUnauthenticated?: () => void;
  /** The server said "set up a second factor first": the user's role must use one. */
  onSecondFactorRequired?: () => void;
  /** The server said "choose your own password first": the user's password was generated. */
  onPasswordChangeRequired?: () => void;
} = {};

/** The anti-CSRF proof every unsafe request sends; set from each session answer. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** How the app hears of session changes the client finds out about on its own. */
export function configureAuth(hooks: typeof authHooks): void {
  authHooks = hooks;
}

const SESSION_PATH = "/api/v1/session";

/** Ask for the session again (the proof may have changed: a new sign-in in another tab). */
async function refreshSession(): Promise<SessionProof | null> {
  try {
    const res = await fetch(SESSION_PATH, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (!res.ok) return null;
    const session = (await res.json()) as SessionProof;
    setCsrfToken(session.csrfToken);
    authHooks.onSession?.(session);
    return session;
  } catch {
    return null;
  }
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.version !== undefined) headers["if-match"] = `"${options.version}"`;
  if (UNSAFE.has(method) && csrfToken) headers["x-csrf-token"] = csrfToken;
  try {
    return await fetch(`${path}${toSearch(options.query)}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: "same-origin",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(
      0,
      {
        type: "about:blank",
        title: "The server could not be reached",
        status: 0,
        code: "network_error",
        detail: "Check your connection and try again.",
      },
      "Network error",
    );
  }
}

/**
 * One request to the API. Unsafe requests carry the session's anti-CSRF proof; when the server
 * refuses it (the session changed meanwhile), the session is asked for again and the request
 * sent once more. A "sign in first" answer tells the app, which goes to the sign-in page.
 */
export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  let res = await send(method, path, options);
  let problem: ApiProblem | null = null;
  if (!res.ok) {
    problem = await readProblem(res);
    if (res.status === 403 && problem?.code === "csrf_failed" && (await refreshSession())) {
      res = await send(method, path, options);
      problem = res.ok ? null : await readProblem(res);
    }
    if (!res.ok) {
      if (res.status === 401 && problem?.code === "unauthenticated") authHooks.onUnauthenticated?.();
      if (res.status === 403 && problem?.code === "second_factor_required")
        authHooks.onSecondFactorRequired?.();
      if (res.status === 403 && problem?.code === "password_change_required")
        authHooks.onPasswordChangeRequired?.();
      throw new ApiError(res.status, problem, `${res.status} ${res.statusText}`);
    }
  }
  const etag = res.headers.get("etag");
  if (res.status === 204) return { data: undefined as T, etag };
  const data = (await res.json()) as T;
  return { data, etag };
}

export const api = {
  get: async <T>(path: string, query?: Query | URLSearchParams, signal?: AbortSignal) =>
    (await request<T>("GET", path, { query, signal })).data,
  post: async <T>(path: string, body: unknown) => (await request<T>("POST", path, { body })).data,
  put: async <T>(path: string, body?: unknown) => (await request<T>("PUT", path, { body })).data,
  patch: async <T>(path: string, body: unknown, version: number) =>
    (await request<T>("PATCH", path, { body, version })).data,
  delete: async (path: string, version?: number) => {
    await request<void>("DELETE", path, { version });
  },
};

// ---------------------------------------------------------------- uploads

/** How far an upload has come: bytes sent of the request body's total. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

interface UploadAnswer {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

/** One multipart POST through XMLHttpRequest, the only browser API that reports upload progress. */
function sendForm(
  path: string,
  form: FormData,
  onProgress: ((p: UploadProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    if (csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
    // No content-type: the browser writes multipart/form-data with its boundary.
    if (onProgress) {
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) onProgress({ loaded: e.loaded, total: e.total });
      });
    }
    const abort = () => xhr.abort();
    signal?.addEventListener("abort", abort, { once: true });
    xhr.addEventListener("load", () => {
      signal?.removeEventListener("abort", abort);
      resolve({
        status: xhr.status,
        statusText: xhr.statusText,
        contentType: xhr.getResponseHeader("content-type") ?? "",
        body: xhr.responseText,
      });
    });
    xhr.addEventListener("error", () => {
      signal?.removeEventListener("abort", abort);
      reject(
        new ApiError(
          0,
          {
            type: "about:blank",
            title: "The upload did not reach the server",
            status: 0,
            code: "network_error",
            detail: "Check your connection and try again.",
          },
          "Network error",
        ),
      );
    });
    xhr.addEventListener("abort", () => reject(new DOMException("The upload was cancelled", "AbortError")));
    xhr.send(form);
  });
}

/** The answer's body as the Response that readProblem expects. */
function asResponse(answer: UploadAnswer): Response {
  return new Response(answer.body || null, {
    status: answer.status,
    statusText: answer.statusText,
    headers: { "content-type": answer.contentType },
  });
}

/**
 * A multipart upload (files and form fields) with its progress. Like `request`, it carries the
 * session's anti-CSRF proof (asking for the session again and sending once more when the proof is
 * refused) and tells the app when the server says "sign in first".
 */
export async function upload<T>(
  path: string,
  form: FormData,
  options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<T> {
  let answer = await sendForm(path, form, options.onProgress, options.signal);
  const ok = (a: UploadAnswer) => a.status >= 200 && a.status < 300;
  if (!ok(answer)) {
    let problem = await readProblem(asResponse(answer));
    if (answer.status === 403 && problem?.code === "csrf_failed" && (await refreshSession())) {
      answer = await sendForm(path, form, options.onProgress, options.signal);
      problem = ok(answer) ? null : await readProblem(asResponse(answer));
    }
    if (!ok(answer)) {
      if (answer.status === 401 && problem?.code === "unauthenticated") authHooks.onUnauthenticated?.();
      if (answer.status === 403 && problem?.code === "second_factor_required")
        authHooks.onSecondFactorRequired?.();
      if (answer.status === 403 && problem?.code === "password_change_required")
        authHooks.onPasswordChangeRequired?.();
      throw new ApiError(answer.status, problem, `${answer.status} ${answer.statusText}`);
    }
  }
  return JSON.parse(answer.body) as T;
}
