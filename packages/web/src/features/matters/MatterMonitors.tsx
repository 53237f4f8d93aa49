import type { Matter } from "@accord/domain";
import { Anchor, Badge, Box, Button, Group, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { type Assignment, useAssign, useAssignments, useUnassign, useUsers } from "../../api/admin";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDay, formatTime, personName } from "../../lib/audit";
import { errorMessage } from "../../lib/forms";

/**
 * The monitors assigned to a matter (users with the Monitor role read only their matters): who,
 * since when and by whom, with a way to take one off and to assign another. Only for users who
 * manage users; the server refuses anyone else.
 */
export function MatterMonitors({ matter }: { matter: Pick<Matter, "id" | "slug" | "title"> }) {
  const assignments = useAssignments({ matter: matter.id, limit: 200 });
  const users = useUsers();
  const assign = useAssign();
  const unassign = useUnassign();
  // Which assignment the confirm is about; kept while the dialog closes so its text stays.
  const [removing, setRemoving] = useState<Assignment | null>(null);
  const [confirming, setConfirming] = useState(false);

  const items = assignments.data?.items ?? [];
  const assigned = new Set(items.map((a) => a.user.id));
  const activeMonitors = (users.data?.items ?? []).filter((u) => u.role === "monitor" && u.active);
  // An assignment changes the monitor: each change names the monitor's version from the users list.
  const versionOf = (userId: string) => users.data?.items.find((u) => u.id === userId)?.version;
  const options = activeMonitors
    .filter((u) => !assigned.has(u.id))
    .map((u) => ({ value: u.id, label: u.displayName ? `${u.displayName} (${u.username})` : u.username }));

  const onAssign = (userId: string | null) => {
    const user = activeMonitors.find((u) => u.id === userId);
    if (!user) return;
    assign.mutate(
      { matter: matter.id, user: user.id, version: user.version },
      {
        onSuccess: () =>
          notifications.show({
            color: "teal",
            title: "Monitor assigned",
            message: `${personName(user)} may now read this matter.`,
          }),
      },
    );
  };

  const onRemove = (a: Assignment) => {
    const version = versionOf(a.user.id);
    if (version === undefined) return;
    unassign.mutate(
      { matter: matter.id, user: a.user.id, version },
      {
        onSuccess: () => {
          setConfirming(false);
          notifications.show({
            color: "teal",
            title: "Monitor removed",
            message: `${personName(a.user)} no longer reads this matter.`,
          });
        },
        onError: (error) => {
          setConfirming(false);
          notifications.show({ color: "red", title: "Not removed", message: errorMessage(error) });
        },
      },
    );
  };

  let list: ReactNode;
  if (assignments.error) {
    list = <ProblemAlert error={assignments.error} onRetry={() => assignments.refetch()} />;
  } else if (assignments.isPending) {
    list = (
      <Text size="sm" c="dimmed">
        Loading…
      </Text>
    );
  } else if (items.length === 0) {
    list = (
      <Text size="sm" c="dimmed">
        No monitor is assigned to this matter.
      </Text>
    );
  } else {
    list = (
      <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: "none" }} aria-label="Assigned monitors">
        {items.map((a) => (
          <Group component="li" key={a.user.id} justify="space-between" wrap="nowrap" gap="xs">
            <Box style={{ minWidth: 0 }}>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" fw={500} truncate>
                  {personName(a.user)}
                </Text>
                {a.user.active ? null : (
                  <Badge size="xs" color="gray" variant="light" radius="sm" tt="none">
                    Deactivated
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" title={formatTime(a.assignedAt)}>
                since {formatDay(a.assignedAt)} · by {a.assignedBy}
              </Text>
            </Box>
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => {
                setRemoving(a);
                setConfirming(true);
              }}
              disabled={versionOf(a.user.id) === undefined}
              aria-label={`Remove ${a.user.username} from this matter`}
            >
              Remove
            </Button>
          </Group>
        ))}
      </Stack>
    );
  }

  const noneToAssign = !users.isPending && options.length === 0;
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        Users with the Monitor role read only the matters they are assigned to.
      </Text>
      {list}
      <Select
        label="Assign a monitor"
        placeholder={
          users.isPending
            ? "Loading…"
            : activeMonitors.length === 0
              ? "No active monitor yet"
              : noneToAssign
                ? "Every active monitor is assigned"
                : "Choose a monitor"
        }
        data={options}
        value={null}
        onChange={onAssign}
        disabled={users.isPending || noneToAssign || assign.isPending}
        searchable
        comboboxProps={{ withinPortal: true }}
        description={
          !users.isPending && activeMonitors.length === 0 ? (
            <>
              Create a user with the Monitor role in{" "}
              <Anchor component={Link} to="/admin/users" size="xs">
                Admin › Users
              </Anchor>
              .
            </>
          ) : undefined
        }
      />
      {assign.error ? <ProblemAlert error={assign.error} title="Not assigned" /> : null}
      <ConfirmModal
        opened={confirming}
        title="Remove this monitor?"
        confirmLabel="Remove"
        busy={unassign.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() => removing && onRemove(removing)}
      >
        <Text size="sm">
          <strong>{removing ? personName(removing.user) : ""}</strong> will no longer read{" "}
          <strong>{matter.title}</strong>. The change is kept in the matter's history.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
