import type { MatterCompliance } from "./compliance.js";
import { addSpan, type Span } from "./deadlines.js";

/** A one-time deadline of a current provision, as the compliance view reads it. */
export interface OneTimeDeadline {
  id: string;
  number: number;
  label: string;
  phrase: string;
  offset: Span | null;
  anchor: { kind: string; date?: string };
  anchorDate: string | null;
}

/** The most overdue deadlines the compliance view lists. */
const MAX_OVERDUE = 500;

/**
 * One-time deadlines whose date has passed while the provision's latest rating is short of full
 * compliance (or it has none). Recurring deadlines are the provisions view's business.
 * `effectiveDate`: the decree's, when known to the day; `latestLevels`: each provision's latest
 * level by paragraph number.
 */
export function overdueDeadlines(
  deadlines: readonly OneTimeDeadline[],
  effectiveDate: string | null,
  latestLevels: ReadonlyMap<number, string | null>,
  fullCodes: readonly string[],
  today: string,
): MatterCompliance["overdueDeadlines"] {
  if (!deadlines.length) return [];
  const out: MatterCompliance["overdueDeadlines"] = [];
  for (const d of deadlines) {
    const from =
      d.anchor.kind === "effective_date" ? effectiveDate : d.anchor.kind === "other" ? d.anchorDate : null;
    const dueOn =
      d.anchor.kind === "date" && d.anchor.date
        ? d.anchor.date
        : d.offset && from
          ? addSpan(from, d.offset)
          : null;
    const latest = latestLevels.get(d.number) ?? null;
    if (!dueOn || dueOn >= today || (latest && fullCodes.includes(latest))) continue;
    out.push({ id: d.id, number: d.number, label: d.label, phrase: d.phrase, dueOn, level: latest });
    if (out.length >= MAX_OVERDUE) break;
  }
  return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number - b.number);
}
