import { Alert, Button, Group, List, Text } from "@mantine/core";
import { type ReactNode, useEffect, useRef } from "react";
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
  children,
}: {
  title: string;
  takeTheirsLabel: string;
  onTakeTheirs: () => void;
  onOverwrite: () => void;
  busy?: boolean;
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
        <Button size="xs" variant="filled" color="orange" onClick={onTakeTheirs} disabled={busy}>
          {takeTheirsLabel}
        </Button>
        <Button size="xs" variant="outline" color="red" onClick={onOverwrite} loading={busy}>
          Overwrite with mine
        </Button>
      </Group>
    </Alert>
  );
}

/** Someone saved the record after this form loaded it (the form is reset to theirs if taken). */
export function ConflictAlert({
  noun,
  version,
  changes,
  onLoadTheirs,
  onOverwrite,
  busy,
}: {
  noun: string;
  version: number;
  /** Labels of the fields this form would change, to help decide. */
  changes?: readonly string[];
  onLoadTheirs: () => void;
  onOverwrite: () => void;
  busy?: boolean;
}) {
  return (
    <ConflictFrame
      title="This record was changed in another tab or by another user"
      takeTheirsLabel="Load their version"
      onTakeTheirs={onLoadTheirs}
      onOverwrite={onOverwrite}
      busy={busy}
    >
      <Text size="sm">
        This {noun} was saved in another tab or by another user while you were editing (version {version}).
        Your changes were not saved.
      </Text>
      {changes && changes.length > 0 ? (
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
        Load their version to see what they saved (your changes will be discarded), or overwrite it with
        yours.
      </Text>
    </ConflictFrame>
  );
}
