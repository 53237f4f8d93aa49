import { ROLE_LABELS, ROLES, type Role } from "@accord/domain";
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import {
  type CreateUser,
  fetchUser,
  type UpdateUser,
  type User,
  useCreateUser,
  useResetPassword,
  useUpdateUser,
  useUsers,
} from "../../api/admin";
import { isApiError } from "../../api/client";
import { useCurrentUser } from "../../api/session";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { IconPlus } from "../../components/icons";
import { ListTable } from "../../components/ListPage";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime } from "../../lib/audit";
import { changedFields, errorMessage, focusFirstError, serverErrors, textOrNull } from "../../lib/forms";
import { useVersionedSave } from "../../lib/use-versioned-save";
import { MonitorMattersButton, MonitorMattersDrawer } from "./MonitorMatters";

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const ROLE_HINTS: Record<Role, string> = {
  admin: "Everything, including users and the audit log",
  approver: "Reads everything; approves or returns reviews",
  reviewer: "Creates and edits matters, events, jurisdictions and agencies",
  monitor: "Reads the matters they are assigned to",
  viewer: "Reads everything, changes nothing",
};
const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

type DialogKind = "create" | "edit" | "active" | "reset" | "newPassword" | "matters";

// ---------------------------------------------------------------- create

const CREATE_FIELDS = ["username", "displayName", "role"];

function CreateUserForm({
  onCreated,
  onCancel,
}: {
  onCreated: (user: User, password: string) => void;
  onCancel: () => void;
}) {
  const create = useCreateUser();
  const [other, setOther] = useState<string[]>([]);
  const form = useForm({
    mode: "controlled",
    initialValues: { username: "", displayName: "", role: "viewer" as string },
    validate: {
      username: (v) =>
        USERNAME_RE.test(v.trim().toLowerCase())
          ? null
          : "Use 2–64 lowercase letters, digits, dots, hyphens or underscores",
      role: (v) => (v ? null : "Choose a role"),
    },
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
  });
  const submit = form.onSubmit(
    (v) => {
      setOther([]);
      const body: CreateUser = {
        username: v.username.trim().toLowerCase(),
        displayName: textOrNull(v.displayName),
        role: v.role as Role,
      };
      create.mutate(body, {
        onSuccess: ({ user, password }) => onCreated(user, password),
        onError: (error) => {
          const { fields, other: rest } = serverErrors(
            isApiError(error) ? error.problem : null,
            CREATE_FIELDS,
          );
          form.setErrors(fields);
          setOther(rest);
          focusFirstError(fields, CREATE_FIELDS);
        },
      });
    },
    (errors) => focusFirstError(errors, CREATE_FIELDS),
  );
  const problem = create.error && isApiError(create.error) ? create.error.problem : null;
  return (
    <form onSubmit={submit} noValidate aria-label="New user">
      <Stack gap="sm">
        <FormProblems problem={problem} other={other} />
        <TextInput
          label="User name"
          withAsterisk
          description="What they sign in with: lowercase, e.g. jdoe"
          autoComplete="off"
          data-autofocus
          {...form.getInputProps("username")}
        />
        <TextInput
          label="Display name"
          description="Their full name, shown in the header"
          {...form.getInputProps("displayName")}
        />
        <Select
          label="Role"
          withAsterisk
          data={ROLE_OPTIONS}
          allowDeselect={false}
          description={ROLE_HINTS[form.values.role as Role]}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps("role")}
        />
        <Text size="xs" c="dimmed">
          A password is generated and shown once when you create the user.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ---------------------------------------------------------------- edit

interface EditValues {
  displayName: string;
  role: string;
  active: boolean;
}
const EDIT_FIELDS = ["displayName", "role", "active"];
const EDIT_LABELS: Record<string, string> = { displayName: "Display name", role: "Role", active: "Active" };

const toEditValues = (u: User): EditValues => ({
  displayName: u.displayName ?? "",
  role: u.role,
  active: u.active,
});
const toUpdate = (v: EditValues): UpdateUser & Record<string, unknown> => ({
  displayName: textOrNull(v.displayName),
  role: v.role as Role,
  active: v.active,
});

/** A user's name, role and whether they may sign in; a stale save gets the conflict message. */
function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const me = useCurrentUser();
  const self = me?.id === user.id;
  const update = useUpdateUser();
  const [base, setBase] = useState(user);
  const form = useForm<EditValues>({ mode: "controlled", initialValues: toEditValues(user) });
  const saver = useVersionedSave<User, UpdateUser>({
    save: (patch, version) => update.mutateAsync({ id: user.id, version: version ?? base.version, patch }),
    onSaved: (saved) => {
      notifications.show({ color: "teal", title: "Saved", message: saved.displayName ?? saved.username });
      onDone();
    },
    reload: () => fetchUser(user.id),
    setFieldErrors: form.setErrors,
    fieldOrder: EDIT_FIELDS,
  });
  const patch = changedFields(toUpdate(toEditValues(base)), toUpdate(form.values));
  const submit = form.onSubmit(() => {
    if (Object.keys(patch).length === 0) {
      notifications.show({ color: "gray", message: "Nothing to save: no field was changed." });
      return;
    }
    void saver.submit(patch, base.version);
  });
  const loadTheirs = () => {
    const current = saver.conflict?.current;
    if (!current) return;
    setBase(current);
    const values = toEditValues(current);
    form.setValues(values);
    form.resetDirty(values);
    saver.dismissConflict();
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${user.username}`}>
      <Stack gap="sm">
        {saver.conflict ? (
          <ConflictAlert
            noun="user"
            version={saver.conflict.version}
            changes={Object.keys(patch).map((k) => EDIT_LABELS[k] ?? k)}
            busy={saver.saving}
            onLoadTheirs={loadTheirs}
            onOverwrite={() => void saver.overwrite()}
          />
        ) : null}
        <FormProblems problem={saver.conflict ? null : saver.problem} other={saver.otherErrors} />
        <TextInput
          label="User name"
          value={user.username}
          readOnly
          disabled
          description="A user name cannot change"
        />
        <TextInput label="Display name" data-path="displayName" {...form.getInputProps("displayName")} />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          allowDeselect={false}
          disabled={self}
          description={self ? "You cannot change your own role" : ROLE_HINTS[form.values.role as Role]}
          comboboxProps={{ withinPortal: true }}
          data-path="role"
          {...form.getInputProps("role")}
        />
        <Switch
          label="Active: may sign in"
          disabled={self}
          description={
            self ? "You cannot deactivate yourself" : "Deactivating signs them out; their history is kept"
          }
          data-path="active"
          {...form.getInputProps("active", { type: "checkbox" })}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saver.saving}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ---------------------------------------------------------------- the list

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
            aria-label={`Reset the password of ${user.username}`}
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
          const conflict = isApiError(error) && error.code === "version_conflict";
          notifications.show({
            color: conflict ? "orange" : "red",
            title: conflict ? "Changed by someone else" : "Not saved",
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

      <MonitorMattersDrawer user={subject} opened={kind === "matters"} onClose={close} />

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
        They sign in with the user name <strong>{user.username}</strong> and should change it in their
        settings.
      </Text>
      <OneTimeSecret label={`Password for ${user.username}`} value={password} />
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}
