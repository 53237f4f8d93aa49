import { isValidPartialDate } from "@accord/domain";
import { dateText } from "./date-text";

/*
 * Three versions of a form's values: the one the person started from (base), theirs as they
 * stand in the form (mine), and the one saved meanwhile in another tab or by another user
 * (theirs). Edits to different fields merge on their own; a field both sides changed, to
 * different values, is for the person to choose.
 */

export type Side = "mine" | "theirs";

export interface FieldConflict {
  field: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface MergePlan<T> {
  /** Fields this person changed from the version they started from. */
  mine: string[];
  /** Fields the other side changed from that version. */
  theirs: string[];
  /** Fields both changed, to different values: the person chooses. */
  conflicts: FieldConflict[];
  /** Theirs with this person's changes to the fields not in conflict. */
  merged: T;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Plan the merge of this person's edits onto the version saved meanwhile. */
export function mergeEdits<T extends object>(base: T, mine: T, theirs: T): MergePlan<T> {
  const b = base as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(m), ...Object.keys(t)])];
  const mineChanged = keys.filter((k) => !same(b[k], m[k]));
  const theirsChanged = keys.filter((k) => !same(b[k], t[k]));
  const merged: Record<string, unknown> = { ...t };
  const conflicts: FieldConflict[] = [];
  for (const k of mineChanged) {
    // Both made the same change: nothing to choose.
    if (theirsChanged.includes(k) && !same(m[k], t[k])) {
      conflicts.push({ field: k, base: b[k], mine: m[k], theirs: t[k] });
    } else {
      merged[k] = m[k];
    }
  }
  return { mine: mineChanged, theirs: theirsChanged, conflicts, merged: merged as T };
}

/** The merged values once the person has chosen a side for each field in conflict (mine by default). */
export function resolveMerge<T extends object>(plan: MergePlan<T>, choices: Record<string, Side>): T {
  const out: Record<string, unknown> = { ...(plan.merged as Record<string, unknown>) };
  for (const c of plan.conflicts) out[c.field] = (choices[c.field] ?? "mine") === "mine" ? c.mine : c.theirs;
  return out as T;
}

/** A field's value in words, to choose between two: dates as the app writes them, lists by their items. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string") {
    const shown = isValidPartialDate(value) ? dateText(value) : value;
    return shown.length > 160 ? `${shown.slice(0, 159)}…` : shown;
  }
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "(none)";
    return describeValue(value.map((item) => itemText(item)).join("; "));
  }
  return describeValue(JSON.stringify(value));
}

function itemText(item: unknown): string {
  if (item && typeof item === "object") {
    const o = item as Record<string, unknown>;
    for (const k of ["citation", "label", "title", "name", "code"]) {
      if (typeof o[k] === "string" && o[k]) return o[k] as string;
    }
    return JSON.stringify(item);
  }
  return String(item);
}
