import {
  type Dashboard,
  EVENT_KIND_LABELS,
  type Event,
  formatPartialDate,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  MATTER_STATUS_LABELS,
} from "@accord/domain";
import {
  Anchor,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { lazy, type ReactNode, Suspense } from "react";
import { Link, useNavigate } from "react-router";
import { useDashboard } from "../../api/hooks";
import { useCurrentUser } from "../../api/session";
import { Empty } from "../../components/Empty";
import { EventDate } from "../../components/EventDate";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { EventStatusBadge, StatusBadge } from "../../components/StatusBadge";
import { useAsOf } from "../../lib/as-of";
import { MoneyPanel } from "../grants/MoneyPanel";
import { SinceLastVisit } from "../notifications/SinceLastVisit";
import { DeadlinesPanel } from "../provisions/DeadlinesPanel";
import { PerYearChart } from "./PerYearChart";

const UsMap = lazy(() => import("./UsMap"));

function Panel({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function Stat({ label, value, to }: { label: string; value: number; to: string }) {
  return (
    <Card withBorder padding="sm" radius="md" component={Link} to={to} style={{ textDecoration: "none" }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} fz={28} lh={1.2}>
        {value.toLocaleString("en-US")}
      </Text>
    </Card>
  );
}

function CountTable({
  rows,
  caption,
}: {
  rows: { key: string; label: ReactNode; count: number; to: string; name: string }[];
  caption: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  if (rows.length === 0) return <Empty title="No matters yet" />;
  return (
    <Table className="accord-table" verticalSpacing={4}>
      <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
        <Text span size="xs" c="dimmed">
          {caption}
        </Text>
      </Table.Caption>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td>
              <Anchor component={Link} to={r.to} size="sm" aria-label={`${r.name}: ${r.count} matters`}>
                {r.label}
              </Anchor>
            </Table.Td>
            <Table.Td w="35%">
              <Progress value={(r.count / max) * 100} size="sm" aria-hidden="true" />
            </Table.Td>
            <Table.Td ta="right" w={48} fw={600}>
              {r.count}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function EventLine({ event, showStatus }: { event: Event; showStatus?: boolean }) {
  return (
    <Stack gap={0}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Text size="xs" c="dimmed">
          {/* A postponed hearing at its new date, the old one struck through. */}
          <EventDate event={event} size="xs" /> · {EVENT_KIND_LABELS[event.kind]}
        </Text>
        {showStatus && event.status ? <EventStatusBadge status={event.status} /> : null}
      </Group>
      <Text size="sm" fw={500} lineClamp={2}>
        {event.title}
      </Text>
      {event.matter ? (
        <Anchor component={Link} to={`/matters/${event.matter.slug}/timeline`} size="xs">
          {event.matter.title}
        </Anchor>
      ) : (
        <Text size="xs" c="dimmed">
          Department-wide record
        </Text>
      )}
    </Stack>
  );
}

function DashboardBody({ data }: { data: Dashboard }) {
  const navigate = useNavigate();
  // Every kind is counted, none left out for having no matter (a zero says so).
  const kindCounts = new Map(data.byKind.map((k) => [k.kind, k.count]));
  const byKind = MATTER_KINDS.map((kind) => ({ kind, count: kindCounts.get(kind) ?? 0 })).sort(
    (a, b) => b.count - a.count,
  );
  const byStatus = [...data.byStatus].filter((s) => s.count > 0).sort((a, b) => b.count - a.count);
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
        <Stat label="Matters" value={data.totals.matters} to="/matters" />
        <Stat label="Jurisdictions" value={data.totals.jurisdictions} to="/jurisdictions" />
        <Stat label="Agencies" value={data.totals.agencies} to="/agencies" />
        <Stat label="Events" value={data.totals.events} to="/events" />
        <Stat label="Places with money at risk" value={data.atRiskJurisdictions} to="/grants/at-risk" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Panel title="Matters by state" id="map-title">
          <Suspense fallback={<Skeleton height={360} />}>
            <UsMap byState={data.byState} onSelect={(code) => navigate(`/matters?state=${code}`)} />
          </Suspense>
        </Panel>
        <Panel title="Matters per year" id="chart-title">
          <PerYearChart perYear={data.perYear} asOf={data.asOf} />
        </Panel>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Panel title="By kind" id="kind-title">
          <CountTable
            caption="Select a kind to list its matters"
            rows={byKind.map((k) => ({
              key: k.kind,
              name: MATTER_KIND_LABELS[k.kind],
              label: MATTER_KIND_LABELS[k.kind],
              count: k.count,
              to: `/matters?kind=${k.kind}`,
            }))}
          />
        </Panel>
        <Panel title="By status" id="status-title">
          <CountTable
            caption="Select a status to list its matters"
            rows={byStatus.map((s) => ({
              key: s.status,
              name: MATTER_STATUS_LABELS[s.status],
              label: <StatusBadge status={s.status} style={{ cursor: "pointer" }} />,
              count: s.count,
              to: `/matters?status=${s.status}`,
            }))}
          />
        </Panel>
      </SimpleGrid>
      <Panel title="Grant money by program and year" id="money-title">
        <MoneyPanel rows={data.money} what="every place" />
        <Anchor component={Link} to="/grants" size="sm" mt="xs" display="inline-block">
          All grants →
        </Anchor>
      </Panel>
      <DeadlinesPanel />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Panel title="Upcoming hearings" id="hearings-title">
          {data.upcomingHearings.length === 0 ? (
            <Empty title="No upcoming hearings">Hearings scheduled on any matter will show here.</Empty>
          ) : (
            <Stack gap="sm">
              {data.upcomingHearings.map((e) => (
                <EventLine key={e.id} event={e} showStatus />
              ))}
            </Stack>
          )}
        </Panel>
        <Panel title="Recent events" id="events-title">
          {data.recentEvents.length === 0 ? (
            <Empty title="No events yet" />
          ) : (
            <Stack gap="sm">
              {data.recentEvents.map((e) => (
                <EventLine key={e.id} event={e} />
              ))}
              <Anchor component={Link} to="/events" size="sm">
                All events →
              </Anchor>
            </Stack>
          )}
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}

export function DashboardPage() {
  const asOf = useAsOf();
  const { data, error, isPending, refetch } = useDashboard(asOf);
  // A monitor reads only their matters: with none, the dashboard says so instead of zeros.
  const unassignedMonitor = useCurrentUser()?.role === "monitor" && data?.totals.matters === 0;
  return (
    <>
      <PageTitle
        title="Dashboard"
        subtitle={
          asOf
            ? `Federal agreements and activities with local law enforcement as they stood on ${formatPartialDate(asOf)}`
            : "Federal agreements and activities with local law enforcement, at a glance"
        }
      />
      {isPending ? (
        <Stack>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {[1, 2, 3, 4].map((i) => (
              <Skeleton key={i} height={72} />
            ))}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Skeleton height={380} />
            <Skeleton height={380} />
          </SimpleGrid>
        </Stack>
      ) : error ? (
        <ProblemAlert error={error} onRetry={() => refetch()} />
      ) : unassignedMonitor ? (
        <Card withBorder>
          <Empty title="No matters are assigned to you yet">
            An administrator assigns monitors to matters.
          </Empty>
        </Card>
      ) : (
        <Stack gap="md">
          {asOf ? null : <SinceLastVisit />}
          <DashboardBody data={data} />
        </Stack>
      )}
    </>
  );
}
