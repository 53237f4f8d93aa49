import { useCallback, useState } from "react";
import { useSearchParams } from "react-router";

export type ParamValue = string | number | readonly string[] | null | undefined;

/** A list parameter may be written `kind=a,b` or `kind=a&kind=b`; both read the same. */
export function readList(params: URLSearchParams, key: string): string[] {
  return params
    .getAll(key)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function readInt(params: URLSearchParams, key: string, fallback: number): number {
  const raw = params.get(key);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** The page of a list the URL asks for: `limit` rows from `offset`. */
export function readPage(params: URLSearchParams, defaultLimit = 50): { limit: number; offset: number } {
  return { limit: readInt(params, "limit", defaultLimit), offset: readInt(params, "offset", 0) };
}

export function applyParams(base: URLSearchParams, patch: Record<string, ParamValue>): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const [key, value] of Object.entries(patch)) {
    next.delete(key);
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length > 0) next.set(key, value.join(","));
    } else {
      next.set(key, String(value));
    }
  }
  return next;
}

/**
 * The URL's search parameters as a list screen's state. Changing a filter goes back to the
 * first page; changing the page itself does not.
 */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: Record<string, ParamValue>, options: { keepOffset?: boolean; replace?: boolean } = {}) => {
      // Start from the address bar, not this render's params: two quick changes (a box, then a
      // select) must not lose the first while its navigation is still being rendered.
      const next = applyParams(new URLSearchParams(window.location.search), patch);
      if (!options.keepOffset && !("offset" in patch)) next.delete("offset");
      setParams(next, { replace: options.replace ?? false });
    },
    [setParams],
  );
  return { params, update };
}

/**
 * A control's value that follows the URL but changes at once when the person acts: the router
 * lands the URL change a moment later, and a controlled box must not flick back meanwhile.
 */
export function useMirror<T>(fromUrl: T): [T, (next: T) => void] {
  const key = JSON.stringify(fromUrl);
  const [local, setLocal] = useState<{ key: string; value: T }>({ key, value: fromUrl });
  // The URL moved on its own (back button, a link): follow it.
  const [seen, setSeen] = useState(key);
  if (seen !== key) {
    setSeen(key);
    setLocal({ key, value: fromUrl });
  }
  return [local.value, (next: T) => setLocal({ key: JSON.stringify(next), value: next })];
}

/** A list filter kept in the URL, e.g. `?kind=a,b`, as a control's value and setter. */
export function useUrlList(key: string): [string[], (next: string[]) => void] {
  const { params, update } = useUrlState();
  const [value, setValue] = useMirror(readList(params, key));
  return [
    value,
    (next) => {
      setValue(next);
      update({ [key]: next });
    },
  ];
}

/** A path inside Accord ("/matters?q=x"), or null: never another site ("//evil", "https:"). */
export function localPath(value: string | null): string | null {
  return value && /^\/(?![/\\])/.test(value) ? value : null;
}
