import {
  EVENT_KIND_LABELS,
  type Event,
  formatPartialDate,
  MATTER_KIND_LABELS,
  MATTER_STATUS_LABELS,
  type Matter,
  type Review,
} from "@accord/domain";
import {
  Alert,
  Badge,
  Card,
  Checkbox,
  Grid,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useMatter } from "../../api/hooks";
import { compareEvents, EventDate } from "../../components/EventDate";
import { IconAlert, IconCheck } from "../../components/icons";
import { ProblemAlert } from "../../components/ProblemAlert";
import { eventStatusLabel } from "../../components/StatusBadge";
import { formatDay, personName } from "../../lib/audit";
import { plural } from "./review-labels";

/*
 * The matter as reviewed: the copy of the matter kept when the review was approved, beside the
 * matter as it stands today, so that an official sees what the review rested on and what has
 * changed since.
 */

type Snapshot = Partial<Matter>;

const PRE_LINE = { whiteSpace: "pre-line" } as const;

const text = (v: string | null | undefined) => (v ?? "").trim();

/** The facts compared, in the order the matter's page shows them. */
const FACTS: { label: string; read: (m: Snapshot) => string }[] = [
  { label: "Title", read: (m) => text(m.title) },
  { label: "Kind", read: (m) => (m.kind ? MATTER_KIND_LABELS[m.kind] : "") },
  { label: "Status", read: (m) => (m.status ? MATTER_STATUS_LABELS[m.status] : "") },
  { label: "Status note", read: (m) => text(m.statusNote) },
  {
    label: "Jurisdiction",
    read: (m) => (m.jurisdiction ? `${m.jurisdiction.name}, ${m.jurisdiction.stateCode}` : ""),
  },
  { label: "Agencies", read: (m) => (m.agencies ?? []).map((a) => a.name).join("\n") },
  { label: "Authority", read: (m) => text(m.authority) },
  { label: "Court", read: (m) => text(m.court) },
  { label: "Case number", read: (m) => text(m.caseNumber) },
  { label: "Judge", read: (m) => text(m.judge) },
  { label: "Monitor", read: (m) => text(m.monitor) },
  { label: "Opened", read: (m) => formatPartialDate(m.openedOn) },
  { label: "Findings", read: (m) => formatPartialDate(m.findingsOn) },
  { label: "Agreement", read: (m) => formatPartialDate(m.agreementOn) },
  { label: "Entered", read: (m) => formatPartialDate(m.enteredOn) },
  { label: "Ended", read: (m) => formatPartialDate(m.endedOn) },
  { label: "Summary", read: (m) => text(m.summary) },
  { label: "Sources", read: (m) => (m.sources ?? []).map((s) => s.citation).join("\n") },
  { label: "Related matters", read: (m) => (m.related ?? []).map((r) => r.title).join("\n") },
];

/** What an event's comparison looks at, in words: "date", "status"… */
const EVENT_FIELDS: { label: string; read: (e: Event) => string }[] = [
  { label: "date", read: (e) => `${formatPartialDate(e.date)}${e.time ? `, ${e.time}` : ""}` },
  { label: "moved to", read: (e) => formatPartialDate(e.newDate) },
  { label: "status", read: (e) => (e.status ? eventStatusLabel(e.status) : "") },
  { label: "kind", read: (e) => EVENT_KIND_LABELS[e.kind] ?? e.kind },
  { label: "title", read: (e) => text(e.title) },
  { label: "description", read: (e) => text(e.description) },
];

type EventChange =
  | { kind: "same" }
  | { kind: "added" }
  | { kind: "removed" }
  | { kind: "changed"; fields: string[] };

function eventChanges(before: Event[], after: Event[]) {
  const was = new Map(before.map((e) => [e.id, e]));
  const now = new Map(after.map((e) => [e.id, e]));
  const change = new Map<string, EventChange>();
  for (const e of after) {
    const old = was.get(e.id);
    if (!old) change.set(e.id, { kind: "added" });
    else {
      const fields = EVENT_FIELDS.filter((f) => f.read(old) !== f.read(e)).map((f) => f.label);
      change.set(e.id, fields.length ? { kind: "changed", fields } : { kind: "same" });
    }
  }
  for (const e of before) if (!now.has(e.id)) change.set(e.id, { kind: "removed" });
  return change;
}

const CHANGE_COLORS = { added: "teal", removed: "red", changed: "orange" } as const;

function ChangeBadge({ change }: { change: EventChange | undefined }) {
  if (!change || change.kind === "same") return null;
  const label =
    change.kind === "added"
      ? "New since approval"
      : change.kind === "removed"
        ? "Removed since approval"
        : `Changed: ${change.fields.join(", ")}`;
  return (
    <Badge color={CHANGE_COLORS[change.kind]} variant="light" size="xs" radius="sm" tt="none">
      {label}
    </Badge>
  );
}

function EventList({
  label,
  events,
  changes,
  onlyChanged,
}: {
  label: string;
  events: Event[];
  changes: Map<string, EventChange>;
  onlyChanged: boolean;
}) {
  const shown = onlyChanged ? events.filter((e) => changes.get(e.id)?.kind !== "same") : events;
  if (shown.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {onlyChanged ? "Nothing changed." : "No events recorded."}
      </Text>
    );
  return (
    <Timeline bulletSize={12} lineWidth={2} active={-1} aria-label={label}>
      {shown.map((e) => {
        const change = changes.get(e.id);
        return (
          <Timeline.Item
            key={e.id}
            color={change && change.kind !== "same" ? CHANGE_COLORS[change.kind] : undefined}
            title={
              <Text fw={600} size="sm" lh={1.3}>
                {e.title}
              </Text>
            }
          >
            <Group gap={6} mt={2} wrap="wrap">
              <Text size="xs" c="dimmed">
                <EventDate event={e} size="xs" /> · {EVENT_KIND_LABELS[e.kind] ?? e.kind}
                {e.status ? ` · ${eventStatusLabel(e.status)}` : ""}
              </Text>
              <ChangeBadge change={change} />
            </Group>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

function Comparison({ review, snapshot, today }: { review: Review; snapshot: Snapshot; today: Matter }) {
  const [onlyChanged, setOnlyChanged] = useState(false);
  const facts = FACTS.map((f) => ({ ...f, before: f.read(snapshot), after: f.read(today) })).filter(
    (f) => f.before || f.after,
  );
  const changedFacts = facts.filter((f) => f.before !== f.after);
  const before = [...(snapshot.events ?? [])].sort(compareEvents);
  const after = [...today.events].sort(compareEvents);
  const changes = eventChanges(before, after);
  const changedEvents = [...changes.values()].filter((c) => c.kind !== "same").length;
  const approved = review.approvedAt ? formatDay(review.approvedAt) : "approval";
  const nothing = changedFacts.length === 0 && changedEvents === 0;
  return (
    <Stack gap="md">
      {nothing ? (
        <Alert color="teal" variant="light" icon={<IconCheck />} title="Unchanged since approval">
          <Text size="sm">
            The matter's facts and timeline are as they were when the review was approved.
          </Text>
        </Alert>
      ) : (
        <Alert color="yellow" variant="light" icon={<IconAlert />} title="Changed since approval">
          <Text size="sm">
            {`Since the review was approved on ${approved}${review.approvedBy ? ` by ${personName(review.approvedBy)}` : ""}: `}
            {`${plural(changedFacts.length, "fact")} and ${plural(changedEvents, "event")} changed.`}
          </Text>
        </Alert>
      )}
      <Checkbox
        label="Show only what changed"
        checked={onlyChanged}
        onChange={(e) => setOnlyChanged(e.currentTarget.checked)}
      />
      <Card withBorder padding="md" component="section" aria-labelledby="snapshot-facts-h">
        <Title order={2} size="h5" id="snapshot-facts-h" mb="sm">
          Facts
        </Title>
        <Table verticalSpacing={6} aria-labelledby="snapshot-facts-h" className="accord-snapshot">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={150}>Fact</Table.Th>
              <Table.Th>{`As reviewed (approved ${approved})`}</Table.Th>
              <Table.Th>Today</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(onlyChanged ? changedFacts : facts).map((f) => {
              const changed = f.before !== f.after;
              // Long texts that did not change are cut short: the changes are what is read here.
              const long = f.label === "Summary" || f.label === "Sources";
              return (
                <Table.Tr key={f.label} data-changed={changed || undefined}>
                  <Table.Th scope="row" fw={600} style={{ verticalAlign: "top" }}>
                    <Text size="sm" fw={600}>
                      {f.label}
                    </Text>
                    {changed ? (
                      <Badge color="orange" variant="light" size="xs" radius="sm" tt="none">
                        Changed
                      </Badge>
                    ) : null}
                  </Table.Th>
                  <Table.Td style={{ verticalAlign: "top" }}>
                    <Text size="sm" lineClamp={long && !changed ? 3 : undefined} style={PRE_LINE}>
                      {f.before || "—"}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: "top" }}>
                    <Text size="sm" lineClamp={long && !changed ? 3 : undefined} style={PRE_LINE}>
                      {f.after || "—"}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
            {onlyChanged && changedFacts.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>
                  <Text size="sm" c="dimmed">
                    No fact changed.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Card>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="md" component="section" aria-labelledby="snapshot-timeline-h" h="100%">
            <Title order={2} size="h5" id="snapshot-timeline-h" mb="sm">
              {`Timeline as reviewed (${before.length})`}
            </Title>
            <EventList
              label="Timeline as reviewed"
              events={before}
              changes={changes}
              onlyChanged={onlyChanged}
            />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="md" component="section" aria-labelledby="today-timeline-h" h="100%">
            <Title order={2} size="h5" id="today-timeline-h" mb="sm">
              {`Timeline today (${after.length})`}
            </Title>
            <EventList label="Timeline today" events={after} changes={changes} onlyChanged={onlyChanged} />
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** The review's "Matter as reviewed" tab: the matter kept at approval beside the matter today. */
export function SnapshotCompare({ review }: { review: Review }) {
  const today = useMatter(review.matter.slug);
  const snapshot = review.snapshot as Snapshot | null;
  if (review.status !== "approved" || !snapshot) {
    return (
      <Alert color="gray" variant="light" title="Not approved">
        <Text size="sm">The matter is kept as it stood when the review is approved; this review is not.</Text>
      </Alert>
    );
  }
  if (today.isPending) return <Skeleton height={400} />;
  if (today.error) return <ProblemAlert error={today.error} onRetry={() => today.refetch()} />;
  return <Comparison review={review} snapshot={snapshot} today={today.data} />;
}
