import { AGENCY_KIND_LABELS, AGENCY_KINDS, type Agency } from "@accord/domain";
import { Anchor, Box, Button, Card, Group, MultiSelect, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { useAgencies } from "../../api/hooks";
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

const KIND_OPTIONS = AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }));

function Row({ a }: { a: Agency }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {a.name}
        </Text>
      </Table.Td>
      <Table.Td>{AGENCY_KIND_LABELS[a.kind]}</Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/agencies?jurisdiction=${a.jurisdiction.slug}`} size="sm">
          {a.jurisdiction.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{a.jurisdiction.stateCode}</Table.Td>
      <Table.Td>
        {a.matterCount > 0 ? (
          <Anchor
            component={Link}
            to={`/matters?agency=${a.slug}`}
            size="sm"
            aria-label={`${a.matterCount} matters of ${a.name}`}
          >
            {a.matterCount}
          </Anchor>
        ) : (
          <Text span size="sm" c="dimmed">
            0
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/agencies/${a.slug}/edit`} size="sm" aria-label={`Edit ${a.name}`}>
          Edit
        </Anchor>
      </Table.Td>
    </Table.Tr>
  );
}

export function AgenciesPage() {
  const { params, update } = useUrlState();
  const [stateValue, setState] = useUrlList("state");
  const [kindValue, setKind] = useUrlList("kind");
  const sort = params.get("sort") ?? "name";
  const query = {
    q: params.get("q") ?? undefined,
    state: readList(params, "state"),
    kind: readList(params, "kind"),
    jurisdiction: params.get("jurisdiction") ?? undefined,
    sort,
    limit: readInt(params, "limit", 50),
    offset: readInt(params, "offset", 0),
  };
  const { data, error, isPending, isPlaceholderData, refetch } = useAgencies(query);
  const filtered = Boolean(query.q || query.state.length || query.kind.length || query.jurisdiction);
  return (
    <>
      <PageTitle
        title="Agencies"
        subtitle="Police departments, sheriff's offices and other agencies that are party to matters"
        actions={
          <Button component={Link} to="/agencies/new" leftSection={<IconPlus size={16} />}>
            New agency
          </Button>
        }
      />
      <Card withBorder padding="sm" mb="md">
        <Group align="flex-end" gap="md" wrap="wrap" component="form" aria-label="Filter agencies">
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
            w={240}
          />
          {query.jurisdiction ? (
            <Button size="compact-sm" variant="light" mb={6} onClick={() => update({ jurisdiction: null })}>
              Jurisdiction: {query.jurisdiction} ×
            </Button>
          ) : null}
        </Group>
      </Card>
      {error ? (
        <ProblemAlert error={error} onRetry={() => refetch()} />
      ) : isPending ? (
        <TableSkeleton />
      ) : data.items.length === 0 ? (
        <Card withBorder>
          <Empty title={filtered ? "No agencies match these filters" : "No agencies yet"} />
        </Card>
      ) : (
        <Stack gap="sm">
          <Pager
            total={data.total}
            limit={data.limit}
            offset={data.offset}
            noun="agencies"
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
                aria-label="Agencies"
              >
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh field="name" sort={sort} onSort={(s) => update({ sort: s })}>
                      Name
                    </SortableTh>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Jurisdiction</Table.Th>
                    <Table.Th>State</Table.Th>
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
                  {data.items.map((a) => (
                    <Row key={a.id} a={a} />
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
