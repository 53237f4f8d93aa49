import { type Matter, RATER_LABELS, RATERS } from "@accord/domain";
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Kbd,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
} from "@mantine/core";
import { Link } from "react-router";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { UnsavedChangesModal } from "../../components/UnsavedChangesModal";
import { formatDate } from "../../lib/dates";
import { BulkSetBar } from "./BulkSetBar";
import { GridRow } from "./GridRow";
import { editKey, valuesOf } from "./grid-draft";
import { plural, topicLabel } from "./levels";
import { RatingConflictPanel } from "./RatingConflictPanel";
import { useRatingGrid } from "./use-rating-grid";
import "./compliance.css";

const classes = {
  toolbar: "accord-grid-toolbar",
  grid: "accord-grid",
};

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
  const leftOut = data.left.headings + data.left.definitions;
  if (data.items.length === 0 && leftOut === 0)
    return (
      <Empty title="No provisions yet">
        Parse and accept the decree under the matter's Provisions to rate its paragraphs.
      </Empty>
    );

  const rows = data.items.length;
  const shownRows = shown.length;
  const editsHere = [...edits.values()].filter((e) => e.periodId === periodId && e.rater === rater).length;
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
            data={data.periods.map((p) => ({
              value: p.id,
              label: p.endsOn ? `${p.label} (ends ${formatDate(p.endsOn)})` : p.label,
            }))}
            value={periodId || null}
            onChange={(v) => update({ period: v }, { replace: true })}
          />
          <Select
            label="Rater"
            size="xs"
            w={200}
            allowDeselect={false}
            data={RATERS.map((r) => ({ value: r, label: RATER_LABELS[r] }))}
            value={rater}
            onChange={(v) => update({ rater: v === "monitor" ? null : v }, { replace: true })}
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
          <Switch
            size="xs"
            label="Show headings and definitions"
            description={
              withHeadings
                ? "Headings as section rows, not rated"
                : leftOut
                  ? `${leftOut} left out`
                  : "None here"
            }
            checked={withHeadings}
            onChange={(e) => update({ headings: e.currentTarget.checked ? "1" : null }, { replace: true })}
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
                ? `${plural(edits.size, "unsaved change")}${elsewhere ? ` (${elsewhere} in other periods or raters)` : ""}`
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
              const edit = edits.get(editKey(item.provision.id, periodId, rater));
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
        {shownRows === rows
          ? plural(rows, "provision")
          : `${shownRows} of ${plural(rows, "provision")} shown`}
        {leftOut
          ? ` · ${[
              data.left.headings ? plural(data.left.headings, "heading") : "",
              data.left.definitions ? plural(data.left.definitions, "definition") : "",
            ]
              .filter(Boolean)
              .join(" and ")} left out`
          : ""}
        {" · "}
        {plural(period?.ratings ?? 0, "rating")} saved for {period?.label}
      </Text>

      <UnsavedChangesModal blocker={blocker}>
        {plural(edits.size, "rating")} changed in the grid {edits.size === 1 ? "is" : "are"} not saved.
        Leaving discards {edits.size === 1 ? "it" : "them"}.
      </UnsavedChangesModal>
    </Stack>
  );
}
