import type {
  AuditEntry,
  Board,
  CreateCycle,
  Cycle,
  CycleListItem,
  MatterListItem,
  Review,
  ReviewListItem,
  UpdateCycle,
  UpdateReview,
} from "@accord/domain";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, hasCode, type Query, request } from "./client";
import { type Page, keys as registryKeys } from "./hooks";

const V1 = "/api/v1";
const enc = encodeURIComponent;

export const reviewKeys = {
  cycles: ["review-cycles"] as const,
  cycle: (key?: string) => (key ? (["review-cycle", key] as const) : (["review-cycle"] as const)),
  board: (key?: string) => (key ? (["review-board", key] as const) : (["review-board"] as const)),
  reviews: (q?: Query) => (q ? (["reviews", q] as const) : (["reviews"] as const)),
  review: (id?: string) => (id ? (["review", id] as const) : (["review"] as const)),
  history: (id?: string, q?: Query) =>
    id ? (["review-history", id, q] as const) : (["review-history"] as const),
  scopeCount: (q?: Query) => (q ? (["review-scope-count", q] as const) : (["review-scope-count"] as const)),
  report: (key?: string) => (key ? (["review-report", key] as const) : (["review-report"] as const)),
};

// ---------------------------------------------------------------- reads

export function useCycles() {
  return useQuery({
    queryKey: reviewKeys.cycles,
    queryFn: ({ signal }) => api.get<{ items: CycleListItem[] }>(`${V1}/review-cycles`, undefined, signal),
  });
}

export const fetchCycle = (key: string) => api.get<Cycle>(`${V1}/review-cycles/${enc(key)}`);

export function useCycle(key: string | undefined) {
  return useQuery({
    queryKey: reviewKeys.cycle(key),
    queryFn: ({ signal }) => api.get<Cycle>(`${V1}/review-cycles/${enc(key ?? "")}`, undefined, signal),
    enabled: Boolean(key),
  });
}

export function useBoard(key: string | undefined, enabled = true) {
  return useQuery({
    queryKey: reviewKeys.board(key),
    queryFn: ({ signal }) => api.get<Board>(`${V1}/review-cycles/${enc(key ?? "")}/board`, undefined, signal),
    enabled: Boolean(key) && enabled,
  });
}

export function useReviews(query: Query, enabled = true) {
  return useQuery({
    queryKey: reviewKeys.reviews(query),
    queryFn: ({ signal }) => api.get<Page<ReviewListItem>>(`${V1}/reviews`, query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export const fetchReviews = (query: Query) => api.get<Page<ReviewListItem>>(`${V1}/reviews`, query);

export const fetchReview = (id: string) => api.get<Review>(`${V1}/reviews/${enc(id)}`);

export function useReview(id: string | undefined) {
  return useQuery({
    queryKey: reviewKeys.review(id),
    queryFn: ({ signal }) => api.get<Review>(`${V1}/reviews/${enc(id ?? "")}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** The review's own changes, newest first: drafts saved, submissions, returns, approvals. */
export function useReviewHistory(id: string, query: Query) {
  return useQuery({
    queryKey: reviewKeys.history(id, query),
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>(`${V1}/reviews/${enc(id)}/history`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * How many matters a scope holds (what starting a cycle will create, one review each): the
 * matters list's total for the same kinds and statuses.
 */
export function useScopeCount(
  scope: { kinds: readonly string[]; statuses: readonly string[] },
  enabled = true,
  /** The cycle's as-of day: statuses as they stood then. */
  asOf: string | null = null,
) {
  const query: Query = { kind: scope.kinds, status: scope.statuses, limit: 1, asOf };
  return useQuery({
    queryKey: reviewKeys.scopeCount(query),
    queryFn: ({ signal }) => api.get<Page<MatterListItem>>(`${V1}/matters`, query, signal),
    select: (page) => page.total,
    enabled,
  });
}

// ---------------------------------------------------------------- reports

/** The cycle's report (`report.json`) and its parts: shapes from the domain. */
import type { ReviewReport as CycleReport, ReportInclude } from "@accord/domain";

export type { ReportPerson, ReportReview, ReviewReport as CycleReport } from "@accord/domain";

export type ReportFormat = "pdf" | "csv" | "json";

/**
 * Where a cycle's report downloads: the PDF, or every finding as CSV or JSON; `include` narrows
 * it to submitted and approved, or approved, reviews.
 */
export const cycleReportUrl = (key: string, format: ReportFormat, include: ReportInclude = "all") =>
  `${V1}/review-cycles/${enc(key)}/report.${format}${include === "all" ? "" : `?include=${include}`}`;

/** One review's report as PDF. */
export const reviewReportUrl = (id: string) => `${V1}/reviews/${enc(id)}/report.pdf`;

export function useCycleReport(key: string | undefined, include: ReportInclude = "all") {
  return useQuery({
    queryKey: [...reviewKeys.report(key), include],
    queryFn: ({ signal }) =>
      api.get<CycleReport>(cycleReportUrl(key ?? "", "json", include), undefined, signal),
    enabled: Boolean(key),
  });
}

// ---------------------------------------------------------------- writes

/** Everything a review or cycle write may change on screen. */
function useInvalidateReviews() {
  const qc = useQueryClient();
  return () =>
    Promise.all(
      [
        reviewKeys.cycles,
        reviewKeys.cycle(),
        reviewKeys.board(),
        reviewKeys.reviews(),
        reviewKeys.history(),
        reviewKeys.report(),
        registryKeys.audit(),
      ].map((queryKey) => qc.invalidateQueries({ queryKey })),
    );
}

function usePutCycle() {
  const qc = useQueryClient();
  const invalidate = useInvalidateReviews();
  return (cycle: Cycle) => {
    qc.setQueryData(reviewKeys.cycle(cycle.slug), cycle);
    return invalidate();
  };
}

export function useCreateCycle() {
  const put = usePutCycle();
  return useMutation({
    mutationFn: (body: CreateCycle) => api.post<Cycle>(`${V1}/review-cycles`, body),
    onSuccess: put,
  });
}

export function useUpdateCycle() {
  const put = usePutCycle();
  return useMutation({
    mutationFn: ({ key, version, patch }: { key: string; version: number; patch: UpdateCycle }) =>
      api.patch<Cycle>(`${V1}/review-cycles/${enc(key)}`, patch, version),
    onSuccess: put,
  });
}

/**
 * Start a cycle: the server creates one review per matter in its scope. `version` is the cycle as
 * the person saw it (If-Match); when someone changed it meanwhile the answer is 412 and the cycle
 * is read again, so the confirmation shows what would now be started.
 */
export function useStartCycle() {
  const put = usePutCycle();
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: ({ key, version }: { key: string; version: number }) =>
      request<Cycle>("POST", `${V1}/review-cycles/${enc(key)}/start`, { version }).then((r) => r.data),
    onSuccess: put,
    onError: (error) => {
      if (hasCode(error, "version_conflict")) void invalidate();
    },
  });
}

/** A new cycle in preparation with this one's mandate, scope, scale and criteria. */
export function useCopyCycle() {
  const put = usePutCycle();
  return useMutation({
    mutationFn: ({ key, slug, name }: { key: string; slug: string; name: string }) =>
      api.post<Cycle>(`${V1}/review-cycles/${enc(key)}/copy`, { slug, name }),
    onSuccess: put,
  });
}

/**
 * Assign reviews to a reviewer (user name or id; null: to nobody): named ones, or every review
 * of a cycle whose matter is of these kinds and states. Approved reviews keep their reviewer.
 */
export type AssignReviews =
  | { assignee: string | null; reviewIds: string[] }
  | { assignee: string | null; cycle: string; kind?: string[]; state?: string[] };

export function useAssignReviews() {
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: (body: AssignReviews) => api.post<{ assigned: number }>(`${V1}/reviews/assign`, body),
    onSuccess: () => invalidate(),
  });
}

/** Save a review's draft (If-Match: the version it is based on). Used by the autosave. */
export const saveReviewDraft = (id: string, version: number, patch: UpdateReview) =>
  api.patch<Review>(`${V1}/reviews/${enc(id)}`, patch, version);

export type ReviewTransition =
  | { action: "submit" }
  | { action: "approve" }
  | { action: "return"; comment: string }
  | { action: "reopen"; reason: string };

/**
 * Submit, approve, return (with a comment) or reopen (with a reason) a review. `version` is the
 * review as the person saw it (If-Match): a review changed meanwhile is refused (412) and the page
 * shows it as it now is, for the person to decide again.
 */
export function useReviewTransition() {
  const qc = useQueryClient();
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: ({ id, version, ...t }: ReviewTransition & { id: string; version: number }) => {
      const body =
        t.action === "return" ? { comment: t.comment } : t.action === "reopen" ? { reason: t.reason } : {};
      return postAction(id, t.action, body, version);
    },
    onSuccess: (review) => {
      qc.setQueryData(reviewKeys.review(review.id), review);
      return invalidate();
    },
    onError: (error, { id }) => {
      if (!hasCode(error, "version_conflict")) return;
      const current = error.problem?.current as Review | undefined;
      if (current?.id === id) qc.setQueryData(reviewKeys.review(id), current);
      else void qc.invalidateQueries({ queryKey: reviewKeys.review(id) });
      void invalidate();
    },
  });
}

/** A workflow action, refused when the review is no longer at `version` (If-Match). */
async function postAction(id: string, action: string, body: unknown, version: number) {
  return (await request<Review>("POST", `${V1}/reviews/${enc(id)}/${action}`, { body, version })).data;
}

/** After a draft is saved: the cache holds it, and the lists and the board are read again. */
export function useDraftSaved() {
  const qc = useQueryClient();
  return (review: Review) => {
    qc.setQueryData(reviewKeys.review(review.id), review);
    return Promise.all(
      [reviewKeys.board(), reviewKeys.reviews(), reviewKeys.history()].map((queryKey) =>
        qc.invalidateQueries({ queryKey }),
      ),
    );
  };
}
