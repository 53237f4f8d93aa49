import type { Problem } from "@accord/domain";
import { Alert, List, Text } from "@mantine/core";
import { IconAlert } from "./icons";

/** A failed save: the problem's title and detail, plus messages that belong to no field. */
export function FormProblems({ problem, other }: { problem: Problem | null; other: readonly string[] }) {
  if (!problem && other.length === 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      icon={<IconAlert />}
      title={problem?.title ?? "Not saved"}
    >
      {problem?.detail ? <Text size="sm">{problem.detail}</Text> : null}
      {problem?.errors && problem.errors.length > 0 && other.length === 0 ? (
        <Text size="sm">The fields marked below need attention.</Text>
      ) : null}
      {other.length > 0 ? (
        <List size="sm" mt={4}>
          {other.map((m) => (
            <List.Item key={m}>{m}</List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}
