import { CreateCycleSchema, type Cycle, DEFAULT_RATING_SCALE, UpdateCycleSchema } from "@accord/domain";
import { Button, Card, Group, SimpleGrid, Stack, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchCycle, reviewKeys, useCreateCycle, useUpdateCycle } from "../../api/reviews";
import { ConflictAlert } from "../../components/ConflictAlert";
import { DateField } from "../../components/DateField";
import { FormProblems } from "../../components/FormProblems";
import { changedFields, focusFirstError, limitedInputs, schemaErrors, slugify } from "../../lib/forms";
import { useConflictMerge } from "../../lib/use-conflict-merge";
import { useVersionedSave } from "../../lib/use-versioned-save";
import { CriteriaEditor } from "./CriteriaEditor";
import {
  type CyclePayload,
  type CycleValues,
  EMPTY,
  levelValues,
  toPayload,
  toValues,
} from "./cycle-form-values";
import { RatingScaleEditor } from "./RatingScaleEditor";
import { ScopeSection } from "./ScopeSection";

/** Fixed once the cycle has started (the server refuses them with 409). */
const FIXED_AFTER_START = ["scope", "asOf", "criteria", "ratingScale"] as const;

const FIELD_ORDER = [
  "name",
  "slug",
  "mandate",
  "mandateUrl",
  "scope.kinds",
  "scope.statuses",
  "asOf",
  "dueOn",
  "criteria",
  "ratingScale",
];
const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  slug: "Slug",
  mandate: "Mandate",
  mandateUrl: "Mandate address",
  scope: "Scope",
  asOf: "As-of day",
  dueOn: "Due date",
  criteria: "Criteria",
  ratingScale: "Rating scale",
};

/**
 * Create a review cycle, or edit one. Its scope, criteria and scale are editable until it starts;
 * after that only its name, slug, mandate and due date.
 */
export function CycleForm({
  cycle,
  onSaved,
  onCancel,
}: {
  cycle?: Cycle;
  onSaved: (c: Cycle) => void;
  onCancel: () => void;
}) {
  const qc = useQueryClient();
  const create = useCreateCycle();
  const update = useUpdateCycle();
  const [base, setBase] = useState<Cycle | null>(cycle ?? null);
  const [slugTouched, setSlugTouched] = useState(Boolean(cycle));
  const isEdit = base !== null;
  const locked = base !== null && base.status !== "draft";
  const form = useForm<CycleValues>({
    mode: "controlled",
    initialValues: cycle ? toValues(cycle) : { ...EMPTY, ratingScale: levelValues(DEFAULT_RATING_SCALE) },
    validate: (values) => {
      const payload = toPayload(values);
      const errors = schemaErrors(isEdit ? UpdateCycleSchema : CreateCycleSchema, payload);
      values.criteria.forEach((c, i) => {
        if (!c.code.trim()) errors[`criteria.${i}.code`] = "Give it a code";
        if (!c.title.trim()) errors[`criteria.${i}.title`] = "Give it a title";
      });
      values.ratingScale.forEach((l, i) => {
        if (!l.code.trim()) errors[`ratingScale.${i}.code`] = "Give it a code";
        if (!l.label.trim()) errors[`ratingScale.${i}.label`] = "Give it a label";
      });
      if (values.ratingScale.length < 2) errors.ratingScale = "A scale needs at least two levels";
      return errors;
    },
    validateInputOnBlur: true,
    enhanceGetInputProps: limitedInputs(CreateCycleSchema),
  });

  const resetTo = (c: Cycle) => {
    const values = toValues(c);
    setBase(c);
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  };

  const saver = useVersionedSave<Cycle, Partial<CyclePayload>>({
    save: (payload, version) =>
      base && version !== undefined
        ? update.mutateAsync({ key: base.id, version, patch: payload })
        : create.mutateAsync(payload as CyclePayload),
    onSaved: (c) => {
      resetTo(c);
      notifications.show({ color: "teal", title: isEdit ? "Saved" : "Cycle created", message: c.name });
      onSaved(c);
    },
    reload: base ? () => fetchCycle(base.id) : undefined,
    setFieldErrors: form.setErrors,
    fieldOrder: FIELD_ORDER,
  });

  const onSubmit = form.onSubmit(
    (v) => {
      const payload = toPayload(v);
      if (!base) {
        void saver.submit(payload, undefined);
        return;
      }
      const patch: Partial<CyclePayload> = changedFields(toPayload(toValues(base)), payload);
      if (locked) for (const f of FIXED_AFTER_START) delete patch[f];
      if (Object.keys(patch).length === 0) {
        notifications.show({ color: "gray", message: "Nothing to save: no field was changed." });
        return;
      }
      void saver.submit(patch, base.version);
    },
    (errors) => focusFirstError(errors, FIELD_ORDER),
  );

  const merge = useConflictMerge<Cycle, CycleValues>({
    base,
    conflict: saver.conflict,
    values: form.values,
    toValues,
    onMerge: (current, merged) => {
      resetTo(current);
      qc.setQueryData(reviewKeys.cycle(current.slug), current);
      form.setValues(merged);
      const patch: Partial<CyclePayload> = changedFields(toPayload(toValues(current)), toPayload(merged));
      if (current.status !== "draft") for (const f of FIXED_AFTER_START) delete patch[f];
      if (Object.keys(patch).length === 0) {
        saver.dismissConflict();
        notifications.show({
          color: "gray",
          message: "Their version already has your changes: nothing to save.",
        });
        return;
      }
      void saver.submit(patch, current.version);
    },
  });

  const pending = base ? Object.keys(changedFields(toPayload(toValues(base)), toPayload(form.values))) : [];

  const nameProps = form.getInputProps("name");

  return (
    <form onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit cycle" : "New cycle"}>
      <Stack gap="md">
        {saver.conflict ? (
          <ConflictAlert
            noun="cycle"
            version={saver.conflict.version}
            changes={pending.map((k) => FIELD_LABELS[k] ?? k)}
            merge={merge}
            labels={FIELD_LABELS}
            busy={saver.saving}
            onLoadTheirs={() => {
              const current = saver.conflict?.current;
              if (!current) return;
              resetTo(current);
              qc.setQueryData(reviewKeys.cycle(current.slug), current);
              saver.dismissConflict();
            }}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            The review
          </Title>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label="Name"
                withAsterisk
                placeholder="e.g. 2017 review of agreements with local police"
                data-autofocus
                {...nameProps}
                onChange={(e) => {
                  nameProps.onChange(e);
                  if (!slugTouched) form.setFieldValue("slug", slugify(e.currentTarget.value));
                }}
              />
              <TextInput
                label="Slug"
                description="The cycle's address: lowercase words and hyphens"
                withAsterisk
                {...form.getInputProps("slug")}
                onFocus={() => setSlugTouched(true)}
              />
            </SimpleGrid>
            <Textarea
              label="Mandate"
              description="The order that mandates the review, in words"
              autosize
              minRows={2}
              maxRows={10}
              {...form.getInputProps("mandate")}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label="Mandate address"
                description="Where the mandate can be read (http or https)"
                placeholder="https://"
                {...form.getInputProps("mandateUrl")}
              />
              <DateField partial label="Due" {...form.getInputProps("dueOn")} />
            </SimpleGrid>
          </Stack>
        </Card>
        <ScopeSection form={form} locked={locked} />
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            The portfolio as of
          </Title>
          <DateField
            label="Review the portfolio as it stood on"
            description={
              locked
                ? "Fixed once the cycle has started."
                : "The scope takes the matters' statuses on this day. Leave empty for the day the cycle starts."
            }
            w={{ base: "100%", sm: 320 }}
            disabled={locked}
            {...form.getInputProps("asOf")}
          />
        </Card>
        <CriteriaEditor form={form} locked={locked} />
        <RatingScaleEditor form={form} locked={locked} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            {isEdit ? "Save changes" : "Create cycle"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
