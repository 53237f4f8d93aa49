import {
  AMOUNT_MEANING_LABELS,
  AMOUNT_MEANINGS,
  type AmountMeaning,
  type Award,
  type CreateAward,
  CreateAwardSchema,
  GRANT_PROGRAM_LABELS,
  GRANT_PROGRAMS,
  type GrantProgram,
  UpdateAwardSchema,
} from "@accord/domain";
import { Card, NumberInput, Select, SimpleGrid, Switch, Textarea, TextInput } from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { useMemo } from "react";
import { useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { grantKeys, useAward, useCreateAward, useUpdateAward } from "../../api/grants";
import { useAgencies } from "../../api/hooks";
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
import { useRecordForm } from "../../lib/use-record-form";
import { JurisdictionSelect } from "../jurisdictions/JurisdictionSelect";

interface Values {
  slug: string;
  program: string;
  programName: string;
  fiscalYear: number | string;
  amount: number | string;
  amountMeaning: string;
  amountNote: string;
  awardNumber: string;
  jurisdictionId: string;
  agencyId: string;
  recipientName: string;
  notes: string;
  public: boolean;
  sources: SourceValues[];
}

const ORDER = [
  "program",
  "programName",
  "fiscalYear",
  "slug",
  "jurisdictionId",
  "agencyId",
  "recipientName",
  "awardNumber",
  "amount",
  "amountMeaning",
  "amountNote",
  "notes",
  "sources",
];
const LABELS: Record<string, string> = {
  program: "Program",
  programName: "Program as the source names it",
  fiscalYear: "Fiscal year",
  slug: "Slug",
  jurisdictionId: "Jurisdiction",
  agencyId: "Agency",
  recipientName: "Recipient as stated",
  awardNumber: "Award number",
  amount: "Amount",
  amountMeaning: "What the amount is",
  amountNote: "How the source qualifies it",
  notes: "Notes",
  public: "Public",
  sources: "Sources",
};

function toValues(a: Award | null): Values {
  return {
    slug: a?.slug ?? "",
    program: a?.program ?? "",
    programName: a?.programName ?? "",
    fiscalYear: a?.fiscalYear ?? "",
    amount: a?.amount ?? "",
    amountMeaning: a?.amountMeaning ?? "",
    amountNote: a?.amountNote ?? "",
    awardNumber: a?.awardNumber ?? "",
    jurisdictionId: a?.jurisdiction.id ?? "",
    agencyId: a?.agency?.id ?? "",
    recipientName: a?.recipientName ?? "",
    notes: a?.notes ?? "",
    public: a?.public ?? true,
    sources: sourcesToValues(a?.sources ?? []),
  };
}

function toPayload(v: Values): CreateAward {
  return {
    slug: v.slug.trim(),
    program: v.program as GrantProgram,
    programName: textOrNull(v.programName),
    fiscalYear: typeof v.fiscalYear === "number" ? v.fiscalYear : null,
    amount: typeof v.amount === "number" ? v.amount : null,
    amountMeaning: (v.amountMeaning || null) as AmountMeaning | null,
    amountNote: textOrNull(v.amountNote),
    awardNumber: textOrNull(v.awardNumber),
    jurisdictionId: v.jurisdictionId,
    agencyId: v.agencyId || null,
    recipientName: textOrNull(v.recipientName),
    notes: textOrNull(v.notes),
    public: v.public,
    sources: sourcesToPayload(v.sources),
  };
}

function validate(v: Values, isEdit: boolean): FormErrors {
  const errors = schemaErrors(isEdit ? UpdateAwardSchema : CreateAwardSchema, toPayload(v));
  if (!v.program) errors.program = "Choose the program";
  if (!v.jurisdictionId) errors.jurisdictionId = "Choose the jurisdiction that received the award";
  if (typeof v.amount === "number" && !v.amountMeaning)
    errors.amountMeaning = "Say what the amount is: the total award, a city's share, at stake or withheld";
  return errors;
}

/** Creates or edits a grant award: its program, year, recipient, amount and what the amount means. */
function AwardForm({ award, onDone }: { award?: Award; onDone: (a: Award | null) => void }) {
  const create = useCreateAward();
  const update = useUpdateAward();
  const rf = useRecordForm({
    limitsFrom: CreateAwardSchema,
    record: award,
    emptyValues: toValues(null),
    toValues,
    toPayload,
    validate,
    fieldOrder: ORDER,
    fieldLabels: LABELS,
    listFields: ["sources"],
    create: create.mutateAsync,
    update: ({ id, version, patch }) => update.mutateAsync({ key: id, version, patch }),
    reload: (id) => api.get<Award>(`/api/v1/grants/${id}`),
    cacheKey: (a) => [...grantKeys.all, "award", a.slug],
    savedMessage: (a) => `${GRANT_PROGRAM_LABELS[a.program]}${a.fiscalYear ? ` FY${a.fiscalYear}` : ""}`,
    onSaved: onDone,
  });
  const { form } = rf;
  const values = form.getValues();
  const agencies = useAgencies(
    { jurisdiction: values.jurisdictionId, limit: 200, sort: "name" },
    Boolean(values.jurisdictionId),
  );
  const agencyOptions = useMemo(() => {
    const list = (agencies.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }));
    if (award?.agency && !list.some((o) => o.value === award.agency!.id))
      list.push({ value: award.agency.id, label: award.agency.name });
    return list;
  }, [agencies.data, award]);
  return (
    <RecordForm
      state={rf}
      noun="award"
      submitLabel={rf.isEdit ? "Save changes" : "Create award"}
      onCancel={() => onDone(null)}
    >
      <Card withBorder padding="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label="Program"
            withAsterisk
            data={GRANT_PROGRAMS.map((p) => ({ value: p, label: GRANT_PROGRAM_LABELS[p] }))}
            allowDeselect={false}
            {...form.getInputProps("program")}
          />
          <TextInput
            label="Program as the source names it"
            placeholder="Byrne JAG (local)"
            maxLength={300}
            {...form.getInputProps("programName")}
          />
          <NumberInput
            label="Fiscal year"
            min={1960}
            max={2100}
            allowDecimal={false}
            thousandSeparator={false}
            hideControls
            {...form.getInputProps("fiscalYear")}
          />
          <TextInput
            label="Slug"
            withAsterisk
            description="Lowercase words and hyphens, e.g. chicago-jag-2017"
            {...rf.slugInputProps()}
          />
          <JurisdictionSelect
            current={award?.jurisdiction}
            value={values.jurisdictionId}
            onChange={(id) => {
              form.setFieldValue("jurisdictionId", id);
              form.setFieldValue("agencyId", "");
            }}
            error={form.errors.jurisdictionId}
          />
          <Select
            label="Agency"
            placeholder={
              values.jurisdictionId
                ? "One of its agencies, if the award names one"
                : "Choose a jurisdiction first"
            }
            disabled={!values.jurisdictionId}
            data={agencyOptions}
            searchable
            clearable
            {...form.getInputProps("agencyId")}
          />
          <TextInput
            label="Recipient as stated"
            placeholder="Maricopa County (fiscal agent)"
            maxLength={300}
            {...form.getInputProps("recipientName")}
          />
          <TextInput label="Award number" maxLength={100} {...form.getInputProps("awardNumber")} />
          <NumberInput
            label="Amount (US dollars)"
            description="Leave empty when no source states it"
            min={0}
            allowNegative={false}
            decimalScale={2}
            thousandSeparator=","
            prefix="$"
            {...form.getInputProps("amount")}
          />
          <Select
            label="What the amount is"
            data={AMOUNT_MEANINGS.map((m) => ({ value: m, label: AMOUNT_MEANING_LABELS[m] }))}
            clearable
            {...form.getInputProps("amountMeaning")}
          />
          <TextInput
            label="How the source qualifies it"
            placeholder="not to exceed; announced, rounded"
            maxLength={300}
            {...form.getInputProps("amountNote")}
          />
          <Switch
            label="Public"
            description="Anonymous visitors may read it when public reading is on"
            {...form.getInputProps("public", { type: "checkbox" })}
          />
        </SimpleGrid>
        <Textarea
          label="Notes"
          autosize
          minRows={2}
          maxLength={5000}
          mt="sm"
          {...form.getInputProps("notes")}
        />
      </Card>
    </RecordForm>
  );
}

export function AwardNewPage() {
  const navigate = useNavigate();
  const canWrite = useCan("registry:write");
  return (
    <>
      <BackLink to="/grants">Grants</BackLink>
      <PageTitle title="New award" />
      {canWrite ? (
        <AwardForm onDone={(a) => navigate(a ? `/grants/${a.slug}` : "/grants")} />
      ) : (
        <Forbidden what="add awards" inline />
      )}
    </>
  );
}

export function AwardEditPage() {
  const { key = "" } = useParams();
  const navigate = useNavigate();
  const query = useAward(key, null);
  const canWrite = useCan("registry:write");
  return (
    <LoadedRecord query={query} what="award">
      {(data) => (
        <>
          <BackLink to={`/grants/${data.slug}`}>The award</BackLink>
          <PageTitle
            title={`Edit ${GRANT_PROGRAM_LABELS[data.program]}${data.fiscalYear ? ` FY${data.fiscalYear}` : ""}`}
          />
          {canWrite ? (
            <AwardForm key={data.id} award={data} onDone={(a) => navigate(`/grants/${(a ?? data).slug}`)} />
          ) : (
            <Forbidden what="edit awards" inline />
          )}
        </>
      )}
    </LoadedRecord>
  );
}
