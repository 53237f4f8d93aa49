import {
  formatPartialDate,
  MATTER_STATUS_LABELS,
  type MatterStatus,
  STATUS_BASIS_LABELS,
  type StatusAsOf,
} from "@accord/domain";
import { Alert, Badge, Button, Group, type MantineSize, Text, Tooltip } from "@mantine/core";
import { useEffect, useState } from "react";
import { isAsOfDay, useAsOf, useSetAsOf } from "../lib/as-of";
import { DateField } from "./DateField";
import { IconCalendar } from "./icons";
import { StatusBadge } from "./StatusBadge";

/** The header's day picker: the whole app shows the portfolio as it stood on the day chosen. */
export function AsOfPicker() {
  const asOf = useAsOf();
  const setAsOf = useSetAsOf();
  const [value, setValue] = useState(asOf ?? "");
  useEffect(() => setValue(asOf ?? ""), [asOf]);
  return (
    <DateField
      aria-label="Show the portfolio as of"
      title="Show the portfolio as of a day"
      placeholder="Today"
      value={value}
      minDate="1990-01-01"
      maxDate="2100-12-31"
      w={190}
      onChange={(v) => {
        setValue(v);
        // The field gives a value once the day is whole; clearing it goes back to today.
        if (v === "") setAsOf(null);
        else if (isAsOfDay(v) && v !== asOf) setAsOf(v);
      }}
    />
  );
}

/** Under the header on every screen while a day is chosen: which day, and the way back. */
export function AsOfBanner() {
  const asOf = useAsOf();
  const setAsOf = useSetAsOf();
  if (!asOf) return null;
  return (
    <Alert
      color="violet"
      variant="light"
      mb="md"
      py={6}
      role="status"
      aria-label="As-of day"
      icon={<IconCalendar size={18} />}
    >
      <Group gap="sm" justify="space-between" wrap="wrap">
        <Text size="sm">
          Showing the portfolio as of <strong>{formatPartialDate(asOf)}</strong>. Statuses, counts and money
          are as they stood that day.
        </Text>
        <Button size="compact-sm" variant="white" color="violet" onClick={() => setAsOf(null)}>
          Back to today
        </Button>
      </Group>
    </Alert>
  );
}

/**
 * A matter's status, as of the chosen day when there is one. A status the timeline could not
 * decide (the record's) is marked "as recorded", with why in a tooltip.
 */
export function MatterStatusBadge({
  status,
  statusAsOf,
  size = "sm",
}: {
  status: MatterStatus;
  statusAsOf?: StatusAsOf | null;
  size?: MantineSize;
}) {
  const shown = statusAsOf?.status ?? status;
  if (!statusAsOf) return <StatusBadge status={shown} size={size} />;
  const decided =
    statusAsOf.basis === "events" && statusAsOf.decidedOn
      ? `${STATUS_BASIS_LABELS.events}: ${MATTER_STATUS_LABELS[shown].toLowerCase()} since ${formatPartialDate(statusAsOf.decidedOn)}`
      : STATUS_BASIS_LABELS[statusAsOf.basis];
  return (
    <Group gap={4} wrap="nowrap" display="inline-flex">
      <Tooltip label={decided} withArrow multiline maw={280}>
        <StatusBadge status={shown} size={size} />
      </Tooltip>
      {statusAsOf.basis === "record" ? (
        <Tooltip label={STATUS_BASIS_LABELS.record} withArrow multiline maw={280}>
          <Badge
            size="xs"
            variant="outline"
            color="gray"
            radius="sm"
            tt="none"
            tabIndex={0}
            aria-label={`as recorded: ${STATUS_BASIS_LABELS.record}`}
            styles={{
              root: { flexShrink: 0, maxWidth: "none", overflow: "visible", cursor: "help" },
              label: { overflow: "visible", textOverflow: "clip" },
            }}
          >
            as recorded
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}
