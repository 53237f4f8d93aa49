import type { RatingLevel } from "@accord/domain";
import {
  ActionIcon,
  Box,
  Button,
  Card,
  ColorSwatch,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useRef } from "react";
import { IconChevronDown, IconChevronUp, IconLock, IconPlus, IconTrash } from "../../components/icons";
import { type CycleFormApi, type LevelValues, levelCode, newKey } from "./cycle-form-values";
import { RatingMark } from "./ReviewBadges";
import { TONE_COLORS } from "./review-labels";

const TONE_OPTIONS: { value: RatingLevel["tone"]; label: string }[] = [
  { value: "good", label: "Good" },
  { value: "neutral", label: "Neutral" },
  { value: "bad", label: "Bad" },
  { value: "none", label: "None (n/a)" },
];

/** One level of the rating scale: its label, code and tone, with buttons to move and remove it. */
function LevelRow({ form, index, count }: { form: CycleFormApi; index: number; count: number }) {
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

/** The levels a reviewer rates on, best first; shown, not edited, once the cycle has started. */
export function RatingScaleEditor({ form, locked }: { form: CycleFormApi; locked: boolean }) {
  const scaleRef = useRef<HTMLDivElement>(null);
  const values = form.values;

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

  return (
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
            What a reviewer rates each matter on a criterion, from best to worst. The tone colours the matrix
            and the reports; the code is what the CSV and JSON hold.
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
  );
}
