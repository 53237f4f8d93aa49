import { formatPartialDate, MATTER_KIND_LABELS, type MatterListItem } from "@accord/domain";
import { Anchor, Box, Button, Card, Collapse, Flex, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { Link } from "react-router";
import { toSearch } from "../../api/client";
import { useMatters } from "../../api/hooks";
import { Empty } from "../../components/Empty";
import { IconDownload, IconPlus } from "../../components/icons";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SortableTh } from "../../components/SortableTh";
import { StatusBadge } from "../../components/StatusBadge";
import { TableSkeleton } from "../../components/TableSkeleton";
import { useUrlState } from "../../lib/url-state";
import { MatterFacets } from "./MatterFacets";
import { hasFilters, MATTER_LIST_KEYS, matterFilters, matterListQuery } from "./matter-query";

const COLUMNS: { field: string; label: string; date?: boolean }[] = [
  { field: "title", label: "Title" },
  { field: "kind", label: "Kind" },
  { field: "status", label: "Status" },
  { field: "state", label: "State" },
  { field: "jurisdiction", label: "Jurisdiction" },
  { field: "openedOn", label: "Opened", date: true },
  { field: "agreementOn", label: "Agreement", date: true },
  { field: "enteredOn", label: "Entered", date: true },
  { field: "endedOn", label: "Ended", date: true },
];

function MatterRow({ m }: { m: MatterListItem }) {
  return (
    <Table.Tr>
      <Table.Td miw={220} maw={320}>
        <Anchor component={Link} to={`/matters/${m.slug}`} fz="xs" fw={600} lh={1.35}>
          {m.title}
        </Anchor>
      </Table.Td>
      <Table.Td miw={120}>{MATTER_KIND_LABELS[m.kind]}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>
        <StatusBadge status={m.status} size="sm" />
      </Table.Td>
      <Table.Td>{m.jurisdiction.stateCode}</Table.Td>
      <Table.Td miw={100}>{m.jurisdiction.name}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.openedOn)}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.agreementOn)}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.enteredOn)}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.endedOn)}</Table.Td>
    </Table.Tr>
  );
}

export function MattersPage() {
  const { params, update } = useUrlState();
  const query = matterListQuery(params);
  const { data, error, isPending, isPlaceholderData, refetch } = useMatters(query);
  const sort = params.get("sort");
  const csvHref = `/api/v1/matters.csv${toSearch(matterFilters(params))}`;
  const filtered = hasFilters(params);
  // Side by side from 62em; narrower (a tablet upright), the facets fold above the table.
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const activeFilters = MATTER_LIST_KEYS.filter((k) => k !== "sort" && params.get(k)).length;

  return (
    <>
      <PageTitle
        title="Matters"
        subtitle="Every federal activity with a local agency: investigations, decrees, agreements, grants, task forces"
        actions={
          <>
            <Button
              component="a"
              href={csvHref}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              Download CSV
            </Button>
            <Button component={Link} to="/matters/new" leftSection={<IconPlus size={16} />}>
              New matter
            </Button>
          </>
        }
      />
      <Flex gap="md" align="flex-start" direction={{ base: "column", md: "row" }}>
        <Card
          withBorder
          padding="sm"
          w={{ base: "100%", md: 230 }}
          style={{ flexShrink: 0 }}
          component="aside"
          aria-label="Filters"
        >
          {wide ? (
            <MatterFacets />
          ) : (
            <>
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={toggleFilters}
                aria-expanded={filtersOpen}
                aria-controls="matter-facets"
              >
                {filtersOpen
                  ? "Hide filters"
                  : `Show filters${activeFilters ? ` (${activeFilters} set)` : ""}`}
              </Button>
              <Collapse expanded={filtersOpen} id="matter-facets">
                <Box pt="sm">
                  <MatterFacets />
                </Box>
              </Collapse>
            </>
          )}
        </Card>
        <Stack gap="sm" style={{ flex: 1, minWidth: 0 }} w="100%">
          {error ? (
            <ProblemAlert error={error} onRetry={() => refetch()} />
          ) : isPending ? (
            <TableSkeleton rows={12} />
          ) : data.items.length === 0 ? (
            <Card withBorder>
              <Empty title={filtered ? "No matters match these filters" : "No matters yet"}>
                {filtered ? (
                  <Button
                    variant="light"
                    size="xs"
                    mt="xs"
                    onClick={() =>
                      update({
                        q: null,
                        kind: null,
                        status: null,
                        state: null,
                        agencyKind: null,
                        jurisdiction: null,
                        from: null,
                        to: null,
                      })
                    }
                  >
                    Clear all filters
                  </Button>
                ) : (
                  "Create the first one with “New matter”."
                )}
              </Empty>
            </Card>
          ) : (
            <>
              <Pager
                total={data.total}
                limit={data.limit}
                offset={data.offset}
                noun="matters"
                onChange={(p) => update(p, { keepOffset: true })}
              />
              <Box
                style={{ opacity: isPlaceholderData ? 0.6 : 1, transition: "opacity 120ms" }}
                aria-busy={isPlaceholderData}
              >
                <ScrollArea type="auto">
                  <Table
                    striped
                    highlightOnHover
                    withTableBorder
                    className="accord-table"
                    fz="xs"
                    verticalSpacing={4}
                    aria-label="Matters"
                  >
                    <Table.Thead>
                      <Table.Tr>
                        {COLUMNS.map((c) => (
                          <SortableTh
                            key={c.field}
                            field={c.field}
                            sort={sort}
                            defaultDescending={c.date}
                            onSort={(next) => update({ sort: next })}
                          >
                            {c.label}
                          </SortableTh>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.items.map((m) => (
                        <MatterRow key={m.id} m={m} />
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </Box>
              {data.total > data.limit ? (
                <Pager
                  total={data.total}
                  limit={data.limit}
                  offset={data.offset}
                  noun="matters"
                  onChange={(p) => update(p, { keepOffset: true })}
                />
              ) : null}
              <Text size="xs" c="dimmed">
                Dates keep the precision of their sources: “2015” means only the year is known.
              </Text>
            </>
          )}
        </Stack>
      </Flex>
    </>
  );
}
