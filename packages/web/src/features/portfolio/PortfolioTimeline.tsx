import {
  CONDITION_STATUS_LABELS,
  type ConditionStatus,
  EVENT_KIND_LABELS,
  type EventKind,
  formatPartialDate,
  MATTER_KIND_LABELS,
  type Portfolio,
} from "@accord/domain";
import { Anchor, Group, SegmentedControl, Stack, Text, Timeline } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";
import { Empty } from "../../components/Empty";
import { SourcesList } from "../../components/Sources";
import { FavorsBadge } from "../matters/MatterProvenance";

type Item = Portfolio["events"][number];

/** Which lines to show: everything, the matters' events, letters and the conditions' changes. */
type Show = "all" | "matters" | "letters" | "conditions";

function isShown(item: Item, show: Show): boolean {
  if (show === "all") return true;
  if (show === "conditions") return item.what === "condition_change";
  if (show === "letters") return item.what === "event" && item.matter === null;
  return item.what === "event" && item.matter !== null;
}

function kindLabel(item: Item): string {
  if (item.what === "condition_change")
    return `Condition: ${CONDITION_STATUS_LABELS[item.kind as ConditionStatus] ?? item.kind}`;
  return EVENT_KIND_LABELS[item.kind as EventKind] ?? item.kind;
}

/** Where a line leads: its matter, its award, the condition on this page; a letter to its source. */
function recordLink(item: Item): { to: string; internal: boolean } | null {
  const { link } = item;
  if (link.type === "matter") return { to: `/matters/${link.slug}`, internal: true };
  if (link.type === "award") return { to: `/grants/${link.slug}`, internal: true };
  if (link.type === "condition") return { to: `#condition-${link.slug}`, internal: false };
  if (item.matter) return { to: `/matters/${item.matter.slug}/timeline`, internal: true };
  const url = item.sources.find((s) => s.url)?.url;
  return url ? { to: url, internal: false } : null;
}

function Title({ item }: { item: Item }) {
  const to = recordLink(item);
  if (!to)
    return (
      <Text fw={600} size="sm">
        {item.title}
      </Text>
    );
  if (to.internal)
    return (
      <Anchor component={Link} to={to.to} fw={600} size="sm">
        {item.title}
      </Anchor>
    );
  const external = to.to.startsWith("http");
  return (
    <Anchor
      href={to.to}
      fw={600}
      size="sm"
      {...(external ? { target: "_blank", rel: "noopener noreferrer" } : {})}
    >
      {item.title}
    </Anchor>
  );
}

/** Everything that happened between the department and the place, by date on one line. */
export function PortfolioTimeline({ items }: { items: Portfolio["events"] }) {
  const [show, setShow] = useState<Show>("all");
  const [newestFirst, setNewestFirst] = useState(false);
  const shown = items.filter((i) => isShown(i, show)).sort((a, b) => a.date.localeCompare(b.date));
  if (newestFirst) shown.reverse();
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          size="xs"
          aria-label="Show"
          value={show}
          onChange={(v) => setShow(v as Show)}
          data={[
            { value: "all", label: `Everything (${items.length})` },
            { value: "matters", label: "Matters" },
            { value: "letters", label: "Letters and other" },
            { value: "conditions", label: "Conditions" },
          ]}
        />
        <SegmentedControl
          size="xs"
          aria-label="Order"
          value={newestFirst ? "desc" : "asc"}
          onChange={(v) => setNewestFirst(v === "desc")}
          data={[
            { value: "asc", label: "Oldest first" },
            { value: "desc", label: "Newest first" },
          ]}
        />
      </Group>
      {shown.length === 0 ? (
        <Empty title="Nothing on the timeline">
          {show === "all"
            ? "No dated event is recorded for this place yet."
            : "Nothing of this kind is recorded."}
        </Empty>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={-1} aria-label="Timeline">
          {shown.map((item, i) => (
            <Timeline.Item
              // biome-ignore lint/suspicious/noArrayIndexKey: lines of several records may share a link
              key={`${item.link.id}-${item.date}-${i}`}
              title={<Title item={item} />}
            >
              <Group gap="xs" mt={2} wrap="wrap">
                <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                  {formatPartialDate(item.date)}
                </Text>
                <Text size="xs" c="dimmed">
                  · {kindLabel(item)}
                </Text>
                {item.matter ? (
                  <Text size="xs" c="dimmed">
                    ·{" "}
                    <Anchor component={Link} to={`/matters/${item.matter.slug}`} size="xs">
                      {item.matter.title}
                    </Anchor>{" "}
                    ({MATTER_KIND_LABELS[item.matter.kind]})
                  </Text>
                ) : null}
                {item.favors || item.kind === "ruling" ? (
                  <Group gap={4}>
                    <Text size="xs" c="dimmed">
                      · favoured:
                    </Text>
                    <FavorsBadge favors={item.favors} />
                  </Group>
                ) : null}
              </Group>
              {item.outcome ? (
                <Text size="sm" mt={2}>
                  {item.outcome}
                </Text>
              ) : null}
              {item.sources.length > 0 && item.link.type !== "event" ? (
                <SourcesList sources={item.sources} size="xs" />
              ) : item.sources.length > 0 ? (
                <SourcesList sources={item.sources.slice(0, 3)} size="xs" />
              ) : null}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
