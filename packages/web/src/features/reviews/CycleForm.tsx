import {
  type CreateCycle,
  CreateCycleSchema,
  type Cycle,
  DEFAULT_RATING_SCALE,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  MATTER_STATUS_LABELS,
  MATTER_STATUSES,
  type MatterKind,
  type MatterStatus,
  type RatingLevel,
  STATUS_GROUP_LABELS,
  STATUS_GROUPS,
  statusGroup,
  TOPIC_LABELS,
  TOPICS,
  type Topic,
  UpdateCycleSchema,
} from "@accord/domain";
import {
  ActionIcon,
  Alert,
  Box,
  Button,
  Card,
  ColorSwatch,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { type FormErrors, type UseFormReturnType, useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { fetchCycle, reviewKeys, useCreateCycle, useScopeCount, useUpdateCycle } from "../../api/reviews";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { IconChevronDown, IconChevronUp, IconLock, IconPlus, IconTrash } from "../../components/icons";
import { PartialDateInput } from "../../components/PartialDateInput";
import { changedFields, focusFirstError, schemaErrors, slugify, textOrNull } from "../../lib/forms";
import { useVersionedSave } from "../../lib/use-versioned-save";
import { RatingMark } from "./ReviewBadges";
import { plural, TONE_COLORS } from "./review-labels";

const KIND_OPTIONS = MATTER_KINDS.map((k) => ({ value: k, label: MATTER_KIND_LABELS[k] }));
const STATUS_OPTIONS = STATUS_GROUPS.map((g) => ({
  group: STATUS_GROUP_LABELS[g],
  items: MATTER_STATUSES.filter((s) => statusGroup(s) === g).map((s) => ({
    value: s,
    label: MATTER_STATUS_LABELS[s],
  })),
}));

interface CriterionValues {
  /** The row's identity while it is edited and moved (not sent). */
  key: string;
  code: string;
  title: string;
  guidance: string;
  topics: Topic[];
}

const TOPIC_OPTIONS = TOPICS.map((t) => ({ value: t, label: TOPIC_LABELS[t] }));

interface LevelValues {
  /** The row's identity while it is edited and moved (not sent). */
  key: string;
  code: string;
  label: string;
  tone: RatingLevel["tone"];
  /** The code was typed: it no longer follows the label. */
  codeTouched: boolean;
}

interface CycleValues {
  name: string;
  slug: string;
  mandate: string;
  mandateUrl: string;
  scope: { kinds: MatterKind[]; statuses: MatterStatus[] };
  dueOn: string;
  criteria: CriterionValues[];
  ratingScale: LevelValues[];
}

let rowCounter = 0;
const newKey = () => `c${++rowCounter}`;

const levelValues = (scale: readonly RatingLevel[]): LevelValues[] =>
  scale.map((l) => ({ key: newKey(), code: l.code, label: l.label, tone: l.tone, codeTouched: true }));

/** A level's code from its label, as RatingLevelSchema wants it: "Partly advances" → "partly_advances". */
export function levelCode(label: string): string {
  const code = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  return code;
}

const EMPTY: CycleValues = {
  name: "",
  slug: "",
  mandate: "",
  mandateUrl: "",
  scope: { kinds: [], statuses: [] },
  dueOn: "",
  criteria: [],
  ratingScale: [],
};

function toValues(c: Cycle): CycleValues {
  return {
    name: c.name,
    slug: c.slug,
    mandate: c.mandate ?? "",
    mandateUrl: c.mandateUrl ?? "",
    scope: { kinds: [...c.scope.kinds], statuses: [...c.scope.statuses] },
    dueOn: c.dueOn ?? "",
    criteria: c.criteria.map((k) => ({
      key: newKey(),
      code: k.code,
      title: k.title,
      guidance: k.guidance ?? "",
      topics: [...k.topics],
    })),
    ratingScale: levelValues(c.ratingScale),
  };
}

function toPayload(v: CycleValues) {
  return {
    name: v.name.trim(),
    slug: v.slug.trim(),
    mandate: textOrNull(v.mandate),
    mandateUrl: textOrNull(v.mandateUrl),
    scope: { kinds: v.scope.kinds, statuses: v.scope.statuses },
    dueOn: textOrNull(v.dueOn),
    criteria: v.criteria.map((c) => ({
      code: c.code.trim(),
      title: c.title.trim(),
      guidance: textOrNull(c.guidance),
      topics: c.topics,
    })),
    ratingScale: v.ratingScale.map((l) => ({ code: l.code.trim(), label: l.label.trim(), tone: l.tone })),
  } satisfies CreateCycle;
}

type CyclePayload = ReturnType<typeof toPayload>;

/** Fixed once the cycle has started (the server refuses them with 409). */
const FIXED_AFTER_START = ["scope", "criteria", "ratingScale"] as const;

const FIELD_ORDER = [
  "name",
  "slug",
  "mandate",
  "mandateUrl",
  "scope.kinds",
  "scope.statuses",
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
  dueOn: "Due date",
  criteria: "Criteria",
  ratingScale: "Rating scale",
};

/** One criterion's row: code, title and guidance, with buttons to move and remove it. */
function CriterionRow({
  form,
  index,
  count,
  locked,
}: {
  form: UseFormReturnType<CycleValues, CycleValues, (values: CycleValues) => FormErrors>;
  index: number;
  count: number;
  locked: boolean;
}) {
  const n = index + 1;
  const move = (to: number) => form.reorderListItem("criteria", { from: index, to });
  return (
    <Card withBorder padding="sm" component="li" aria-label={`Criterion ${n}`}>
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <Text fw={700} size="sm" mt={30} w={18} ta="right" aria-hidden="true">
          {n}
        </Text>
        <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <TextInput
              label="Code"
              aria-label={`Code of criterion ${n}`}
              placeholder="e.g. A"
              w={110}
              withAsterisk
              disabled={locked}
              {...form.getInputProps(`criteria.${index}.code`)}
            />
            <TextInput
              label="Title"
              aria-label={`Title of criterion ${n}`}
              placeholder="e.g. Protects and respects the civil rights of all members of the public"
              style={{ flex: 1 }}
              withAsterisk
              disabled={locked}
              {...form.getInputProps(`criteria.${index}.title`)}
            />
          </Group>
          <Textarea
            label="Guidance"
            aria-label={`Guidance for criterion ${n}`}
            description="What reviewers should look at; shown beside the rating"
            autosize
            minRows={1}
            maxRows={6}
            disabled={locked}
            {...form.getInputProps(`criteria.${index}.guidance`)}
          />
          <MultiSelect
            label="Provision topics"
            aria-label={`Provision topics of criterion ${n}`}
            description="The review form lists the matter's provisions on these topics beside the criterion"
            placeholder="None"
            data={TOPIC_OPTIONS}
            searchable
            clearable
            disabled={locked}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps(`criteria.${index}.topics`)}
          />
        </Stack>
        {locked ? null : (
          <Stack gap={4} mt={26}>
            <Tooltip label="Move up" withArrow position="left">
              <ActionIcon
                variant="default"
                aria-label={`Move criterion ${n} up`}
                disabled={index === 0}
                onClick={() => move(index - 1)}
              >
                <IconChevronUp size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Move down" withArrow position="left">
              <ActionIcon
                variant="default"
                aria-label={`Move criterion ${n} down`}
                disabled={index === count - 1}
                onClick={() => move(index + 1)}
              >
                <IconChevronDown size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Remove" withArrow position="left">
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove criterion ${n}`}
                onClick={() => form.removeListItem("criteria", index)}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Stack>
        )}
      </Group>
    </Card>
  );
}

const TONE_OPTIONS: { value: RatingLevel["tone"]; label: string }[] = [
  { value: "good", label: "Good" },
  { value: "neutral", label: "Neutral" },
  { value: "bad", label: "Bad" },
  { value: "none", label: "None (n/a)" },
];

/** One level of the rating scale: its label, code and tone, with buttons to move and remove it. */
function LevelRow({
  form,
  index,
  count,
}: {
  form: UseFormReturnType<CycleValues, CycleValues, (values: CycleValues) => FormErrors>;
  index: number;
  count: number;
}) {
  const n = index + 1;
  const level = form.values.ratingScale[index];
  if (!level) return null;
  const move = (to: number) => form.reorderListItem("ratingScale", { from: index, to });
  const labelProps = form.getInputProps(`ratingScale.${index}.label`);
  const codeProps = form.getInputProps(`ratingScale.${index}.code`);
  return (
    <Group component="li" align="flex-start" gap="sm" wrap="nowrap" aria-label={`Level ${n}`}>
      <Text fw={700} size="sm" mt={8} w={18} ta="right" aria-hidden="true">
        {n}
      </Text>
      <TextInput
        aria-label={`Label of level ${n}`}
        placeholder="e.g. Advances"
        style={{ flex: 1, minWidth: 0 }}
        {...labelProps}
        onChange={(e) => {
          labelProps.onChange(e);
          if (!level.codeTouched)
            form.setFieldValue(`ratingScale.${index}.code`, levelCode(e.currentTarget.value));
        }}
      />
      <TextInput
        aria-label={`Code of level ${n}`}
        placeholder="e.g. advances"
        w={170}
        {...codeProps}
        onChange={(e) => {
          codeProps.onChange(e);
          form.setFieldValue(`ratingScale.${index}.codeTouched`, true);
        }}
      />
      <Select
        aria-label={`Tone of level ${n}`}
        data={TONE_OPTIONS}
        allowDeselect={false}
        w={200}
        comboboxProps={{ withinPortal: true }}
        leftSection={<ToneSwatch tone={level.tone} />}
        renderOption={({ option }) => (
          <Group gap={8} wrap="nowrap">
            <ToneSwatch tone={option.value as RatingLevel["tone"]} />
            {option.label}
          </Group>
        )}
        {...form.getInputProps(`ratingScale.${index}.tone`)}
      />
      <Box w={150} mt={6} aria-hidden="true" style={{ overflow: "hidden" }}>
        <RatingMark level={{ code: level.code, label: level.label.trim() || "…", tone: level.tone }} />
      </Box>
      <Group gap={4} wrap="nowrap" mt={2}>
        <Tooltip label="Move up" withArrow>
          <ActionIcon
            variant="default"
            aria-label={`Move level ${n} up`}
            disabled={index === 0}
            onClick={() => move(index - 1)}
          >
            <IconChevronUp size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Move down" withArrow>
          <ActionIcon
            variant="default"
            aria-label={`Move level ${n} down`}
            disabled={index === count - 1}
            onClick={() => move(index + 1)}
          >
            <IconChevronDown size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label={count <= 2 ? "A scale needs at least two levels" : "Remove"} withArrow>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Remove level ${n}`}
            disabled={count <= 2}
            onClick={() => form.removeListItem("ratingScale", index)}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Group>
  );
}

/** A small square in the tone's colour. */
function ToneSwatch({ tone }: { tone: RatingLevel["tone"] }) {
  return <ColorSwatch color={`var(--mantine-color-${TONE_COLORS[tone]}-6)`} size={12} radius={2} />;
}

/** How many matters the scope holds right now: what starting the cycle will create. */
function ScopeCount({ scope }: { scope: CycleValues["scope"] }) {
  // By value: the form may hand over the same scope object with new lists inside.
  const [debounced] = useDebouncedValue(JSON.stringify(scope), 300);
  const count = useScopeCount(JSON.parse(debounced) as CycleValues["scope"]);
  return (
    <Text size="sm" c="dimmed" aria-live="polite">
      {count.data === undefined
        ? "Counting the matters in scope…"
        : `${plural(count.data, "matter")} in scope today: starting the cycle creates one review for each.`}
    </Text>
  );
}

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
  const listRef = useRef<HTMLDivElement>(null);
  const scaleRef = useRef<HTMLDivElement>(null);
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
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
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

  const pending = base ? Object.keys(changedFields(toPayload(toValues(base)), toPayload(form.values))) : [];

  const addCriterion = () => {
    form.insertListItem("criteria", { key: newKey(), code: "", title: "", guidance: "", topics: [] });
    // The new row's code box takes the focus, so the keyboard carries on where the rows are.
    const at = form.getValues().criteria.length - 1;
    requestAnimationFrame(() =>
      listRef.current?.querySelector<HTMLInputElement>(`[data-path="criteria.${at}.code"]`)?.focus(),
    );
  };

  const addLevel = () => {
    form.insertListItem("ratingScale", {
      key: newKey(),
      code: "",
      label: "",
      tone: "neutral",
      codeTouched: false,
    } satisfies LevelValues);
    const at = form.getValues().ratingScale.length - 1;
    requestAnimationFrame(() =>
      scaleRef.current?.querySelector<HTMLInputElement>(`[data-path="ratingScale.${at}.label"]`)?.focus(),
    );
  };

  const nameProps = form.getInputProps("name");
  const values = form.values;

  return (
    <form onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit cycle" : "New cycle"}>
      <Stack gap="md">
        {saver.conflict ? (
          <ConflictAlert
            noun="cycle"
            version={saver.conflict.version}
            changes={pending.map((k) => FIELD_LABELS[k] ?? k)}
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
              <PartialDateInput label="Due" {...form.getInputProps("dueOn")} />
            </SimpleGrid>
          </Stack>
        </Card>
        <Card withBorder padding="md">
          <Title order={2} size="h5" mb="sm">
            Scope
          </Title>
          {locked ? (
            <Alert color="gray" variant="light" icon={<IconLock />} mb="sm">
              The cycle has started: its scope, criteria and rating scale no longer change. Copy it to prepare
              the next one.
            </Alert>
          ) : null}
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <MultiSelect
                label="Matter kinds"
                description="None chosen: every kind"
                placeholder={values.scope.kinds.length ? undefined : "Every kind"}
                data={KIND_OPTIONS}
                searchable
                clearable
                disabled={locked}
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps("scope.kinds")}
              />
              <MultiSelect
                label="Matter statuses"
                description="None chosen: any status"
                placeholder={values.scope.statuses.length ? undefined : "Any status"}
                data={STATUS_OPTIONS}
                searchable
                clearable
                disabled={locked}
                comboboxProps={{ withinPortal: true }}
                {...form.getInputProps("scope.statuses")}
              />
            </SimpleGrid>
            {locked ? null : <ScopeCount scope={values.scope} />}
          </Stack>
        </Card>
        <Card withBorder padding="md" component="section" aria-labelledby="criteria-h">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h5" id="criteria-h">
              Criteria ({values.criteria.length})
            </Title>
          </Group>
          {values.criteria.length === 0 ? (
            <Text size="sm" c="dimmed" mb="sm">
              No criteria yet. Each is a principle every matter is rated against; a cycle needs at least one
              to start.
            </Text>
          ) : null}
          {form.errors.criteria ? (
            <Text size="sm" c="red" mb="xs" role="alert">
              {form.errors.criteria}
            </Text>
          ) : null}
          <Stack component="ol" gap="xs" m={0} p={0} style={{ listStyle: "none" }} ref={listRef}>
            {values.criteria.map((c, i) => (
              <CriterionRow
                key={c.key}
                form={form}
                index={i}
                count={values.criteria.length}
                locked={locked}
              />
            ))}
          </Stack>
          {locked ? null : (
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              mt="sm"
              onClick={addCriterion}
              disabled={values.criteria.length >= 50}
            >
              Add criterion
            </Button>
          )}
        </Card>
        <Card withBorder padding="md" component="section" aria-labelledby="scale-h">
          <Title order={2} size="h5" id="scale-h" mb={4}>
            {`Rating scale (${values.ratingScale.length} levels)`}
          </Title>
          {locked ? (
            <Group gap="xs" wrap="wrap" aria-label="Rating scale">
              <IconLock size={14} color="var(--mantine-color-dimmed)" />
              {values.ratingScale.map((l) => (
                <RatingMark key={l.key} level={l} />
              ))}
            </Group>
          ) : (
            <>
              <Text size="sm" c="dimmed" mb="sm">
                What a reviewer rates each matter on a criterion, from best to worst. The tone colours the
                matrix and the reports; the code is what the CSV and JSON hold.
              </Text>
              {form.errors.ratingScale ? (
                <Text size="sm" c="red" mb="xs" role="alert">
                  {form.errors.ratingScale}
                </Text>
              ) : null}
              <Group gap="sm" wrap="nowrap" mb={4} aria-hidden="true" pl={30}>
                <Text size="xs" fw={600} c="dimmed" style={{ flex: 1 }}>
                  Label
                </Text>
                <Text size="xs" fw={600} c="dimmed" w={170}>
                  Code
                </Text>
                <Text size="xs" fw={600} c="dimmed" w={200}>
                  Tone
                </Text>
                <Text size="xs" fw={600} c="dimmed" w={150}>
                  Shown as
                </Text>
                <Box w={100} />
              </Group>
              <Stack component="ol" gap="xs" m={0} p={0} style={{ listStyle: "none" }} ref={scaleRef}>
                {values.ratingScale.map((l, i) => (
                  <LevelRow key={l.key} form={form} index={i} count={values.ratingScale.length} />
                ))}
              </Stack>
              <Button
                variant="light"
                leftSection={<IconPlus size={16} />}
                mt="sm"
                onClick={addLevel}
                disabled={values.ratingScale.length >= 10}
              >
                Add level
              </Button>
            </>
          )}
        </Card>
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
