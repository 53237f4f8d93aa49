import { SaveRatingSchema } from "@accord/domain";
import {
  Anchor,
  Badge,
  Checkbox,
  Group,
  Kbd,
  Menu,
  NativeSelect,
  Table,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from "@mantine/core";
import { type KeyboardEvent, memo, useState } from "react";
import { Link } from "react-router";
import { useProvision } from "../../api/provisions";
import { maxLengths } from "../../lib/forms";
import { type GridItem, isValidPage, type RowValues } from "./grid-draft";
import { colorName, type Level, levelColor, levelLabel, provisionPath } from "./levels";
import type { Doc } from "./use-rating-grid";
import "./compliance.css";

const RATING_LIMITS = maxLengths(SaveRatingSchema);

const classes = {
  row: "accord-grid-row",
  headingRow: "accord-grid-heading",
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

/** The whole text of a provision, read when a row is opened (the grid carries only excerpts). */
function FullText({ provision: p }: { provision: GridItem["provision"] }) {
  const full = useProvision(p.truncated ? p.id : undefined);
  return (
    <>
      <Text size="xs" c="dimmed">
        {p.path}
      </Text>
      <Text size="xs" style={{ whiteSpace: "pre-wrap" }}>
        {!p.truncated ? p.excerpt : full.isPending ? "Reading the text…" : (full.data?.text ?? "")}
      </Text>
      {full.isError ? (
        <Text size="xs" c="red">
          The text could not be read.
        </Text>
      ) : null}
    </>
  );
}

/**
 * A provision's text in its row: one line of the excerpt the grid carries or, opened, the whole
 * text under its path. Only an opened row asks for anything: hundreds of closed rows stay cheap.
 */
function ProvisionText({
  provision: p,
  open,
  id,
}: {
  provision: GridItem["provision"];
  open: boolean;
  id: string;
}) {
  return (
    <div id={id}>
      {open ? (
        <FullText provision={p} />
      ) : (
        <Text size="xs" c="dimmed" lineClamp={1} title={p.path}>
          {p.excerpt || "—"}
        </Text>
      )}
    </div>
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

/** One provision's row of the rating grid; it renders again only when what it shows changed. */
export const GridRow = memo(function GridRow({
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
  const [open, setOpen] = useState(false);
  const textId = `grid-text-${p.id}`;
  const docTitle = documents.find((d) => d.id === values.documentId)?.title;
  const pageBad = !isValidPage(values.page);
  return (
    <Table.Tr
      data-changed={changed || undefined}
      data-heading={p.heading || undefined}
      className={p.heading ? `${classes.row} ${classes.headingRow}` : classes.row}
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
          <Anchor component={Link} to={provisionPath(matterSlug, p)} size="sm" fw={600}>
            {p.label}
          </Anchor>
          {p.definition ? (
            <Badge size="xs" color="gray" variant="light">
              Definition
            </Badge>
          ) : null}
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
          {p.excerpt ? (
            <Anchor
              component="button"
              type="button"
              size="xs"
              ml="auto"
              aria-expanded={open}
              aria-controls={textId}
              aria-label={open ? `Less of ${p.label}` : `Full text of ${p.label}`}
              onClick={() => setOpen((o) => !o)}
            >
              {open ? "Less" : "Full text"}
            </Anchor>
          ) : null}
        </Group>
        <ProvisionText provision={p} open={open} id={textId} />
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
            maxLength={RATING_LIMITS.rationale}
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
