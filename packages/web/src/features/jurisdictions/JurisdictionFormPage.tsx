import {
  type CreateJurisdiction,
  CreateJurisdictionSchema,
  JURISDICTION_KINDS,
  type Jurisdiction,
  type JurisdictionKind,
  type StateCode,
  UpdateJurisdictionSchema,
} from "@accord/domain";
import { Card, Divider, Group, NumberInput, Select, SimpleGrid, TextInput } from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { keys, useCreateJurisdiction, useJurisdiction, useUpdateJurisdiction } from "../../api/hooks";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { Forbidden } from "../../components/RequireSession";
import {
  type SourceValues,
  schemaErrors,
  sourcesToPayload,
  sourcesToValues,
  textOrNull,
} from "../../lib/forms";
import { STATE_OPTIONS } from "../../lib/us-states";
import { useRecordForm } from "../../lib/use-record-form";
import { RecordHistory } from "../audit/RecordHistory";
import { JURISDICTION_KIND_LABELS } from "./JurisdictionsPage";

interface Values {
  name: string;
  slug: string;
  kind: string;
  stateCode: string;
  fips: string;
  population: number | string;
  populationYear: number | string;
  sources: SourceValues[];
}

const ORDER = ["name", "slug", "kind", "stateCode", "fips", "population", "populationYear", "sources"];
const LABELS: Record<string, string> = {
  name: "Name",
  slug: "Slug",
  kind: "Kind",
  stateCode: "State",
  fips: "FIPS code",
  population: "Population",
  populationYear: "Population year",
  sources: "Sources",
};

function toValues(j: Jurisdiction | null): Values {
  return {
    name: j?.name ?? "",
    slug: j?.slug ?? "",
    kind: j?.kind ?? "",
    stateCode: j?.stateCode ?? "",
    fips: j?.fips ?? "",
    population: j?.population ?? "",
    populationYear: j?.populationYear ?? "",
    sources: sourcesToValues(j?.sources ?? []),
  };
}

function toPayload(v: Values): CreateJurisdiction {
  return {
    name: v.name.trim(),
    slug: v.slug.trim(),
    kind: v.kind as JurisdictionKind,
    stateCode: v.stateCode as StateCode,
    fips: textOrNull(v.fips),
    population: typeof v.population === "number" ? v.population : null,
    populationYear: typeof v.populationYear === "number" ? v.populationYear : null,
    sources: sourcesToPayload(v.sources),
  };
}

function validate(v: Values, isEdit: boolean): FormErrors {
  const errors = schemaErrors(isEdit ? UpdateJurisdictionSchema : CreateJurisdictionSchema, toPayload(v));
  if (!v.kind) errors.kind = "Choose a kind";
  if (!v.stateCode) errors.stateCode = "Choose a state";
  return errors;
}

function JurisdictionForm({
  jurisdiction,
  onDone,
}: {
  jurisdiction?: Jurisdiction;
  onDone: (j: Jurisdiction | null) => void;
}) {
  const create = useCreateJurisdiction();
  const update = useUpdateJurisdiction();
  const rf = useRecordForm({
    limitsFrom: CreateJurisdictionSchema,
    record: jurisdiction,
    emptyValues: toValues(null),
    toValues,
    toPayload,
    validate,
    fieldOrder: ORDER,
    fieldLabels: LABELS,
    listFields: ["sources"],
    create: create.mutateAsync,
    update: update.mutateAsync,
    reload: (id) => api.get<Jurisdiction>(`/api/v1/jurisdictions/${id}`),
    cacheKey: (j) => keys.jurisdiction(j.slug),
    savedMessage: (j) => j.name,
    onSaved: onDone,
  });
  const { form } = rf;
  return (
    <RecordForm
      state={rf}
      noun="jurisdiction"
      submitLabel={rf.isEdit ? "Save changes" : "Create jurisdiction"}
      onCancel={() => onDone(null)}
    >
      <Card withBorder padding="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Name"
            withAsterisk
            {...rf.slugSourceProps("name", (name) => `${name} ${form.getValues().stateCode.toLowerCase()}`)}
          />
          <TextInput
            label="Slug"
            withAsterisk
            description="Lowercase words and hyphens, e.g. baltimore-md"
            {...rf.slugInputProps()}
          />
          <Select
            label="Kind"
            withAsterisk
            data={JURISDICTION_KINDS.map((k) => ({ value: k, label: JURISDICTION_KIND_LABELS[k] ?? k }))}
            allowDeselect={false}
            {...form.getInputProps("kind")}
          />
          <Select
            label="State"
            withAsterisk
            data={STATE_OPTIONS}
            searchable
            allowDeselect={false}
            {...form.getInputProps("stateCode")}
          />
          <TextInput
            label="FIPS code"
            description="2 digits for a state, 5 for a county"
            maxLength={5}
            inputMode="numeric"
            {...form.getInputProps("fips")}
          />
          <Group grow gap="sm" align="flex-start">
            <NumberInput
              label="Population"
              min={0}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              {...form.getInputProps("population")}
            />
            <NumberInput
              label="Population year"
              min={1790}
              max={2100}
              allowDecimal={false}
              thousandSeparator={false}
              hideControls
              {...form.getInputProps("populationYear")}
            />
          </Group>
        </SimpleGrid>
      </Card>
    </RecordForm>
  );
}

export function JurisdictionNewPage() {
  const navigate = useNavigate();
  return (
    <>
      <BackLink to="/jurisdictions">Jurisdictions</BackLink>
      <PageTitle title="New jurisdiction" />
      <JurisdictionForm onDone={() => navigate("/jurisdictions")} />
    </>
  );
}

export function JurisdictionEditPage() {
  const { slug = "" } = useParams();
  const navigate = useNavigate();
  const query = useJurisdiction(slug);
  const canWrite = useCan("registry:write");
  return (
    <LoadedRecord query={query} what="jurisdiction">
      {(data) => (
        <>
          <BackLink to="/jurisdictions">Jurisdictions</BackLink>
          <PageTitle title={`Edit ${data.name}`} subtitle={`${data.matterCount} matters`} />
          {canWrite ? (
            <JurisdictionForm key={data.id} jurisdiction={data} onDone={() => navigate("/jurisdictions")} />
          ) : (
            <Forbidden what="edit jurisdictions" inline />
          )}
          <Divider my="xl" />
          <RecordHistory entity="jurisdiction" id={data.id} heading="History" />
        </>
      )}
    </LoadedRecord>
  );
}
