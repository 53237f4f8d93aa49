import { EVENT_KIND_LABELS, type Matter } from "@accord/domain";
import { Button, Card, Group, SegmentedControl, Stack, Text, Timeline, Title } from "@mantine/core";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useCan } from "../../api/session";
import { Empty } from "../../components/Empty";
import { compareEvents, EventDate } from "../../components/EventDate";
import { IconPlus } from "../../components/icons";
import { SourcesList } from "../../components/Sources";
import { EventStatusBadge } from "../../components/StatusBadge";
import { eventOwnSources } from "../../lib/event-sources";
import { EditEventLink } from "../events/EditEventLink";
import { EventForm } from "../events/EventForm";

export function MatterTimeline({ matter, adding }: { matter: Matter; adding: boolean }) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const newestFirst = params.get("order") === "desc";
  const events = [...matter.events].sort(compareEvents);
  if (newestFirst) events.reverse();
  const here = `/matters/${matter.slug}/timeline`;
  const canWrite = useCan("registry:write");

  return (
    <Stack gap="md">
      {adding && canWrite ? (
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="sm">
            Add event
          </Title>
          <EventForm
            matter={{ id: matter.id, slug: matter.slug, title: matter.title, public: matter.public }}
            onSaved={() => navigate(here)}
            onCancel={() => navigate(here)}
          />
        </Card>
      ) : (
        <Group justify="space-between">
          <SegmentedControl
            size="xs"
            aria-label="Order"
            value={newestFirst ? "desc" : "asc"}
            onChange={(v) =>
              setParams(
                (p) => {
                  const n = new URLSearchParams(p);
                  if (v === "desc") n.set("order", "desc");
                  else n.delete("order");
                  return n;
                },
                { replace: true },
              )
            }
            data={[
              { value: "asc", label: "Oldest first" },
              { value: "desc", label: "Newest first" },
            ]}
          />
          {canWrite ? (
            <Button component={Link} to={`${here}/new`} leftSection={<IconPlus size={16} />} size="sm">
              Add event
            </Button>
          ) : null}
        </Group>
      )}
      {events.length > 0 && matter.sources.length > 0 ? (
        <Card withBorder padding="sm" component="section" aria-labelledby="timeline-sources-h">
          <Text id="timeline-sources-h" size="sm" fw={600} mb={4}>
            The matter's sources
          </Text>
          <Text size="xs" c="dimmed" mb={4}>
            Listed once here; under an event, only the sources that are its own.
          </Text>
          <SourcesList sources={matter.sources} size="xs" />
        </Card>
      ) : null}
      {events.length === 0 ? (
        <Empty title="No events yet">
          {canWrite ? "Add the first event: an investigation opened, a decree entered…" : null}
        </Empty>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={-1} aria-label="Timeline">
          {events.map((e) => (
            <Timeline.Item
              key={e.id}
              title={
                <Group gap="xs" wrap="wrap">
                  <Text fw={600} size="sm">
                    {e.title}
                  </Text>
                  {e.status ? <EventStatusBadge status={e.status} /> : null}
                </Group>
              }
            >
              <Group gap="xs" mt={2}>
                <Text size="xs" c="dimmed">
                  <EventDate event={e} size="xs" />
                </Text>
                <Text size="xs" c="dimmed">
                  · {EVENT_KIND_LABELS[e.kind]}
                </Text>
                {e.actor ? (
                  <Text size="xs" c="dimmed">
                    · {e.actor}
                  </Text>
                ) : null}
                <EditEventLink event={e} back={here} size="xs" />
              </Group>
              {e.description ? (
                <Text size="sm" mt={4} style={{ whiteSpace: "pre-line" }}>
                  {e.description}
                </Text>
              ) : null}
              <EventSources sources={e.sources} matterSources={matter.sources} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

/** Under an event: its own sources, and how many of the matter's (listed once above) it cites. */
function EventSources({
  sources,
  matterSources,
}: {
  sources: Matter["events"][number]["sources"];
  matterSources: Matter["sources"];
}) {
  const { own, shared } = eventOwnSources(sources, matterSources);
  if (own.length === 0 && shared === 0) return null;
  return (
    <Stack gap={0} mt={4}>
      {own.length > 0 ? <SourcesList sources={own} size="xs" /> : null}
      {shared > 0 ? (
        <Text size="xs" c="dimmed">
          {own.length > 0 ? "Also cites " : "Cites "}
          {shared === matterSources.length && shared > 1
            ? "all the matter's sources"
            : shared === 1
              ? "one of the matter's sources"
              : `${shared} of the matter's sources`}
        </Text>
      ) : null}
    </Stack>
  );
}
