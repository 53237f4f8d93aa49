import { Alert, Badge, Button, Card, Group, PasswordInput, Stack, Table, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { type ApiProblem, isApiError } from "../../api/client";
import {
  type ApiToken,
  mustChangePassword,
  mustEnrolSecondFactor,
  useChangePassword,
  useCreateToken,
  useCurrentUser,
  useRevokeToken,
  useSession,
  useTokens,
} from "../../api/session";
import { ConfirmModal } from "../../components/ConfirmModal";
import { Empty } from "../../components/Empty";
import { FormProblems } from "../../components/FormProblems";
import { IconLock } from "../../components/icons";
import { NameCreateForm } from "../../components/NameCreateForm";
import { OneTimeSecretModal } from "../../components/OneTimeSecret";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime, signedInAs } from "../../lib/audit";
import { errorMessage, focusFirstError, serverErrors } from "../../lib/forms";
import { localPath } from "../../lib/url-state";
import { NotificationSettings } from "../notifications/NotificationSettings";
import { SavedSearchesSection } from "../saved-searches/SavedSearchesSection";
import { CalendarFeedsSection } from "./CalendarFeedsSection";
import { TwoFactorSection } from "./TwoFactorSection";

const MIN_PASSWORD = 12;
const PASSWORD_FIELDS = ["currentPassword", "newPassword", "confirmPassword"];

function ChangePassword({ required }: { required: boolean }) {
  const change = useChangePassword();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // The page the user asked for when a generated password sent them here (RequireSession).
  const then = localPath(params.get("then"));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [other, setOther] = useState<string[]>([]);
  const form = useForm({
    mode: "controlled",
    initialValues: { currentPassword: "", newPassword: "", confirmPassword: "" },
    validate: {
      currentPassword: (v) => (v ? null : "Enter your current password"),
      newPassword: (v) => (v.length >= MIN_PASSWORD ? null : `Use at least ${MIN_PASSWORD} characters`),
      confirmPassword: (v, values) => (v === values.newPassword ? null : "The two new passwords differ"),
    },
    enhanceGetInputProps: ({ field }) => ({ "data-path": field }),
  });
  const submit = form.onSubmit(
    (values) => {
      setProblem(null);
      setOther([]);
      change.mutate(
        { currentPassword: values.currentPassword, newPassword: values.newPassword },
        {
          onSuccess: (session) => {
            form.reset();
            notifications.show({
              color: "teal",
              title: "Password changed",
              message: required
                ? "Accord is open to you now."
                : "Your other sessions were signed out; this one goes on.",
            });
            // Replacing a generated password opens the page the user asked for, unless a second
            // factor must still be set up here first.
            if (required && then && !mustEnrolSecondFactor(session)) navigate(then, { replace: true });
          },
          onError: (error) => {
            const p = isApiError(error) ? error.problem : null;
            const { fields, other: rest } = serverErrors(p, PASSWORD_FIELDS);
            form.setErrors(fields);
            focusFirstError(fields, PASSWORD_FIELDS);
            setOther(rest);
            setProblem(
              p ?? {
                type: "about:blank",
                title: "Not saved",
                status: 0,
                code: "error",
                detail: errorMessage(error),
              },
            );
          },
        },
      );
    },
    (errors) => focusFirstError(errors, PASSWORD_FIELDS),
  );
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="password-h">
      <Title order={2} size="h4" id="password-h" mb={4}>
        Change password
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {required
          ? `The password you signed in with was made for you; choose your own, of at least ${MIN_PASSWORD} characters.`
          : `At least ${MIN_PASSWORD} characters. Your sessions elsewhere are signed out when you change it.`}
      </Text>
      <form onSubmit={submit} noValidate aria-label="Change password">
        <Stack gap="sm" maw={420}>
          <FormProblems problem={problem} other={other} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            {...form.getInputProps("currentPassword")}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            {...form.getInputProps("newPassword")}
          />
          <PasswordInput
            label="New password again"
            autoComplete="new-password"
            {...form.getInputProps("confirmPassword")}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function TokenStatus({ token }: { token: ApiToken }) {
  if (token.revokedAt) {
    return (
      <Badge color="gray" variant="light" radius="sm" tt="none">
        Revoked {formatTime(token.revokedAt)}
      </Badge>
    );
  }
  return (
    <Badge color="teal" variant="light" radius="sm" tt="none">
      Active
    </Badge>
  );
}

function ApiTokens() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="tokens-h">
      <Title order={2} size="h4" id="tokens-h" mb={4}>
        API tokens
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with your
        role.
      </Text>
      <NameCreateForm
        ariaLabel="Create API token"
        label="Token name"
        placeholder="e.g. nightly export"
        buttonLabel="Create token"
        missing="Name the token after the script that will use it"
        failedTitle="The token was not created"
        create={create}
        onCreated={setCreated}
      />
      {tokens.error ? (
        <ProblemAlert error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.isPending ? (
        <TableSkeleton rows={2} />
      ) : tokens.data.items.length === 0 ? (
        <Empty title="No API tokens yet" />
      ) : (
        <Table withTableBorder striped className="accord-table" aria-label="API tokens">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td fw={500}>{t.name}</Table.Td>
                <Table.Td>{formatTime(t.createdAt)}</Table.Td>
                <Table.Td>
                  {t.lastUsedAt ? (
                    formatTime(t.lastUsedAt)
                  ) : (
                    <Text c="dimmed" size="sm">
                      Never
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <TokenStatus token={t} />
                </Table.Td>
                <Table.Td ta="right">
                  {t.revokedAt ? null : (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => setRevoking(t)}
                      aria-label={`Revoke ${t.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <OneTimeSecretModal
        title="Your new API token"
        secret={created ? { label: `Token ${created.name}`, value: created.token } : null}
        onClose={() => setCreated(null)}
      >
        Put it where your script reads it; if it is lost, revoke it and create another.
      </OneTimeSecretModal>

      <ConfirmModal
        opened={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        busy={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (!revoking) return;
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifications.show({ color: "teal", title: "Token revoked", message: revoking.name });
              setRevoking(null);
            },
            onError: (error) =>
              notifications.show({ color: "red", title: "Not revoked", message: errorMessage(error) }),
          });
        }}
      >
        <Text size="sm">
          Scripts that use <strong>{revoking?.name}</strong> will be refused from now on. This cannot be
          undone.
        </Text>
      </ConfirmModal>
    </Card>
  );
}

export function SettingsPage() {
  const user = useCurrentUser();
  const session = useSession().data;
  const mustChange = mustChangePassword(session);
  const mustEnrol = mustEnrolSecondFactor(session);
  return (
    <>
      <PageTitle title="Settings" subtitle={user ? signedInAs(user) : undefined} />
      <Stack gap="md" maw={900}>
        {mustChange ? (
          <Alert
            color="orange"
            variant="light"
            role="alert"
            icon={<IconLock />}
            title="Choose your own password to continue"
          >
            <Text size="sm">
              You signed in with a password an administrator was given for you. The rest of Accord opens once
              you have replaced it below.
            </Text>
          </Alert>
        ) : mustEnrol ? (
          <Alert
            color="orange"
            variant="light"
            role="alert"
            icon={<IconLock />}
            title="Your role must use two-factor authentication: set it up to continue"
          >
            <Text size="sm">
              The rest of Accord opens once an authenticator app is set up below. It takes a minute: press
              “Set up”, add Accord to the app, and enter the code it shows.
            </Text>
          </Alert>
        ) : null}
        {mustChange ? null : <TwoFactorSection />}
        <ChangePassword required={mustChange} />
        {mustEnrol || mustChange ? null : <NotificationSettings />}
        {mustEnrol || mustChange ? null : <SavedSearchesSection />}
        {mustEnrol || mustChange ? null : <CalendarFeedsSection />}
        {mustEnrol || mustChange ? null : <ApiTokens />}
      </Stack>
    </>
  );
}
