import type { CreateEvent, Event, EventKind, EventStatus } from "@accord/domain";
import { type SourceValues, sourcesToPayload, sourcesToValues, textOrNull } from "../../lib/forms";

export interface EventFormValues {
  matterId: string;
  kind: string;
  date: string;
  time: string;
  status: string;
  newDate: string;
  title: string;
  slug: string;
  description: string;
  actor: string;
  sources: SourceValues[];
}

export const EVENT_FIELD_ORDER = [
  "matterId",
  "kind",
  "date",
  "time",
  "status",
  "newDate",
  "title",
  "slug",
  "actor",
  "description",
  "sources",
] as const;

export const EVENT_FIELD_LABELS: Record<string, string> = {
  matterId: "Matter",
  kind: "Kind",
  date: "Date",
  time: "Time",
  status: "Status",
  newDate: "New date",
  title: "Title",
  slug: "Slug",
  description: "Description",
  actor: "Actor",
  sources: "Sources",
};

export function emptyEventValues(matterId: string | null): EventFormValues {
  return {
    matterId: matterId ?? "",
    kind: "",
    date: "",
    time: "",
    status: "",
    newDate: "",
    title: "",
    slug: "",
    description: "",
    actor: "",
    sources: [],
  };
}

export function eventToValues(e: Event): EventFormValues {
  return {
    matterId: e.matterId ?? "",
    kind: e.kind,
    date: e.date,
    time: e.time ?? "",
    status: e.status ?? "",
    newDate: e.newDate ?? "",
    title: e.title,
    slug: e.slug,
    description: e.description ?? "",
    actor: e.actor ?? "",
    sources: sourcesToValues(e.sources),
  };
}

export function valuesToEvent(v: EventFormValues): CreateEvent {
  const status = (v.status || null) as EventStatus | null;
  return {
    slug: v.slug.trim(),
    matterId: v.matterId || null,
    kind: v.kind as EventKind,
    date: v.date.trim(),
    time: textOrNull(v.time),
    status,
    // Only a postponed event has a new date; changing the status away drops it.
    newDate: status === "postponed" ? textOrNull(v.newDate) : null,
    title: v.title.trim(),
    description: textOrNull(v.description),
    actor: textOrNull(v.actor),
    sources: sourcesToPayload(v.sources),
  };
}
