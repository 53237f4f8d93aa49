import { type Matter, RATERS, type Rater } from "@accord/domain";
import { notifications } from "@mantine/notifications";
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Location } from "react-router";
import { hasCode } from "../../api/client";
import { type CurrentRating, useGrid, useSaveAssessments } from "../../api/compliance";
import { useMatterDocuments } from "../../api/documents";
import { useUrlState } from "../../lib/url-state";
import { useUnsavedChanges } from "../../lib/use-unsaved-changes";
import {
  applyEdit,
  type Edit,
  editKey,
  type GridItem,
  incompleteEdits,
  isValidPage,
  payloadOf,
  type RowValues,
  rangeBetween,
} from "./grid-draft";

export type Show = "all" | "unrated" | "changed";

/** A move that leaves the grid's edits behind: another page, or another view of this one. */
const leavesTheGrid = (current: Location, next: Location) =>
  current.pathname !== next.pathname || new URLSearchParams(next.search).get("view") !== "grid";

/** The grid's columns that take the keyboard, left to right. */
const COLS = 5;

export interface Doc {
  id: string;
  title: string;
}

function focusCell(root: HTMLElement | null, row: number, col: number) {
  const el = root?.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`);
  if (el) {
    el.focus();
    if (el instanceof HTMLInputElement && el.type === "text") el.select();
  }
}

/**
 * The rating grid's state: the period and filters the URL holds, the unsaved edits of every
 * period, the selected rows, saving (with the conflicts a stale save meets), the guard against
 * leaving with unsaved edits, and arrow-key moves between cells.
 */
export function useRatingGrid(matter: Matter) {
  const { params, update } = useUrlState();
  const periodParam = params.get("period") ?? undefined;
  const topic = params.get("topic") ?? "";
  const section = params.get("section") ?? "";
  const show = (
    ["unrated", "changed"].includes(params.get("show") ?? "") ? params.get("show") : "all"
  ) as Show;
  const raterParam = params.get("rater");
  const rater: Rater = RATERS.find((r) => r === raterParam) ?? "monitor";
  // Headings (shown as section rows) and definitions are left out unless asked for.
  const withHeadings = params.get("headings") === "1";
  const grid = useGrid(matter.slug, {
    period: periodParam,
    ...(rater === "monitor" ? {} : { rater }),
    include: withHeadings ? "headings,definitions" : undefined,
  });
  const docsQuery = useMatterDocuments(matter.slug);
  const documents = useMemo<Doc[]>(
    () => (docsQuery.data?.items ?? []).map((d) => ({ id: d.id, title: d.title })),
    [docsQuery.data],
  );
  const save = useSaveAssessments(matter.slug);

  const [edits, setEdits] = useState<Map<string, Edit>>(new Map());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [conflicts, setConflicts] = useState<CurrentRating[] | null>(null);
  const [saveProblem, setSaveProblem] = useState<unknown>(null);
  const lastClicked = useRef<number | null>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);

  const data = grid.data;
  const period = data?.period ?? null;
  const periodId = period?.id ?? "";
  const levels = data?.scale.levels ?? [];
  const editable = Boolean(data?.abilities.rate);
  // While another period loads, the rows shown are the last period's: they take no edits.
  const loadingOther = grid.isPlaceholderData;
  const loadingRef = useRef(loadingOther);
  loadingRef.current = loadingOther;

  const topics = useMemo(
    () => [...new Set((data?.items ?? []).flatMap((i) => i.provision.topics))].sort(),
    [data],
  );
  const sections = useMemo(() => {
    const seen: string[] = [];
    for (const i of data?.items ?? [])
      if (i.provision.section && !seen.includes(i.provision.section)) seen.push(i.provision.section);
    return seen;
  }, [data]);
  const shown = useMemo(
    () =>
      (data?.items ?? []).filter((i) => {
        if (topic && !i.provision.topics.includes(topic)) return false;
        if (section && i.provision.section !== section && i.provision.section?.split(". ")[0] !== section)
          return false;
        const edit = edits.get(editKey(i.provision.id, periodId, rater));
        if (show === "changed" && !edit) return false;
        if (show === "unrated" && (edit ? edit.level : i.assessment?.level)) return false;
        return true;
      }),
    [data, topic, section, show, edits, periodId, rater],
  );

  // The selection belongs to one period's rows, of one rater.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the period or rater changes
  useEffect(() => {
    setSelected(new Set());
    lastClicked.current = null;
  }, [periodId, rater]);

  const onChange = useCallback(
    (item: GridItem, patch: Partial<RowValues>) => {
      if (!periodId || loadingRef.current) return;
      setEdits((prev) => applyEdit(prev, item, periodId, patch, rater));
    },
    [periodId, rater],
  );

  // Every row can be rated, a heading's too (some raters rate a section as a whole).
  const ratable = shown;

  const shownRef = useRef(shown);
  shownRef.current = shown;
  const onSelect = useCallback((index: number, checked: boolean, shift: boolean) => {
    const rows = shownRef.current;
    setSelected((prev) => {
      const next = new Set(prev);
      const indexes =
        shift && lastClicked.current !== null ? rangeBetween(lastClicked.current, index) : [index];
      for (const i of indexes) {
        const row = rows[i];
        if (!row) continue;
        const id = row.provision.id;
        if (checked) next.add(id);
        else next.delete(id);
      }
      return next;
    });
    lastClicked.current = index;
  }, []);

  const dirty = edits.size > 0;
  const blocker = useUnsavedChanges(() => dirty, { leaves: leavesTheGrid });

  const allShownSelected = ratable.length > 0 && ratable.every((i) => selected.has(i.provision.id));
  const someShownSelected = ratable.some((i) => selected.has(i.provision.id));
  const selectedShown = ratable.filter((i) => selected.has(i.provision.id));

  /** Selects, or unselects, every row shown (the header's checkbox). */
  const selectShown = (checked: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const i of ratable) {
        if (checked) next.add(i.provision.id);
        else next.delete(i.provision.id);
      }
      return next;
    });
  };

  const clearSelection = () => setSelected(new Set());

  /** Changes the selected rows shown; false when the rows shown take no edits right now. */
  const editSelected = (patch: Partial<RowValues>): boolean => {
    if (!periodId || loadingOther) return false;
    setEdits((prev) => {
      let next: Map<string, Edit> = new Map(prev);
      for (const item of selectedShown) next = applyEdit(next, item, periodId, patch, rater);
      return next;
    });
    return true;
  };

  const incomplete = incompleteEdits(edits.values());
  const badPages = [...edits.values()].filter((e) => !isValidPage(e.page));

  const submit = async (list: Edit[]) => {
    setSaveProblem(null);
    try {
      const result = await save.mutateAsync(payloadOf(list));
      setConflicts(null);
      setEdits((prev) => {
        const next = new Map(prev);
        for (const e of list) next.delete(editKey(e.provisionId, e.periodId, e.rater));
        return next;
      });
      notifications.show({
        color: "teal",
        title: "Ratings saved",
        message: `${result.created} added, ${result.updated} changed, ${result.removed} removed${
          result.unchanged ? `, ${result.unchanged} unchanged` : ""
        }.`,
      });
    } catch (error) {
      if (hasCode(error, "version_conflict") && error.status === 412) {
        const current = (error.problem?.current as { items?: CurrentRating[] } | undefined)?.items ?? [];
        setConflicts(current);
        return;
      }
      setSaveProblem(error);
    }
  };

  const onSave = () => {
    if (incomplete.length || badPages.length) return;
    void submit([...edits.values()]);
  };

  const overwrite = () => {
    if (!conflicts) return;
    const next = new Map(edits);
    for (const c of conflicts) {
      const key = editKey(c.provisionId, c.periodId, c.rater);
      const e = next.get(key);
      if (e) next.set(key, { ...e, baseVersion: c.assessment?.version ?? 0 });
    }
    setEdits(next);
    void submit([...next.values()]);
  };

  const takeTheirs = () => {
    if (!conflicts) return;
    setEdits((prev) => {
      const next = new Map(prev);
      for (const c of conflicts) next.delete(editKey(c.provisionId, c.periodId, c.rater));
      return next;
    });
    setConflicts(null);
    void grid.refetch();
  };

  const discard = () => {
    setEdits(new Map());
    setConflicts(null);
    setSaveProblem(null);
  };

  /** Arrow keys move between cells; Tab moves as usual. */
  const onGridKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    if (!tableRef.current?.contains(target)) return; // a menu's items (portaled) keep their keys
    const cell = target.getAttribute("data-cell");
    if (!cell || e.altKey || e.ctrlKey || e.metaKey) return;
    const [r, c] = cell.split(":").map(Number) as [number, number];
    let next: [number, number] | null = null;
    const step = (dir: 1 | -1) => Math.min(shown.length - 1, Math.max(0, r + dir));
    if (e.key === "ArrowDown") next = [step(1), c];
    else if (e.key === "ArrowUp") next = [step(-1), c];
    else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      if (target instanceof HTMLInputElement && target.type === "text") {
        const atStart = target.selectionStart === 0 && target.selectionEnd === 0;
        const atEnd = target.selectionStart === target.value.length;
        const allSelected = target.selectionStart === 0 && target.selectionEnd === target.value.length;
        if (e.key === "ArrowLeft" && !atStart && !allSelected) return;
        if (e.key === "ArrowRight" && !atEnd && !allSelected) return;
      }
      const min = editable ? 0 : 1;
      next = [r, e.key === "ArrowLeft" ? Math.max(min, c - 1) : Math.min(COLS - 1, c + 1)];
    }
    if (!next) return;
    e.preventDefault();
    focusCell(tableRef.current, next[0], next[1]);
  };

  return {
    grid,
    data,
    period,
    periodId,
    rater,
    levels,
    editable,
    loadingOther,
    documents,
    topic,
    section,
    show,
    withHeadings,
    update,
    topics,
    sections,
    shown,
    ratable,
    edits,
    dirty,
    selected,
    selectedShown,
    allShownSelected,
    someShownSelected,
    conflicts,
    saveProblem,
    incomplete,
    badPages,
    isSaving: save.isPending,
    blocker,
    tableRef,
    onChange,
    onSelect,
    selectShown,
    clearSelection,
    editSelected,
    onSave,
    overwrite,
    takeTheirs,
    discard,
    onGridKeyDown,
  };
}
