import type { Matter } from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Kbd,
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
import { type KeyboardEvent, memo } from "react";
import { Link } from "react-router";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { BulkSetBar } from "./BulkSetBar";
import { editKey, type GridItem, isValidPage, type RowValues, valuesOf } from "./grid-draft";
import { colorName, type Level, levelColor, levelLabel, plural, provisionPath, topicLabel } from "./levels";
import { RatingConflictPanel } from "./RatingConflictPanel";
import { type Doc, useRatingGrid } from "./use-rating-grid";
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

/**
 * The rating grid of one period: every provision with its level, rationale and evidence,
 * moved through by keyboard; rows can be selected and set in bulk; Save sends only what
 * changed, each row with the version it was based on.
 */
export function RatingGrid({ matter }: { matter: Matter }) {
  const {
    grid,
    data,
    period,
    periodId,
    levels,
    editable,
    loadingOther,
    documents,
    topic,
    section,
    show,
    update,
    topics,
    sections,
    shown,
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
    isSaving,
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
  } = useRatingGrid(matter);

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
                <Button size="xs" variant="default" onClick={discard} disabled={!dirty || isSaving}>
                  Discard changes
                </Button>
                <Button
                  size="xs"
                  onClick={onSave}
                  loading={isSaving}
                  disabled={!dirty || incomplete.length > 0 || badPages.length > 0}
                >
                  Save changes
                </Button>
              </>
            ) : null}
          </Group>
        </Group>
        {editable ? (
          <BulkSetBar
            selectedCount={selectedShown.length}
            hasSelection={selected.size > 0}
            levels={levels}
            documents={documents}
            onSet={editSelected}
            onClearSelection={clearSelection}
          />
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
        <RatingConflictPanel
          conflicts={conflicts}
          items={data.items}
          levels={levels}
          edits={edits}
          onOverwrite={overwrite}
          onTakeTheirs={takeTheirs}
          busy={isSaving}
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
                    onChange={(e) => selectShown(e.currentTarget.checked)}
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
