import { Alert, Button, Code, Group, Text } from "@mantine/core";
import { isApiError } from "../api/client";
import { IconAlert } from "./icons";

/** The error state of a screen: the problem+json title and detail, and a way to retry. */
export function ProblemAlert({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const problem = isApiError(error) ? error.problem : null;
  const heading = title ?? problem?.title ?? "Something went wrong";
  const detail =
    problem?.detail ??
    (isApiError(error) ? error.message : error instanceof Error ? error.message : String(error));
  return (
    <Alert color="red" variant="light" title={heading} icon={<IconAlert />} role="alert">
      {detail && detail !== heading ? <Text size="sm">{detail}</Text> : null}
      {problem?.requestId ? (
        // The alert's own text colour: dimmed grey on its red fill fell just short of AA (4.46:1).
        <Text size="xs" mt={4}>
          Request id <Code>{problem.requestId}</Code>
        </Text>
      ) : null}
      {onRetry ? (
        <Group mt="sm">
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      ) : null}
    </Alert>
  );
}
