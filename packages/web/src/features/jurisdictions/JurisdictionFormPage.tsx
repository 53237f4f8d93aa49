import {
  type CreateJurisdiction,
  CreateJurisdictionSchema,
  JURISDICTION_KINDS,
  type Jurisdiction,
  type JurisdictionKind,
  type StateCode,
  UpdateJurisdictionSchema,
} from "@accord/domain";
import {
  Anchor,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  TextInput,
} from "@mantine/core";
import { type FormErrors, useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, isApiError } from "../../api/client";
import { keys, useCreateJurisdiction, useJurisdiction, useUpdateJurisdiction } from "../../api/hooks";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { NotFound } from "../../components/NotFound";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SourcesEditor } from "../../components/Sources";
import {
  changedFields,
  editBody,
  focusFirstError,
  type SourceValues,
  schemaErrors,
  slugify,
  sourcesToPayload,
  sourcesToValues,
  textOrNull,
} from "../../lib/forms";
import { STATE_OPTIONS } from "../../lib/us-states";
import { useVersionedSave } from "../../lib/use-versioned-save";
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
  const qc = useQueryClient();
  const isEdit = jurisdiction !== undefined;
  const [base, setBase] = useState<Jurisdiction | null>(jurisdiction ?? null);
  const [slugTouched, setSlugTouched] = useState(isEdit);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: toValues(jurisdiction ?? null),
    validate: (v) => validate(v, isEdit),
    validateInputOnChange: true,
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
  });
  const create = useCreateJurisdiction();
  const update = useUpdateJurisdiction();
  const resetTo = (j: Jurisdiction) => {
    const v = toValues(j);
    setBase(j);
    form.setValues(v);
    form.resetDirty(v);
    form.clearErrors();
  };
  const saver = useVersionedSave<Jurisdiction, Partial<CreateJurisdiction>>({
    save: (payload, version) =>
      base && version !== undefined
        ? update.mutateAsync({ id: base.id, version, patch: payload })
        : create.mutateAsync(payload as CreateJurisdiction),
    onSaved: (j) => {
      resetTo(j);
      notifications.show({ color: "teal", title: isEdit ? "Saved" : "Created", message: j.name });
      onDone(j);
    },
    reload: base ? () => api.get<Jurisdiction>(`/api/v1/jurisdictions/${base.id}`) : undefined,
    setFieldErrors: form.setErrors,
    fieldOrder: ORDER,
  });
  const pending = useMemo(
    () => (base ? Object.keys(changedFields(toPayload(toValues(base)), toPayload(form.values))) : []),
    [base, form.values],
  );
  const nameProps = form.getInputProps("name");
  const onSubmit = form.onSubmit(
    (v) => {
      const payload = toPayload(v);
      if (base) {
        const patch = editBody(toPayload(toValues(base)), payload, ["sources"]);
        if (Object.keys(patch).length === 0) {
          notifications.show({ color: "gray", message: "Nothing to save: no field was changed." });
          return;
        }
        void saver.submit(patch, base.version);
      } else void saver.submit(payload, undefined);
    },
    (errors) => focusFirstError(errors, ORDER),
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit jurisdiction" : "New jurisdiction"}>
      <Stack gap="md">
        {saver.conflict ? (
          <ConflictAlert
            noun="jurisdiction"
            version={saver.conflict.version}
            changes={pending.map((k) => LABELS[k] ?? k)}
            busy={saver.saving}
            onLoadTheirs={() => {
              const current = saver.conflict?.current;
              if (!current) return;
              resetTo(current);
              qc.setQueryData(keys.jurisdiction(current.slug), current);
              saver.dismissConflict();
            }}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
        <Card withBorder padding="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Name"
              withAsterisk
              {...nameProps}
              onChange={(e) => {
                nameProps.onChange(e);
                if (!slugTouched) {
                  const state = form.getValues().stateCode.toLowerCase();
                  form.setFieldValue("slug", slugify(`${e.currentTarget.value} ${state}`));
                }
              }}
            />
            <TextInput
              label="Slug"
              withAsterisk
              description="Lowercase words and hyphens, e.g. baltimore-md"
              {...form.getInputProps("slug")}
              onFocus={() => setSlugTouched(true)}
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
        <SourcesEditor form={form} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => onDone(null)}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            {isEdit ? "Save changes" : "Create jurisdiction"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function JurisdictionNewPage() {
  const navigate = useNavigate();
  return (
    <>
      <Anchor component={Link} to="/jurisdictions" size="sm">
        ← Jurisdictions
      </Anchor>
      <PageTitle title="New jurisdiction" />
      <JurisdictionForm onDone={() => navigate("/jurisdictions")} />
    </>
  );
}

export function JurisdictionEditPage() {
  const { slug = "" } = useParams();
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useJurisdiction(slug);
  if (isPending) return <Skeleton height={400} />;
  if (error) {
    if (isApiError(error) && error.status === 404) return <NotFound what="jurisdiction" />;
    return <ProblemAlert error={error} onRetry={() => refetch()} />;
  }
  return (
    <>
      <Anchor component={Link} to="/jurisdictions" size="sm">
        ← Jurisdictions
      </Anchor>
      <PageTitle title={`Edit ${data.name}`} subtitle={`${data.matterCount} matters`} />
      <JurisdictionForm key={data.id} jurisdiction={data} onDone={() => navigate("/jurisdictions")} />
    </>
  );
}
