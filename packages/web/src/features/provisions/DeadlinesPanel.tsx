import { type DeadlineOccurrence, OVERDUE_DEFINITION } from "@accord/domain";
import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useDeadlines } from "../../api/provisions";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDay, provisionPath, todayIso } from "./shared";

function DeadlineLine({ d }: { d: DeadlineOccurrence }) {
  return (
    <Stack gap={0}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Text size="xs" c={d.overdue ? "red" : "dimmed"} fw={d.overdue ? 600 : 400}>
          {formatDay(d.date)}
          {d.kind === "recurring" ? " · recurring" : ""}
        </Text>
        {d.overdue ? (
          <Badge size="xs" color="red" variant="filled" radius="sm" tt="none">
            Overdue
          </Badge>
        ) : null}
      </Group>
      <Text size="sm" lineClamp={2}>
        <Anchor component={Link} to={provisionPath(d.matter.slug, d.provision)} size="sm" fw={600}>
          {d.provision.label}
        </Anchor>{" "}
        {d.duty ?? `“${d.phrase}”`}
      </Text>
      <Anchor component={Link} to={`/matters/${d.matter.slug}/provisions?view=deadlines`} size="xs">
        {d.matter.title}
      </Anchor>
    </Stack>
  );
}

function Column({
  id,
  title,
  items,
  pending,
  error,
  empty,
  more,
}: {
  id: string;
  title: string;
  items: readonly DeadlineOccurrence[];
  pending: boolean;
  error: unknown;
  empty: string;
  more?: string | null;
}) {
  return (
    <Stack gap="sm" component="section" aria-labelledby={id}>
      <Title order={3} size="h6" id={id} c="dimmed" tt="uppercase">
        {title}
      </Title>
      {error ? (
        <ProblemAlert error={error} />
      ) : pending ? (
        <Skeleton height={160} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <>
          {items.map((d) => (
            <DeadlineLine key={`${d.deadlineId}-${d.date}`} d={d} />
          ))}
          {more ? (
            <Text size="xs" c="dimmed">
              {more}
            </Text>
          ) : null}
        </>
      )}
    </Stack>
  );
}

/** The dashboard's deadlines: the next ones due, and the latest overdue, each with its provision. */
export function DeadlinesPanel() {
  const today = todayIso();
  const upcoming = useDeadlines({ from: today, limit: 6 });
  const overdueCount = useDeadlines({ overdue: "true", limit: 1 });
  const overdueTotal = overdueCount.data?.total ?? 0;
  const latestOverdue = useDeadlines(
    { overdue: "true", limit: 5, offset: Math.max(0, overdueTotal - 5) },
    overdueCount.isSuccess && overdueTotal > 0,
  );
  const nothing =
    upcoming.isSuccess && overdueCount.isSuccess && upcoming.data.total === 0 && overdueTotal === 0;
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="deadlines-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="deadlines-title">
          Deadlines
        </Title>
        <Anchor component={Link} to="/calendar?view=agenda" size="sm">
          Calendar →
        </Anchor>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {OVERDUE_DEFINITION}
      </Text>
      {nothing ? (
        <Empty title="No deadlines yet">
          Deadlines come from the provisions of accepted decrees (“within 90 days of the Effective Date”).
        </Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Column
            id="deadlines-upcoming"
            title="Upcoming"
            items={upcoming.data?.items ?? []}
            pending={upcoming.isPending}
            error={upcoming.error}
            empty="Nothing due from today on."
            more={
              upcoming.data && upcoming.data.total > upcoming.data.items.length
                ? `${upcoming.data.total.toLocaleString("en-US")} due in the next two years`
                : null
            }
          />
          <Column
            id="deadlines-overdue"
            title={overdueTotal ? `Overdue (${overdueTotal.toLocaleString("en-US")})` : "Overdue"}
            items={[...(latestOverdue.data?.items ?? [])].reverse()}
            pending={overdueCount.isPending || (overdueTotal > 0 && latestOverdue.isPending)}
            error={overdueCount.error ?? latestOverdue.error}
            empty="Nothing overdue."
            more={overdueTotal > 5 ? "The latest five; each matter's Provisions tab lists them all." : null}
          />
        </SimpleGrid>
      )}
    </Card>
  );
}
