import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useState } from "react";

/**
 * A filter box's own value: it changes as the person types, is handed on once typing pauses for
 * `wait` ms, and follows `value` when that changes from outside (the URL, the back button).
 */
export function useDraft<T>(value: T, onPause: (draft: T) => void, wait: number): [T, (next: T) => void] {
  const [draft, setDraft] = useState<T>(value);
  useEffect(() => setDraft(value), [value]);
  const commit = useDebouncedCallback(onPause, wait);
  return [
    draft,
    (next) => {
      setDraft(next);
      commit(next);
    },
  ];
}
