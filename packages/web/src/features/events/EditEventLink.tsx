import type { Event } from "@accord/domain";
import { Anchor } from "@mantine/core";
import { Link } from "react-router";
import { useCan } from "../../api/session";

/**
 * "Edit" for one event; the form returns to `back` (a path in the app) when done. Offered only
 * to users who may change the registry.
 */
export function EditEventLink({ event, back, size }: { event: Event; back: string; size: "xs" | "sm" }) {
  if (!useCan("registry:write")) return null;
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
