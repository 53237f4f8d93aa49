import {
  CreateMatterSchema,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  MATTER_STATUS_LABELS,
  type Matter,
  UpdateMatterSchema,
} from "@accord/domain";
import {
  Button,
  Card,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormErrors, useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api } from "../../api/client";
import {
  fetchJurisdictionOptions,
  keys,
  useAgencies,
  useCreateMatter,
  useUpdateMatter,
} from "../../api/hooks";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { PartialDateInput } from "../../components/PartialDateInput";
import { RemoteSelect } from "../../components/RemoteSelect";
import { SourcesEditor } from "../../components/Sources";
import { changedFields, editBody, focusFirstError, schemaErrors, slugify } from "../../lib/forms";
import { useVersionedSave } from "../../lib/use-versioned-save";
import {
  EMPTY_MATTER_VALUES,
  initialStatus,
  MATTER_FIELD_LABELS,
  MATTER_FIELD_ORDER,
  type MatterFormValues,
  matterToValues,
  statusOptions,
  valuesToMatter,
} from "./matter-form-values";

const KIND_OPTIONS = MATTER_KINDS.map((k) => ({ value: k, label: MATTER_KIND_LABELS[k] }));

function validateMatter(values: MatterFormValues, isEdit: boolean): FormErrors {
  const errors = schemaErrors(isEdit ? UpdateMatterSchema : CreateMatterSchema, valuesToMatter(values));
  // An empty select fails zod with a long enum message; say it plainly.
  if (!values.kind) errors.kind = "Choose a kind";
  if (!values.status) errors.status = "Choose a status";
  if (!values.jurisdictionId) errors.jurisdictionId = "Choose a jurisdiction";
  return errors;
}

/**
 * Create or edit a matter. The form keeps the version it started from: a save based on an
 * older version than the server's comes back as a conflict for the person to resolve.
 */
export function MatterForm({
  matter,
  onSaved,
  onCancel,
}: {
  matter?: Matter;
  onSaved: (m: Matter) => void;
  onCancel: () => void;
}) {
  const qc = useQueryClient();
  const isEdit = matter !== undefined;
  const [base, setBase] = useState<Matter | null>(matter ?? null);
  const [slugTouched, setSlugTouched] = useState(isEdit);
  const form = useForm<MatterFormValues>({
    mode: "controlled",
    initialValues: matter ? matterToValues(matter) : EMPTY_MATTER_VALUES,
    validate: (values) => validateMatter(values, isEdit),
    validateInputOnChange: true,
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
  });
  const create = useCreateMatter();
  const update = useUpdateMatter();

  const resetTo = (m: Matter) => {
    const values = matterToValues(m);
    setBase(m);
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  };

  const saver = useVersionedSave<Matter, Partial<ReturnType<typeof valuesToMatter>>>({
    save: (payload, version) =>
      base && version !== undefined
        ? update.mutateAsync({ id: base.id, version, patch: payload })
        : create.mutateAsync(payload as ReturnType<typeof valuesToMatter>),
    onSaved: (m) => {
      resetTo(m);
      notifications.show({ color: "teal", title: isEdit ? "Saved" : "Created", message: m.title });
      onSaved(m);
    },
    reload: base ? () => api.get<Matter>(`/api/v1/matters/${base.id}`) : undefined,
    setFieldErrors: form.setErrors,
    fieldOrder: MATTER_FIELD_ORDER,
  });

  const values = form.values;
  const pending = useMemo(
    () =>
      base ? Object.keys(changedFields(valuesToMatter(matterToValues(base)), valuesToMatter(values))) : [],
    [base, values],
  );

  const statuses = statusOptions(values.kind, base);
  const agencies = useAgencies(
    { jurisdiction: values.jurisdictionId, limit: 200, sort: "name" },
    Boolean(values.jurisdictionId),
  );
  const agencyOptions = useMemo(() => {
    const list = (agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }));
    for (const a of base?.agencies ?? []) {
      if (!list.some((o) => o.value === a.id)) list.push({ value: a.id, label: a.name });
    }
    return list;
  }, [agencies.data, base]);

  const onSubmit = form.onSubmit(
    (v) => {
      const payload = valuesToMatter(v);
      if (base) {
        const patch = editBody(valuesToMatter(matterToValues(base)), payload, ["agencyIds", "sources"]);
        if (Object.keys(patch).length === 0) {
          notifications.show({ color: "gray", message: "Nothing to save: no field was changed." });
          return;
        }
        void saver.submit(patch, base.version);
      } else {
        void saver.submit(payload, undefined);
      }
    },
    (errors) => focusFirstError(errors, MATTER_FIELD_ORDER),
  );

  const titleProps = form.getInputProps("title");
  const kindProps = form.getInputProps("kind");

  return (
    <form onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit matter" : "New matter"}>
      <Stack gap="md">
        {saver.conflict ? (
          <ConflictAlert
            noun="matter"
            version={saver.conflict.version}
            changes={pending.map((k) => MATTER_FIELD_LABELS[k] ?? k)}
            busy={saver.saving}
            onLoadTheirs={() => {
              const current = saver.conflict?.current;
              if (!current) return;
              resetTo(current);
              qc.setQueryData(keys.matter(current.slug), current);
              saver.dismissConflict();
            }}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            What and where
          </Title>
          <Stack gap="sm">
            <TextInput
              label="Title"
              withAsterisk
              {...titleProps}
              onChange={(e) => {
                titleProps.onChange(e);
                if (!slugTouched) form.setFieldValue("slug", slugify(e.currentTarget.value));
              }}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label="Slug"
                description="The matter's address: lowercase words and hyphens"
                withAsterisk
                {...form.getInputProps("slug")}
                onFocus={() => setSlugTouched(true)}
              />
              <Select
                label="Kind"
                withAsterisk
                data={KIND_OPTIONS}
                allowDeselect={false}
                {...kindProps}
                onChange={(kind) => {
                  kindProps.onChange(kind);
                  const allowed = statusOptions(kind ?? "", base);
                  if (!allowed.includes(form.getValues().status as never)) {
                    form.setFieldValue(
                      "status",
                      base && base.kind === kind ? base.status : initialStatus(kind ?? ""),
                    );
                  }
                }}
              />
              <Select
                label="Status"
                withAsterisk
                description={
                  base ? "The current status, or one it may move to" : "Statuses this kind of matter can have"
                }
                placeholder={values.kind ? "Choose a status" : "Choose a kind first"}
                disabled={!values.kind}
                data={statuses.map((s) => ({ value: s, label: MATTER_STATUS_LABELS[s] }))}
                allowDeselect={false}
                {...form.getInputProps("status")}
              />
              <RemoteSelect
                label="Jurisdiction"
                withAsterisk
                placeholder="Search by name"
                queryKey="jurisdictions"
                fetchOptions={async (q) =>
                  (await fetchJurisdictionOptions(q)).items.map((j) => ({
                    value: j.id,
                    label: `${j.name}, ${j.stateCode}`,
                  }))
                }
                selected={
                  base
                    ? {
                        value: base.jurisdiction.id,
                        label: `${base.jurisdiction.name}, ${base.jurisdiction.stateCode}`,
                      }
                    : null
                }
                value={values.jurisdictionId || null}
                onChange={(id) => {
                  form.setFieldValue("jurisdictionId", id ?? "");
                  form.setFieldValue("agencyIds", []);
                }}
                error={form.errors.jurisdictionId}
                data-path="jurisdictionId"
              />
            </SimpleGrid>
            <MultiSelect
              label="Agencies"
              placeholder={
                values.jurisdictionId ? "Agencies of this jurisdiction" : "Choose a jurisdiction first"
              }
              disabled={!values.jurisdictionId}
              data={agencyOptions}
              searchable
              clearable
              nothingFoundMessage={
                agencies.isFetching ? "Loading…" : "No agency recorded for this jurisdiction"
              }
              {...form.getInputProps("agencyIds")}
            />
          </Stack>
        </Card>
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            Case
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Authority" placeholder="34 U.S.C. 12601" {...form.getInputProps("authority")} />
            <TextInput label="Court" {...form.getInputProps("court")} />
            <TextInput label="Case number" {...form.getInputProps("caseNumber")} />
            <TextInput label="Judge" {...form.getInputProps("judge")} />
            <TextInput label="Monitor" {...form.getInputProps("monitor")} />
            <TextInput
              label="Status note"
              placeholder="e.g. active as of the 2017-01 fact sheet"
              {...form.getInputProps("statusNote")}
            />
          </SimpleGrid>
        </Card>
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            Key dates
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
            <PartialDateInput label="Opened" {...form.getInputProps("openedOn")} />
            <PartialDateInput label="Findings" {...form.getInputProps("findingsOn")} />
            <PartialDateInput label="Agreement" {...form.getInputProps("agreementOn")} />
            <PartialDateInput label="Entered" {...form.getInputProps("enteredOn")} />
            <PartialDateInput label="Ended" {...form.getInputProps("endedOn")} />
          </SimpleGrid>
        </Card>
        <Textarea label="Summary" autosize minRows={3} maxRows={12} {...form.getInputProps("summary")} />
        <SourcesEditor form={form} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            {isEdit ? "Save changes" : "Create matter"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
