import type { FormErrors } from "@mantine/form";
import { useCallback, useRef, useState } from "react";
import { type ApiProblem, isApiError } from "../api/client";
import { focusFirstError, serverErrors } from "./forms";

export interface Conflict<TRecord> {
  /** The record as someone else saved it. */
  current: TRecord;
  /** Its version: what an overwrite must name in If-Match. */
  version: number;
}

interface Options<TRecord, TPayload> {
  /** Send the write; `version` is the record version it is based on (undefined for a create). */
  save: (payload: TPayload, version: number | undefined) => Promise<TRecord>;
  onSaved: (record: TRecord) => void;
  /** Fetch the current record, when a conflict answer does not carry it. */
  reload?: () => Promise<TRecord>;
  setFieldErrors: (errors: FormErrors) => void;
  /** The form's field paths in the order they are shown. */
  fieldOrder: readonly string[];
}

function versionOf(record: unknown): number | null {
  if (record && typeof record === "object" && "version" in record) {
    const v = (record as { version: unknown }).version;
    return typeof v === "number" ? v : null;
  }
  return null;
}

/**
 * Save with optimistic concurrency. A stale write comes back as 412 `version_conflict` with
 * the current record: it is held here for the person to choose, never retried on its own.
 */
export function useVersionedSave<TRecord, TPayload>(options: Options<TRecord, TPayload>) {
  const [conflict, setConflict] = useState<Conflict<TRecord> | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const lastPayload = useRef<TPayload | null>(null);
  const opts = useRef(options);
  opts.current = options;

  const submit = useCallback(async (payload: TPayload, version: number | undefined) => {
    const o = opts.current;
    lastPayload.current = payload;
    setProblem(null);
    setOtherErrors([]);
    setSaving(true);
    try {
      const record = await o.save(payload, version);
      setConflict(null);
      o.onSaved(record);
    } catch (error) {
      if (!isApiError(error)) {
        setProblem({
          type: "about:blank",
          title: "Could not save",
          status: 0,
          code: "client_error",
          detail: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      const p = error.problem;
      if ((error.status === 412 || error.status === 409) && p?.code === "version_conflict") {
        let current = p.current as TRecord | undefined;
        if (current === undefined && o.reload) current = await o.reload();
        const v = versionOf(current);
        if (current !== undefined && v !== null) {
          setConflict({ current, version: v });
          return;
        }
      }
      if (p?.errors && p.errors.length > 0) {
        const { fields, other } = serverErrors(p, o.fieldOrder);
        o.setFieldErrors(fields);
        setOtherErrors(other);
        focusFirstError(fields, o.fieldOrder);
      }
      setProblem(
        p ?? {
          type: "about:blank",
          title: "Could not save",
          status: error.status,
          code: "error",
          detail: error.message,
        },
      );
    } finally {
      setSaving(false);
    }
  }, []);

  /** Send the same changes again, now based on the version that is current. */
  const overwrite = useCallback(async () => {
    if (!conflict || lastPayload.current === null) return;
    const version = conflict.version;
    setConflict(null);
    await submit(lastPayload.current, version);
  }, [conflict, submit]);

  const dismissConflict = useCallback(() => setConflict(null), []);

  return { submit, overwrite, conflict, dismissConflict, problem, otherErrors, saving };
}
