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
  /** Anonymous visitors may read it (when its matter is public too) under public reading. */
  public: boolean;
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
  "public",
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
  public: "Public",
};

/** A new event's values; it starts public when its matter is (`isPublic`). */
export function emptyEventValues(matterId: string | null, isPublic = false): EventFormValues {
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
    public: isPublic,
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
    public: e.public,
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
    public: v.public,
  };
}
