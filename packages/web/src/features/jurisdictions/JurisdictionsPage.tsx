import { JURISDICTION_KINDS, type Jurisdiction } from "@accord/domain";
import { Anchor, Group, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { useJurisdictions } from "../../api/hooks";
import { useCan } from "../../api/session";
import { ListFilter, SearchFilter, StateFilter } from "../../components/filters";
import { FilterBar, ListResults, ListTable, NewButton } from "../../components/ListPage";
import { MatterCountCell } from "../../components/MatterCountCell";
import { PageTitle } from "../../components/PageTitle";
import { SortableTh } from "../../components/SortableTh";
import { readList, readPage, useUrlState } from "../../lib/url-state";

export const JURISDICTION_KIND_LABELS: Record<string, string> = {
  city: "City",
  county: "County",
  state: "State",
  territory: "Territory",
  tribal: "Tribal",
  other: "Other",
};

const KIND_OPTIONS = JURISDICTION_KINDS.map((k) => ({ value: k, label: JURISDICTION_KIND_LABELS[k] ?? k }));

function Row({ j, canEdit }: { j: Jurisdiction; canEdit: boolean }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/jurisdictions/${j.slug}`} size="sm" fw={500}>
          {j.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{JURISDICTION_KIND_LABELS[j.kind] ?? j.kind}</Table.Td>
      <Table.Td>{j.stateCode}</Table.Td>
      <Table.Td>{j.fips ?? ""}</Table.Td>
      <Table.Td ta="right">
        {j.population !== null ? j.population.toLocaleString("en-US") : ""}
        {j.populationYear ? (
          <Text span size="xs" c="dimmed">
            {" "}
            ({j.populationYear})
          </Text>
        ) : null}
      </Table.Td>
      <MatterCountCell
        count={j.matterCount}
        to={`/matters?jurisdiction=${j.slug}`}
        label={`${j.matterCount} matters in ${j.name}`}
      />
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Anchor component={Link} to={`/agencies?jurisdiction=${j.slug}`} size="sm">
            Agencies
          </Anchor>
          {canEdit ? (
            <Anchor
              component={Link}
              to={`/jurisdictions/${j.slug}/edit`}
              size="sm"
              aria-label={`Edit ${j.name}`}
            >
              Edit
            </Anchor>
          ) : null}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function JurisdictionsPage() {
  const { params } = useUrlState();
  const sort = params.get("sort") ?? "name";
  const query = {
    q: params.get("q") ?? undefined,
    state: readList(params, "state"),
    kind: readList(params, "kind"),
    sort,
    ...readPage(params),
  };
  const result = useJurisdictions(query);
  const canEdit = useCan("registry:write");
  const filtered = Boolean(query.q || query.state.length || query.kind.length);
  return (
    <>
      <PageTitle
        title="Jurisdictions"
        subtitle="Cities, counties, states and territories whose agencies have matters"
        actions={<NewButton to="/jurisdictions/new">New jurisdiction</NewButton>}
      />
      <FilterBar label="Filter jurisdictions">
        <SearchFilter label="Name" placeholder="Search by name" w={240} />
        <StateFilter w={260} />
        <ListFilter param="kind" label="Kind" placeholder="Any kind" data={KIND_OPTIONS} clearable w={220} />
      </FilterBar>
      <ListResults result={result} noun="jurisdictions" filtered={filtered}>
        {(items) => (
          <ListTable
            miw={760}
            aria-label="Jurisdictions"
            head={
              <>
                <SortableTh field="name" sort={sort}>
                  Name
                </SortableTh>
                <Table.Th>Kind</Table.Th>
                <SortableTh field="state" sort={sort}>
                  State
                </SortableTh>
                <Table.Th>FIPS</Table.Th>
                <Table.Th ta="right">Population</Table.Th>
                <SortableTh field="matterCount" sort={sort} defaultDescending>
                  Matters
                </SortableTh>
                <Table.Th>
                  <span className="sr-only">Links</span>
                </Table.Th>
              </>
            }
          >
            {items.map((j) => (
              <Row key={j.id} j={j} canEdit={canEdit} />
            ))}
          </ListTable>
        )}
      </ListResults>
    </>
  );
}
