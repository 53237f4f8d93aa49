import {
  DEADLINE_APPROACHING_DAYS,
  EMAIL_MODES,
  type EmailMode,
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  UpdateNotificationPreferencesSchema,
} from "@accord/domain";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useEffect, useState } from "react";
import { useNotificationPreferences, useSaveNotificationPreferences } from "../../api/notifications";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { errorMessage, maxLengths } from "../../lib/forms";

const PREFERENCE_LIMITS = maxLengths(UpdateNotificationPreferencesSchema);

const MODE_LABELS: Record<EmailMode, string> = {
  off: "No e-mail",
  immediate: "Each notification at once",
  daily: "One digest a day",
};

type Kinds = Record<string, { inApp: boolean; email: boolean }>;

/** Settings: what the user is told of, in the inbox and by e-mail, and how often they are e-mailed. */
export function NotificationSettings() {
  const prefs = useNotificationPreferences();
  const save = useSaveNotificationPreferences();
  const [email, setEmail] = useState("");
  const [mode, setMode] = useState<EmailMode>("off");
  const [kinds, setKinds] = useState<Kinds>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!prefs.data) return;
    setEmail(prefs.data.email ?? "");
    setMode(prefs.data.emailMode);
    setKinds(prefs.data.kinds as Kinds);
  }, [prefs.data]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    save.mutate(
      { email: email.trim() || null, emailMode: mode, kinds },
      {
        onSuccess: () => notifications.show({ message: "Notification settings saved", color: "green" }),
        onError: (err) => setProblem(errorMessage(err)),
      },
    );
  };
  const toggle = (kind: string, channel: "inApp" | "email", value: boolean) =>
    setKinds((k) => ({ ...k, [kind]: { ...(k[kind] ?? { inApp: true, email: true }), [channel]: value } }));
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="notifications-title"
      id="notifications"
    >
      <Title order={2} size="h4" id="notifications-title" mb="sm">
        Notifications
      </Title>
      {prefs.isPending ? (
        <TableSkeleton rows={4} />
      ) : prefs.error ? (
        <ProblemAlert error={prefs.error} onRetry={() => prefs.refetch()} />
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            {prefs.data.emailAvailable ? null : (
              <Alert color="gray" variant="light">
                This server sends no e-mail (no SMTP server is configured): notifications reach your inbox
                only.
              </Alert>
            )}
            <Group align="flex-start" gap="xl">
              <TextInput
                label="E-mail address"
                type="email"
                maxLength={PREFERENCE_LIMITS.email}
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                style={{ flex: "1 1 260px" }}
                error={problem}
              />
              <Radio.Group label="E-mail me" value={mode} onChange={(v) => setMode(v as EmailMode)}>
                <Stack gap={4} mt={4}>
                  {EMAIL_MODES.map((m) => (
                    <Radio key={m} value={m} label={MODE_LABELS[m]} />
                  ))}
                </Stack>
              </Radio.Group>
            </Group>
            <Table verticalSpacing={4} maw={640}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tell me of</Table.Th>
                  <Table.Th w={90}>Inbox</Table.Th>
                  <Table.Th w={90}>E-mail</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {NOTIFICATION_KINDS.map((kind) => {
                  const pref = kinds[kind] ?? { inApp: true, email: true };
                  const label = NOTIFICATION_KIND_LABELS[kind];
                  return (
                    <Table.Tr key={kind}>
                      <Table.Td>
                        <Text size="sm">{label}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Checkbox
                          checked={pref.inApp}
                          onChange={(e) => toggle(kind, "inApp", e.currentTarget.checked)}
                          aria-label={`${label}: in the inbox`}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Checkbox
                          checked={pref.email}
                          onChange={(e) => toggle(kind, "email", e.currentTarget.checked)}
                          aria-label={`${label}: by e-mail`}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              Deadlines are told once per occurrence: approaching when due within {DEADLINE_APPROACHING_DAYS}{" "}
              days, missed when overdue; for matters you watch or are assigned to, and deadlines assigned to
              you.
            </Text>
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save notification settings
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
