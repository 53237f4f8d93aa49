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
import { Button, Checkbox, Group, NumberInput, Radio, Stack } from "@mantine/core";
import { useCurrentUser } from "../../api/session";
import { ListFilter, SearchFilter, StateFilter } from "../../components/filters";
import { useMirror, useUrlList, useUrlState } from "../../lib/url-state";
import { useDraft } from "../../lib/use-draft";
import { CLEARED_MATTER_FILTERS, hasFilters } from "./matter-query";

const STATUS_OPTIONS = STATUS_GROUPS.map((g) => ({
  group: STATUS_GROUP_LABELS[g],
  items: MATTER_STATUSES.filter((s) => statusGroup(s) === g).map((s) => ({
    value: s,
    label: MATTER_STATUS_LABELS[s],
  })),
}));

/** A year bound of the list, kept in the URL as `param` once it is a plausible year (or empty). */
function YearInput({ label, param }: { label: string; param: "from" | "to" }) {
  const { params, update } = useUrlState();
  const [local, change] = useDraft<string | number>(
    params.get(param) ?? "",
    (v) => {
      if (v === "") update({ [param]: null });
      else if (typeof v === "number" && v >= 1900 && v <= 2100) update({ [param]: String(v) });
    },
    500,
  );
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
      onChange={change}
    />
  );
}

/** A filter a link set (a jurisdiction's or an agency's matters), with a button that removes it. */
function LinkedFilter({ param, label }: { param: "jurisdiction" | "agency"; label: string }) {
  const { params, update } = useUrlState();
  const value = params.get(param);
  if (!value) return null;
  return (
    <Group gap="xs">
      <Button
        size="compact-sm"
        variant="light"
        onClick={() => update({ [param]: null })}
        aria-label={`Remove ${param} filter ${value}`}
      >
        {label}: {value} ×
      </Button>
    </Group>
  );
}

/** Whether the matters are marked public, kept in the URL as `public=true|false` (none: any). */
function PublicFilter() {
  const { params, update } = useUrlState();
  const fromUrl = params.get("public");
  const [value, setValue] = useMirror(fromUrl === "true" || fromUrl === "false" ? fromUrl : "any");
  return (
    <Radio.Group
      label="Public"
      value={value}
      onChange={(v) => {
        setValue(v);
        update({ public: v === "any" ? null : v });
      }}
    >
      <Stack gap={6} mt={6}>
        <Radio value="any" label="Any" size="xs" />
        <Radio value="true" label="Public" size="xs" />
        <Radio value="false" label="Not public" size="xs" />
      </Stack>
    </Radio.Group>
  );
}

/** The side panel of the matters list: every facet writes to the URL. */
export function MatterFacets() {
  const { params, update } = useUrlState();
  const [kind, setKind] = useUrlList("kind");
  const [agencyKind, setAgencyKind] = useUrlList("agencyKind");
  const anyFilter = hasFilters(params);
  // Anonymous visitors (public reading) see only public matters: the filter would tell them nothing.
  const signedIn = useCurrentUser() !== null;
  return (
    <Stack gap="md" component="form" aria-label="Filter matters" onSubmit={(e) => e.preventDefault()}>
      <SearchFilter label="Text" placeholder="Title, city, case number…" />
      <LinkedFilter param="jurisdiction" label="Jurisdiction" />
      <LinkedFilter param="agency" label="Agency" />
      <Checkbox.Group label="Kind" value={kind} onChange={setKind}>
        <Stack gap={6} mt={6}>
          {MATTER_KINDS.map((k) => (
            <Checkbox key={k} value={k} label={MATTER_KIND_LABELS[k]} size="xs" />
          ))}
        </Stack>
      </Checkbox.Group>
      <ListFilter
        param="status"
        label="Status"
        placeholder="Any status"
        data={STATUS_OPTIONS}
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      <StateFilter comboboxProps={{ withinPortal: true }} />
      <Checkbox.Group label="Agency kind" value={agencyKind} onChange={setAgencyKind}>
        <Stack gap={6} mt={6}>
          {AGENCY_KINDS.map((k) => (
            <Checkbox key={k} value={k} label={AGENCY_KIND_LABELS[k]} size="xs" />
          ))}
        </Stack>
      </Checkbox.Group>
      <Group grow gap="xs">
        <YearInput label="From year" param="from" />
        <YearInput label="To year" param="to" />
      </Group>
      {signedIn ? <PublicFilter /> : null}
      {anyFilter ? (
        <Button variant="subtle" size="xs" onClick={() => update(CLEARED_MATTER_FILTERS)}>
          Clear all filters
        </Button>
      ) : null}
    </Stack>
  );
}
