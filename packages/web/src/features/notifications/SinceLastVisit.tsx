import { Anchor, Button, Card, Group, ScrollArea, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useMarkVisit, useSinceLastVisit } from "../../api/notifications";
import { useCurrentUser } from "../../api/session";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime } from "../../lib/audit";

/** The dashboard's "what changed since my last visit": others' changes to what the user may read. */
export function SinceLastVisit() {
  const user = useCurrentUser();
  const changes = useSinceLastVisit(user !== null);
  const mark = useMarkVisit();
  if (!user) return null;
  const since = changes.data;
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="since-title">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={2} size="h4" id="since-title">
            What changed since your last visit
          </Title>
          <Text size="xs" c="dimmed">
            {since
              ? `Since ${formatTime(since.since)}${since.marked ? "" : " (nothing marked as seen yet)"}`
              : ""}
            {changes.data
              ? ` · ${changes.data.total} change${changes.data.total === 1 ? "" : "s"} by others`
              : ""}
          </Text>
        </div>
        <Button
          size="xs"
          variant="default"
          loading={mark.isPending}
          disabled={!changes.data?.total}
          onClick={() => mark.mutate()}
        >
          Mark as seen
        </Button>
      </Group>
      {changes.isPending ? (
        <TableSkeleton rows={3} />
      ) : changes.error ? (
        <ProblemAlert error={changes.error} onRetry={() => changes.refetch()} />
      ) : changes.data.items.length === 0 ? (
        <Empty title="Nothing has changed since">
          Changes others make to matters, events and documents show here.
        </Empty>
      ) : (
        <ScrollArea.Autosize mah={240} type="auto">
          <Table verticalSpacing={4} fz="sm" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Change</Table.Th>
                <Table.Th>Record</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>When</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.label}</Table.Td>
                  <Table.Td>
                    {c.link ? (
                      <Anchor component={Link} to={c.link} size="sm">
                        {c.title}
                      </Anchor>
                    ) : (
                      c.title
                    )}
                  </Table.Td>
                  <Table.Td>{c.actor}</Table.Td>
                  <Table.Td>{formatTime(c.at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}
