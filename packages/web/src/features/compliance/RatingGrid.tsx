import type { Matter } from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Kbd,
  List,
  Menu,
  Modal,
  NativeSelect,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type KeyboardEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useBlocker } from "react-router";
import { isApiError } from "../../api/client";
import { type CurrentRating, useGrid, useSaveAssessments } from "../../api/compliance";
import { useMatterDocuments } from "../../api/documents";
import { ConflictFrame } from "../../components/ConflictAlert";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useUrlState } from "../../lib/url-state";
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
  valuesOf,
} from "./grid-draft";
import { colorName, type Level, levelColor, levelLabel, plural, provisionPath, topicLabel } from "./levels";
import "./compliance.css";

const classes = {
  toolbar: "accord-grid-toolbar",
  grid: "accord-grid",
  row: "accord-grid-row",
  provisionCell: "accord-grid-provision",
  levelButton: "accord-level-button",
  dirtyDot: "accord-dirty-dot",
  swatch: "accord-swatch",
};

type Show = "all" | "unrated" | "changed";

/** The grid's columns that take the keyboard, left to right. */
const COLS = 5;

interface Doc {
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

/** The level cell: a button; number keys rate, 0 or Delete clears, Enter opens the list. */
function LevelCell({
  row,
  value,
  levels,
  provisionLabel,
  changed,
  onPick,
}: {
  row: number;
  value: string | null;
  levels: readonly Level[];
  provisionLabel: string;
  changed: boolean;
  onPick: (level: string | null) => void;
}) {
  const level = levels.find((l) => l.code === value);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[1-9]$/.test(e.key)) {
      const l = levels[Number(e.key) - 1];
      if (l) {
        e.preventDefault();
        onPick(l.code);
      }
    } else if (e.key === "0" || e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      onPick(null);
    }
  };
  return (
    <Menu position="bottom-start" withinPortal shadow="md" keepMounted={false}>
      <Menu.Target>
        <UnstyledButton
          data-cell={`${row}:1`}
          className={classes.levelButton}
          data-changed={changed || undefined}
          aria-label={`Level of ${provisionLabel}: ${level?.label ?? "not rated"}`}
          aria-keyshortcuts={[...levels.slice(0, 9).map((_, n) => String(n + 1)), "0", "Delete"].join(" ")}
          onKeyDown={onKeyDown}
        >
          {level ? (
            <Badge color={colorName(levelColor(level))} variant="light" radius="sm" tt="none" fullWidth>
              {level.label}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed" fs="italic">
              Not rated
            </Text>
          )}
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Rate {provisionLabel}</Menu.Label>
        {levels.map((l, i) => (
          <Menu.Item
            key={l.code}
            onClick={() => onPick(l.code)}
            leftSection={
              <span
                className={classes.swatch}
                style={{ background: `var(--mantine-color-${levelColor(l).replace(".", "-")})` }}
              />
            }
            rightSection={i < 9 ? <Kbd size="xs">{i + 1}</Kbd> : null}
          >
            {l.label}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item onClick={() => onPick(null)} rightSection={<Kbd size="xs">0</Kbd>}>
          No rating
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

interface RowProps {
  index: number;
  item: GridItem;
  values: RowValues;
  changed: boolean;
  selected: boolean;
  editable: boolean;
  levels: readonly Level[];
  documents: readonly Doc[];
  matterSlug: string;
  onChange: (item: GridItem, patch: Partial<RowValues>) => void;
  onSelect: (index: number, checked: boolean, shift: boolean) => void;
}

const sameRow = (a: RowProps, b: RowProps) =>
  a.index === b.index &&
  a.item === b.item &&
  a.changed === b.changed &&
  a.selected === b.selected &&
  a.editable === b.editable &&
  a.levels === b.levels &&
  a.documents === b.documents &&
  a.matterSlug === b.matterSlug &&
  a.onChange === b.onChange &&
  a.onSelect === b.onSelect &&
  a.values.level === b.values.level &&
  a.values.rationale === b.values.rationale &&
  a.values.documentId === b.values.documentId &&
  a.values.page === b.values.page;

const GridRow = memo(function GridRow({
  index,
  item,
  values,
  changed,
  selected,
  editable,
  levels,
  documents,
  matterSlug,
  onChange,
  onSelect,
}: RowProps) {
  const p = item.provision;
  const docTitle = documents.find((d) => d.id === values.documentId)?.title;
  const pageBad = !isValidPage(values.page);
  return (
    <Table.Tr
      data-changed={changed || undefined}
      className={classes.row}
      aria-selected={editable ? selected : undefined}
    >
      {editable ? (
        <Table.Td w={36}>
          <Checkbox
            data-cell={`${index}:0`}
            aria-label={`Select ${p.label}`}
            checked={selected}
            onChange={() => undefined}
            onClick={(e) => onSelect(index, !selected, e.shiftKey)}
          />
        </Table.Td>
      ) : null}
      <Table.Td className={classes.provisionCell}>
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={provisionPath(matterSlug, p.number)} size="sm" fw={600}>
            {p.label}
          </Anchor>
          {changed ? (
            <Tooltip label="Changed, not saved yet">
              <span className={classes.dirtyDot} role="img" aria-label="unsaved change" />
            </Tooltip>
          ) : null}
          {p.terminatedOn ? (
            <Badge size="xs" color="gray" variant="outline">
              Terminated
            </Badge>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed" lineClamp={1} title={p.path}>
          {p.path}
        </Text>
      </Table.Td>
      <Table.Td w={190}>
        {editable ? (
          <LevelCell
            row={index}
            value={values.level}
            levels={levels}
            provisionLabel={p.label}
            changed={changed}
            onPick={(level) => onChange(item, { level })}
          />
        ) : values.level ? (
          <Badge
            color={colorName(levelColor(levels.find((l) => l.code === values.level)))}
            variant="light"
            radius="sm"
            tt="none"
          >
            {levelLabel(levels, values.level)}
          </Badge>
        ) : (
          <Text size="xs" c="dimmed" fs="italic">
            Not rated
          </Text>
        )}
      </Table.Td>
      <Table.Td miw={200}>
        {editable ? (
          <TextInput
            size="xs"
            data-cell={`${index}:2`}
            aria-label={`Rationale for ${p.label}`}
            placeholder="Rationale"
            value={values.rationale}
            title={values.rationale || undefined}
            onChange={(e) => onChange(item, { rationale: e.currentTarget.value })}
          />
        ) : (
          <Text size="xs" lineClamp={2} title={values.rationale}>
            {values.rationale || "—"}
          </Text>
        )}
      </Table.Td>
      <Table.Td w={220}>
        {editable ? (
          <NativeSelect
            size="xs"
            data-cell={`${index}:3`}
            aria-label={`Evidence document for ${p.label}`}
            value={values.documentId}
            onChange={(e) => onChange(item, { documentId: e.currentTarget.value })}
            data={[
              { value: "", label: "— No document —" },
              ...documents.map((d) => ({ value: d.id, label: d.title })),
            ]}
          />
        ) : values.documentId ? (
          <Anchor
            component={Link}
            to={`/documents/${values.documentId}${values.page ? `?page=${values.page}` : ""}`}
            size="xs"
            lineClamp={1}
          >
            {docTitle ?? "Document"}
            {item.assessment && item.assessment.evidence.length > 1
              ? ` (+${item.assessment.evidence.length - 1})`
              : ""}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td w={76}>
        {editable ? (
          <TextInput
            size="xs"
            data-cell={`${index}:4`}
            aria-label={`Page of the evidence for ${p.label}`}
            placeholder="Page"
            inputMode="numeric"
            value={values.page}
            error={pageBad ? true : undefined}
            onChange={(e) => onChange(item, { page: e.currentTarget.value })}
          />
        ) : (
          <Text size="xs">{values.page || "—"}</Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}, sameRow);

/** The ratings that someone else changed meanwhile, and how this person wants to go on. */
function ConflictPanel({
  conflicts,
  items,
  levels,
  edits,
  onOverwrite,
  onTakeTheirs,
  busy,
}: {
  conflicts: CurrentRating[];
  items: readonly GridItem[];
  levels: readonly Level[];
  edits: ReadonlyMap<string, Edit>;
  onOverwrite: () => void;
  onTakeTheirs: () => void;
  busy: boolean;
}) {
  const labelOf = (id: string) => items.find((i) => i.provision.id === id)?.provision.label ?? "A provision";
  return (
    <ConflictFrame
      title="Someone else changed some of these ratings"
      takeTheirsLabel="Keep their ratings for these"
      onTakeTheirs={onTakeTheirs}
      onOverwrite={onOverwrite}
      busy={busy}
    >
      <Text size="sm">
        {conflicts.length === 1 ? "One rating was" : `${conflicts.length} ratings were`} saved by someone else
        since you loaded the grid. Nothing was saved; your changes are still here.
      </Text>
      <List size="sm" mt="xs">
        {conflicts.slice(0, 12).map((c) => {
          const mine = edits.get(editKey(c.provisionId, c.periodId));
          return (
            <List.Item key={editKey(c.provisionId, c.periodId)}>
              {labelOf(c.provisionId)}: now{" "}
              <b>{c.assessment ? levelLabel(levels, c.assessment.level) : "no rating"}</b>
              {c.assessment?.ratedBy ? ` (by ${c.assessment.ratedBy})` : ""}; yours:{" "}
              <b>{mine ? levelLabel(levels, mine.level) : "—"}</b>
            </List.Item>
          );
        })}
        {conflicts.length > 12 ? <List.Item>… and {conflicts.length - 12} more</List.Item> : null}
      </List>
    </ConflictFrame>
  );
}

/**
 * The rating grid of one period: every provision with its level, rationale and evidence,
 * moved through by keyboard; rows can be selected and set in bulk; Save sends only what
 * changed, each row with the version it was based on.
 */
export function RatingGrid({ matter }: { matter: Matter }) {
  const { params, update } = useUrlState();
  const periodParam = params.get("period") ?? undefined;
  const topic = params.get("topic") ?? "";
  const section = params.get("section") ?? "";
  const show = (
    ["unrated", "changed"].includes(params.get("show") ?? "") ? params.get("show") : "all"
  ) as Show;
  const grid = useGrid(matter.slug, { period: periodParam });
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
  const [bulkLevel, setBulkLevel] = useState<string | null>(null);
  const [bulkDocument, setBulkDocument] = useState<string>("");
  const [bulkPage, setBulkPage] = useState("");
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
        const edit = edits.get(editKey(i.provision.id, periodId));
        if (show === "changed" && !edit) return false;
        if (show === "unrated" && (edit ? edit.level : i.assessment?.level)) return false;
        return true;
      }),
    [data, topic, section, show, edits, periodId],
  );

  // The selection belongs to one period's rows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the period changes
  useEffect(() => {
    setSelected(new Set());
    lastClicked.current = null;
  }, [periodId]);

  const onChange = useCallback(
    (item: GridItem, patch: Partial<RowValues>) => {
      if (!periodId || loadingRef.current) return;
      setEdits((prev) => applyEdit(prev, item, periodId, patch));
    },
    [periodId],
  );

  const shownRef = useRef(shown);
  shownRef.current = shown;
  const onSelect = useCallback((index: number, checked: boolean, shift: boolean) => {
    const rows = shownRef.current;
    setSelected((prev) => {
      const next = new Set(prev);
      const indexes =
        shift && lastClicked.current !== null ? rangeBetween(lastClicked.current, index) : [index];
      for (const i of indexes) {
        const id = rows[i]?.provision.id;
        if (!id) continue;
        if (checked) next.add(id);
        else next.delete(id);
      }
      return next;
    });
    lastClicked.current = index;
  }, []);

  const dirty = edits.size > 0;
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    if (!dirty) return false;
    const nextView = new URLSearchParams(nextLocation.search).get("view");
    return currentLocation.pathname !== nextLocation.pathname || nextView !== "grid";
  });
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const allShownSelected = shown.length > 0 && shown.every((i) => selected.has(i.provision.id));
  const someShownSelected = shown.some((i) => selected.has(i.provision.id));
  const selectedShown = shown.filter((i) => selected.has(i.provision.id));

  const applyBulk = () => {
    if (!bulkLevel || !periodId || loadingOther) return;
    const patch: Partial<RowValues> = { level: bulkLevel === "__none" ? null : bulkLevel };
    if (bulkDocument) {
      patch.documentId = bulkDocument;
      patch.page = bulkPage.trim();
    }
    setEdits((prev) => {
      let next: Map<string, Edit> = new Map(prev);
      for (const item of selectedShown) next = applyEdit(next, item, periodId, patch);
      return next;
    });
    notifications.show({
      color: "blue",
      title: "Level set",
      message: `${plural(selectedShown.length, "provision")} set to ${
        bulkLevel === "__none" ? "no rating" : levelLabel(levels, bulkLevel)
      }; save to keep it.`,
    });
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
        for (const e of list) next.delete(editKey(e.provisionId, e.periodId));
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
      if (isApiError(error) && error.status === 412 && error.code === "version_conflict") {
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
      const key = editKey(c.provisionId, c.periodId);
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
      for (const c of conflicts) next.delete(editKey(c.provisionId, c.periodId));
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
    if (e.key === "ArrowDown") next = [Math.min(shown.length - 1, r + 1), c];
    else if (e.key === "ArrowUp") next = [Math.max(0, r - 1), c];
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

  if (grid.isPending)
    return (
      <Stack>
        <Skeleton height={40} />
        <Skeleton height={320} />
      </Stack>
    );
  if (grid.isError) return <ProblemAlert error={grid.error} onRetry={() => grid.refetch()} />;
  if (!data) return null;
  if (data.periods.length === 0)
    return (
      <Empty title="No reporting periods yet">
        {editable ? (
          <>
            Add one under{" "}
            <Anchor component={Link} to="?view=setup">
              Scale &amp; periods
            </Anchor>{" "}
            to rate provisions for it.
          </>
        ) : (
          "Ratings appear here once the monitor records a reporting period."
        )}
      </Empty>
    );
  if (data.items.length === 0)
    return (
      <Empty title="No provisions yet">
        Parse and accept the decree under the matter's Provisions to rate its paragraphs.
      </Empty>
    );

  const editsHere = [...edits.values()].filter((e) => e.periodId === periodId).length;
  const elsewhere = edits.size - editsHere;

  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" radius="md" className={classes.toolbar}>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label="Period"
            size="xs"
            w={240}
            allowDeselect={false}
            data={data.periods.map((p) => ({ value: p.id, label: `${p.label} (ends ${p.endsOn})` }))}
            value={periodId || null}
            onChange={(v) => update({ period: v }, { replace: true })}
          />
          <Select
            label="Topic"
            size="xs"
            w={210}
            clearable
            placeholder="All topics"
            data={topics.map((t) => ({ value: t, label: topicLabel(t) }))}
            value={topic || null}
            onChange={(v) => update({ topic: v }, { replace: true })}
          />
          <Select
            label="Section"
            size="xs"
            w={240}
            clearable
            searchable
            placeholder="All sections"
            data={sections}
            value={section || null}
            onChange={(v) => update({ section: v }, { replace: true })}
          />
          <SegmentedControl
            size="xs"
            aria-label="Show rows"
            value={show}
            onChange={(v) => update({ show: v === "all" ? null : v }, { replace: true })}
            data={[
              { value: "all", label: "All" },
              { value: "unrated", label: "Unrated" },
              { value: "changed", label: "Changed" },
            ]}
          />
          <Group gap="xs" ml="auto" align="center">
            <Text
              size="sm"
              c={dirty ? "orange" : "dimmed"}
              fw={dirty ? 600 : 400}
              role="status"
              aria-live="polite"
            >
              {dirty
                ? `${plural(edits.size, "unsaved change")}${elsewhere ? ` (${elsewhere} in other periods)` : ""}`
                : "All changes saved"}
            </Text>
            {editable ? (
              <>
                <Button size="xs" variant="default" onClick={discard} disabled={!dirty || save.isPending}>
                  Discard changes
                </Button>
                <Button
                  size="xs"
                  onClick={onSave}
                  loading={save.isPending}
                  disabled={!dirty || incomplete.length > 0 || badPages.length > 0}
                >
                  Save changes
                </Button>
              </>
            ) : null}
          </Group>
        </Group>
        {editable ? (
          <Group gap="sm" align="flex-end" mt="sm" wrap="wrap" aria-label="Bulk set" role="group">
            <Text size="sm" fw={600} w={110}>
              {selectedShown.length ? `${plural(selectedShown.length, "row")} selected` : "No row selected"}
            </Text>
            <Select
              size="xs"
              w={200}
              label="Level for the selected"
              placeholder="Choose a level"
              data={[
                ...levels.map((l) => ({ value: l.code, label: l.label })),
                { value: "__none", label: "No rating (remove)" },
              ]}
              value={bulkLevel}
              onChange={setBulkLevel}
            />
            <NativeSelect
              size="xs"
              w={220}
              label="Evidence (optional)"
              value={bulkDocument}
              onChange={(e) => setBulkDocument(e.currentTarget.value)}
              data={[
                { value: "", label: "— Keep each row's —" },
                ...documents.map((d) => ({ value: d.id, label: d.title })),
              ]}
            />
            <TextInput
              size="xs"
              w={70}
              label="Page"
              value={bulkPage}
              disabled={!bulkDocument}
              error={!isValidPage(bulkPage) ? true : undefined}
              onChange={(e) => setBulkPage(e.currentTarget.value)}
            />
            <Button
              size="xs"
              variant="light"
              onClick={applyBulk}
              disabled={!bulkLevel || selectedShown.length === 0 || !isValidPage(bulkPage)}
            >
              Set level for selected
            </Button>
            <Button
              size="xs"
              variant="subtle"
              onClick={() => setSelected(new Set())}
              disabled={selected.size === 0}
            >
              Clear selection
            </Button>
          </Group>
        ) : null}
      </Paper>

      {!editable ? (
        <Text size="sm" c="dimmed">
          Read-only: only admins and the matter's monitors rate provisions.
        </Text>
      ) : (
        <Text size="xs" c="dimmed" id="grid-keys">
          Keys: <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> <Kbd size="xs">←</Kbd> <Kbd size="xs">→</Kbd>{" "}
          move between cells, <Kbd size="xs">Tab</Kbd> to the next field. On a level:{" "}
          {levels.slice(0, 9).map((l, i) => (
            <span key={l.code}>
              <Kbd size="xs">{i + 1}</Kbd> {l.label}
              {" · "}
            </span>
          ))}
          <Kbd size="xs">0</Kbd> no rating, <Kbd size="xs">Enter</Kbd> the list. Shift-click a checkbox to
          select a range.
        </Text>
      )}

      {conflicts ? (
        <ConflictPanel
          conflicts={conflicts}
          items={data.items}
          levels={levels}
          edits={edits}
          onOverwrite={overwrite}
          onTakeTheirs={takeTheirs}
          busy={save.isPending}
        />
      ) : null}
      {saveProblem ? <ProblemAlert error={saveProblem} title="Not saved" /> : null}
      {incomplete.length ? (
        <Alert color="yellow" variant="light" title="Choose a level first">
          A rationale or evidence needs a rating: choose a level for{" "}
          {incomplete
            .map(
              (e) =>
                data.items.find((i) => i.provision.id === e.provisionId)?.provision.label ?? "a provision",
            )
            .join(", ")}
          , or clear what you typed.
        </Alert>
      ) : null}
      {badPages.length ? (
        <Alert color="yellow" variant="light" title="A page is not a number">
          Give pages as whole numbers (1 or more).
        </Alert>
      ) : null}

      <Table.ScrollContainer
        minWidth={900}
        type="native"
        style={loadingOther ? { opacity: 0.5, pointerEvents: "none" } : undefined}
        aria-busy={loadingOther || undefined}
      >
        <Table
          className={`accord-table ${classes.grid}`}
          verticalSpacing={4}
          highlightOnHover
          aria-label={`Ratings for ${period?.label ?? "the period"}`}
          aria-describedby={editable ? "grid-keys" : undefined}
        >
          <Table.Thead>
            <Table.Tr>
              {editable ? (
                <Table.Th w={36}>
                  <Checkbox
                    aria-label="Select all shown"
                    checked={allShownSelected}
                    indeterminate={!allShownSelected && someShownSelected}
                    onChange={(e) => {
                      const checked = e.currentTarget.checked;
                      setSelected((prev) => {
                        const next = new Set(prev);
                        for (const i of shown) {
                          if (checked) next.add(i.provision.id);
                          else next.delete(i.provision.id);
                        }
                        return next;
                      });
                    }}
                  />
                </Table.Th>
              ) : null}
              <Table.Th>Provision</Table.Th>
              <Table.Th>Level</Table.Th>
              <Table.Th>Rationale</Table.Th>
              <Table.Th>Evidence document</Table.Th>
              <Table.Th>Page</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody ref={tableRef} onKeyDown={onGridKeyDown}>
            {shown.map((item, index) => {
              const edit = edits.get(editKey(item.provision.id, periodId));
              return (
                <GridRow
                  key={item.provision.id}
                  index={index}
                  item={item}
                  values={edit ?? valuesOf(item.assessment)}
                  changed={Boolean(edit)}
                  selected={selected.has(item.provision.id)}
                  editable={editable}
                  levels={levels}
                  documents={documents}
                  matterSlug={matter.slug}
                  onChange={onChange}
                  onSelect={onSelect}
                />
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {shown.length === data.items.length
          ? plural(data.items.length, "provision")
          : `${shown.length} of ${plural(data.items.length, "provision")} shown`}
        {" · "}
        {plural(period?.ratings ?? 0, "rating")} saved for {period?.label}
      </Text>

      <Modal
        opened={blocker.state === "blocked"}
        onClose={() => blocker.reset?.()}
        title="Leave without saving?"
        centered
      >
        <Stack>
          <Text size="sm">
            {plural(edits.size, "rating")} changed in the grid {edits.size === 1 ? "is" : "are"} not saved.
            Leaving discards {edits.size === 1 ? "it" : "them"}.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
              Stay
            </Button>
            <Button color="red" onClick={() => blocker.proceed?.()}>
              Leave and discard
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
