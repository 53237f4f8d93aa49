import { formatPartialDate, MATTER_KIND_LABELS, type MatterListItem } from "@accord/domain";
import { Anchor, Box, Button, Card, Collapse, Flex, Table, Text } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { Link } from "react-router";
import { toSearch } from "../../api/client";
import { useMatters } from "../../api/hooks";
import { useCan, useCurrentUser } from "../../api/session";
import { MatterStatusBadge } from "../../components/AsOf";
import { IconDownload } from "../../components/icons";
import { ListResults, ListTable, NewButton } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { SortableTh } from "../../components/SortableTh";
import { asOfQuery, useAsOf } from "../../lib/as-of";
import { useUrlState } from "../../lib/url-state";
import { MatterFacets } from "./MatterFacets";
import {
  CLEARED_MATTER_FILTERS,
  hasFilters,
  MATTER_LIST_KEYS,
  matterFilters,
  matterListQuery,
} from "./matter-query";

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
        <MatterStatusBadge status={m.status} statusAsOf={m.statusAsOf} size="sm" />
      </Table.Td>
      <Table.Td>{m.jurisdiction.stateCode}</Table.Td>
      <Table.Td miw={100}>
        <Anchor component={Link} to={`/jurisdictions/${m.jurisdiction.slug}`} fz="xs">
          {m.jurisdiction.name}
        </Anchor>
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.openedOn)}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.agreementOn)}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.enteredOn)}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.endedOn)}</Table.Td>
    </Table.Tr>
  );
}

/**
 * The empty list's title when no filter is set: a monitor with no matter is told why, rather
 * than shown an empty registry.
 */
const EMPTY_TITLES: Record<string, string> = {
  monitor: "No matters are assigned to you yet",
  anonymous: "No matters are published for public reading yet",
};

/** What the list holds for whom: monitors read only their matters, anonymous visitors the public ones. */
function listSubtitle(role: string | null): string {
  if (role === null) return "The matters published for public reading. Sign in to see the whole registry.";
  if (role === "monitor") return "The matters you are assigned to monitor";
  return "Every federal activity with a local agency: investigations, decrees, agreements, grants, task forces";
}

export function MattersPage() {
  const { params, update } = useUrlState();
  const role = useCurrentUser()?.role ?? null;
  const isMonitor = role === "monitor";
  const canWrite = useCan("registry:write");
  // As of a day: statuses as they stood then, matters not yet begun left out (the CSV too).
  const asOf = useAsOf();
  const query = { ...matterListQuery(params), ...asOfQuery(asOf) };
  const result = useMatters(query);
  const sort = params.get("sort");
  const csvHref = `/api/v1/matters.csv${toSearch({ ...matterFilters(params), ...asOfQuery(asOf) })}`;
  const filtered = hasFilters(params);
  // Side by side from 62em; narrower (a tablet upright), the facets fold above the table.
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const activeFilters = MATTER_LIST_KEYS.filter((k) => k !== "sort" && params.get(k)).length;

  return (
    <>
      <PageTitle
        title="Matters"
        subtitle={
          asOf ? `${listSubtitle(role)}. Statuses as they stood on the day chosen.` : listSubtitle(role)
        }
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
            <NewButton to="/matters/new">New matter</NewButton>
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
        <Box style={{ flex: 1, minWidth: 0 }} w="100%">
          <ListResults
            result={result}
            noun="matters"
            filtered={filtered}
            skeletonRows={12}
            emptyTitle={filtered ? undefined : EMPTY_TITLES[role ?? "anonymous"]}
            emptyHint={
              filtered ? (
                <Button variant="light" size="xs" mt="xs" onClick={() => update(CLEARED_MATTER_FILTERS)}>
                  Clear all filters
                </Button>
              ) : isMonitor ? (
                "An administrator assigns monitors to matters."
              ) : canWrite ? (
                "Create the first one with “New matter”."
              ) : null
            }
            pagerBelow
            cappedNote={
              params.get("q") && !sort
                ? `More than ${result.data?.total.toLocaleString("en-US")} matters match: the best matches among the ${result.data?.total.toLocaleString("en-US")} latest opened come first. Add a word or a filter to narrow the search, or sort by a column.`
                : `More than ${result.data?.total.toLocaleString("en-US")} matters match: the list stops counting there. Add a filter to count them exactly.`
            }
            footer={
              <Text size="xs" c="dimmed">
                Dates keep the precision of their sources: “2015” means only the year is known.
              </Text>
            }
          >
            {(items) => (
              <ListTable
                fz="xs"
                verticalSpacing={4}
                aria-label="Matters"
                head={COLUMNS.map((c) => (
                  <SortableTh key={c.field} field={c.field} sort={sort} defaultDescending={c.date}>
                    {c.label}
                  </SortableTh>
                ))}
              >
                {items.map((m) => (
                  <MatterRow key={m.id} m={m} />
                ))}
              </ListTable>
            )}
          </ListResults>
        </Box>
      </Flex>
    </>
  );
}
