import type { Problem } from "@accord/domain";

/** An answer other than 2xx. Holds the problem+json body when the server sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, fallback: string) {
    super(problem?.detail ?? problem?.title ?? fallback);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
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

async function readProblem(res: Response): Promise<Problem | null> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("json")) return null;
  try {
    const body = (await res.json()) as Partial<Problem>;
    if (body && typeof body === "object" && typeof body.title === "string") {
      return {
        type: body.type ?? "about:blank",
        title: body.title,
        status: body.status ?? res.status,
        code: body.code ?? "error",
        ...body,
      } as Problem;
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

export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.version !== undefined) headers["if-match"] = `"${options.version}"`;
  let res: Response;
  try {
    res = await fetch(`${path}${toSearch(options.query)}`, {
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
  if (!res.ok) {
    throw new ApiError(res.status, await readProblem(res), `${res.status} ${res.statusText}`);
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
  patch: async <T>(path: string, body: unknown, version: number) =>
    (await request<T>("PATCH", path, { body, version })).data,
  delete: async (path: string, version?: number) => {
    await request<void>("DELETE", path, { version });
  },
};
