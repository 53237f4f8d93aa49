import type { ReactNode } from "react";
import { fetchJurisdictionOptions } from "../../api/hooks";
import { RemoteSelect } from "../../components/RemoteSelect";

interface JurisdictionRef {
  id: string;
  name: string;
  stateCode: string;
}

const label = (j: JurisdictionRef) => `${j.name}, ${j.stateCode}`;

/** A form's required `jurisdictionId` field: a jurisdiction searched by name, shown as "Baltimore, MD". */
export function JurisdictionSelect({
  current,
  value,
  onChange,
  error,
}: {
  /** The jurisdiction of the record being edited, so its label shows before any search. */
  current: JurisdictionRef | undefined;
  value: string;
  onChange: (id: string) => void;
  error: ReactNode;
}) {
  return (
    <RemoteSelect
      label="Jurisdiction"
      withAsterisk
      placeholder="Search by name"
      queryKey="jurisdictions"
      fetchOptions={async (q) =>
        (await fetchJurisdictionOptions(q)).items.map((j) => ({ value: j.id, label: label(j) }))
      }
      selected={current ? { value: current.id, label: label(current) } : null}
      value={value || null}
      onChange={(id) => onChange(id ?? "")}
      error={error}
      data-path="jurisdictionId"
    />
  );
}
