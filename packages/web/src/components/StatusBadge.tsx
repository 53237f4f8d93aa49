import { MATTER_STATUS_LABELS, type MatterStatus, STATUS_GROUP_COLORS, statusGroup } from "@accord/domain";
import { Badge, type BadgeProps } from "@mantine/core";

/** A matter's status in the one palette: the colour says its group, the text says the status. */
export function StatusBadge({ status, ...rest }: { status: MatterStatus } & BadgeProps) {
  return (
    <Badge
      color={STATUS_GROUP_COLORS[statusGroup(status)]}
      variant="light"
      radius="sm"
      tt="none"
      styles={{
        root: { flexShrink: 0, maxWidth: "none", overflow: "visible" },
        label: { overflow: "visible", textOverflow: "clip" },
      }}
      {...rest}
    >
      {MATTER_STATUS_LABELS[status]}
    </Badge>
  );
}

const EVENT_STATUS_COLORS: Record<string, string> = {
  scheduled: "blue",
  held: "teal",
  postponed: "orange",
  cancelled: "red",
};

const EVENT_STATUS_LABELS: Record<string, string> = {
  scheduled: "Scheduled",
  held: "Held",
  postponed: "Postponed",
  cancelled: "Cancelled",
};

export function EventStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={EVENT_STATUS_COLORS[status] ?? "gray"} variant="outline" radius="sm" tt="none" size="sm">
      {EVENT_STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

export function eventStatusLabel(status: string): string {
  return EVENT_STATUS_LABELS[status] ?? status;
}
