import type {
  DocumentKind,
  DocumentPage,
  DocumentRecord,
  DocumentStatus,
  DocumentUploadResult,
  UpdateDocument,
} from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Query, type UploadProgress, upload } from "./client";
import type { Page } from "./hooks";

const V1 = "/api/v1";
const enc = encodeURIComponent;

/** How often the screens ask again while a document's text is being read. */
export const EXTRACTION_POLL_MS = 1000;

export const documentKeys = {
  /** Every document query: a write refreshes them all. */
  all: ["documents"] as const,
  matter: (key: string) => ["documents", "matter", key] as const,
  list: (q: Query) => ["documents", "list", q] as const,
  one: (id: string) => ["documents", "one", id] as const,
  page: (id: string, n: number) => ["documents", "page", id, n] as const,
};

/** Still waiting for its text: queued or extracting. */
export function isPending(status: DocumentStatus): boolean {
  return status === "queued" || status === "extracting";
}

const pollWhilePending = (items: readonly DocumentRecord[] | undefined) =>
  items?.some((d) => isPending(d.status)) ? EXTRACTION_POLL_MS : false;

// ---------------------------------------------------------------- reads

/** A matter's documents; asked for again every second while any is queued or extracting. */
export function useMatterDocuments(matterKey: string | undefined) {
  return useQuery({
    queryKey: documentKeys.matter(matterKey ?? ""),
    queryFn: ({ signal }) =>
      api.get<{ items: DocumentRecord[] }>(
        `${V1}/matters/${enc(matterKey ?? "")}/documents`,
        undefined,
        signal,
      ),
    enabled: Boolean(matterKey),
    refetchInterval: (q) => pollWhilePending(q.state.data?.items),
  });
}

/** A page of documents across matters (filters: matter, departmentWide, status, kind). */
export function useDocuments(query: Query) {
  return useQuery({
    queryKey: documentKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<DocumentRecord>>(`${V1}/documents`, query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => pollWhilePending(q.state.data?.items),
  });
}

export function useDocument(id: string | undefined) {
  return useQuery({
    queryKey: documentKeys.one(id ?? ""),
    queryFn: ({ signal }) => api.get<DocumentRecord>(`${V1}/documents/${enc(id ?? "")}`, undefined, signal),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data && isPending(q.state.data.status) ? EXTRACTION_POLL_MS : false),
  });
}

/** The text of one page (1-based), as extracted. */
export function useDocumentPage(id: string, page: number, enabled = true) {
  return useQuery({
    queryKey: documentKeys.page(id, page),
    queryFn: ({ signal }) =>
      api.get<DocumentPage>(`${V1}/documents/${enc(id)}/pages/${page}`, undefined, signal),
    enabled: enabled && page >= 1,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** Where the file opens in the browser (PDF and text) or downloads (`download`). */
export function documentFileUrl(id: string, download = false): string {
  return `${V1}/documents/${enc(id)}/file${download ? "?download=1" : ""}`;
}

// ---------------------------------------------------------------- writes

/** What a person says about a file they add; `title` defaults to the file's name. */
export interface UploadMeta {
  kind: DocumentKind;
  title?: string;
  date?: string | null;
  sourceUrl?: string | null;
  public?: boolean;
}

/**
 * Add one file to a matter, reporting the upload's progress. One request per file, so each has
 * its own title, its own progress and its own answer (one refused file leaves the others).
 */
export function uploadDocument(
  matterKey: string,
  file: File,
  meta: UploadMeta,
  options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<DocumentUploadResult> {
  const form = new FormData();
  // The fields first: the server reads them whatever their place, but they are small.
  form.append("kind", meta.kind);
  if (meta.title) form.append("title", meta.title);
  if (meta.date) form.append("date", meta.date);
  if (meta.sourceUrl) form.append("sourceUrl", meta.sourceUrl);
  if (meta.public !== undefined) form.append("public", meta.public ? "true" : "false");
  form.append("file", file, file.name);
  return upload<DocumentUploadResult>(`${V1}/matters/${enc(matterKey)}/documents`, form, options);
}

export function useUpdateDocument() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: string; version: number; patch: UpdateDocument }) =>
      api.patch<DocumentRecord>(`${V1}/documents/${enc(id)}`, patch, version),
    onSuccess: (d) => {
      qc.setQueryData(documentKeys.one(d.id), d);
      return qc.invalidateQueries({ queryKey: documentKeys.all });
    },
  });
}

export function useDeleteDocument() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api.delete(`${V1}/documents/${enc(id)}`, version),
    onSuccess: (_, { id }) => {
      qc.removeQueries({ queryKey: documentKeys.one(id) });
      return qc.invalidateQueries({ queryKey: documentKeys.all });
    },
  });
}

/** After uploads: the lists (and search) show the new documents. */
export function useRefreshDocuments() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: documentKeys.all }),
      qc.invalidateQueries({ queryKey: ["search"] }),
    ]);
}
