import {
  type DocumentKind,
  type DocumentRecord,
  type UpdateDocument,
  UpdateDocumentSchema,
} from "@accord/domain";
import { Button, Group, Select, Stack, Switch, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { api } from "../../api/client";
import { useUpdateDocument } from "../../api/documents";
import { ConflictAlert } from "../../components/ConflictAlert";
import { DateField } from "../../components/DateField";
import { FormProblems } from "../../components/FormProblems";
import { changedFields, limitedInputs, schemaErrors, textOrNull } from "../../lib/forms";
import { useConflictMerge } from "../../lib/use-conflict-merge";
import { useVersionedSave } from "../../lib/use-versioned-save";
import { DOCUMENT_KIND_OPTIONS } from "./document-status";

interface Values {
  kind: DocumentKind;
  title: string;
  date: string;
  sourceUrl: string;
  public: boolean;
}

const FIELDS = ["kind", "title", "date", "sourceUrl", "public"] as const;
const LABELS: Record<string, string> = {
  kind: "Kind",
  title: "Title",
  date: "Date",
  sourceUrl: "Source address",
  public: "Public",
};

const toValues = (d: DocumentRecord): Values => ({
  kind: d.kind,
  title: d.title,
  date: d.date ?? "",
  sourceUrl: d.sourceUrl ?? "",
  public: d.public,
});

const toBody = (v: Values): Required<UpdateDocument> => ({
  kind: v.kind,
  title: v.title.trim(),
  date: textOrNull(v.date),
  sourceUrl: textOrNull(v.sourceUrl),
  public: v.public,
});

/** What is said about a document: kind, title, date, source, public. A stale save gets the conflict message. */
export function DocumentEditForm({ document, onDone }: { document: DocumentRecord; onDone: () => void }) {
  const update = useUpdateDocument();
  const [base, setBase] = useState(document);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: toValues(document),
    validate: (v) => schemaErrors(UpdateDocumentSchema, toBody(v)),
    enhanceGetInputProps: limitedInputs(UpdateDocumentSchema),
  });
  const saver = useVersionedSave<DocumentRecord, UpdateDocument>({
    save: (patch, version) =>
      update.mutateAsync({ id: document.id, version: version ?? base.version, patch }),
    onSaved: (saved) => {
      notifications.show({ color: "teal", title: "Saved", message: saved.title });
      onDone();
    },
    reload: () => api.get<DocumentRecord>(`/api/v1/documents/${encodeURIComponent(document.id)}`),
    setFieldErrors: form.setErrors,
    fieldOrder: FIELDS,
  });
  const patch = changedFields(toBody(toValues(base)), toBody(form.values));
  const submit = form.onSubmit(() => {
    if (Object.keys(patch).length === 0) {
      onDone();
      return;
    }
    void saver.submit(patch, base.version);
  });
  const merge = useConflictMerge<DocumentRecord, Values>({
    base,
    conflict: saver.conflict,
    values: form.values,
    toValues,
    onMerge: (current, merged) => {
      setBase(current);
      form.setValues(merged);
      form.resetDirty(toValues(current));
      const mergedPatch = changedFields(toBody(toValues(current)), toBody(merged));
      if (Object.keys(mergedPatch).length === 0) {
        saver.dismissConflict();
        onDone();
        return;
      }
      void saver.submit(mergedPatch, current.version);
    },
  });
  const loadTheirs = () => {
    const current = saver.conflict?.current;
    if (!current) return;
    setBase(current);
    const values = toValues(current);
    form.setValues(values);
    form.resetDirty(values);
    saver.dismissConflict();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Edit document">
      <Stack gap="sm">
        {saver.conflict ? (
          <ConflictAlert
            noun="document"
            version={saver.conflict.version}
            changes={Object.keys(patch).map((k) => LABELS[k] ?? k)}
            merge={merge}
            labels={LABELS}
            busy={saver.saving}
            onLoadTheirs={loadTheirs}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
        <TextInput label="Title" required {...form.getInputProps("title")} />
        <Group grow align="flex-start">
          <Select
            label="Kind"
            data={DOCUMENT_KIND_OPTIONS}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps("kind")}
          />
          <DateField partial label="Date" {...form.getInputProps("date")} />
        </Group>
        <TextInput
          label="Source address"
          placeholder="https://…"
          type="url"
          description="Where the document was published (http or https)"
          {...form.getInputProps("sourceUrl")}
        />
        <Switch
          label="Public"
          description="Anonymous visitors may read it when public reading is on"
          {...form.getInputProps("public", { type: "checkbox" })}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
