import type { MatterCompliance } from "./compliance.js";
import { compareProvisionRefs } from "./deadlines.js";
import type { DeadlineOccurrence } from "./schemas.js";

/** The most overdue deadlines the compliance view lists. */
const MAX_OVERDUE = 500;

/**
 * The compliance view's overdue deadlines: the matter's occurrences that are overdue by the one
 * definition (isOverdue, as deadlineOccurrences marks them), each with its provision's latest
 * rating (`latestLevels`, by paragraph number; none yet for an outline node, which has no number)
 * beside it.
 */
export function overdueDeadlines(
  occurrences: readonly DeadlineOccurrence[],
  /** Each current provision's latest level, by its label (unique among the matter's current provisions). */
  latestLevels: ReadonlyMap<string, string | null>,
): MatterCompliance["overdueDeadlines"] {
  const out: MatterCompliance["overdueDeadlines"] = [];
  for (const o of occurrences) {
    if (!o.overdue || !o.date) continue;
    out.push({
      id: o.deadlineId,
      number: o.provision.number,
      label: o.provision.label,
      phrase: o.phrase,
      dueOn: o.date,
      level: latestLevels.get(o.provision.label) ?? null,
    });
    if (out.length >= MAX_OVERDUE) break;
  }
  return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || compareProvisionRefs(a, b));
}
