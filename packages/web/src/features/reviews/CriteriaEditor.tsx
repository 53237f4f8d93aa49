import {
  ActionIcon,
  Button,
  Card,
  Group,
  MultiSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useRef } from "react";
import { IconChevronDown, IconChevronUp, IconPlus, IconTrash } from "../../components/icons";
import { TOPIC_OPTION_GROUPS } from "../../lib/topics";
import { type CycleFormApi, newKey } from "./cycle-form-values";

/** One criterion's row: code, title and guidance, with buttons to move and remove it. */
function CriterionRow({
  form,
  index,
  count,
  locked,
}: {
  form: CycleFormApi;
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
            data={TOPIC_OPTION_GROUPS}
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

/** The criteria every matter is rated against, in order; fixed once the cycle has started. */
export function CriteriaEditor({ form, locked }: { form: CycleFormApi; locked: boolean }) {
  const listRef = useRef<HTMLDivElement>(null);
  const values = form.values;

  const addCriterion = () => {
    form.insertListItem("criteria", { key: newKey(), code: "", title: "", guidance: "", topics: [] });
    // The new row's code box takes the focus, so the keyboard carries on where the rows are.
    const at = form.getValues().criteria.length - 1;
    requestAnimationFrame(() =>
      listRef.current?.querySelector<HTMLInputElement>(`[data-path="criteria.${at}.code"]`)?.focus(),
    );
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="criteria-h">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id="criteria-h">
          Criteria ({values.criteria.length})
        </Title>
      </Group>
      {values.criteria.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          No criteria yet. Each is a principle every matter is rated against; a cycle needs at least one to
          start.
        </Text>
      ) : null}
      {form.errors.criteria ? (
        <Text size="sm" c="red" mb="xs" role="alert">
          {form.errors.criteria}
        </Text>
      ) : null}
      <Stack component="ol" gap="xs" m={0} p={0} style={{ listStyle: "none" }} ref={listRef}>
        {values.criteria.map((c, i) => (
          <CriterionRow key={c.key} form={form} index={i} count={values.criteria.length} locked={locked} />
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
  );
}
