import type { Citation, Criterion, Recommendation, Review, UpdateReview } from "@accord/domain";
import { useCallback, useEffect, useRef, useState } from "react";
import { type ApiProblem, isApiError } from "../../api/client";
import { saveReviewDraft } from "../../api/reviews";
import { STORED_DRAFT_PREFIX } from "../../lib/stored-drafts";

/** One criterion's finding as the form edits it. */
export interface FindingValues {
  rating: string | null;
  rationale: string;
  citations: Citation[];
}

/** What a reviewer drafts: a finding per criterion, and the recommendation with its rationale. */
export interface DraftValues {
  findings: Record<string, FindingValues>;
  recommendation: Recommendation | null;
  recommendationRationale: string;
}

export function draftOf(review: Review, criteria: readonly Criterion[]): DraftValues {
  const findings: Record<string, FindingValues> = {};
  for (const c of criteria) {
    const f = review.findings[c.code];
    findings[c.code] = {
      rating: f?.rating ?? null,
      rationale: f?.rationale ?? "",
      citations: f?.citations ?? [],
    };
  }
  return {
    findings,
    recommendation: review.recommendation,
    recommendationRationale: review.recommendationRationale ?? "",
  };
}

function payloadOf(values: DraftValues): UpdateReview {
  const findings: NonNullable<UpdateReview["findings"]> = {};
  for (const [code, f] of Object.entries(values.findings)) {
    findings[code] = {
      rating: f.rating,
      rationale: f.rationale === "" ? null : f.rationale,
      citations: f.citations,
    };
  }
  return {
    findings,
    recommendation: values.recommendation,
    recommendationRationale: values.recommendationRationale === "" ? null : values.recommendationRationale,
  };
}

const same = (a: DraftValues, b: DraftValues) =>
  JSON.stringify(payloadOf(a)) === JSON.stringify(payloadOf(b));

// ---------------------------------------------------------------- the copy kept in this browser

/**
 * Until the server has it, what was typed is kept in localStorage under the review's id and the
 * version it is based on, so a network failure, a closed tab or a crash loses nothing. Signing
 * out forgets them all (lib/stored-drafts).
 */
const PREFIX = STORED_DRAFT_PREFIX;
const keyOf = (id: string, version: number) => `${PREFIX}${id}@${version}`;

interface StoredDraft {
  version: number;
  values: DraftValues;
  /** When it was last typed, ISO. */
  at: string;
}

function storedKeys(id: string): string[] {
  const keys: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(`${PREFIX}${id}@`)) keys.push(k);
    }
  } catch {
    // storage unavailable (private mode): nothing kept
  }
  return keys;
}

function readStored(id: string): StoredDraft | null {
  let best: StoredDraft | null = null;
  for (const k of storedKeys(id)) {
    try {
      const d = JSON.parse(localStorage.getItem(k) ?? "null") as StoredDraft | null;
      if (d && typeof d.version === "number" && d.values && (!best || d.at > best.at)) best = d;
    } catch {
      // a damaged entry: ignored
    }
  }
  return best;
}

function writeStored(id: string, draft: StoredDraft) {
  try {
    for (const k of storedKeys(id)) if (k !== keyOf(id, draft.version)) localStorage.removeItem(k);
    localStorage.setItem(keyOf(id, draft.version), JSON.stringify(draft));
  } catch {
    // storage full or unavailable: the draft still lives in memory
  }
}

export function clearStored(id: string) {
  try {
    for (const k of storedKeys(id)) localStorage.removeItem(k);
  } catch {
    // nothing to clear
  }
}

// ---------------------------------------------------------------- the autosave

export type SaveState =
  | { kind: "clean" }
  | { kind: "dirty" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "retrying"; attempt: number; error: string; nextAt: number }
  /** `restoredAt`: the person's version is a copy kept in this browser, typed then. */
  | { kind: "conflict"; theirs: Review; restoredAt?: string }
  | { kind: "failed"; problem: ApiProblem };

/** Typing stops for this long, then the draft is saved. */
const DEBOUNCE_MS = 1000;
const RETRY_MS = [2000, 4000, 8000, 15000, 30000];

function problemOf(error: unknown): ApiProblem {
  if (isApiError(error) && error.problem) return error.problem;
  return {
    type: "about:blank",
    title: "Not saved",
    status: isApiError(error) ? error.status : 0,
    code: "error",
    detail: error instanceof Error ? error.message : String(error),
  };
}

/**
 * The review's draft as the reviewer types it, saved on its own about a second after typing
 * stops (PATCH with If-Match: the version last received). A failed save keeps the draft here and
 * in localStorage and is retried; a save based on an old version (someone else, or another tab,
 * saved meanwhile) stops and shows both versions for the person to choose.
 */
export function useReviewDraft({
  review,
  criteria,
  editable,
  onSaved,
  onRefused,
}: {
  review: Review;
  criteria: readonly Criterion[];
  /** Whether this user may edit the review in its state; when not, nothing is saved. */
  editable: boolean;
  /** A version the server answered with. */
  onSaved: (review: Review) => void;
  /** The server refused the save for good (the review's state forbids it): read it again. */
  onRefused: () => void;
}) {
  const id = review.id;
  const [values, setValuesState] = useState<DraftValues>(() => draftOf(review, criteria));
  const [state, setState] = useState<SaveState>({ kind: "clean" });
  const valuesRef = useRef(values);
  const versionRef = useRef(review.version);
  /** The values the server holds (as last sent or loaded). */
  const savedRef = useRef<DraftValues>(values);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const attempt = useRef(0);
  const stateRef = useRef(state);
  /** The state for the screen, and at once for the callbacks (which run between renders). */
  const put = useCallback((next: SaveState) => {
    stateRef.current = next;
    setState(next);
  }, []);
  const opts = useRef({ editable, onSaved, onRefused, criteria });
  opts.current = { editable, onSaved, onRefused, criteria };

  const clearTimer = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const adopt = useCallback(
    (r: Review) => {
      const next = draftOf(r, opts.current.criteria);
      versionRef.current = r.version;
      savedRef.current = next;
      valuesRef.current = next;
      setValuesState(next);
      clearStored(id);
    },
    [id],
  );

  const save = useCallback(async (): Promise<boolean> => {
    clearTimer();
    if (!opts.current.editable) return false;
    if (stateRef.current.kind === "conflict") return false;
    if (inFlight.current) {
      // Typing went on while a save was out: save again once it is back.
      await inFlight.current;
      return save();
    }
    const sent = valuesRef.current;
    if (same(sent, savedRef.current)) {
      clearStored(id);
      return true;
    }
    put({ kind: "saving" });
    const run = (async () => {
      try {
        const saved = await saveReviewDraft(id, versionRef.current, payloadOf(sent));
        attempt.current = 0;
        versionRef.current = saved.version;
        savedRef.current = sent;
        opts.current.onSaved(saved);
        if (same(valuesRef.current, sent)) {
          clearStored(id);
          put({ kind: "saved", at: new Date() });
        } else {
          writeStored(id, {
            version: saved.version,
            values: valuesRef.current,
            at: new Date().toISOString(),
          });
          put({ kind: "dirty" });
        }
        return true;
      } catch (error) {
        const p = problemOf(error);
        const status = isApiError(error) ? error.status : 0;
        if (p.code === "version_conflict" && p.current && typeof p.current === "object") {
          put({ kind: "conflict", theirs: p.current as Review });
          return false;
        }
        if (status === 0 || status >= 500 || status === 429) {
          const n = attempt.current++;
          const wait = RETRY_MS[Math.min(n, RETRY_MS.length - 1)] ?? 30000;
          put({
            kind: "retrying",
            attempt: n + 1,
            error: p.detail ?? p.title,
            nextAt: Date.now() + wait,
          });
          timer.current = setTimeout(() => void save(), wait);
          return false;
        }
        put({ kind: "failed", problem: p });
        if (status === 409) opts.current.onRefused();
        return false;
      }
    })();
    inFlight.current = run;
    const ok = await run;
    inFlight.current = null;
    // Typing during the save: the next save follows the usual pause.
    if (ok && !same(valuesRef.current, savedRef.current) && !timer.current) {
      timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
    }
    return ok;
  }, [id, put, clearTimer]);

  const setValues = useCallback(
    (update: (v: DraftValues) => DraftValues) => {
      const next = update(valuesRef.current);
      valuesRef.current = next;
      setValuesState(next);
      writeStored(id, { version: versionRef.current, values: next, at: new Date().toISOString() });
      const s = stateRef.current.kind;
      // While the person chooses between two versions, nothing is saved.
      if (s === "conflict") return;
      if (s !== "saving" && s !== "retrying") {
        put({ kind: "dirty" });
      }
      clearTimer();
      timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
    },
    [id, save, put, clearTimer],
  );

  // On opening: a draft kept in this browser and never saved is restored, or, when the review
  // has moved on since, shown beside the saved one for the person to choose.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per review
  useEffect(() => {
    const stored = readStored(id);
    if (!stored) return;
    const server = draftOf(review, criteria);
    if (same(stored.values, server)) {
      clearStored(id);
      return;
    }
    const mine = normalize(stored.values, criteria);
    valuesRef.current = mine;
    setValuesState(mine);
    if (stored.version === review.version && editable) {
      put({ kind: "dirty" });
      timer.current = setTimeout(() => void save(), 200);
    } else {
      put({ kind: "conflict", theirs: review, restoredAt: stored.at });
    }
  }, [id]);

  useEffect(() => () => clearTimer(), [clearTimer]);

  /** Save now (before submitting): true when the server holds everything typed. */
  const flush = useCallback(async () => {
    if (stateRef.current.kind === "retrying") {
      attempt.current = 0;
      put({ kind: "dirty" });
    }
    const ok = await save();
    return ok && same(valuesRef.current, savedRef.current);
  }, [save, put]);

  /** Take the other version: the form shows what they saved; what was typed here is dropped. */
  const loadTheirs = useCallback(() => {
    const s = stateRef.current;
    if (s.kind !== "conflict") return;
    adopt(s.theirs);
    opts.current.onSaved(s.theirs);
    put({ kind: "clean" });
  }, [adopt, put]);

  /** Keep this version: it is saved over theirs (If-Match: their version). */
  const keepMine = useCallback(() => {
    const s = stateRef.current;
    if (s.kind !== "conflict") return;
    versionRef.current = s.theirs.version;
    savedRef.current = draftOf(s.theirs, opts.current.criteria);
    opts.current.onSaved(s.theirs);
    put({ kind: "dirty" });
    void save();
  }, [save, put]);

  /** Drop what is kept here (when the review can no longer be edited). */
  const discardMine = useCallback(() => {
    const s = stateRef.current;
    if (s.kind === "conflict") adopt(s.theirs);
    else clearStored(id);
    put({ kind: "clean" });
  }, [adopt, id, put]);

  /**
   * The review changed on the server (an action, another tab's save read back): when nothing
   * typed here is waiting, the form follows it.
   */
  const follow = useCallback(
    (r: Review) => {
      if (r.version <= versionRef.current) return;
      const s = stateRef.current.kind;
      if (inFlight.current || s === "dirty" || s === "saving" || s === "retrying" || s === "conflict") return;
      if (!same(valuesRef.current, savedRef.current)) return;
      adopt(r);
      if (s === "failed") put({ kind: "clean" });
    },
    [adopt, put],
  );

  return {
    values,
    setValues,
    state,
    flush,
    loadTheirs,
    keepMine,
    discardMine,
    follow,
    /** The version the next save is based on. */
    version: () => versionRef.current,
    /** Whether something typed is not on the server yet. */
    isDirty: () => !same(valuesRef.current, savedRef.current),
  };
}

/** Stored values fitted to the cycle's criteria (a damaged or older copy may lack some). */
function normalize(values: DraftValues, criteria: readonly Criterion[]): DraftValues {
  const findings: Record<string, FindingValues> = {};
  for (const c of criteria) {
    const f = values.findings?.[c.code];
    findings[c.code] = {
      rating: f?.rating ?? null,
      rationale: f?.rationale ?? "",
      citations: Array.isArray(f?.citations) ? f.citations : [],
    };
  }
  return {
    findings,
    recommendation: values.recommendation ?? null,
    recommendationRationale: values.recommendationRationale ?? "",
  };
}
