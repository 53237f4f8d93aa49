import { JURISDICTION_KINDS, type Jurisdiction } from "@accord/domain";
import { Anchor, Box, Button, Card, Group, MultiSelect, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { useJurisdictions } from "../../api/hooks";
import { DebouncedSearch } from "../../components/DebouncedSearch";
import { Empty } from "../../components/Empty";
import { IconPlus } from "../../components/icons";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SortableTh } from "../../components/SortableTh";
import { TableSkeleton } from "../../components/TableSkeleton";
import { readInt, readList, useUrlList, useUrlState } from "../../lib/url-state";
import { STATE_OPTIONS } from "../../lib/us-states";

export const JURISDICTION_KIND_LABELS: Record<string, string> = {
  city: "City",
  county: "County",
  state: "State",
  territory: "Territory",
  tribal: "Tribal",
  other: "Other",
};

const KIND_OPTIONS = JURISDICTION_KINDS.map((k) => ({ value: k, label: JURISDICTION_KIND_LABELS[k] ?? k }));

function Row({ j }: { j: Jurisdiction }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {j.name}
        </Text>
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
      <Table.Td>
        {j.matterCount > 0 ? (
          <Anchor
            component={Link}
            to={`/matters?jurisdiction=${j.slug}`}
            size="sm"
            aria-label={`${j.matterCount} matters in ${j.name}`}
          >
            {j.matterCount}
          </Anchor>
        ) : (
          <Text span size="sm" c="dimmed">
            0
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Anchor component={Link} to={`/agencies?jurisdiction=${j.slug}`} size="sm">
            Agencies
          </Anchor>
          <Anchor
            component={Link}
            to={`/jurisdictions/${j.slug}/edit`}
            size="sm"
            aria-label={`Edit ${j.name}`}
          >
            Edit
          </Anchor>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function JurisdictionsPage() {
  const { params, update } = useUrlState();
  const [stateValue, setState] = useUrlList("state");
  const [kindValue, setKind] = useUrlList("kind");
  const sort = params.get("sort") ?? "name";
  const query = {
    q: params.get("q") ?? undefined,
    state: readList(params, "state"),
    kind: readList(params, "kind"),
    sort,
    limit: readInt(params, "limit", 50),
    offset: readInt(params, "offset", 0),
  };
  const { data, error, isPending, isPlaceholderData, refetch } = useJurisdictions(query);
  const filtered = Boolean(query.q || query.state.length || query.kind.length);
  return (
    <>
      <PageTitle
        title="Jurisdictions"
        subtitle="Cities, counties, states and territories whose agencies have matters"
        actions={
          <Button component={Link} to="/jurisdictions/new" leftSection={<IconPlus size={16} />}>
            New jurisdiction
          </Button>
        }
      />
      <Card withBorder padding="sm" mb="md">
        <Group align="flex-end" gap="md" wrap="wrap" component="form" aria-label="Filter jurisdictions">
          <DebouncedSearch
            label="Name"
            placeholder="Search by name"
            value={params.get("q") ?? ""}
            onCommit={(q) => update({ q }, { replace: true })}
            w={240}
          />
          <MultiSelect
            label="State"
            placeholder="Any state"
            data={STATE_OPTIONS}
            value={stateValue}
            onChange={setState}
            searchable
            clearable
            w={260}
          />
          <MultiSelect
            label="Kind"
            placeholder="Any kind"
            data={KIND_OPTIONS}
            value={kindValue}
            onChange={setKind}
            clearable
            w={220}
          />
        </Group>
      </Card>
      {error ? (
        <ProblemAlert error={error} onRetry={() => refetch()} />
      ) : isPending ? (
        <TableSkeleton />
      ) : data.items.length === 0 ? (
        <Card withBorder>
          <Empty title={filtered ? "No jurisdictions match these filters" : "No jurisdictions yet"} />
        </Card>
      ) : (
        <Stack gap="sm">
          <Pager
            total={data.total}
            limit={data.limit}
            offset={data.offset}
            noun="jurisdictions"
            onChange={(p) => update(p, { keepOffset: true })}
          />
          <Box style={{ opacity: isPlaceholderData ? 0.6 : 1 }} aria-busy={isPlaceholderData}>
            <ScrollArea type="auto">
              <Table
                striped
                highlightOnHover
                withTableBorder
                className="accord-table"
                miw={760}
                aria-label="Jurisdictions"
              >
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh field="name" sort={sort} onSort={(s) => update({ sort: s })}>
                      Name
                    </SortableTh>
                    <Table.Th>Kind</Table.Th>
                    <SortableTh field="state" sort={sort} onSort={(s) => update({ sort: s })}>
                      State
                    </SortableTh>
                    <Table.Th>FIPS</Table.Th>
                    <Table.Th ta="right">Population</Table.Th>
                    <SortableTh
                      field="matterCount"
                      sort={sort}
                      defaultDescending
                      onSort={(s) => update({ sort: s })}
                    >
                      Matters
                    </SortableTh>
                    <Table.Th>
                      <span className="sr-only">Links</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((j) => (
                    <Row key={j.id} j={j} />
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Box>
        </Stack>
      )}
    </>
  );
}
