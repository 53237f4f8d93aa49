import { type Event, formatPartialDate } from "@accord/domain";
import { Text, VisuallyHidden } from "@mantine/core";

/**
 * When an event happens. A postponed hearing shows its original date struck through and the
 * date it moved to.
 */
export function EventDate({ event, size = "sm" }: { event: Event; size?: "xs" | "sm" }) {
  const date = `${formatPartialDate(event.date)}${event.time ? `, ${event.time}` : ""}`;
  if (event.status === "postponed" && event.newDate) {
    return (
      <Text span size={size} style={{ whiteSpace: "nowrap" }}>
        <VisuallyHidden>Originally </VisuallyHidden>
        <s className="accord-struck">{date}</s> <span aria-hidden="true">→</span>
        <VisuallyHidden>, moved to</VisuallyHidden> {formatPartialDate(event.newDate)}
      </Text>
    );
  }
  return (
    <Text span size={size} style={{ whiteSpace: "nowrap" }}>
      {date}
    </Text>
  );
}

/** Chronological order of partial dates: "2015" sorts before "2015-03". */
export function compareEvents(a: Event, b: Event): number {
  return (
    a.date.localeCompare(b.date) ||
    (a.time ?? "").localeCompare(b.time ?? "") ||
    a.title.localeCompare(b.title)
  );
}
