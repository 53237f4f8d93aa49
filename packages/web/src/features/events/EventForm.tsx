import {
  CreateEventSchema,
  EVENT_KIND_LABELS,
  EVENT_KINDS,
  EVENT_STATUSES,
  type Event,
  UpdateEventSchema,
} from "@accord/domain";
import { Select, SimpleGrid, Switch, Textarea, TextInput } from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { useState } from "react";
import { api } from "../../api/client";
import { fetchMatterOptions, keys, useCreateEvent, useUpdateEvent } from "../../api/hooks";
import { DateField } from "../../components/DateField";
import { RecordForm } from "../../components/RecordForm";
import { RemoteSelect } from "../../components/RemoteSelect";
import { eventStatusLabel } from "../../components/StatusBadge";
import { schemaErrors } from "../../lib/forms";
import { useRecordForm } from "../../lib/use-record-form";
import {
  EVENT_FIELD_LABELS,
  EVENT_FIELD_ORDER,
  type EventFormValues,
  emptyEventValues,
  eventToValues,
  valuesToEvent,
} from "./event-form-values";

const KIND_OPTIONS = EVENT_KINDS.map((k) => ({ value: k, label: EVENT_KIND_LABELS[k] }));
const STATUS_OPTIONS = EVENT_STATUSES.map((s) => ({ value: s, label: eventStatusLabel(s) }));

function validateEvent(values: EventFormValues, isEdit: boolean): FormErrors {
  const errors = schemaErrors(isEdit ? UpdateEventSchema : CreateEventSchema, valuesToEvent(values));
  if (!values.kind) errors.kind = "Choose a kind";
  if (!values.date.trim()) errors.date = "Required";
  return errors;
}

/** What a new event's slug is made from: its matter's slug, its date and its title. */
function slugText(matterSlug: string | undefined, v: EventFormValues): string {
  return [matterSlug, v.date, v.title].filter(Boolean).join(" ");
}

/** Create or edit an event, on a matter's timeline or in the department-wide record. */
export function EventForm({
  event,
  matter,
  onSaved,
  onCancel,
}: {
  event?: Event;
  /**
   * The matter a new event belongs to; without it the person may choose one or none. A new
   * event starts public when its matter is.
   */
  matter?: { id: string; slug: string; title: string; public?: boolean };
  onSaved: (e: Event) => void;
  onCancel: () => void;
}) {
  const [matterSlug, setMatterSlug] = useState(matter?.slug ?? event?.matter?.slug);
  const create = useCreateEvent();
  const update = useUpdateEvent();
  const rf = useRecordForm({
    limitsFrom: CreateEventSchema,
    record: event,
    emptyValues: emptyEventValues(matter?.id ?? null, matter?.public ?? false),
    toValues: eventToValues,
    toPayload: valuesToEvent,
    validate: validateEvent,
    fieldOrder: EVENT_FIELD_ORDER,
    fieldLabels: EVENT_FIELD_LABELS,
    listFields: ["sources"],
    create: create.mutateAsync,
    update: update.mutateAsync,
    reload: (id) => api.get<Event>(`/api/v1/events/${id}`),
    cacheKey: (e) => keys.event(e.id),
    savedMessage: (e) => e.title,
    savedTitles: { edit: "Event saved", create: "Event added" },
    onSaved,
  });
  const { form } = rf;
  const values = form.values;

  /** The slug follows the matter, the date and the title, with what was just typed in one of them. */
  const slugFrom = (field: "date" | "title") => (typed: string) =>
    slugText(matterSlug, { ...form.getValues(), [field]: typed });

  const statusProps = form.getInputProps("status");

  return (
    <RecordForm
      state={rf}
      noun="event"
      submitLabel={rf.isEdit ? "Save event" : "Add event"}
      onCancel={onCancel}
      gap="sm"
    >
      {matter ? null : (
        <RemoteSelect
          label="Matter"
          description="Leave empty for the department-wide record (memos, orders, statutes)"
          placeholder="Department-wide record"
          queryKey="matters"
          fetchOptions={async (q) =>
            (await fetchMatterOptions(q)).items.map((m) => ({ value: m.id, label: m.title, slug: m.slug }))
          }
          selected={event?.matter ? { value: event.matter.id, label: event.matter.title } : null}
          value={values.matterId || null}
          onChange={(id, option) => {
            form.setFieldValue("matterId", id ?? "");
            const slug = (option as { slug?: string } | null)?.slug;
            setMatterSlug(slug);
          }}
          error={form.errors.matterId}
          data-path="matterId"
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
        <Select
          label="Kind"
          withAsterisk
          data={KIND_OPTIONS}
          searchable
          allowDeselect={false}
          {...form.getInputProps("kind")}
        />
        <DateField partial label="Date" withAsterisk {...rf.slugSourceProps("date", slugFrom("date"))} />
        <TextInput
          label="Time"
          placeholder="HH:MM"
          description="Local time, for hearings"
          maxLength={5}
          {...form.getInputProps("time")}
        />
        <Select
          label="Status"
          description="For hearings and other scheduled events"
          placeholder="None"
          data={STATUS_OPTIONS}
          clearable
          {...statusProps}
          value={statusProps.value || null}
          onChange={(s) => statusProps.onChange(s ?? "")}
        />
      </SimpleGrid>
      {values.status === "postponed" ? (
        <DateField
          partial
          label="New date"
          w={{ base: "100%", sm: 240 }}
          {...form.getInputProps("newDate")}
          description="The date it moved to"
        />
      ) : null}
      <TextInput label="Title" withAsterisk {...rf.slugSourceProps("title", slugFrom("title"))} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label="Actor"
          description="Who did it: a court, an office, a person"
          {...form.getInputProps("actor")}
        />
        <TextInput
          label="Slug"
          withAsterisk
          description="Filled in from the date and title"
          {...rf.slugInputProps()}
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        autosize
        minRows={2}
        maxRows={10}
        {...form.getInputProps("description")}
      />
      <Switch
        label="Public"
        description="Anonymous visitors may read it when public reading is on (and its matter is public)"
        {...form.getInputProps("public", { type: "checkbox" })}
      />
    </RecordForm>
  );
}
