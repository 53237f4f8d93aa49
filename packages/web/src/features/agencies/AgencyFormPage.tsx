import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  type Agency,
  type AgencyKind,
  type CreateAgency,
  CreateAgencySchema,
  UpdateAgencySchema,
} from "@accord/domain";
import { Card, Divider, Select, SimpleGrid, TextInput } from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { keys, useAgency, useCreateAgency, useUpdateAgency } from "../../api/hooks";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { Forbidden } from "../../components/RequireSession";
import { type SourceValues, schemaErrors, sourcesToPayload, sourcesToValues } from "../../lib/forms";
import { useRecordForm } from "../../lib/use-record-form";
import { RecordHistory } from "../audit/RecordHistory";
import { JurisdictionSelect } from "../jurisdictions/JurisdictionSelect";

interface Values {
  name: string;
  slug: string;
  kind: string;
  jurisdictionId: string;
  sources: SourceValues[];
}

const ORDER = ["name", "slug", "kind", "jurisdictionId", "sources"];
const LABELS: Record<string, string> = {
  name: "Name",
  slug: "Slug",
  kind: "Kind",
  jurisdictionId: "Jurisdiction",
  sources: "Sources",
};

function toValues(a: Agency | null): Values {
  return {
    name: a?.name ?? "",
    slug: a?.slug ?? "",
    kind: a?.kind ?? "",
    jurisdictionId: a?.jurisdiction.id ?? "",
    sources: sourcesToValues(a?.sources ?? []),
  };
}

function toPayload(v: Values): CreateAgency {
  return {
    name: v.name.trim(),
    slug: v.slug.trim(),
    kind: v.kind as AgencyKind,
    jurisdictionId: v.jurisdictionId,
    sources: sourcesToPayload(v.sources),
  };
}

function validate(v: Values, isEdit: boolean): FormErrors {
  const errors = schemaErrors(isEdit ? UpdateAgencySchema : CreateAgencySchema, toPayload(v));
  if (!v.kind) errors.kind = "Choose a kind";
  if (!v.jurisdictionId) errors.jurisdictionId = "Choose a jurisdiction";
  return errors;
}

function AgencyForm({ agency, onDone }: { agency?: Agency; onDone: (a: Agency | null) => void }) {
  const create = useCreateAgency();
  const update = useUpdateAgency();
  const rf = useRecordForm({
    limitsFrom: CreateAgencySchema,
    record: agency,
    emptyValues: toValues(null),
    toValues,
    toPayload,
    validate,
    fieldOrder: ORDER,
    fieldLabels: LABELS,
    listFields: ["sources"],
    create: create.mutateAsync,
    update: update.mutateAsync,
    reload: (id) => api.get<Agency>(`/api/v1/agencies/${id}`),
    cacheKey: (a) => keys.agency(a.slug),
    savedMessage: (a) => a.name,
    onSaved: onDone,
  });
  const { form } = rf;
  return (
    <RecordForm
      state={rf}
      noun="agency"
      submitLabel={rf.isEdit ? "Save changes" : "Create agency"}
      onCancel={() => onDone(null)}
    >
      <Card withBorder padding="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Name" withAsterisk {...rf.slugSourceProps("name")} />
          <TextInput
            label="Slug"
            withAsterisk
            description="Lowercase words and hyphens"
            {...rf.slugInputProps()}
          />
          <Select
            label="Kind"
            withAsterisk
            data={AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }))}
            allowDeselect={false}
            {...form.getInputProps("kind")}
          />
          <JurisdictionSelect
            current={agency?.jurisdiction}
            value={form.values.jurisdictionId}
            onChange={(id) => form.setFieldValue("jurisdictionId", id)}
            error={form.errors.jurisdictionId}
          />
        </SimpleGrid>
      </Card>
    </RecordForm>
  );
}

export function AgencyNewPage() {
  const navigate = useNavigate();
  return (
    <>
      <BackLink to="/agencies">Agencies</BackLink>
      <PageTitle title="New agency" />
      <AgencyForm onDone={() => navigate("/agencies")} />
    </>
  );
}

export function AgencyEditPage() {
  const { slug = "" } = useParams();
  const navigate = useNavigate();
  const query = useAgency(slug);
  const canWrite = useCan("registry:write");
  return (
    <LoadedRecord query={query} what="agency">
      {(data) => (
        <>
          <BackLink to="/agencies">Agencies</BackLink>
          <PageTitle
            title={`Edit ${data.name}`}
            subtitle={`${data.jurisdiction.name}, ${data.jurisdiction.stateCode}`}
          />
          {canWrite ? (
            <AgencyForm key={data.id} agency={data} onDone={() => navigate("/agencies")} />
          ) : (
            <Forbidden what="edit agencies" inline />
          )}
          <Divider my="xl" />
          <RecordHistory entity="agency" id={data.id} heading="History" />
        </>
      )}
    </LoadedRecord>
  );
}
