import { ROLE_LABELS } from "@accord/domain";
import { Badge, Button, Card, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { type User, useResetPassword, useUpdateUser, useUsers } from "../../api/admin";
import { hasCode } from "../../api/client";
import { useCurrentUser } from "../../api/session";
import { ConfirmModal } from "../../components/ConfirmModal";
import { IconPlus } from "../../components/icons";
import { ListTable } from "../../components/ListPage";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime } from "../../lib/audit";
import { errorMessage } from "../../lib/forms";
import { MonitorMattersButton, MonitorMattersDrawer } from "./MonitorMatters";
import { CreateUserForm, EditUserForm } from "./UserForms";

type DialogKind = "create" | "edit" | "active" | "reset" | "newPassword" | "matters";

/** A badge the table does not squeeze into an ellipsis when the row is crowded. */
const WHOLE_BADGE = { root: { flexShrink: 0, overflow: "visible" }, label: { overflow: "visible" } };

function StatusBadge({ user }: { user: User }) {
  return user.active ? (
    <Badge color="teal" variant="light" radius="sm" tt="none" styles={WHOLE_BADGE}>
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="light" radius="sm" tt="none" styles={WHOLE_BADGE}>
      Deactivated
    </Badge>
  );
}

function UserRow({
  user,
  self,
  open,
}: {
  user: User;
  self: boolean;
  open: (kind: DialogKind, user: User) => void;
}) {
  return (
    <Table.Tr style={{ opacity: user.active ? 1 : 0.7 }}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600}>
            {user.username}
          </Text>
          {self ? (
            <Badge size="xs" variant="outline" radius="sm" tt="none" styles={WHOLE_BADGE}>
              you
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        {user.displayName ?? (
          <Text c="dimmed" size="sm">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {user.role === "monitor" ? (
          // A monitor reads only their matters: which ones, one click away (under the role, so
          // the row keeps its width).
          <Stack gap={2} align="flex-start">
            {ROLE_LABELS[user.role]}
            <MonitorMattersButton user={user} onOpen={() => open("matters", user)} />
          </Stack>
        ) : (
          ROLE_LABELS[user.role]
        )}
      </Table.Td>
      <Table.Td>
        <StatusBadge user={user} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>
        {user.lastSeenAt ? (
          formatTime(user.lastSeenAt)
        ) : (
          <Text c="dimmed" size="sm" title="No session open now">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => open("edit", user)}
            aria-label={`Edit ${user.username}`}
          >
            Edit
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => open("reset", user)}
            aria-label={`Reset password of ${user.username}`}
          >
            Reset password
          </Button>
          {self ? null : (
            <Button
              size="compact-sm"
              variant="subtle"
              color={user.active ? "red" : "teal"}
              onClick={() => open("active", user)}
              aria-label={`${user.active ? "Deactivate" : "Reactivate"} ${user.username}`}
            >
              {user.active ? "Deactivate" : "Reactivate"}
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function UsersPage() {
  const users = useUsers();
  const me = useCurrentUser();
  const update = useUpdateUser();
  const reset = useResetPassword();
  // Which dialog is open; what it shows stays while it closes, so its text does not blank out.
  const [kind, setKind] = useState<DialogKind | null>(null);
  const [subject, setSubject] = useState<User | null>(null);
  const [secret, setSecret] = useState<{ user: User; password: string } | null>(null);
  const open = (k: DialogKind, user?: User) => {
    if (user) setSubject(user);
    if (k === "create") setSecret(null);
    setKind(k);
  };
  const close = () => setKind(null);
  const reactivating = subject !== null && !subject.active;

  const setActive = (user: User) =>
    update.mutate(
      { id: user.id, version: user.version, patch: { active: !user.active } },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: "teal",
            title: saved.active ? "Reactivated" : "Deactivated",
            message: saved.active
              ? `${saved.username} may sign in again.`
              : `${saved.username} was signed out and cannot sign in. Their history is kept.`,
          });
          close();
        },
        onError: (error) => {
          const conflict = hasCode(error, "version_conflict");
          notifications.show({
            color: conflict ? "orange" : "red",
            title: conflict ? "Changed in another tab or by another user" : "Not saved",
            message: conflict
              ? `${user.username} was changed while you looked: the list now shows their version. Check it and try again.`
              : errorMessage(error),
          });
          if (conflict) void users.refetch();
          close();
        },
      },
    );

  const resetPassword = (user: User) =>
    reset.mutate(user.id, {
      onSuccess: (answer) => {
        setSecret(answer);
        setKind("newPassword");
      },
      onError: (error) =>
        notifications.show({ color: "red", title: "Not reset", message: errorMessage(error) }),
    });

  return (
    <>
      <PageTitle
        title="Users"
        subtitle="Who may sign in, and in what role. Users are never deleted: deactivate them instead."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => open("create")}>
            New user
          </Button>
        }
      />
      {users.error ? (
        <ProblemAlert error={users.error} onRetry={() => users.refetch()} />
      ) : users.isPending ? (
        <TableSkeleton rows={4} />
      ) : (
        <Card withBorder padding={0}>
          <ListTable
            aria-label="Users"
            miw={820}
            withTableBorder={false}
            head={
              <>
                <Table.Th>User name</Table.Th>
                <Table.Th>Display name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Last seen</Table.Th>
                <Table.Th>
                  <span className="sr-only">Actions</span>
                </Table.Th>
              </>
            }
          >
            {users.data.items.map((u) => (
              <UserRow key={u.id} user={u} self={u.id === me?.id} open={open} />
            ))}
          </ListTable>
        </Card>
      )}

      <Modal
        opened={kind === "create"}
        onClose={close}
        title={secret ? `User ${secret.user.username} created` : "New user"}
        centered
      >
        {secret ? (
          <PasswordShown user={secret.user} password={secret.password} onClose={close} />
        ) : (
          <CreateUserForm onCreated={(user, password) => setSecret({ user, password })} onCancel={close} />
        )}
      </Modal>

      <Modal
        opened={kind === "newPassword"}
        onClose={close}
        title={secret ? `New password for ${secret.user.username}` : ""}
        centered
      >
        {secret ? <PasswordShown user={secret.user} password={secret.password} onClose={close} /> : null}
      </Modal>

      <Modal
        opened={kind === "edit"}
        onClose={close}
        title={subject ? `Edit ${subject.username}` : ""}
        centered
      >
        {subject ? <EditUserForm key={subject.id} user={subject} onDone={close} /> : null}
      </Modal>

      <MonitorMattersDrawer
        user={users.data?.items.find((u) => u.id === subject?.id) ?? subject}
        opened={kind === "matters"}
        onClose={close}
      />

      <ConfirmModal
        opened={kind === "reset"}
        title="Reset the password?"
        confirmLabel="Reset password"
        color="orange"
        busy={reset.isPending}
        onClose={close}
        onConfirm={() => subject && resetPassword(subject)}
      >
        <Text size="sm">
          <strong>{subject?.username}</strong> gets a new random password, shown to you once, and is signed
          out everywhere.
        </Text>
      </ConfirmModal>

      <ConfirmModal
        opened={kind === "active"}
        title={reactivating ? "Reactivate this user?" : "Deactivate this user?"}
        confirmLabel={reactivating ? "Reactivate" : "Deactivate"}
        color={reactivating ? "teal" : "red"}
        busy={update.isPending}
        onClose={close}
        onConfirm={() => subject && setActive(subject)}
      >
        <Text size="sm">
          {reactivating
            ? `${subject.username} will be able to sign in again, with the role ${ROLE_LABELS[subject.role]}.`
            : `${subject?.username ?? ""} is signed out and can no longer sign in. Nothing they did is deleted: their changes stay in the history.`}
        </Text>
      </ConfirmModal>
    </>
  );
}

function PasswordShown({ user, password, onClose }: { user: User; password: string; onClose: () => void }) {
  return (
    <Stack gap="md">
      <Text size="sm">
        Give this password to <strong>{user.displayName ?? user.username}</strong> ({ROLE_LABELS[user.role]}).
        They sign in with the user name <strong>{user.username}</strong> and are then asked to choose their
        own password before anything else.
      </Text>
      <OneTimeSecret label={`Password for ${user.username}`} value={password} />
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}
