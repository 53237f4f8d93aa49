import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  MATTER_STATUS_LABELS,
  MATTER_STATUSES,
  STATUS_GROUP_LABELS,
  STATUS_GROUPS,
  statusGroup,
} from "@accord/domain";
import { Button, Checkbox, Group, MultiSelect, NumberInput, Stack } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { DebouncedSearch } from "../../components/DebouncedSearch";
import { readList, useMirror, useUrlState } from "../../lib/url-state";
import { STATE_OPTIONS } from "../../lib/us-states";

const STATUS_OPTIONS = STATUS_GROUPS.map((g) => ({
  group: STATUS_GROUP_LABELS[g],
  items: MATTER_STATUSES.filter((s) => statusGroup(s) === g).map((s) => ({
    value: s,
    label: MATTER_STATUS_LABELS[s],
  })),
}));

function YearInput({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string;
  onCommit: (v: string | null) => void;
}) {
  const [local, setLocal] = useState<string | number>(value);
  useEffect(() => setLocal(value), [value]);
  const commit = useDebouncedCallback((v: string | number) => {
    if (v === "") onCommit(null);
    else if (typeof v === "number" && v >= 1900 && v <= 2100) onCommit(String(v));
  }, 500);
  return (
    <NumberInput
      label={label}
      placeholder="YYYY"
      min={1900}
      max={2100}
      allowDecimal={false}
      allowNegative={false}
      thousandSeparator={false}
      hideControls
      value={local}
      onChange={(v) => {
        setLocal(v);
        commit(v);
      }}
    />
  );
}

/** The side panel of the matters list: every facet writes to the URL. */
export function MatterFacets() {
  const { params, update } = useUrlState();
  const jurisdiction = params.get("jurisdiction");
  const agency = params.get("agency");
  const [kind, setKind] = useMirror(readList(params, "kind"));
  const [status, setStatus] = useMirror(readList(params, "status"));
  const [state, setState] = useMirror(readList(params, "state"));
  const [agencyKind, setAgencyKind] = useMirror(readList(params, "agencyKind"));
  const anyFilter = [
    "q",
    "kind",
    "status",
    "state",
    "agencyKind",
    "jurisdiction",
    "agency",
    "from",
    "to",
  ].some((k) => params.get(k));
  return (
    <Stack gap="md" component="form" aria-label="Filter matters" onSubmit={(e) => e.preventDefault()}>
      <DebouncedSearch
        label="Text"
        placeholder="Title, city, case number…"
        value={params.get("q") ?? ""}
        onCommit={(q) => update({ q }, { replace: true })}
      />
      {jurisdiction ? (
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => update({ jurisdiction: null })}
            aria-label={`Remove jurisdiction filter ${jurisdiction}`}
          >
            Jurisdiction: {jurisdiction} ×
          </Button>
        </Group>
      ) : null}
      {agency ? (
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => update({ agency: null })}
            aria-label={`Remove agency filter ${agency}`}
          >
            Agency: {agency} ×
          </Button>
        </Group>
      ) : null}
      <Checkbox.Group
        label="Kind"
        value={kind}
        onChange={(next) => {
          setKind(next);
          update({ kind: next });
        }}
      >
        <Stack gap={6} mt={6}>
          {MATTER_KINDS.map((k) => (
            <Checkbox key={k} value={k} label={MATTER_KIND_LABELS[k]} size="xs" />
          ))}
        </Stack>
      </Checkbox.Group>
      <MultiSelect
        label="Status"
        placeholder="Any status"
        data={STATUS_OPTIONS}
        value={status}
        onChange={(next) => {
          setStatus(next);
          update({ status: next });
        }}
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        label="State"
        placeholder="Any state"
        data={STATE_OPTIONS}
        value={state}
        onChange={(next) => {
          setState(next);
          update({ state: next });
        }}
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      <Checkbox.Group
        label="Agency kind"
        value={agencyKind}
        onChange={(next) => {
          setAgencyKind(next);
          update({ agencyKind: next });
        }}
      >
        <Stack gap={6} mt={6}>
          {AGENCY_KINDS.map((k) => (
            <Checkbox key={k} value={k} label={AGENCY_KIND_LABELS[k]} size="xs" />
          ))}
        </Stack>
      </Checkbox.Group>
      <Group grow gap="xs">
        <YearInput label="From year" value={params.get("from") ?? ""} onCommit={(from) => update({ from })} />
        <YearInput label="To year" value={params.get("to") ?? ""} onCommit={(to) => update({ to })} />
      </Group>
      {anyFilter ? (
        <Button
          variant="subtle"
          size="xs"
          onClick={() =>
            update({
              q: null,
              kind: null,
              status: null,
              state: null,
              agencyKind: null,
              jurisdiction: null,
              agency: null,
              from: null,
              to: null,
            })
          }
        >
          Clear all filters
        </Button>
      ) : null}
    </Stack>
  );
}
