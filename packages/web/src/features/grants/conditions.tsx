import {
  CONDITION_KIND_LABELS,
  CONDITION_STATUS_LABELS,
  type Condition,
  type ConditionStatus,
  formatPartialDate,
  GRANT_PROGRAM_LABELS,
} from "@accord/domain";
import { Anchor, Badge, type BadgeProps, Group, Stack, Text, Timeline } from "@mantine/core";
import { Link } from "react-router";
import { MatterStatusBadge } from "../../components/AsOf";
import { SourcesList } from "../../components/Sources";

/** A condition's status colour: red when money is at risk, teal when cleared, blue when a court stopped it. */
export const CONDITION_STATUS_COLORS: Record<ConditionStatus, string> = {
  imposed: "gray",
  documentation_demanded: "orange",
  in_question: "orange",
  found_possibly_non_compliant: "red",
  cleared: "teal",
  enjoined: "blue",
  withdrawn: "gray",
};

export function ConditionStatusBadge({ status, ...rest }: { status: ConditionStatus } & BadgeProps) {
  return (
    <Badge
      color={CONDITION_STATUS_COLORS[status]}
      variant={status === "withdrawn" ? "outline" : "light"}
      radius="sm"
      tt="none"
      styles={{ root: { flexShrink: 0, maxWidth: "none" }, label: { overflow: "visible" } }}
      {...rest}
    >
      {CONDITION_STATUS_LABELS[status]}
    </Badge>
  );
}

/** "Byrne JAG FY2017 · 8 U.S.C. 1373 certification" */
export function conditionName(c: Pick<Condition, "program" | "fiscalYear" | "kind">): string {
  const program = `${GRANT_PROGRAM_LABELS[c.program]}${c.fiscalYear ? ` FY${c.fiscalYear}` : ""}`;
  return `${program} · ${CONDITION_KIND_LABELS[c.kind]}`;
}

/** A condition's dated changes, oldest first, each with its note and sources. */
export function ConditionHistory({ condition }: { condition: Condition }) {
  if (condition.history.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No change of status recorded.
      </Text>
    );
  const changes = [...condition.history].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <Timeline bulletSize={12} lineWidth={2} active={changes.length - 1} aria-label="Status history">
      {changes.map((h, i) => (
        <Timeline.Item
          // biome-ignore lint/suspicious/noArrayIndexKey: changes have no id and keep their order
          key={i}
          title={
            <Group gap="xs">
              <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                {formatPartialDate(h.date)}
              </Text>
              <ConditionStatusBadge status={h.status} size="sm" />
            </Group>
          }
        >
          {h.note ? (
            <Text size="sm" mt={2}>
              {h.note}
            </Text>
          ) : null}
          {h.sources.length > 0 ? <SourcesList sources={h.sources} size="xs" /> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** A condition: what it demands, its status now (or on the as-of day), its lawsuits. */
export function ConditionSummary({
  condition,
  headingOrder = 4,
}: {
  condition: Condition;
  headingOrder?: 3 | 4;
}) {
  const c = condition;
  return (
    <Stack gap={4} id={`condition-${c.slug}`}>
      <Group gap="xs" wrap="wrap">
        <Text fw={600} size="sm" component={headingOrder === 3 ? "h3" : "h4"} m={0}>
          {conditionName(c)}
        </Text>
        <ConditionStatusBadge status={c.status} size="sm" />
        <Text size="xs" c="dimmed">
          since {formatPartialDate(c.statusOn)}
        </Text>
      </Group>
      {c.text ? (
        <Text size="sm" c="dimmed">
          {c.text}
        </Text>
      ) : null}
      {c.matters.length > 0 ? (
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            Lawsuits:
          </Text>
          {c.matters.map((m) => (
            <Group key={m.id} gap={4} wrap="nowrap">
              <Anchor component={Link} to={`/matters/${m.slug}`} size="sm">
                {m.title}
              </Anchor>
              <MatterStatusBadge status={m.status} size="xs" />
            </Group>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}
