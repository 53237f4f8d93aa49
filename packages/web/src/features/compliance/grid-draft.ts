import type { AssessmentInput, Grid, Rater } from "@accord/domain";

export type GridItem = Grid["items"][number];

/** What the grid edits of one rating. */
export interface RowValues {
  level: string | null;
  rationale: string;
  documentId: string;
  /** As typed; a whole number or empty. */
  page: string;
}

/** An unsaved change to one rater's rating of one provision in one period, with what it was based on. */
export interface Edit extends RowValues {
  provisionId: string;
  periodId: string;
  rater: Rater;
  base: RowValues;
  /** The rating's version when it was loaded (0: none): sent so that a stale save is refused. */
  baseVersion: number;
}

export const editKey = (provisionId: string, periodId: string, rater: Rater = "monitor") =>
  `${provisionId}|${periodId}|${rater}`;

export function valuesOf(assessment: GridItem["assessment"]): RowValues {
  const first = assessment?.evidence[0];
  return {
    level: assessment?.level ?? null,
    rationale: assessment?.rationale ?? "",
    documentId: first?.documentId ?? "",
    page: first?.page === undefined ? "" : String(first.page),
  };
}

const sameValues = (a: RowValues, b: RowValues) =>
  a.level === b.level &&
  a.rationale.trim() === b.rationale.trim() &&
  a.documentId === b.documentId &&
  a.page.trim() === b.page.trim();

/**
 * The edits after changing some fields of one rating: a change back to what was loaded is no
 * change at all (the row is clean again).
 */
export function applyEdit(
  edits: ReadonlyMap<string, Edit>,
  item: GridItem,
  periodId: string,
  patch: Partial<RowValues>,
  /** Whose rating the grid shows (the monitor's by default). */
  rater: Rater = "monitor",
): Map<string, Edit> {
  const key = editKey(item.provision.id, periodId, rater);
  const base = valuesOf(item.assessment);
  const current: Edit = edits.get(key) ?? {
    ...base,
    provisionId: item.provision.id,
    periodId,
    rater,
    base,
    baseVersion: item.assessment?.version ?? 0,
  };
  const next = { ...current, ...patch };
  const out = new Map(edits);
  if (sameValues(next, next.base)) out.delete(key);
  else out.set(key, next);
  return out;
}

/** Rows an edit cannot be saved as: a rationale or evidence without a level. */
export function incompleteEdits(edits: Iterable<Edit>): Edit[] {
  return [...edits].filter(
    (e) => e.level === null && (e.rationale.trim() !== "" || e.documentId !== "" || e.page.trim() !== ""),
  );
}

export function isValidPage(page: string): boolean {
  const p = page.trim();
  return p === "" || (/^\d{1,6}$/.test(p) && Number(p) >= 1);
}

/**
 * The rows to send: only what changed, each with the version it is based on. Rationale and
 * evidence are sent only when they changed, so that a level set in bulk keeps the rest.
 */
export function payloadOf(edits: Iterable<Edit>): AssessmentInput[] {
  return [...edits].map((e) => {
    const item: AssessmentInput = {
      provisionId: e.provisionId,
      periodId: e.periodId,
      rater: e.rater,
      level: e.level,
      version: e.baseVersion,
    };
    if (e.level === null) return item;
    if (e.rationale.trim() !== e.base.rationale.trim()) item.rationale = e.rationale.trim() || null;
    if (e.documentId !== e.base.documentId || e.page.trim() !== e.base.page.trim()) {
      const page = e.page.trim() ? Number(e.page.trim()) : undefined;
      item.evidence = e.documentId
        ? [page === undefined ? { documentId: e.documentId } : { documentId: e.documentId, page }]
        : [];
    }
    return item;
  });
}

/** The indexes between two rows, both included, for a shift-click. */
export function rangeBetween(a: number, b: number): number[] {
  const [from, to] = a <= b ? [a, b] : [b, a];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
