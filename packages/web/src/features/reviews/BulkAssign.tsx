import { ROLE_LABELS } from "@accord/domain";
import { Button, Card, Group, Select, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useUsers } from "../../api/admin";
import type { Query } from "../../api/client";
import { type AssignReviews, fetchReviews, useAssignReviews } from "../../api/reviews";
import { ProblemAlert } from "../../components/ProblemAlert";
import { errorMessage } from "../../lib/forms";
import { plural } from "./review-labels";

/** The most reviews one request may name (the API's limit). */
const MAX_IDS = 5000;
const NOBODY = "__nobody__";

/**
 * Assign reviews to a reviewer: the rows selected, or every review matching the filters. The
 * API assigns by cycle, kind and state itself; for other filters the matching reviews are listed
 * first and sent by id. Approved reviews keep who drafted them.
 */
export function BulkAssign({
  cycle,
  selected,
  matching,
  filters,
  onDone,
}: {
  cycle: string;
  selected: string[];
  /** How many reviews match the filters. */
  matching: number;
  /** The list's filters, as the reviews list takes them (without paging and sort). */
  filters: Query;
  onDone: () => void;
}) {
  const users = useUsers();
  const assign = useAssignReviews();
  const [assignee, setAssignee] = useState<string | null>(null);
  const [collecting, setCollecting] = useState(false);
  const options = [
    { value: NOBODY, label: "Nobody (take them off their reviewer)" },
    ...(users.data?.items ?? [])
      .filter((u) => u.active && (u.role === "reviewer" || u.role === "admin"))
      .map((u) => ({
        value: u.username,
        label: `${u.displayName ?? u.username} (${u.username}, ${ROLE_LABELS[u.role]})`,
      })),
  ];
  const who = assignee === NOBODY ? null : assignee;
  const whoName = options.find((o) => o.value === assignee)?.label.replace(/ \(.*$/, "") ?? "";

  const send = (body: AssignReviews) =>
    assign.mutate(body, {
      onSuccess: ({ assigned }) => {
        notifications.show({
          color: "teal",
          title: "Reviews assigned",
          message:
            who === null
              ? `${plural(assigned, "review")} taken off their reviewer.`
              : `${plural(assigned, "review")} assigned to ${whoName}.`,
        });
        onDone();
      },
    });

  const assignMatching = async () => {
    const onlyScope = Object.entries(filters).every(
      ([k, v]) =>
        k === "cycle" ||
        k === "kind" ||
        k === "state" ||
        v === undefined ||
        v === null ||
        v === "" ||
        (Array.isArray(v) && v.length === 0),
    );
    if (onlyScope) {
      send({
        assignee: who,
        cycle,
        ...(Array.isArray(filters.kind) && filters.kind.length ? { kind: [...filters.kind] } : {}),
        ...(Array.isArray(filters.state) && filters.state.length ? { state: [...filters.state] } : {}),
      });
      return;
    }
    setCollecting(true);
    try {
      const ids: string[] = [];
      while (ids.length < Math.min(matching, MAX_IDS)) {
        const page = await fetchReviews({ ...filters, limit: 1000, offset: ids.length, sort: "matter" });
        if (page.items.length === 0) break;
        ids.push(...page.items.map((r) => r.id));
      }
      send({ assignee: who, reviewIds: ids.slice(0, MAX_IDS) });
    } catch (error) {
      notifications.show({ color: "red", title: "Not assigned", message: errorMessage(error) });
    } finally {
      setCollecting(false);
    }
  };

  return (
    <Card withBorder padding="sm" component="section" aria-label="Assign reviews">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Assign to"
          placeholder={users.isPending ? "Loading users…" : "Choose a reviewer"}
          data={options}
          value={assignee}
          onChange={setAssignee}
          searchable
          w={340}
          comboboxProps={{ withinPortal: true }}
          nothingFoundMessage="No active reviewer by that name"
        />
        <Button
          disabled={!assignee || selected.length === 0}
          loading={assign.isPending && !collecting}
          onClick={() => send({ assignee: who, reviewIds: selected })}
        >
          {selected.length ? `Assign ${plural(selected.length, "selected review")}` : "Assign selected"}
        </Button>
        <Button
          variant="light"
          disabled={!assignee || matching === 0}
          loading={collecting}
          onClick={() => void assignMatching()}
        >
          {`Assign all ${plural(matching, "matching review")}`}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        Select rows below, or assign every review that matches the filters. Approved reviews keep their
        reviewer.
      </Text>
      {users.error ? <ProblemAlert error={users.error} title="The users could not be listed" /> : null}
      {assign.error ? <ProblemAlert error={assign.error} title="Not assigned" /> : null}
    </Card>
  );
}
