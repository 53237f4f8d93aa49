import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  type Agency,
  type AgencyKind,
  CreateAgencySchema,
  CreateJurisdictionSchema,
  JURISDICTION_KINDS,
  type Jurisdiction,
  type JurisdictionKind,
  type StateCode,
} from "@accord/domain";
import { Button, Group, Modal, Select, Stack, TextInput } from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { type FormEvent, type ReactNode, useState } from "react";
import { type ApiProblem, isApiError } from "../../api/client";
import { useCreateAgency, useCreateJurisdiction } from "../../api/hooks";
import { FormProblems } from "../../components/FormProblems";
import { IconPlus } from "../../components/icons";
import { errorMessage, schemaErrors, serverErrors, slugify } from "../../lib/forms";
import { STATE_OPTIONS } from "../../lib/us-states";
import { JURISDICTION_KIND_LABELS } from "../jurisdictions/JurisdictionsPage";

/*
 * Creating a matter for a new place without leaving the form: a jurisdiction or an agency made
 * in a dialog, with the fields it needs (its slug made from its name), then chosen in the form.
 * Population, FIPS code and sources can be added on its own page later.
 */

/** A problem as the dialog shows it: field errors on the fields, the rest above them. */
function useProblem(fieldPaths: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [other, setOther] = useState<string[]>([]);
  const fail = (error: unknown) => {
    const p = isApiError(error) ? error.problem : null;
    const { fields, other: rest } = serverErrors(p, [...fieldPaths, "slug"]);
    // The slug is made from the name: a taken slug is a name already in use.
    if (fields.slug) {
      fields.name ??=
        "One with this name is already in Accord: choose it in the list, or tell them apart in the name";
      delete fields.slug;
    }
    setErrors(fields);
    setOther(rest);
    setProblem(
      p ?? {
        type: "about:blank",
        title: "Not created",
        status: 0,
        code: "error",
        detail: errorMessage(error),
      },
    );
  };
  const clear = () => {
    setErrors({});
    setOther([]);
    setProblem(null);
  };
  /** A field's error goes once the person changes the field. */
  const fixed = (path: string) =>
    setErrors((current) => {
      if (!(path in current)) return current;
      const { [path]: _gone, ...rest } = current;
      return rest;
    });
  return { errors, setErrors, problem, other, fail, clear, fixed };
}

function PlaceDialog({
  title,
  opened,
  onClose,
  onSubmit,
  pending,
  problem,
  other,
  submitLabel,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: () => void;
  pending: boolean;
  problem: ApiProblem | null;
  other: string[];
  submitLabel: string;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The dialog sits inside the matter's form in React's tree: its submit is its own.
    e.stopPropagation();
    onSubmit();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="sm">
          <FormProblems problem={problem} other={other} />
          {children}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending} leftSection={<IconPlus size={16} />}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** "New jurisdiction…": creates one in a dialog and hands it back. */
export function NewJurisdictionButton({ onCreated }: { onCreated: (j: Jurisdiction) => void }) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState("");
  const [stateCode, setStateCode] = useState<string | null>(null);
  const [kind, setKind] = useState<JurisdictionKind>("city");
  const create = useCreateJurisdiction();
  const { errors, setErrors, problem, other, fail, clear, fixed } = useProblem(["name", "stateCode", "kind"]);
  const close = () => {
    setOpened(false);
    clear();
  };
  const submit = () => {
    clear();
    const payload = {
      name: name.trim(),
      stateCode: (stateCode ?? "") as StateCode,
      kind,
      slug: slugify(`${name} ${stateCode ?? ""}`),
    };
    const found = schemaErrors(CreateJurisdictionSchema, payload);
    if (!stateCode) found.stateCode = "Choose the state";
    if (!payload.name) found.name = "Give the jurisdiction a name";
    delete found.slug;
    if (Object.keys(found).length) {
      setErrors(found);
      return;
    }
    create.mutate(payload, {
      onSuccess: (j) => {
        onCreated(j);
        setName("");
        setStateCode(null);
        close();
      },
      onError: fail,
    });
  };
  return (
    <>
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconPlus size={14} />}
        onClick={() => setOpened(true)}
      >
        New jurisdiction…
      </Button>
      <PlaceDialog
        title="New jurisdiction"
        opened={opened}
        onClose={close}
        onSubmit={submit}
        pending={create.isPending}
        problem={problem}
        other={other}
        submitLabel="Create jurisdiction"
      >
        <TextInput
          label="Name"
          withAsterisk
          data-autofocus
          maxLength={200}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            fixed("name");
          }}
          error={errors.name}
        />
        <Group grow align="flex-start" gap="sm">
          <Select
            label="State"
            withAsterisk
            searchable
            data={STATE_OPTIONS}
            value={stateCode}
            onChange={(v) => {
              setStateCode(v);
              fixed("stateCode");
            }}
            error={errors.stateCode}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label="Kind"
            withAsterisk
            allowDeselect={false}
            data={JURISDICTION_KINDS.map((k) => ({ value: k, label: JURISDICTION_KIND_LABELS[k] ?? k }))}
            value={kind}
            onChange={(v) => v && setKind(v as JurisdictionKind)}
            error={errors.kind}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
      </PlaceDialog>
    </>
  );
}

/** "New agency…" of the chosen jurisdiction: creates one in a dialog and hands it back. */
export function NewAgencyButton({
  jurisdictionId,
  jurisdictionLabel,
  onCreated,
}: {
  jurisdictionId: string;
  jurisdictionLabel: string;
  onCreated: (a: Agency) => void;
}) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<AgencyKind>("police");
  const create = useCreateAgency();
  const { errors, setErrors, problem, other, fail, clear, fixed } = useProblem(["name", "kind"]);
  const close = () => {
    setOpened(false);
    clear();
  };
  const submit = () => {
    clear();
    const payload = { name: name.trim(), kind, jurisdictionId, slug: slugify(name) };
    const found = schemaErrors(CreateAgencySchema, payload);
    if (!payload.name) found.name = "Give the agency a name";
    delete found.slug;
    if (Object.keys(found).length) {
      setErrors(found);
      return;
    }
    create.mutate(payload, {
      onSuccess: (a) => {
        onCreated(a);
        setName("");
        close();
      },
      onError: fail,
    });
  };
  return (
    <>
      <Button
        variant="subtle"
        size="compact-sm"
        leftSection={<IconPlus size={14} />}
        onClick={() => setOpened(true)}
        disabled={!jurisdictionId}
      >
        New agency…
      </Button>
      <PlaceDialog
        title={`New agency of ${jurisdictionLabel}`}
        opened={opened}
        onClose={close}
        onSubmit={submit}
        pending={create.isPending}
        problem={problem}
        other={other}
        submitLabel="Create agency"
      >
        <TextInput
          label="Name"
          withAsterisk
          data-autofocus
          maxLength={300}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            fixed("name");
          }}
          error={errors.name}
        />
        <Select
          label="Kind"
          withAsterisk
          allowDeselect={false}
          data={AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }))}
          value={kind}
          onChange={(v) => v && setKind(v as AgencyKind)}
          error={errors.kind}
          comboboxProps={{ withinPortal: true }}
        />
      </PlaceDialog>
    </>
  );
}
