import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  type Agency,
  type AgencyKind,
  type CreateAgency,
  CreateAgencySchema,
  UpdateAgencySchema,
} from "@accord/domain";
import { Anchor, Button, Card, Group, Select, SimpleGrid, Skeleton, Stack, TextInput } from "@mantine/core";
import { type FormErrors, useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, isApiError } from "../../api/client";
import { fetchJurisdictionOptions, keys, useAgency, useCreateAgency, useUpdateAgency } from "../../api/hooks";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { NotFound } from "../../components/NotFound";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RemoteSelect } from "../../components/RemoteSelect";
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
} from "../../lib/forms";
import { useVersionedSave } from "../../lib/use-versioned-save";

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
  const qc = useQueryClient();
  const isEdit = agency !== undefined;
  const [base, setBase] = useState<Agency | null>(agency ?? null);
  const [slugTouched, setSlugTouched] = useState(isEdit);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: toValues(agency ?? null),
    validate: (v) => validate(v, isEdit),
    validateInputOnChange: true,
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
  });
  const create = useCreateAgency();
  const update = useUpdateAgency();
  const resetTo = (a: Agency) => {
    const v = toValues(a);
    setBase(a);
    form.setValues(v);
    form.resetDirty(v);
    form.clearErrors();
  };
  const saver = useVersionedSave<Agency, Partial<CreateAgency>>({
    save: (payload, version) =>
      base && version !== undefined
        ? update.mutateAsync({ id: base.id, version, patch: payload })
        : create.mutateAsync(payload as CreateAgency),
    onSaved: (a) => {
      resetTo(a);
      notifications.show({ color: "teal", title: isEdit ? "Saved" : "Created", message: a.name });
      onDone(a);
    },
    reload: base ? () => api.get<Agency>(`/api/v1/agencies/${base.id}`) : undefined,
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
    <form onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit agency" : "New agency"}>
      <Stack gap="md">
        {saver.conflict ? (
          <ConflictAlert
            noun="agency"
            version={saver.conflict.version}
            changes={pending.map((k) => LABELS[k] ?? k)}
            busy={saver.saving}
            onLoadTheirs={() => {
              const current = saver.conflict?.current;
              if (!current) return;
              resetTo(current);
              qc.setQueryData(keys.agency(current.slug), current);
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
                if (!slugTouched) form.setFieldValue("slug", slugify(e.currentTarget.value));
              }}
            />
            <TextInput
              label="Slug"
              withAsterisk
              description="Lowercase words and hyphens"
              {...form.getInputProps("slug")}
              onFocus={() => setSlugTouched(true)}
            />
            <Select
              label="Kind"
              withAsterisk
              data={AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }))}
              allowDeselect={false}
              {...form.getInputProps("kind")}
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
                agency
                  ? {
                      value: agency.jurisdiction.id,
                      label: `${agency.jurisdiction.name}, ${agency.jurisdiction.stateCode}`,
                    }
                  : null
              }
              value={form.values.jurisdictionId || null}
              onChange={(id) => form.setFieldValue("jurisdictionId", id ?? "")}
              error={form.errors.jurisdictionId}
              data-path="jurisdictionId"
            />
          </SimpleGrid>
        </Card>
        <SourcesEditor form={form} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => onDone(null)}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            {isEdit ? "Save changes" : "Create agency"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AgencyNewPage() {
  const navigate = useNavigate();
  return (
    <>
      <Anchor component={Link} to="/agencies" size="sm">
        ← Agencies
      </Anchor>
      <PageTitle title="New agency" />
      <AgencyForm onDone={() => navigate("/agencies")} />
    </>
  );
}

export function AgencyEditPage() {
  const { slug = "" } = useParams();
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useAgency(slug);
  if (isPending) return <Skeleton height={400} />;
  if (error) {
    if (isApiError(error) && error.status === 404) return <NotFound what="agency" />;
    return <ProblemAlert error={error} onRetry={() => refetch()} />;
  }
  return (
    <>
      <Anchor component={Link} to="/agencies" size="sm">
        ← Agencies
      </Anchor>
      <PageTitle
        title={`Edit ${data.name}`}
        subtitle={`${data.jurisdiction.name}, ${data.jurisdiction.stateCode}`}
      />
      <AgencyForm key={data.id} agency={data} onDone={() => navigate("/agencies")} />
    </>
  );
}
