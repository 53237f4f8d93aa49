import { isValidPartialDate } from "@accord/domain";
import { useCallback, useEffect, useSyncExternalStore } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";

/**
 * The day the portfolio is shown as of. It lives in the URL (`?asOf=2017-03-31`) so a link
 * carries it; the app's own links do not name it, so the day chosen is also held here and put
 * back on the URL of every screen the person moves to, until they go back to today.
 */
export const AS_OF_PARAM = "asOf";

/** A real calendar day written YYYY-MM-DD (what the API's `asOf` takes). */
export function isAsOfDay(value: string | null | undefined): value is string {
  return Boolean(value && /^\d{4}-\d{2}-\d{2}$/.test(value) && isValidPartialDate(value));
}

let chosen: string | null = null;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const read = () => chosen;
function choose(day: string | null) {
  if (day === chosen) return;
  chosen = day;
  for (const l of listeners) l();
}

/** The as-of day the screen shows: the URL's, else the one chosen earlier; null for today. */
export function useAsOf(): string | null {
  const [params] = useSearchParams();
  const held = useSyncExternalStore(subscribe, read);
  const fromUrl = params.get(AS_OF_PARAM);
  return isAsOfDay(fromUrl) ? fromUrl : held;
}

/** Choose a day (null: back to today); the list's page goes back to the first. */
export function useSetAsOf() {
  const navigate = useNavigate();
  return useCallback(
    (day: string | null) => {
      choose(isAsOfDay(day) ? day : null);
      const next = new URLSearchParams(window.location.search);
      if (chosen) next.set(AS_OF_PARAM, chosen);
      else next.delete(AS_OF_PARAM);
      next.delete("offset");
      const search = next.toString();
      navigate({ pathname: window.location.pathname, search: search ? `?${search}` : "" });
    },
    [navigate],
  );
}

/**
 * Keeps the URL and the chosen day together: a URL that names a day (a shared link) chooses
 * it; a screen reached without one (any of the app's links) gets the chosen day put back.
 */
export function useAsOfSync(): void {
  const location = useLocation();
  const navigate = useNavigate();
  // Only a move to another address acts here, never a change of the chosen day itself: "Back to
  // today" clears the day before the address drops it, and must not see the old address re-choose it.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const fromUrl = params.get(AS_OF_PARAM);
    if (isAsOfDay(fromUrl)) {
      choose(fromUrl);
      return;
    }
    const held = read();
    if (!held) return;
    params.set(AS_OF_PARAM, held);
    navigate({ pathname: location.pathname, search: `?${params}`, hash: location.hash }, { replace: true });
  }, [location.pathname, location.search, location.hash, navigate]);
}

/** The query parameter for the API: `{ asOf }` when a day is chosen, nothing otherwise. */
export const asOfQuery = (asOf: string | null) => (asOf ? { asOf } : {});
