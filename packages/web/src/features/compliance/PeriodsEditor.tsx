import { type Period, UpdatePeriodSchema } from "@accord/domain";
import { Anchor, Button, Group, Modal, Select, Skeleton, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../api/client";
import { useCreatePeriod, useDeletePeriod, usePeriods, useUpdatePeriod } from "../../api/compliance";
import { useMatterDocuments } from "../../api/documents";
import { ConfirmModal } from "../../components/ConfirmModal";
import { DateField } from "../../components/DateField";
import { FormProblems } from "../../components/FormProblems";
import { ProblemAlert } from "../../components/ProblemAlert";
import { errorMessage, maxLengths, serverErrors } from "../../lib/forms";
import { plural } from "./levels";

interface PeriodValues {
  label: string;
  startsOn: string;
  endsOn: string;
  reportDocumentId: string | null;
}

const PERIOD_FIELDS = ["label", "startsOn", "endsOn", "reportDocumentId"] as const;
const PERIOD_LIMITS = maxLengths(UpdatePeriodSchema);

/** A failed save's field errors, when the server named fields (else a toast says it). */
function periodProblems(error: unknown) {
  if (!isApiError(error) || !error.problem?.errors?.length) return null;
  return { problem: error.problem, ...serverErrors(error.problem, PERIOD_FIELDS) };
}

function PeriodForm({
  matterKey,
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  matterKey: string;
  initial: PeriodValues;
  submitLabel: string;
  busy: boolean;
  /** The last save's failure: its field errors sit on the fields. */
  error: unknown;
  onSubmit: (v: PeriodValues) => void;
  onCancel?: () => void;
}) {
  const docs = useMatterDocuments(matterKey);
  const [v, setV] = useState(initial);
  const problems = periodProblems(error);
  const fieldError = (field: (typeof PERIOD_FIELDS)[number]) => problems?.fields[field] ?? undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(v);
      }}
    >
      <Group gap="sm" align="flex-start" wrap="wrap">
        <TextInput
          label="Period label"
          required
          w={200}
          placeholder="Second report"
          maxLength={PERIOD_LIMITS.label}
          error={fieldError("label")}
          value={v.label}
          onChange={(e) => setV({ ...v, label: e.currentTarget.value })}
        />
        <DateField
          label="Starts on"
          w={190}
          value={v.startsOn}
          error={fieldError("startsOn")}
          onChange={(startsOn) => setV({ ...v, startsOn })}
        />
        <DateField
          label="Ends on"
          required
          w={190}
          value={v.endsOn}
          error={fieldError("endsOn")}
          onChange={(endsOn) => setV({ ...v, endsOn })}
        />
        <Select
          label="Monitor's report"
          w={280}
          clearable
          searchable
          placeholder="A document of the matter"
          data={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: d.title }))}
          value={v.reportDocumentId}
          error={fieldError("reportDocumentId")}
          onChange={(id) => setV({ ...v, reportDocumentId: id })}
        />
        <Button type="submit" mt={25} loading={busy} disabled={!v.label.trim() || !v.endsOn}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button variant="default" mt={25} onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </Group>
      {problems && problems.other.length > 0 ? (
        <FormProblems problem={problems.problem} other={problems.other} />
      ) : null}
    </form>
  );
}

/** The matter's reporting periods: listed, added, edited and deleted (with their ratings). */
export function PeriodsEditor({ matterKey }: { matterKey: string }) {
  const periods = usePeriods(matterKey);
  const create = useCreatePeriod(matterKey);
  const updateP = useUpdatePeriod();
  const remove = useDeletePeriod();
  const [editing, setEditing] = useState<Period | null>(null);
  const [deleting, setDeleting] = useState<Period | null>(null);
  const [formKey, setFormKey] = useState(0);
  if (periods.isPending) return <Skeleton height={120} />;
  if (periods.isError) return <ProblemAlert error={periods.error} onRetry={() => periods.refetch()} />;
  const { items, abilities } = periods.data;
  // A refusal that names fields is shown on them (see PeriodForm); anything else as a toast.
  const fail = (title: string) => (e: unknown) => {
    if (periodProblems(e)) return;
    notifications.show({ color: "red", title, message: errorMessage(e) });
  };
  return (
    <Stack gap="sm">
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reporting periods yet.
        </Text>
      ) : (
        <Table className="accord-table" verticalSpacing={4} aria-label="Reporting periods" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Period</Table.Th>
              <Table.Th>Starts</Table.Th>
              <Table.Th>Ends</Table.Th>
              <Table.Th>Monitor's report</Table.Th>
              <Table.Th ta="right">Ratings</Table.Th>
              {abilities.edit ? <Table.Th /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td fw={600}>
                  <Anchor component={Link} to={`?view=grid&period=${p.id}`} size="sm">
                    {p.label}
                  </Anchor>
                </Table.Td>
                <Table.Td>{p.startsOn ?? "—"}</Table.Td>
                <Table.Td>{p.endsOn ?? "not known"}</Table.Td>
                <Table.Td>
                  {p.reportDocument ? (
                    <Anchor component={Link} to={`/documents/${p.reportDocument.id}`} size="sm">
                      {p.reportDocument.title}
                    </Anchor>
                  ) : (
                    "—"
                  )}
                </Table.Td>
                <Table.Td ta="right">{p.ratings}</Table.Td>
                {abilities.edit ? (
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setEditing(p)}
                        aria-label={`Edit ${p.label}`}
                      >
                        Edit
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setDeleting(p)}
                        aria-label={`Delete ${p.label}`}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {abilities.edit ? (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Add a period
          </Text>
          <PeriodForm
            key={formKey}
            matterKey={matterKey}
            initial={{ label: "", startsOn: "", endsOn: "", reportDocumentId: null }}
            submitLabel="Add period"
            busy={create.isPending}
            error={create.error}
            onSubmit={(v) =>
              create.mutate(
                {
                  label: v.label.trim(),
                  endsOn: v.endsOn,
                  startsOn: v.startsOn || null,
                  reportDocumentId: v.reportDocumentId,
                },
                {
                  onSuccess: (p) => {
                    setFormKey((k) => k + 1);
                    notifications.show({ color: "teal", title: "Period added", message: p.label });
                  },
                  onError: fail("Period not added"),
                },
              )
            }
          />
        </Stack>
      ) : null}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Edit ${editing?.label ?? ""}`}
        size="auto"
        centered
      >
        {editing ? (
          <PeriodForm
            matterKey={matterKey}
            initial={{
              label: editing.label,
              startsOn: editing.startsOn ?? "",
              endsOn: editing.endsOn ?? "",
              reportDocumentId: editing.reportDocument?.id ?? null,
            }}
            submitLabel="Save period"
            busy={updateP.isPending}
            error={updateP.error}
            onCancel={() => setEditing(null)}
            onSubmit={(v) =>
              updateP.mutate(
                {
                  id: editing.id,
                  version: editing.version,
                  patch: {
                    label: v.label.trim(),
                    endsOn: v.endsOn,
                    startsOn: v.startsOn || null,
                    reportDocumentId: v.reportDocumentId,
                  },
                },
                { onSuccess: () => setEditing(null), onError: fail("Period not saved") },
              )
            }
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={`Delete ${deleting?.label ?? ""}?`}
        confirmLabel="Delete period"
        busy={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            { id: deleting.id, version: deleting.version, withRatings: deleting.ratings > 0 },
            { onSuccess: () => setDeleting(null), onError: fail("Period not deleted") },
          )
        }
      >
        <Text size="sm">
          {deleting?.ratings
            ? `Its ${plural(deleting.ratings, "rating")} will be deleted with it.`
            : "It holds no ratings."}
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
