import {
  CreateEventSchema,
  EVENT_KIND_LABELS,
  EVENT_KINDS,
  EVENT_STATUSES,
  type Event,
  UpdateEventSchema,
} from "@accord/domain";
import { Button, Group, Select, SimpleGrid, Stack, Textarea, TextInput } from "@mantine/core";
import { type FormErrors, useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api } from "../../api/client";
import { fetchMatterOptions, keys, useCreateEvent, useUpdateEvent } from "../../api/hooks";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { PartialDateInput } from "../../components/PartialDateInput";
import { RemoteSelect } from "../../components/RemoteSelect";
import { SourcesEditor } from "../../components/Sources";
import { eventStatusLabel } from "../../components/StatusBadge";
import { changedFields, editBody, focusFirstError, schemaErrors, slugify } from "../../lib/forms";
import { useVersionedSave } from "../../lib/use-versioned-save";
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

function deriveSlug(matterSlug: string | undefined, v: EventFormValues): string {
  return slugify([matterSlug, v.date, v.title].filter(Boolean).join(" "));
}

/** Create or edit an event, on a matter's timeline or in the department-wide record. */
export function EventForm({
  event,
  matter,
  onSaved,
  onCancel,
}: {
  event?: Event;
  /** The matter a new event belongs to; without it the person may choose one or none. */
  matter?: { id: string; slug: string; title: string };
  onSaved: (e: Event) => void;
  onCancel: () => void;
}) {
  const qc = useQueryClient();
  const isEdit = event !== undefined;
  const [base, setBase] = useState<Event | null>(event ?? null);
  const [slugTouched, setSlugTouched] = useState(isEdit);
  const [matterSlug, setMatterSlug] = useState(matter?.slug ?? event?.matter?.slug);
  const form = useForm<EventFormValues>({
    mode: "controlled",
    initialValues: event ? eventToValues(event) : emptyEventValues(matter?.id ?? null),
    validate: (values) => validateEvent(values, isEdit),
    validateInputOnChange: true,
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
  });
  const create = useCreateEvent();
  const update = useUpdateEvent();

  const resetTo = (e: Event) => {
    const values = eventToValues(e);
    setBase(e);
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  };

  const saver = useVersionedSave<Event, Partial<ReturnType<typeof valuesToEvent>>>({
    save: (payload, version) =>
      base && version !== undefined
        ? update.mutateAsync({ id: base.id, version, patch: payload })
        : create.mutateAsync(payload as ReturnType<typeof valuesToEvent>),
    onSaved: (e) => {
      resetTo(e);
      notifications.show({ color: "teal", title: isEdit ? "Event saved" : "Event added", message: e.title });
      onSaved(e);
    },
    reload: base ? () => api.get<Event>(`/api/v1/events/${base.id}`) : undefined,
    setFieldErrors: form.setErrors,
    fieldOrder: EVENT_FIELD_ORDER,
  });

  const values = form.values;
  const pending = useMemo(
    () => (base ? Object.keys(changedFields(valuesToEvent(eventToValues(base)), valuesToEvent(values))) : []),
    [base, values],
  );

  const autoSlug = (next: Partial<EventFormValues>) => {
    if (!slugTouched) form.setFieldValue("slug", deriveSlug(matterSlug, { ...form.getValues(), ...next }));
  };

  const onSubmit = form.onSubmit(
    (v) => {
      const payload = valuesToEvent(v);
      if (base) {
        const patch = editBody(valuesToEvent(eventToValues(base)), payload, ["sources"]);
        if (Object.keys(patch).length === 0) {
          notifications.show({ color: "gray", message: "Nothing to save: no field was changed." });
          return;
        }
        void saver.submit(patch, base.version);
      } else {
        void saver.submit(payload, undefined);
      }
    },
    (errors) => focusFirstError(errors, EVENT_FIELD_ORDER),
  );

  const titleProps = form.getInputProps("title");
  const dateProps = form.getInputProps("date");
  const statusProps = form.getInputProps("status");

  return (
    <form onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit event" : "New event"}>
      <Stack gap="sm">
        {saver.conflict ? (
          <ConflictAlert
            noun="event"
            version={saver.conflict.version}
            changes={pending.map((k) => EVENT_FIELD_LABELS[k] ?? k)}
            busy={saver.saving}
            onLoadTheirs={() => {
              const current = saver.conflict?.current;
              if (!current) return;
              resetTo(current);
              qc.setQueryData(keys.event(current.id), current);
              saver.dismissConflict();
            }}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
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
          <PartialDateInput
            label="Date"
            withAsterisk
            {...dateProps}
            onChange={(e) => {
              dateProps.onChange(e);
              autoSlug({ date: e.currentTarget.value });
            }}
          />
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
          <PartialDateInput
            label="New date"
            w={{ base: "100%", sm: 240 }}
            {...form.getInputProps("newDate")}
            description="The date it moved to"
          />
        ) : null}
        <TextInput
          label="Title"
          withAsterisk
          {...titleProps}
          onChange={(e) => {
            titleProps.onChange(e);
            autoSlug({ title: e.currentTarget.value });
          }}
        />
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
            {...form.getInputProps("slug")}
            onFocus={() => setSlugTouched(true)}
          />
        </SimpleGrid>
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxRows={10}
          {...form.getInputProps("description")}
        />
        <SourcesEditor form={form} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            {isEdit ? "Save event" : "Add event"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
