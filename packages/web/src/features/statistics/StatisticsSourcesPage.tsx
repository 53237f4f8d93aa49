import { Anchor, Badge, Group, SegmentedControl, Skeleton, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";
import { useStatMatches } from "../../api/statistics";
import { Empty } from "../../components/Empty";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";

/**
 * The match table: every place a bundled statistics source names, the jurisdiction it was matched
 * to (by state and exact name, never guessed) or why none was, so a missing series can be explained.
 */
export function StatisticsSourcesPage() {
  const [status, setStatus] = useState<"all" | "matched" | "unmatched">("unmatched");
  const matches = useStatMatches(status === "all" ? {} : { status });
  const items = matches.data?.items ?? [];
  return (
    <>
      <PageTitle
        title="Statistics: how places were matched"
        subtitle="Each place a bundled source names, and the jurisdiction its figures were imported for. An unmatched place's rows were not imported."
      />
      <Stack gap="sm">
        <Group>
          <SegmentedControl
            size="xs"
            aria-label="Show places"
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            data={[
              { value: "unmatched", label: "Not matched" },
              { value: "matched", label: "Matched" },
              { value: "all", label: "All" },
            ]}
          />
          <Text size="sm" c="dimmed">
            {items.length} places
          </Text>
        </Group>
        {matches.error ? <ProblemAlert error={matches.error} /> : null}
        {matches.isPending ? (
          <Skeleton height={300} />
        ) : !items.length ? (
          <Empty title="No places" />
        ) : (
          <Table striped withTableBorder stickyHeader className="accord-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Source</Table.Th>
                <Table.Th scope="col">Place in the source</Table.Th>
                <Table.Th scope="col">Key</Table.Th>
                <Table.Th scope="col">Jurisdiction</Table.Th>
                <Table.Th scope="col">How</Table.Th>
                <Table.Th scope="col" ta="right">
                  Rows
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => (
                <Table.Tr key={`${m.source}-${m.sourcePlace}`}>
                  <Table.Td>{m.source}</Table.Td>
                  <Table.Td>{m.sourceName}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {m.sourcePlace}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {m.jurisdiction ? (
                      <Anchor component={Link} to={`/jurisdictions/${m.jurisdiction.slug}`} size="sm">
                        {m.jurisdiction.name}
                      </Anchor>
                    ) : (
                      <Badge color="gray" variant="light">
                        Not matched
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{m.method}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{m.rows.toLocaleString("en-US")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </>
  );
}
