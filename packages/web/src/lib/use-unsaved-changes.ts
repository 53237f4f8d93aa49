import { useEffect, useRef } from "react";
import { type Blocker, type Location, useBlocker } from "react-router";

interface Options {
  /**
   * Whether a move from `current` to `next` leaves the edits behind; by default any move to
   * another path (a search or hash change on the same page keeps the form).
   */
  leaves?: (current: Location, next: Location) => boolean;
}

const toAnotherPath = (current: Location, next: Location) => current.pathname !== next.pathname;

/**
 * Ask before unsaved edits are discarded: a move inside the app is held (`blocker.state` is
 * "blocked" until the person stays or leaves, see UnsavedChangesModal), and closing or
 * reloading the tab gets the browser's own question. `isDirty` is read when the person moves,
 * not when the page last drew, so a save that navigates right after resetting the form is not
 * held by the edits it has just saved.
 */
export function useUnsavedChanges(isDirty: () => boolean, options: Options = {}): Blocker {
  const dirtyRef = useRef(isDirty);
  dirtyRef.current = isDirty;
  const leaves = options.leaves ?? toAnotherPath;
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirtyRef.current() && leaves(currentLocation, nextLocation),
  );
  const dirtyNow = isDirty();
  useEffect(() => {
    if (!dirtyNow) return;
    const warn = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current()) return;
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirtyNow]);
  return blocker;
}
