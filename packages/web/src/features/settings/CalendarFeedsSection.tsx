import type { CalendarFeedToken } from "@accord/domain";
import { Button, Card, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useCalendarFeeds, useCreateCalendarFeed, useRevokeCalendarFeed } from "../../api/calendar";
import { ConfirmModal } from "../../components/ConfirmModal";
import { Empty } from "../../components/Empty";
import { NameCreateForm } from "../../components/NameCreateForm";
import { OneTimeSecretModal } from "../../components/OneTimeSecret";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime } from "../../lib/audit";
import { errorMessage } from "../../lib/forms";

/**
 * Calendar feeds: an address with a secret token that a calendar program (Outlook, Google,
 * Apple) polls for the user's hearings and deadlines. Revoking one stops it at once.
 */
export function CalendarFeedsSection() {
  const feeds = useCalendarFeeds();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const [created, setCreated] = useState<(CalendarFeedToken & { path: string }) | null>(null);
  const [revoking, setRevoking] = useState<CalendarFeedToken | null>(null);

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="calendar-feeds-h" id="calendar-feeds">
      <Title order={2} size="h4" id="calendar-feeds-h" mb={4}>
        Calendar feeds
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Subscribe to your Accord calendar (hearings and deadlines of the matters you can read) from Outlook,
        Google or Apple Calendar. The address holds a secret of its own, not your password: revoke it if it is
        shared by mistake.
      </Text>
      <NameCreateForm
        ariaLabel="Create calendar feed"
        label="Feed name"
        placeholder="e.g. Outlook at work"
        buttonLabel="Create feed"
        missing="Name the feed after the calendar that will read it"
        failedTitle="The feed was not created"
        create={create}
        onCreated={setCreated}
      />
      {feeds.error ? (
        <ProblemAlert error={feeds.error} onRetry={() => feeds.refetch()} />
      ) : feeds.isPending ? (
        <TableSkeleton rows={2} />
      ) : feeds.data.items.length === 0 ? (
        <Empty title="No calendar feeds yet" />
      ) : (
        <Table withTableBorder striped className="accord-table" aria-label="Calendar feeds">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last read</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {feeds.data.items.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td fw={500}>
                  {f.name}
                  {f.savedSearchId ? (
                    <Text span size="xs" c="dimmed" fw={400}>
                      {" "}
                      · follows a saved filter
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{formatTime(f.createdAt)}</Table.Td>
                <Table.Td>{f.lastUsedAt ? formatTime(f.lastUsedAt) : "Never"}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => setRevoking(f)}
                    aria-label={`Revoke ${f.name}`}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <OneTimeSecretModal
        title="Your calendar feed"
        secret={
          created
            ? { label: `Feed address for ${created.name}`, value: `${window.location.origin}${created.path}` }
            : null
        }
        onClose={() => setCreated(null)}
      >
        Paste it into your calendar program as a subscription (“From URL”).
      </OneTimeSecretModal>

      <ConfirmModal
        opened={revoking !== null}
        title="Revoke this feed?"
        confirmLabel="Revoke feed"
        busy={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (!revoking) return;
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifications.show({ color: "teal", title: "Feed revoked", message: revoking.name });
              setRevoking(null);
            },
            onError: (error) =>
              notifications.show({ color: "red", title: "Not revoked", message: errorMessage(error) }),
          });
        }}
      >
        <Text size="sm">
          Calendars subscribed to <strong>{revoking?.name}</strong> will stop updating. This cannot be undone.
        </Text>
      </ConfirmModal>
    </Card>
  );
}
