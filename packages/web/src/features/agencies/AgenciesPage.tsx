import { AGENCY_KIND_LABELS, AGENCY_KINDS, type Agency } from "@accord/domain";
import { Anchor, Button, Table } from "@mantine/core";
import { Link } from "react-router";
import { useAgencies } from "../../api/hooks";
import { useCan } from "../../api/session";
import { ListFilter, SearchFilter, StateFilter } from "../../components/filters";
import { FilterBar, ListResults, ListTable, NewButton } from "../../components/ListPage";
import { MatterCountCell } from "../../components/MatterCountCell";
import { PageTitle } from "../../components/PageTitle";
import { SortableTh } from "../../components/SortableTh";
import { readList, readPage, useUrlState } from "../../lib/url-state";

const KIND_OPTIONS = AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }));

function Row({ a, canEdit }: { a: Agency; canEdit: boolean }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/agencies/${a.slug}`} size="sm" fw={500}>
          {a.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{AGENCY_KIND_LABELS[a.kind]}</Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/agencies?jurisdiction=${a.jurisdiction.slug}`} size="sm">
          {a.jurisdiction.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{a.jurisdiction.stateCode}</Table.Td>
      <MatterCountCell
        count={a.matterCount}
        to={`/matters?agency=${a.slug}`}
        label={`${a.matterCount} matters of ${a.name}`}
      />
      {canEdit ? (
        <Table.Td>
          <Anchor component={Link} to={`/agencies/${a.slug}/edit`} size="sm" aria-label={`Edit ${a.name}`}>
            Edit
          </Anchor>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

export function AgenciesPage() {
  const { params, update } = useUrlState();
  const sort = params.get("sort") ?? "name";
  const query = {
    q: params.get("q") ?? undefined,
    state: readList(params, "state"),
    kind: readList(params, "kind"),
    jurisdiction: params.get("jurisdiction") ?? undefined,
    sort,
    ...readPage(params),
  };
  const result = useAgencies(query);
  const canEdit = useCan("registry:write");
  const filtered = Boolean(query.q || query.state.length || query.kind.length || query.jurisdiction);
  return (
    <>
      <PageTitle
        title="Agencies"
        subtitle="Police departments, sheriff's offices and other agencies that are party to matters"
        actions={<NewButton to="/agencies/new">New agency</NewButton>}
      />
      <FilterBar label="Filter agencies">
        <SearchFilter label="Name" placeholder="Search by name" w={240} />
        <StateFilter w={260} />
        <ListFilter param="kind" label="Kind" placeholder="Any kind" data={KIND_OPTIONS} clearable w={240} />
        {query.jurisdiction ? (
          <Button size="compact-sm" variant="light" mb={6} onClick={() => update({ jurisdiction: null })}>
            Jurisdiction: {query.jurisdiction} ×
          </Button>
        ) : null}
      </FilterBar>
      <ListResults result={result} noun="agencies" filtered={filtered}>
        {(items) => (
          <ListTable
            miw={760}
            aria-label="Agencies"
            head={
              <>
                <SortableTh field="name" sort={sort}>
                  Name
                </SortableTh>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Jurisdiction</Table.Th>
                <Table.Th>State</Table.Th>
                <SortableTh field="matterCount" sort={sort} defaultDescending>
                  Matters
                </SortableTh>
                {canEdit ? (
                  <Table.Th>
                    <span className="sr-only">Links</span>
                  </Table.Th>
                ) : null}
              </>
            }
          >
            {items.map((a) => (
              <Row key={a.id} a={a} canEdit={canEdit} />
            ))}
          </ListTable>
        )}
      </ListResults>
    </>
  );
}
