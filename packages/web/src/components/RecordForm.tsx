import { Button, Group, type MantineSpacing, Stack } from "@mantine/core";
import type { ReactNode } from "react";
import type { RecordFormState, RecordFormValues } from "../lib/use-record-form";
import { ConflictAlert } from "./ConflictAlert";
import { FormProblems } from "./FormProblems";
import { SourcesEditor } from "./Sources";
import { UnsavedChangesModal } from "./UnsavedChangesModal";

/**
 * The frame of a record form: the conflict and save problems above the fields, the sources and
 * the Cancel / submit buttons below them. `state` comes from `useRecordForm`.
 */
export function RecordForm<
  TRecord extends { id: string; version: number },
  TValues extends RecordFormValues,
  TPayload extends Record<string, unknown>,
>({
  state,
  noun,
  submitLabel,
  onCancel,
  gap = "md",
  children,
}: {
  state: RecordFormState<TRecord, TValues, TPayload>;
  /** What the record is called: "agency". */
  noun: string;
  submitLabel: string;
  onCancel: () => void;
  gap?: MantineSpacing;
  /** The record's own fields. */
  children: ReactNode;
}) {
  const { saver } = state;
  return (
    <form onSubmit={state.onSubmit} noValidate aria-label={state.isEdit ? `Edit ${noun}` : `New ${noun}`}>
      <Stack gap={gap}>
        {saver.conflict ? (
          <ConflictAlert
            noun={noun}
            version={saver.conflict.version}
            changes={state.unsavedChanges}
            merge={state.merge}
            labels={state.fieldLabels}
            busy={saver.saving}
            onLoadTheirs={state.loadTheirs}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
        {children}
        <SourcesEditor form={state.form} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
      <UnsavedChangesModal blocker={state.blocker}>
        The changes to this {noun} are not saved. Leaving discards them.
      </UnsavedChangesModal>
    </form>
  );
}
