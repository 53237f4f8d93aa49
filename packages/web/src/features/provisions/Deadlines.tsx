import type { DeadlineOccurrence } from "@accord/domain";
import { Anchor, Button, Group, Popover, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link } from "react-router";
import { useSetAnchorDate } from "../../api/provisions";
import { useCan } from "../../api/session";
import { DateField } from "../../components/DateField";
import { ListTable } from "../../components/ListPage";
import { ProblemAlert } from "../../components/ProblemAlert";
import { DeadlineActions, DeadlineStatusLine } from "../calendar/DeadlineActions";
import { DueBadge, deadlineKindLabel, formatDay, provisionPath } from "./shared";

/** What a deadline is counted from, in words. */
export function anchorText(anchor: DeadlineOccurrence["anchor"]): string {
  if (anchor.kind === "effective_date") return "the Effective Date";
  if (anchor.kind === "date") return anchor.date;
  return anchor.text;
}

/**
 * For a deadline counted from something other than the effective date (the Monitor's
 * appointment…): give the day that happened, so its date can be computed.
 */
export function AnchorDateControl({
  deadlineId,
  version,
  anchor,
  anchorDate,
}: {
  deadlineId: string;
  /** The version of the deadline's provision as shown (sent as If-Match). */
  version: number;
  anchor: DeadlineOccurrence["anchor"];
  anchorDate: string | null;
}) {
  const canWrite = useCan("registry:write");
  const [opened, setOpened] = useState(false);
  const [value, setValue] = useState(anchorDate ?? "");
  const save = useSetAnchorDate();
  if (anchor.kind !== "other") return null;
  const what = anchor.text;
  const submit = (date: string | null) =>
    save.mutate(
      { deadlineId, version, anchorDate: date },
      {
        onSuccess: () => {
          setOpened(false);
          notifications.show({
            color: "teal",
            title: date ? "Date given" : "Date cleared",
            message: date ? `${what}: ${formatDay(date)}` : what,
          });
        },
      },
    );
  return (
    <Stack gap={2}>
      {anchorDate ? (
        <Text size="xs" c="dimmed">
          Counted from {what}, on {formatDay(anchorDate)}
        </Text>
      ) : null}
      {canWrite ? (
        <Popover
          opened={opened}
          onChange={setOpened}
          trapFocus
          withArrow
          position="bottom-start"
          width={300}
          returnFocus
        >
          <Popover.Target>
            <Anchor
              component="button"
              type="button"
              size="xs"
              style={{ alignSelf: "flex-start" }}
              onClick={() => {
                setValue(anchorDate ?? "");
                save.reset();
                setOpened((o) => !o);
              }}
              aria-label={`${anchorDate ? "Change" : "Give"} the date of ${what}`}
            >
              {anchorDate ? "Change the date" : "Give the date"}
            </Anchor>
          </Popover.Target>
          <Popover.Dropdown>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (/^\d{4}-\d{2}-\d{2}$/.test(value)) submit(value);
              }}
            >
              <Stack gap="xs">
                <DateField
                  label={`Date of ${what}`}
                  value={value}
                  onChange={setValue}
                  withinPortal={false}
                  data-autofocus
                />
                {save.error ? <ProblemAlert error={save.error} title="Not saved" /> : null}
                <Group justify="flex-end" gap="xs">
                  {anchorDate ? (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => submit(null)}
                      disabled={save.isPending}
                    >
                      Clear
                    </Button>
                  ) : null}
                  <Button
                    size="xs"
                    type="submit"
                    loading={save.isPending}
                    disabled={!/^\d{4}-\d{2}-\d{2}$/.test(value)}
                  >
                    Save date
                  </Button>
                </Group>
              </Stack>
            </form>
          </Popover.Dropdown>
        </Popover>
      ) : null}
    </Stack>
  );
}

/** Deadline occurrences as a table: due date, state, provision, the decree's words, how it repeats. */
export function DeadlinesTable({
  items,
  caption,
  showMatter = false,
}: {
  items: readonly DeadlineOccurrence[];
  caption: string;
  showMatter?: boolean;
}) {
  return (
    <ListTable
      aria-label={caption}
      verticalSpacing={4}
      head={
        <>
          <Table.Th w={120}>Due</Table.Th>
          <Table.Th w={100}>State</Table.Th>
          {showMatter ? <Table.Th>Matter</Table.Th> : null}
          <Table.Th>Provision</Table.Th>
          <Table.Th>What the decree says</Table.Th>
          <Table.Th w={140}>Repeats</Table.Th>
        </>
      }
    >
      {items.map((d) => (
        <Table.Tr key={`${d.deadlineId}-${d.occurrence ?? 0}-${d.date ?? "none"}`}>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            <Text size="sm" fw={d.overdue ? 600 : 400} c={d.overdue ? "red" : undefined}>
              {formatDay(d.date)}
            </Text>
          </Table.Td>
          <Table.Td>
            <DueBadge d={d} />
          </Table.Td>
          {showMatter ? (
            <Table.Td maw={240}>
              <Anchor component={Link} to={`/matters/${d.matter.slug}/provisions?view=deadlines`} size="xs">
                {d.matter.title}
              </Anchor>
            </Table.Td>
          ) : null}
          <Table.Td maw={320} miw={200}>
            <Anchor component={Link} to={provisionPath(d.matter.slug, d.provision)} size="sm" fw={600}>
              {d.provision.label}
            </Anchor>
            <Text size="xs" c="dimmed" lineClamp={1}>
              {d.provision.path.split(" › ").slice(0, -1).join(" › ")}
            </Text>
          </Table.Td>
          <Table.Td miw={220}>
            <Text size="sm">{d.duty ?? `“${d.phrase}”`}</Text>
            <DeadlineStatusLine d={d} />
            {d.note ? (
              <Text size="xs" c="dimmed">
                {d.note}
              </Text>
            ) : null}
            <AnchorDateControl
              deadlineId={d.deadlineId}
              version={d.provision.version}
              anchor={d.anchor}
              anchorDate={d.anchorDate}
            />
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            <Text size="sm">{deadlineKindLabel(d)}</Text>
            <DeadlineActions d={d} />
          </Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}
