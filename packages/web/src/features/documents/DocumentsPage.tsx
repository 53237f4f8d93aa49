import "./documents.css";
import { Box, Checkbox } from "@mantine/core";
import { useDocuments } from "../../api/documents";
import { fetchMatterOptions, useMatter } from "../../api/hooks";
import { useCan } from "../../api/session";
import { ListFilter, SearchFilter } from "../../components/filters";
import { ClearFilters, FilterBar, ListResults } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { RemoteSelect } from "../../components/RemoteSelect";
import { readList, readPage, useMirror, useUrlState } from "../../lib/url-state";
import { AddDocuments } from "./AddDocuments";
import { DocumentsTable } from "./DocumentsTable";
import { DOCUMENT_KIND_OPTIONS, DOCUMENT_STATUS_OPTIONS } from "./document-status";

const FILTER_KEYS = ["q", "kind", "status", "matter", "departmentWide"] as const;

/** The matter the list is limited to, kept in the URL as `matter` (its slug). */
function MatterFilter() {
  const { params, update } = useUrlState();
  const slug = params.get("matter");
  const matter = useMatter(slug ?? undefined).data;
  return (
    <RemoteSelect
      queryKey="documents-matter"
      label="Matter"
      placeholder="Any matter"
      w={300}
      value={slug}
      selected={slug && matter ? { value: slug, label: matter.title } : null}
      fetchOptions={async (q) =>
        (await fetchMatterOptions(q)).items.map((m) => ({ value: m.slug, label: m.title }))
      }
      onChange={(v) => update({ matter: v, departmentWide: null })}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Only the department-wide record's documents (those of no matter), kept as `departmentWide=true`. */
function DepartmentWideFilter() {
  const { params, update } = useUrlState();
  const [checked, setChecked] = useMirror(params.get("departmentWide") === "true");
  return (
    <Checkbox
      label="Department-wide record only"
      checked={checked}
      onChange={(e) => {
        const on = e.currentTarget.checked;
        setChecked(on);
        update({ departmentWide: on ? "true" : null, matter: on ? null : params.get("matter") });
      }}
      mb={8}
    />
  );
}

/** Every document the user may read, across matters and the department-wide record. */
export function DocumentsPage() {
  const { params } = useUrlState();
  const { limit, offset } = readPage(params, 50);
  const canWrite = useCan("registry:write");
  const query = {
    q: params.get("q"),
    kind: readList(params, "kind"),
    status: readList(params, "status"),
    matter: params.get("matter"),
    departmentWide: params.get("departmentWide") === "true" ? "true" : null,
    limit,
    offset,
  };
  const result = useDocuments(query);
  const filtered = FILTER_KEYS.some((k) => params.get(k));
  return (
    <>
      <PageTitle
        title="Documents"
        subtitle="Decrees, findings, monitors' reports and filings, with the state of their text."
      />
      {canWrite ? (
        <Box mb="md">
          <AddDocuments />
        </Box>
      ) : null}
      <FilterBar label="Filter documents">
        <SearchFilter label="Title" placeholder="Words of the title" w={240} />
        <ListFilter
          param="kind"
          label="Kind"
          placeholder="Any kind"
          data={DOCUMENT_KIND_OPTIONS}
          clearable
          w={260}
          comboboxProps={{ withinPortal: true }}
        />
        <ListFilter
          param="status"
          label="Text"
          placeholder="Any state"
          data={DOCUMENT_STATUS_OPTIONS}
          clearable
          w={220}
          comboboxProps={{ withinPortal: true }}
        />
        <MatterFilter />
        <DepartmentWideFilter />
        <ClearFilters keys={FILTER_KEYS} shown={filtered} />
      </FilterBar>
      <ListResults result={result} noun="documents" filtered={filtered} pagerBelow skeletonRows={10}>
        {(items) => <DocumentsTable documents={items} label="Documents" showMatter />}
      </ListResults>
    </>
  );
}
