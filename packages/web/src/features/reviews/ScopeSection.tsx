import {
  formatPartialDate,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  MATTER_STATUS_LABELS,
  MATTER_STATUSES,
  STATUS_GROUP_LABELS,
  STATUS_GROUPS,
  statusGroup,
} from "@accord/domain";
import { Alert, Card, MultiSelect, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useScopeCount } from "../../api/reviews";
import { IconLock } from "../../components/icons";
import { isAsOfDay } from "../../lib/as-of";
import type { CycleFormApi, CycleValues } from "./cycle-form-values";
import { plural } from "./review-labels";

const KIND_OPTIONS = MATTER_KINDS.map((k) => ({ value: k, label: MATTER_KIND_LABELS[k] }));
const STATUS_OPTIONS = STATUS_GROUPS.map((g) => ({
  group: STATUS_GROUP_LABELS[g],
  items: MATTER_STATUSES.filter((s) => statusGroup(s) === g).map((s) => ({
    value: s,
    label: MATTER_STATUS_LABELS[s],
  })),
}));

/** How many matters the scope holds right now: what starting the cycle will create. */
function ScopeCount({ scope, asOf }: { scope: CycleValues["scope"]; asOf: string }) {
  // By value: the form may hand over the same scope object with new lists inside.
  const [debounced] = useDebouncedValue(JSON.stringify(scope), 300);
  const day = isAsOfDay(asOf) ? asOf : null;
  const count = useScopeCount(JSON.parse(debounced) as CycleValues["scope"], true, day);
  return (
    <Text size="sm" c="dimmed" aria-live="polite">
      {count.data === undefined
        ? "Counting the matters in scope…"
        : `${plural(count.data, "matter")} in scope ${day ? `as of ${formatPartialDate(day)}` : "today"}: starting the cycle creates one review for each.`}
    </Text>
  );
}

/** The matters a cycle reviews, by kind and status; fixed once the cycle has started. */
export function ScopeSection({ form, locked }: { form: CycleFormApi; locked: boolean }) {
  const values = form.values;
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h5" mb="sm">
        Scope
      </Title>
      {locked ? (
        <Alert color="gray" variant="light" icon={<IconLock />} mb="sm">
          The cycle has started: its scope, criteria and rating scale no longer change. Copy it to prepare the
          next one.
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
        {locked ? null : <ScopeCount scope={values.scope} asOf={values.asOf} />}
      </Stack>
    </Card>
  );
}
