import {
  AGENCY_KIND_LABELS,
  type Criterion,
  EVENT_KIND_LABELS,
  type Event,
  formatPartialDate,
  MATTER_KIND_LABELS,
  type Matter,
} from "@accord/domain";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Skeleton,
  Spoiler,
  Stack,
  Text,
  Timeline,
  Title,
} from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useMatter } from "../../api/hooks";
import { compareEvents, EventDate } from "../../components/EventDate";
import { IconExternal } from "../../components/icons";
import { ProblemAlert } from "../../components/ProblemAlert";
import { EventStatusBadge, StatusBadge } from "../../components/StatusBadge";

/** What a citation of an event says: its date and title. */
export function eventLabel(e: Pick<Event, "date" | "title">): string {
  return `${formatPartialDate(e.date)} — ${e.title}`;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === "") return null;
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lh={1.4}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function Facts({ m }: { m: Matter }) {
  const dates: [string, string | null][] = [
    ["Opened", m.openedOn],
    ["Findings", m.findingsOn],
    ["Agreement", m.agreementOn],
    ["Entered", m.enteredOn],
    ["Ended", m.endedOn],
  ];
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge variant="outline" color="gray" radius="sm" tt="none">
          {MATTER_KIND_LABELS[m.kind]}
        </Badge>
        <StatusBadge status={m.status} />
      </Group>
      {m.statusNote ? (
        <Text size="xs" c="dimmed">
          {m.statusNote}
        </Text>
      ) : null}
      <Fact label="Jurisdiction">
        {m.jurisdiction.name}, {m.jurisdiction.stateCode}
      </Fact>
      <Fact label={m.agencies.length === 1 ? "Agency" : "Agencies"}>
        {m.agencies.length
          ? m.agencies.map((a) => (
              <div key={a.id}>
                {a.name}{" "}
                <Text span size="xs" c="dimmed">
                  ({AGENCY_KIND_LABELS[a.kind]})
                </Text>
              </div>
            ))
          : null}
      </Fact>
      <Fact label="Authority">{m.authority}</Fact>
      <Fact label="Court">{m.court}</Fact>
      <Fact label="Case number">{m.caseNumber}</Fact>
      <Fact label="Judge">{m.judge}</Fact>
      <Fact label="Monitor">{m.monitor}</Fact>
      <Group gap="md" wrap="wrap" aria-label="Key dates">
        {dates
          .filter(([, v]) => v)
          .map(([label, value]) => (
            <Fact key={label} label={label}>
              {formatPartialDate(value)}
            </Fact>
          ))}
      </Group>
      {m.summary ? (
        <Spoiler maxHeight={72} showLabel="Show the whole summary" hideLabel="Show less">
          <Text size="sm" style={{ whiteSpace: "pre-line" }}>
            {m.summary}
          </Text>
        </Spoiler>
      ) : null}
    </Stack>
  );
}

/**
 * The matter under review, beside the form: its key facts and its timeline. When the review can
 * be edited, each event can be cited on a criterion from here.
 */
export function MatterPanel({
  slug,
  criteria,
  onCite,
  isCited,
}: {
  slug: string;
  criteria: readonly Criterion[];
  /** Cite the event on a criterion; absent when the review cannot be edited. */
  onCite?: (code: string, event: Event) => void;
  isCited: (code: string, eventId: string) => boolean;
}) {
  const query = useMatter(slug);
  if (query.isPending) return <Skeleton height={420} />;
  if (query.error) return <ProblemAlert error={query.error} onRetry={() => query.refetch()} />;
  const m = query.data;
  const events = [...m.events].sort(compareEvents);
  return (
    <Stack gap="md">
      <Card withBorder padding="md" component="section" aria-labelledby="matter-facts-h">
        <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
          <Title order={2} size="h5" id="matter-facts-h">
            The matter
          </Title>
          <Anchor component={Link} to={`/matters/${m.slug}`} size="xs" target="_blank">
            Open <IconExternal size={11} />
          </Anchor>
        </Group>
        <Facts m={m} />
      </Card>
      <Card withBorder padding="md" component="section" aria-labelledby="matter-timeline-h">
        <Title order={2} size="h5" id="matter-timeline-h" mb="sm">
          {`Timeline (${events.length})`}
        </Title>
        {events.length === 0 ? (
          <Text size="sm" c="dimmed">
            No events recorded.
          </Text>
        ) : (
          <Timeline bulletSize={12} lineWidth={2} active={-1} aria-label="Matter timeline">
            {events.map((e) => (
              <Timeline.Item
                key={e.id}
                title={
                  <Text fw={600} size="sm" lh={1.3}>
                    {e.title}
                  </Text>
                }
              >
                <Group gap={6} mt={2} wrap="wrap">
                  <Text size="xs" c="dimmed">
                    <EventDate event={e} size="xs" /> · {EVENT_KIND_LABELS[e.kind]}
                  </Text>
                  {e.status ? <EventStatusBadge status={e.status} /> : null}
                  {onCite && criteria.length > 0 ? (
                    <Menu position="bottom-start" withinPortal shadow="sm">
                      <Menu.Target>
                        <Button size="compact-xs" variant="subtle" aria-label={`Cite “${e.title}”`}>
                          Cite…
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Label>Cite on</Menu.Label>
                        {criteria.map((c) => (
                          <Menu.Item
                            key={c.code}
                            disabled={isCited(c.code, e.id)}
                            onClick={() => onCite(c.code, e)}
                          >
                            {c.code} {c.title.length > 48 ? `${c.title.slice(0, 47)}…` : c.title}
                            {isCited(c.code, e.id) ? " (cited)" : ""}
                          </Menu.Item>
                        ))}
                      </Menu.Dropdown>
                    </Menu>
                  ) : null}
                </Group>
                {e.description ? (
                  <Text size="xs" mt={2} lineClamp={3}>
                    {e.description}
                  </Text>
                ) : null}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Card>
    </Stack>
  );
}

/** The matter's events as options for a citation picker (newest last, like the timeline). */
export function useEventOptions(slug: string) {
  const query = useMatter(slug);
  const events = [...(query.data?.events ?? [])].sort(compareEvents);
  return { events, isPending: query.isPending };
}
