import { useEffect, useMemo, useState } from "react";
import { type MergePlan, mergeEdits, resolveMerge, type Side } from "./merge-edits";
import type { Conflict } from "./use-versioned-save";

export interface ConflictMerge<TValues> {
  plan: MergePlan<TValues>;
  /** The side chosen for each field in conflict (mine unless changed). */
  choices: Record<string, Side>;
  choose: (field: string, side: Side) => void;
  /** Put the merged values on the form, based on their version, and save them. */
  merge: () => void;
}

interface Options<TRecord, TValues> {
  /** The record the form started from; null for a new one (nothing to merge). */
  base: TRecord | null;
  conflict: Conflict<TRecord> | null;
  /** The form's values as they stand. */
  values: TValues;
  toValues: (record: TRecord) => TValues;
  /** Rebase the form on `current`, show `merged` in it and save them on `current`'s version. */
  onMerge: (current: TRecord, merged: TValues) => void;
}

/**
 * A stale save's way on, besides taking theirs or overwriting: the person's edits put on top of
 * the version saved meanwhile, field by field (see mergeEdits). Null when there is no conflict.
 */
export function useConflictMerge<TRecord, TValues extends object>({
  base,
  conflict,
  values,
  toValues,
  onMerge,
}: Options<TRecord, TValues>): ConflictMerge<TValues> | null {
  const [choices, setChoices] = useState<Record<string, Side>>({});
  // A new conflict starts with no choices made.
  useEffect(() => {
    if (conflict) setChoices({});
  }, [conflict]);
  const plan = useMemo(
    () => (conflict && base ? mergeEdits(toValues(base), values, toValues(conflict.current)) : null),
    [conflict, base, values, toValues],
  );
  if (!plan || !conflict) return null;
  return {
    plan,
    choices,
    choose: (field, side) => setChoices((c) => ({ ...c, [field]: side })),
    merge: () => onMerge(conflict.current, resolveMerge(plan, choices)),
  };
}
