import { Alert, Button, Group, List, Radio, Stack, Text } from "@mantine/core";
import { type ReactNode, useEffect, useRef } from "react";
import { describeValue } from "../lib/merge-edits";
import type { ConflictMerge } from "../lib/use-conflict-merge";
import { IconAlert } from "./icons";

/**
 * What a conflict looks like wherever it happens: an alert that takes the focus, says what was
 * changed (`children`), and offers two ways on — take their version or send these changes over
 * it. Nothing happens on its own.
 */
export function ConflictFrame({
  title,
  takeTheirsLabel,
  onTakeTheirs,
  onOverwrite,
  busy,
  primary,
  children,
}: {
  title: string;
  takeTheirsLabel: string;
  onTakeTheirs: () => void;
  onOverwrite: () => void;
  busy?: boolean;
  /** A first way on, before the two (the merge). */
  primary?: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="orange"
      variant="light"
      role="alert"
      icon={<IconAlert />}
      title={title}
    >
      {children}
      <Group mt="sm">
        {primary}
        <Button
          size="xs"
          variant={primary ? "outline" : "filled"}
          color="orange"
          onClick={onTakeTheirs}
          disabled={busy}
        >
          {takeTheirsLabel}
        </Button>
        <Button size="xs" variant="outline" color="red" onClick={onOverwrite} loading={busy}>
          Overwrite with mine
        </Button>
      </Group>
    </Alert>
  );
}

const listOf = (fields: readonly string[], labels: Record<string, string>) =>
  fields.map((f) => labels[f] ?? f).join(", ");

/** What each side changed, and for a field both changed, a choice between the two values. */
function MergeChoices<TValues>({
  merge,
  labels,
}: {
  merge: ConflictMerge<TValues>;
  labels: Record<string, string>;
}) {
  const { plan } = merge;
  const mineOnly = plan.mine.filter((f) => !plan.conflicts.some((c) => c.field === f));
  return (
    <Stack gap="xs" mt="xs">
      {plan.theirs.length > 0 ? <Text size="sm">They changed: {listOf(plan.theirs, labels)}.</Text> : null}
      {plan.conflicts.length === 0 ? (
        <Text size="sm">
          You changed other fields ({listOf(plan.mine, labels)}): your changes can be saved on top of theirs,
          keeping both.
        </Text>
      ) : (
        <>
          <Text size="sm">
            You both changed {plan.conflicts.length === 1 ? "one field" : `${plan.conflicts.length} fields`}:
            choose which value to keep.
            {mineOnly.length > 0
              ? ` Your other changes (${listOf(mineOnly, labels)}) are kept on top of theirs.`
              : ""}
          </Text>
          {plan.conflicts.map((c) => (
            <Radio.Group
              key={c.field}
              label={labels[c.field] ?? c.field}
              value={merge.choices[c.field] ?? "mine"}
              onChange={(v) => merge.choose(c.field, v === "theirs" ? "theirs" : "mine")}
            >
              <Stack gap={4} mt={4}>
                <Radio value="mine" label={`Mine: ${describeValue(c.mine)}`} />
                <Radio value="theirs" label={`Theirs: ${describeValue(c.theirs)}`} />
              </Stack>
            </Radio.Group>
          ))}
        </>
      )}
    </Stack>
  );
}

/**
 * Someone saved the record after this form loaded it (the form is reset to theirs if taken).
 * With `merge`, the person's edits can go on top of theirs, choosing per field where both
 * changed the same one.
 */
export function ConflictAlert<TValues = unknown>({
  noun,
  version,
  changes,
  onLoadTheirs,
  onOverwrite,
  busy,
  merge,
  labels = {},
}: {
  noun: string;
  version: number;
  /** Labels of the fields this form would change, to help decide. */
  changes?: readonly string[];
  onLoadTheirs: () => void;
  onOverwrite: () => void;
  busy?: boolean;
  merge?: ConflictMerge<TValues> | null;
  /** Field names by key, for the merge. */
  labels?: Record<string, string>;
}) {
  const canMerge = Boolean(merge && merge.plan.mine.length > 0);
  return (
    <ConflictFrame
      title="This record was changed in another tab or by another user"
      takeTheirsLabel="Load their version"
      onTakeTheirs={onLoadTheirs}
      onOverwrite={onOverwrite}
      busy={busy}
      primary={
        merge && canMerge ? (
          <Button size="xs" variant="filled" color="orange" onClick={merge.merge} loading={busy}>
            {merge.plan.conflicts.length === 0 ? "Save mine on top of theirs" : "Save with these choices"}
          </Button>
        ) : null
      }
    >
      <Text size="sm">
        This {noun} was saved in another tab or by another user while you were editing (version {version}).
        Your changes were not saved.
      </Text>
      {merge && canMerge ? (
        <MergeChoices merge={merge} labels={labels} />
      ) : changes && changes.length > 0 ? (
        <>
          <Text size="sm" mt="xs">
            Your unsaved changes:
          </Text>
          <List size="sm">
            {changes.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </>
      ) : null}
      <Text size="sm" mt="xs">
        {canMerge ? "Or load" : "Load"} their version to see what they saved (your changes will be discarded),
        or overwrite it with yours.
      </Text>
    </ConflictFrame>
  );
}
