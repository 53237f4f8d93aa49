import { Alert, Button, Group, List, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import { IconAlert } from "./icons";

/**
 * Someone saved the record after this form loaded it. The person chooses: take their version
 * (the form is reset to it) or send these changes over it. Nothing happens on its own.
 */
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
      title="This record was changed by someone else"
    >
      <Text size="sm">
        Someone else saved this {noun} while you were editing (version {version}). Your changes were not
        saved.
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
      <Group mt="sm">
        <Button size="xs" variant="filled" color="orange" onClick={onLoadTheirs} disabled={busy}>
          Load their version
        </Button>
        <Button size="xs" variant="outline" color="red" onClick={onOverwrite} loading={busy}>
          Overwrite with mine
        </Button>
      </Group>
    </Alert>
  );
}
