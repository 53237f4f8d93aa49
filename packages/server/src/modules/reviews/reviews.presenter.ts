import type { Cycle, Finding, ReportPerson, ReportReview } from "@accord/domain";

/*
 * How the reviews module shapes records for output beyond what its queries select: the report's
 * findings with readable citations, and the names and labels the report prints.
 */

/** What a report prints for a person: the display name when there is one. */
export const nameOf = (p: ReportPerson | null) => (p ? (p.displayName ?? p.username) : null);

/** What a report prints for a rating: its label on the cycle's scale (the code if unknown). */
export const levelLabel = (cycle: Cycle, code: string | null) =>
  code ? (cycle.ratingScale.find((l) => l.code === code)?.label ?? code) : "";

/**
 * A review's findings as the report shows them: each citation of a provision at its current
 * number, and beside the citations their labels ("2017-04-07 · Decree entered", "Memo, p. 3"),
 * read from `labels` (by cited id) however the citation was stored.
 */
export function presentReportFindings(
  findings: Record<string, Finding>,
  labels: ReadonlyMap<string, string>,
  numbers: ReadonlyMap<string, number>,
): ReportReview["findings"] {
  return Object.fromEntries(
    Object.entries(findings).map(([code, f]) => {
      const citations = (f.citations ?? []).map((c) =>
        c.type === "provision" && numbers.has(c.id) ? { ...c, number: numbers.get(c.id) } : c,
      );
      return [
        code,
        {
          rating: f.rating ?? null,
          rationale: f.rationale ?? null,
          citations,
          citationLabels: citations.map((c) => {
            const base =
              (c.type === "provision" ? labels.get(c.id) : undefined) ??
              c.label ??
              labels.get(c.id) ??
              `${c.type} ${c.id}`;
            return c.page ? `${base}, p. ${c.page}` : base;
          }),
        },
      ];
    }),
  );
}
