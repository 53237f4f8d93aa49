import type { Event } from "@accord/domain";
import { Anchor } from "@mantine/core";
import { Link } from "react-router";

/** "Edit" for one event; the form returns to `back` (a path in the app) when done. */
export function EditEventLink({ event, back, size }: { event: Event; back: string; size: "xs" | "sm" }) {
  return (
    <Anchor
      component={Link}
      to={`/events/${event.id}/edit?back=${encodeURIComponent(back)}`}
      size={size}
      aria-label={`Edit event: ${event.title}`}
    >
      Edit
    </Anchor>
  );
}
