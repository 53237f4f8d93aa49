import { MATTER_KIND_LABELS } from "@accord/domain";
import { Alert, Anchor, Button, Drawer, Group, MultiSelect, Stack, Table, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import {
  type Assignment,
  type User,
  useAssign,
  useAssignMany,
  useAssignments,
  useUnassign,
} from "../../api/admin";
import { fetchMatterOptions } from "../../api/hooks";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { StatusBadge } from "../../components/StatusBadge";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatDay, formatTime, personName } from "../../lib/audit";
import { errorMessage } from "../../lib/forms";

/** As many of a monitor's assignments as the drawer lists (the API's largest page). */
const ASSIGNMENT_LIMIT = 1000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Matters (N)" for a monitor's row: how many matters they are assigned to; opens the drawer. */
export function MonitorMattersButton({ user, onOpen }: { user: User; onOpen: () => void }) {
  const count = useAssignments({ user: user.id, limit: 1 });
  const n = count.data?.total;
  return (
    <Button
      size="compact-xs"
      variant="light"
      onClick={onOpen}
      aria-label={`Matters (${n ?? "…"}) of ${user.username}`}
    >
      Matters ({n ?? "…"})
    </Button>
  );
}

interface MatterOption {
  value: string;
  label: string;
  disabled?: boolean;
}

/**
 * Pick matters by searching the registry as one types; those already assigned are shown but
 * cannot be picked. One matter is assigned with PUT, several with one bulk request.
 */
function AssignMatters({ user, assigned }: { user: User; assigned: ReadonlySet<string> }) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<MatterOption[]>([]);
  const assign = useAssign();
  const assignMany = useAssignMany();
  const found = useQuery({
    queryKey: ["options", "matters", debounced],
    queryFn: () => fetchMatterOptions(debounced),
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const list: MatterOption[] = [...picked];
    for (const m of found.data?.items ?? []) {
      if (list.some((o) => o.value === m.id)) continue;
      const isAssigned = assigned.has(m.id);
      list.push({ value: m.id, label: isAssigned ? `${m.title} (assigned)` : m.title, disabled: isAssigned });
    }
    return list;
  }, [found.data, picked, assigned]);

  const busy = assign.isPending || assignMany.isPending;
  const error = assign.error ?? assignMany.error;
  const done = (message: string) => {
    setPicked([]);
    notifications.show({ color: "teal", title: "Matters assigned", message });
  };
  const submit = () => {
    const ids = picked.map((o) => o.value);
    const [only] = picked;
    assign.reset();
    assignMany.reset();
    if (ids.length === 1 && only) {
      assign.mutate(
        { matter: only.value, user: user.id, version: user.version },
        { onSuccess: () => done(`${personName(user)} may now read ${only.label}.`) },
      );
    } else if (ids.length > 1) {
      assignMany.mutate(
        { user: user.id, matterIds: ids, version: user.version },
        {
          onSuccess: ({ assigned: n, alreadyAssigned }) =>
            done(
              `${personName(user)} may now read ${plural(n, "more matter")}${
                alreadyAssigned ? ` (${plural(alreadyAssigned, "was", "were")} already assigned)` : ""
              }.`,
            ),
        },
      );
    }
  };

  return (
    <Stack gap="xs">
      <MultiSelect
        label="Assign matters"
        description="Search the registry by title, city or case number; pick one or several"
        placeholder={picked.length ? "" : "Search matters…"}
        data={options}
        value={picked.map((o) => o.value)}
        onChange={(ids) =>
          setPicked(ids.map((id) => options.find((o) => o.value === id)).filter((o) => o !== undefined))
        }
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options: all }) => all}
        nothingFoundMessage={found.isFetching ? "Searching…" : "No matter found"}
        comboboxProps={{ withinPortal: true }}
        maxDropdownHeight={280}
      />
      <Group justify="flex-end">
        <Button onClick={submit} disabled={picked.length === 0} loading={busy}>
          {picked.length > 1 ? `Assign ${picked.length} matters` : "Assign matter"}
        </Button>
      </Group>
      {error ? <ProblemAlert error={error} title="Not assigned" /> : null}
    </Stack>
  );
}

/** The matters a monitor is assigned to, with links, a way to take one off, and to add more. */
function MonitorMatters({ user }: { user: User }) {
  const assignments = useAssignments({ user: user.id, limit: ASSIGNMENT_LIMIT });
  const unassign = useUnassign();
  const [removing, setRemoving] = useState<Assignment | null>(null);
  const [confirming, setConfirming] = useState(false);
  const items = assignments.data?.items ?? [];
  const assigned = useMemo(() => new Set(items.map((a) => a.matter.id)), [items]);

  const remove = (a: Assignment) =>
    unassign.mutate(
      { matter: a.matter.id, user: user.id, version: user.version },
      {
        onSuccess: () => {
          setConfirming(false);
          notifications.show({
            color: "teal",
            title: "Matter removed",
            message: `${personName(user)} no longer reads ${a.matter.title}.`,
          });
        },
        onError: (error) => {
          setConfirming(false);
          notifications.show({ color: "red", title: "Not removed", message: errorMessage(error) });
        },
      },
    );

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        A monitor reads only the matters they are assigned to: their lists, dashboard and events hold nothing
        else.
      </Text>
      {user.active ? (
        <AssignMatters user={user} assigned={assigned} />
      ) : (
        <Alert color="gray" variant="light" title="Deactivated">
          Reactivate {user.username} to assign matters to them.
        </Alert>
      )}
      <Title order={3} size="h5">
        Assigned matters{assignments.data ? ` (${assignments.data.total})` : ""}
      </Title>
      {assignments.error ? (
        <ProblemAlert error={assignments.error} onRetry={() => assignments.refetch()} />
      ) : assignments.isPending ? (
        <TableSkeleton rows={3} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet: {personName(user)} sees no matter.
        </Text>
      ) : (
        <Table className="accord-table" verticalSpacing={6} aria-label={`Matters of ${user.username}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Matter</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Since</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.matter.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/matters/${a.matter.slug}`} size="sm" fw={500}>
                    {a.matter.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {MATTER_KIND_LABELS[a.matter.kind] ?? a.matter.kind}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={a.matter.status} size="sm" />
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <Text size="xs" title={`${formatTime(a.assignedAt)} by ${a.assignedBy}`}>
                    {formatDay(a.assignedAt)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => {
                      setRemoving(a);
                      setConfirming(true);
                    }}
                    aria-label={`Remove ${a.matter.title}`}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmModal
        opened={confirming}
        title="Remove this matter?"
        confirmLabel="Remove"
        busy={unassign.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() => removing && remove(removing)}
      >
        <Text size="sm">
          <strong>{personName(user)}</strong> will no longer read <strong>{removing?.matter.title}</strong>.
          The change is kept in the matter's history.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}

/**
 * A monitor's matters, in a drawer over the Users page. `user` must be the monitor as the users
 * list now holds them: each change names their version (If-Match) and answers the next.
 */
export function MonitorMattersDrawer({
  user,
  opened,
  onClose,
}: {
  user: User | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={user ? `Matters of ${personName(user)}` : ""}
    >
      {user ? <MonitorMatters key={user.id} user={user} /> : null}
    </Drawer>
  );
}
