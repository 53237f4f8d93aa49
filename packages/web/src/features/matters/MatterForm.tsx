import {
  type Agency,
  CreateMatterSchema,
  type Jurisdiction,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  MATTER_STATUS_LABELS,
  type Matter,
  UpdateMatterSchema,
} from "@accord/domain";
import {
  Box,
  Card,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { useMemo, useState } from "react";
import { api } from "../../api/client";
import { keys, useAgencies, useCreateMatter, useUpdateMatter } from "../../api/hooks";
import { DateField } from "../../components/DateField";
import { RecordForm } from "../../components/RecordForm";
import { schemaErrors } from "../../lib/forms";
import { useRecordForm } from "../../lib/use-record-form";
import { JurisdictionSelect } from "../jurisdictions/JurisdictionSelect";
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
import { NewAgencyButton, NewJurisdictionButton } from "./NewPlace";

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
  const create = useCreateMatter();
  const update = useUpdateMatter();
  const rf = useRecordForm({
    limitsFrom: CreateMatterSchema,
    record: matter,
    emptyValues: EMPTY_MATTER_VALUES,
    toValues: matterToValues,
    toPayload: valuesToMatter,
    validate: validateMatter,
    fieldOrder: MATTER_FIELD_ORDER,
    fieldLabels: MATTER_FIELD_LABELS,
    listFields: ["agencyIds", "sources"],
    create: create.mutateAsync,
    update: update.mutateAsync,
    reload: (id) => api.get<Matter>(`/api/v1/matters/${id}`),
    cacheKey: (m) => keys.matter(m.slug),
    savedMessage: (m) => m.title,
    onSaved,
  });
  const { form, base } = rf;
  const values = form.values;

  // A jurisdiction or agencies made from this form (NewPlace), before any list shows them.
  const [madeJurisdiction, setMadeJurisdiction] = useState<Jurisdiction | null>(null);
  const [madeAgencies, setMadeAgencies] = useState<Agency[]>([]);
  const chosenJurisdiction =
    madeJurisdiction && madeJurisdiction.id === values.jurisdictionId ? madeJurisdiction : base?.jurisdiction;

  const statuses = statusOptions(values.kind, base);
  const agencies = useAgencies(
    { jurisdiction: values.jurisdictionId, limit: 200, sort: "name" },
    Boolean(values.jurisdictionId),
  );
  const agencyOptions = useMemo(() => {
    const list = (agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }));
    for (const a of [...(base?.agencies ?? []), ...madeAgencies]) {
      if (!list.some((o) => o.value === a.id)) list.push({ value: a.id, label: a.name });
    }
    return list;
  }, [agencies.data, base, madeAgencies]);

  const kindProps = form.getInputProps("kind");

  return (
    <RecordForm
      state={rf}
      noun="matter"
      submitLabel={rf.isEdit ? "Save changes" : "Create matter"}
      onCancel={onCancel}
    >
      <Card withBorder padding="md">
        <Title order={2} size="h5" mb="sm">
          What and where
        </Title>
        <Stack gap="sm">
          <TextInput label="Title" withAsterisk {...rf.slugSourceProps("title")} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Slug"
              description="The matter's address: lowercase words and hyphens"
              withAsterisk
              {...rf.slugInputProps()}
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
            <Box>
              <JurisdictionSelect
                current={chosenJurisdiction}
                value={values.jurisdictionId}
                onChange={(id) => {
                  form.setFieldValue("jurisdictionId", id);
                  form.setFieldValue("agencyIds", []);
                }}
                error={form.errors.jurisdictionId}
              />
              <Group justify="flex-end" mt={4}>
                <NewJurisdictionButton
                  onCreated={(j) => {
                    setMadeJurisdiction(j);
                    form.setFieldValue("jurisdictionId", j.id);
                    form.setFieldValue("agencyIds", []);
                  }}
                />
              </Group>
            </Box>
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
          <Group justify="flex-end" mt={-8}>
            <NewAgencyButton
              jurisdictionId={values.jurisdictionId}
              jurisdictionLabel={
                chosenJurisdiction?.id === values.jurisdictionId
                  ? `${chosenJurisdiction.name}, ${chosenJurisdiction.stateCode}`
                  : "this jurisdiction"
              }
              onCreated={(a) => {
                setMadeAgencies((list) => [...list, a]);
                form.setFieldValue("agencyIds", [...form.getValues().agencyIds, a.id]);
              }}
            />
          </Group>
          <Switch
            label="Public"
            description="Anonymous visitors may read it when public reading is on"
            {...form.getInputProps("public", { type: "checkbox" })}
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
          <DateField partial label="Opened" {...form.getInputProps("openedOn")} />
          <DateField partial label="Findings" {...form.getInputProps("findingsOn")} />
          <DateField partial label="Agreement" {...form.getInputProps("agreementOn")} />
          <DateField partial label="Entered" {...form.getInputProps("enteredOn")} />
          <DateField partial label="Ended" {...form.getInputProps("endedOn")} />
        </SimpleGrid>
      </Card>
      <Textarea label="Summary" autosize minRows={3} maxRows={12} {...form.getInputProps("summary")} />
    </RecordForm>
  );
}
