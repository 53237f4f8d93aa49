import { CreateUserSchema, ROLE_LABELS, ROLES, type Role, UpdateUserSchema } from "@accord/domain";
import { Button, Group, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import {
  type CreateUser,
  fetchUser,
  type UpdateUser,
  type User,
  useCreateUser,
  useUpdateUser,
} from "../../api/admin";
import { isApiError } from "../../api/client";
import { useCurrentUser } from "../../api/session";
import { ConflictAlert } from "../../components/ConflictAlert";
import { FormProblems } from "../../components/FormProblems";
import { changedFields, focusFirstError, limitedInputs, serverErrors, textOrNull } from "../../lib/forms";
import { useConflictMerge } from "../../lib/use-conflict-merge";
import { useVersionedSave } from "../../lib/use-versioned-save";

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const ROLE_HINTS: Record<Role, string> = {
  admin: "Everything, including users and the audit log",
  approver: "Reads everything; approves or returns reviews",
  reviewer: "Creates and edits matters, events, jurisdictions and agencies",
  monitor: "Reads the matters they are assigned to",
  viewer: "Reads everything, changes nothing",
};
const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

// ---------------------------------------------------------------- create

const CREATE_FIELDS = ["username", "displayName", "role"];

/** A new user: name, display name and role; the server makes the password. */
export function CreateUserForm({
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
    enhanceGetInputProps: limitedInputs(CreateUserSchema),
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
          A password is generated and shown once when you create the user; they replace it with their own at
          their first sign-in.
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
export function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const me = useCurrentUser();
  const self = me?.id === user.id;
  const update = useUpdateUser();
  const [base, setBase] = useState(user);
  const form = useForm<EditValues>({
    mode: "controlled",
    initialValues: toEditValues(user),
    enhanceGetInputProps: limitedInputs(UpdateUserSchema),
  });
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
  const merge = useConflictMerge<User, EditValues>({
    base,
    conflict: saver.conflict,
    values: form.values,
    toValues: toEditValues,
    onMerge: (current, merged) => {
      setBase(current);
      form.setValues(merged);
      form.resetDirty(toEditValues(current));
      const mergedPatch = changedFields(toUpdate(toEditValues(current)), toUpdate(merged));
      if (Object.keys(mergedPatch).length === 0) {
        saver.dismissConflict();
        onDone();
        return;
      }
      void saver.submit(mergedPatch, current.version);
    },
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
            merge={merge}
            labels={EDIT_LABELS}
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
