import {
  ActionIcon,
  Alert,
  Button,
  CopyButton,
  Group,
  Modal,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import type { ReactNode } from "react";
import { IconAlert, IconCheck, IconCopy } from "./icons";

/**
 * A secret the server shows only once (a new password, an API token): in a read-only box with a
 * copy button, and a warning that it cannot be shown again.
 */
export function OneTimeSecret({
  label,
  value,
  children,
}: {
  /** The box's label: "Password for rita". */
  label: string;
  value: string;
  /** What to do with it, said under the warning. */
  children?: ReactNode;
}) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" icon={<IconAlert />} title="Copy it now: it is shown only once">
        <Text size="sm">
          Accord keeps only a hash of it. When you close this, it cannot be shown again.
          {children ? " " : null}
          {children}
        </Text>
      </Alert>
      <TextInput
        label={label}
        value={value}
        readOnly
        onFocus={(e) => e.currentTarget.select()}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        rightSectionWidth={42}
        rightSection={
          <CopyButton value={value} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? "Copied" : "Copy"} withArrow position="left">
                <ActionIcon
                  variant={copied ? "filled" : "light"}
                  color={copied ? "teal" : "indigo"}
                  onClick={copy}
                  aria-label={copied ? "Copied" : `Copy ${label.toLowerCase()}`}
                >
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        }
      />
    </Stack>
  );
}

/** The secret, then the one way on: "I have copied it" (inside a dialog of the caller's). */
export function OneTimeSecretPanel({
  label,
  value,
  onDone,
  children,
}: {
  label: string;
  value: string;
  onDone: () => void;
  children?: ReactNode;
}) {
  return (
    <Stack gap="md">
      <OneTimeSecret label={label} value={value}>
        {children}
      </OneTimeSecret>
      <Group justify="flex-end">
        <Button onClick={onDone}>I have copied it</Button>
      </Group>
    </Stack>
  );
}

/** A dialog showing a secret once (a token, a feed address): open while `secret` is set. */
export function OneTimeSecretModal({
  title,
  secret,
  onClose,
  children,
}: {
  title: string;
  secret: { label: string; value: string } | null;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <Modal opened={secret !== null} onClose={onClose} title={title} size="lg" centered>
      {secret ? (
        <OneTimeSecretPanel label={secret.label} value={secret.value} onDone={onClose}>
          {children}
        </OneTimeSecretPanel>
      ) : null}
    </Modal>
  );
}
