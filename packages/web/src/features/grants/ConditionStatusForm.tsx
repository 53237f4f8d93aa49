import {
  CONDITION_STATUS_LABELS,
  CONDITION_STATUSES,
  type Condition,
  type ConditionStatus,
  ConditionStatusChangeInputSchema,
  canConditionTransition,
  partialDateProblem,
} from "@accord/domain";
import { Alert, Button, Group, Select, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { isApiError } from "../../api/client";
import { useChangeConditionStatus } from "../../api/grants";
import { DateField } from "../../components/DateField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { textOrNull } from "../../lib/forms";

/** The status the server says the condition has now, when its refusal carries the record. */
function currentStatus(error: unknown): ConditionStatus | null {
  if (!isApiError(error)) return null;
  const current = error.problem?.current as { status?: unknown } | undefined;
  const s = current?.status;
  return typeof s === "string" && (CONDITION_STATUSES as readonly string[]).includes(s)
    ? (s as ConditionStatus)
    : null;
}

/**
 * A dated change of a condition's status, with a note. Sent on the version shown (If-Match):
 * a refused move (409) is said in a sentence naming the status it has now; a change someone
 * else saved meanwhile (412) asks for a reload.
 */
export function ConditionStatusForm({
  condition,
  onDone,
  onReload,
}: {
  condition: Condition;
  onDone: () => void;
  onReload: () => void;
}) {
  const change = useChangeConditionStatus();
  const options = CONDITION_STATUSES.filter((s) => canConditionTransition(condition.status, s)).map((s) => ({
    value: s,
    label: s === condition.status ? `${CONDITION_STATUS_LABELS[s]} (again)` : CONDITION_STATUS_LABELS[s],
  }));
  const [status, setStatus] = useState<string | null>(null);
  const [date, setDate] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<{ status?: string; date?: string }>({});

  if (options.length === 0)
    return (
      <Text size="sm" c="dimmed">
        A withdrawn condition stays withdrawn: its status cannot change.
      </Text>
    );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!status) next.status = "Choose the new status";
    if (!date.trim()) next.date = "Give the day of the change (or its month or year)";
    else {
      const problem = partialDateProblem(date.trim());
      if (problem) next.date = problem;
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const body = ConditionStatusChangeInputSchema.parse({
      status,
      date: date.trim(),
      note: textOrNull(note),
    });
    change.mutate(
      { key: condition.slug, version: condition.version, change: body },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: "teal",
            title: "Status changed",
            message: `Now ${CONDITION_STATUS_LABELS[saved.status].toLowerCase()}`,
          });
          onDone();
        },
      },
    );
  };

  const error = change.error;
  const refused = isApiError(error) && error.status === 409;
  const stale = isApiError(error) && error.status === 412;
  const now = currentStatus(error) ?? condition.status;

  return (
    <form onSubmit={submit} noValidate aria-label="Change the condition's status">
      <Stack gap="sm">
        {refused ? (
          <Alert color="orange" variant="light" role="alert" title="This change is not allowed">
            The condition is {CONDITION_STATUS_LABELS[now].toLowerCase()} now, and cannot move to{" "}
            {status ? CONDITION_STATUS_LABELS[status as ConditionStatus].toLowerCase() : "that status"} from
            there.
          </Alert>
        ) : stale ? (
          <Alert color="orange" variant="light" role="alert" title="Someone changed this condition meanwhile">
            <Group gap="sm">
              <Text size="sm">Reload to see their change, then make yours again if it still applies.</Text>
              <Button size="xs" variant="white" onClick={onReload}>
                Reload
              </Button>
            </Group>
          </Alert>
        ) : error ? (
          <ProblemAlert error={error} title="The status could not be changed" />
        ) : null}
        <Group align="flex-start" grow wrap="wrap">
          <Select
            label="New status"
            withAsterisk
            data={options}
            value={status}
            onChange={setStatus}
            error={errors.status}
            data-autofocus
          />
          <DateField
            partial
            label="Date of the change"
            withAsterisk
            value={date}
            onChange={setDate}
            error={errors.date}
          />
        </Group>
        <Textarea
          label="Note"
          description="What happened, as a reader would want it said"
          autosize
          minRows={2}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={change.isPending}>
            Change status
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
