import type { AuditEntry } from "@accord/domain";
import { Badge, Box, Button, Group, Spoiler, Table, Text } from "@mantine/core";
import { useState } from "react";
import {
  actionLabel,
  type FieldChange,
  fieldChanges,
  formatTime,
  formatValue,
  isEmptyValue,
  type RecordNames,
  roleLabel,
  versionChange,
} from "../lib/audit";

/** Who made a change, with their role: "rita · Reviewer". */
export function ActorLabel({
  actor,
  role,
  size = "sm",
}: {
  actor: string;
  role: string | null;
  size?: "xs" | "sm";
}) {
  const label = roleLabel(role);
  return (
    <Text span size={size}>
      <Text span fw={600} inherit>
        {actor}
      </Text>
      {label ? (
        <Text span c="dimmed" inherit>
          {" "}
          · {label}
        </Text>
      ) : actor === "system" ? (
        <Text span c="dimmed" inherit>
          {" "}
          · data import
        </Text>
      ) : null}
    </Text>
  );
}

/** The action as a badge coloured by its kind: created, changed, deleted. */
export function ActionBadge({ action }: { action: string }) {
  const color = /_(DELETED|REVOKED)$/.test(action)
    ? "red"
    : /_(CREATED|IMPORTED|REIMPORTED)$/.test(action)
      ? "teal"
      : /PASSWORD/.test(action)
        ? "grape"
        : "indigo";
  return (
    <Badge variant="light" color={color} radius="sm" tt="none" title={action}>
      {actionLabel(action)}
    </Badge>
  );
}

/** A long text is folded to a few lines. */
function Long({ text, side }: { text: string; side: "before" | "after" }) {
  const body = (
    <Text
      size="sm"
      component={side === "before" ? "del" : "ins"}
      className={`accord-diff-${side}`}
      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", display: "inline-block", maxWidth: "100%" }}
    >
      {text}
    </Text>
  );
  if (text.length < 280) return body;
  return (
    <Spoiler maxHeight={88} showLabel="Show all" hideLabel="Show less">
      {body}
    </Spoiler>
  );
}

interface SideProps {
  change: FieldChange;
  side: "before" | "after";
  entity: string;
  names: RecordNames;
}

function Value({ change, side, entity, names }: SideProps) {
  const value = change[side];
  if (isEmptyValue(value)) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        empty
      </Text>
    );
  }
  if (change.list) {
    const mine = Array.isArray(value) ? value : [value];
    const other = change[side === "before" ? "after" : "before"];
    const theirs = new Set((Array.isArray(other) ? other : []).map((v) => JSON.stringify(v)));
    return (
      <Box component="ul" m={0} pl="md">
        {mine.map((item) => {
          const key = JSON.stringify(item);
          const differs = !theirs.has(key);
          const text = formatValue(item, change.key, entity, names);
          return (
            <Text component="li" size="sm" key={key}>
              {differs ? (
                <Text
                  span
                  inherit
                  component={side === "before" ? "del" : "ins"}
                  className={`accord-diff-${side}`}
                >
                  {text}
                </Text>
              ) : (
                text
              )}
              {differs ? (
                <span className="sr-only">{side === "before" ? " (removed)" : " (added)"}</span>
              ) : null}
            </Text>
          );
        })}
      </Box>
    );
  }
  return <Long text={formatValue(value, change.key, entity, names)} side={side} />;
}

/**
 * The fields a change touched, old value → new value, as a small table. A record's creation or
 * deletion has one side only: its fields and their values.
 */
export function FieldChanges({
  changes,
  entity,
  names = {},
  only,
}: {
  changes: FieldChange[];
  entity: string;
  /** Names for the ids the values hold (AuditEntry.names). */
  names?: RecordNames;
  /** "after" for a created record, "before" for a deleted one. */
  only?: "before" | "after";
}) {
  return (
    <Table
      withTableBorder
      withColumnBorders
      verticalSpacing={4}
      className="accord-table accord-diff"
      layout="fixed"
      aria-label={
        only === "after" ? "Fields as created" : only === "before" ? "Fields when deleted" : "Changed fields"
      }
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={only ? "25%" : "20%"}>Field</Table.Th>
          {only ? (
            <Table.Th>Value</Table.Th>
          ) : (
            <>
              <Table.Th w="40%">Before</Table.Th>
              <Table.Th w="40%">After</Table.Th>
            </>
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.key}>
            <Table.Th scope="row" fw={600} style={{ verticalAlign: "top" }}>
              {c.label}
            </Table.Th>
            {only ? (
              <Table.Td style={{ verticalAlign: "top" }}>
                <Plain change={c} side={only} entity={entity} names={names} />
              </Table.Td>
            ) : (
              <>
                <Table.Td style={{ verticalAlign: "top" }}>
                  <Value change={c} side="before" entity={entity} names={names} />
                </Table.Td>
                <Table.Td style={{ verticalAlign: "top" }}>
                  <Value change={c} side="after" entity={entity} names={names} />
                </Table.Td>
              </>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One side's value without marking: a created record's field. */
function Plain({ change, side, entity, names }: SideProps) {
  const value = change[side];
  if (Array.isArray(value)) {
    return (
      <Box component="ul" m={0} pl="md">
        {value.map((item) => (
          <Text component="li" size="sm" key={JSON.stringify(item)}>
            {formatValue(item, change.key, entity, names)}
          </Text>
        ))}
      </Box>
    );
  }
  const text = formatValue(value, change.key, entity, names);
  return text.length < 280 ? (
    <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
      {text}
    </Text>
  ) : (
    <Spoiler maxHeight={88} showLabel="Show all" hideLabel="Show less">
      <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
        {text}
      </Text>
    </Spoiler>
  );
}

/**
 * What one audit entry changed, readably: each changed field with its old and new value. A
 * record's creation (or deletion) lists the fields it had, folded away at first when asked.
 */
export function ChangeDiff({ entry, foldWhole = false }: { entry: AuditEntry; foldWhole?: boolean }) {
  const changes = fieldChanges(entry.before, entry.after);
  const whole = entry.before == null || entry.after == null;
  const [open, setOpen] = useState(!(whole && foldWhole));
  const { from, to } = versionChange(entry);
  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {whole ? "No field values were recorded for this change." : "No field changed (only the version)."}
      </Text>
    );
  }
  const summary =
    entry.before == null
      ? `Created with ${changes.length} ${changes.length === 1 ? "field" : "fields"}`
      : entry.after == null
        ? `Had ${changes.length} ${changes.length === 1 ? "field" : "fields"} when deleted`
        : `${changes.length} ${changes.length === 1 ? "field" : "fields"} changed`;
  return (
    <Box>
      <Group gap="xs" mb={4}>
        <Text size="xs" c="dimmed">
          {summary}
          {from !== null && to !== null && from !== to ? ` · version ${from} → ${to}` : ""}
        </Text>
        {whole && foldWhole ? (
          <Button variant="subtle" size="compact-xs" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            {open ? "Hide fields" : "Show fields"}
          </Button>
        ) : null}
      </Group>
      {open ? (
        <FieldChanges
          changes={changes}
          entity={entry.entity}
          names={entry.names}
          only={entry.before == null ? "after" : entry.after == null ? "before" : undefined}
        />
      ) : null}
    </Box>
  );
}

/** When and by whom, in one line: "22 Nov 2026, 10:15 by rita · Reviewer". */
export function EntryByline({ entry }: { entry: AuditEntry }) {
  return (
    <Text size="sm" c="dimmed" component="div">
      <time dateTime={entry.at}>{formatTime(entry.at)}</time> by{" "}
      <Text span c="var(--mantine-color-text)" size="sm">
        <ActorLabel actor={entry.actor} role={entry.actorRole} />
      </Text>
    </Text>
  );
}
