import {
  CALENDAR_KIND_LABELS,
  CALENDAR_STATE_LABELS,
  DOCUMENT_KIND_LABELS,
  type SavedCalendarFilter,
  type SavedSearch,
  type SavedSearchFilters,
  SEARCH_TYPE_LABELS,
} from "@accord/domain";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../api/client";
import {
  useCreateFilterFeed,
  useDeleteSavedSearch,
  useSavedSearches,
  useToggleSavedSearchWatch,
  useUpdateSavedSearch,
} from "../../api/saved-searches";
import { ConfirmModal } from "../../components/ConfirmModal";
import { Empty } from "../../components/Empty";
import { OneTimeSecretModal } from "../../components/OneTimeSecret";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { errorMessage } from "../../lib/forms";

/** What a saved search or filter holds, in words. */
export function describeSaved(saved: SavedSearch): string {
  if (saved.kind === "search") {
    const q = saved.query as SavedSearchFilters;
    return [
      `“${q.q}”`,
      q.type?.length ? q.type.map((t) => SEARCH_TYPE_LABELS[t]).join(", ") : null,
      q.kind?.length ? q.kind.map((k) => DOCUMENT_KIND_LABELS[k]).join(", ") : null,
      q.matter ? `matter ${q.matter}` : null,
      q.state?.length ? q.state.join(", ") : null,
      q.year?.length ? q.year.join(", ") : null,
    ]
      .filter(Boolean)
      .join(" · ");
  }
  const c = saved.query as SavedCalendarFilter;
  const parts = [
    c.matter?.length ? `${c.matter.length === 1 ? "matter" : "matters"} ${c.matter.join(", ")}` : null,
    c.kind?.length ? c.kind.map((k) => CALENDAR_KIND_LABELS[k]).join(", ") : null,
    c.state?.length ? c.state.map((s) => CALENDAR_STATE_LABELS[s]).join(", ") : null,
    c.mine ? "mine only" : null,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "Everything on the calendar";
}

function RenameModal({ saved, onClose }: { saved: SavedSearch | null; onClose: () => void }) {
  const update = useUpdateSavedSearch();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [shownFor, setShownFor] = useState<string | null>(null);
  if (saved && shownFor !== saved.id) {
    setShownFor(saved.id);
    setName(saved.name);
    setError(null);
    update.reset();
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!saved) return;
    const n = name.trim();
    if (!n) {
      setError("Name it");
      return;
    }
    update.mutate(
      { id: saved.id, version: saved.version, changes: { name: n } },
      {
        onSuccess: () => {
          setShownFor(null);
          onClose();
        },
      },
    );
  };
  const stale = isApiError(update.error) && update.error.status === 412;
  return (
    <Modal
      opened={saved !== null}
      onClose={() => {
        setShownFor(null);
        onClose();
      }}
      title="Rename"
      centered
    >
      <form onSubmit={submit} noValidate aria-label="Rename saved search">
        <Stack gap="sm">
          <TextInput
            label="Name"
            value={name}
            error={error}
            maxLength={100}
            data-autofocus
            onChange={(e) => setName(e.currentTarget.value)}
          />
          {update.error ? (
            <ProblemAlert
              error={update.error}
              title={
                stale ? "Changed meanwhile (in another tab?): the list shows it as it is now" : "Not renamed"
              }
            />
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              Rename
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The user's saved searches and calendar filters: open, rename, delete; watch a search (new
 * events and documents that match reach the inbox); follow a calendar filter as a feed.
 */
export function SavedSearchesSection() {
  const saved = useSavedSearches();
  const toggle = useToggleSavedSearchWatch();
  const feed = useCreateFilterFeed();
  const remove = useDeleteSavedSearch();
  const [renaming, setRenaming] = useState<SavedSearch | null>(null);
  const [deleting, setDeleting] = useState<SavedSearch | null>(null);
  const [feedAddress, setFeedAddress] = useState<{ name: string; path: string } | null>(null);

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="saved-searches-h" id="saved-searches">
      <Title order={2} size="h4" id="saved-searches-h" mb={4}>
        Saved searches and filters
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Save a search from the Search page, or a filter from the Calendar. Watch a search to be told of new
        events and documents that match it (only of matters you may read); follow a calendar filter in your
        calendar program with a feed address of its own.
      </Text>
      {saved.error ? (
        <ProblemAlert error={saved.error} onRetry={() => saved.refetch()} />
      ) : saved.isPending ? (
        <TableSkeleton rows={2} />
      ) : saved.data.items.length === 0 ? (
        <Empty title="Nothing saved yet" />
      ) : (
        <Table withTableBorder striped className="accord-table" aria-label="Saved searches and filters">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>What it holds</Table.Th>
              <Table.Th>Watch or feed</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {saved.data.items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Anchor component={Link} to={s.link} fw={600} size="sm">
                      {s.name}
                    </Anchor>
                    <Badge
                      size="xs"
                      variant="light"
                      color={s.kind === "search" ? "indigo" : "teal"}
                      tt="none"
                    >
                      {s.kind === "search" ? "Search" : "Calendar filter"}
                    </Badge>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{describeSaved(s)}</Text>
                </Table.Td>
                <Table.Td>
                  {s.kind === "search" ? (
                    <Switch
                      label="Watch"
                      checked={s.watchId !== null}
                      disabled={toggle.isPending}
                      aria-label={`Watch ${s.name}`}
                      onChange={() =>
                        toggle.mutate(s, {
                          onError: (error) =>
                            notifications.show({
                              color: "red",
                              title: "Not changed",
                              message: errorMessage(error),
                            }),
                        })
                      }
                    />
                  ) : (
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="light"
                        loading={feed.isPending && feed.variables?.id === s.id}
                        aria-label={`Calendar feed of ${s.name}`}
                        onClick={() =>
                          feed.mutate(s, {
                            onSuccess: (f) => setFeedAddress({ name: s.name, path: f.path }),
                            onError: (error) =>
                              notifications.show({
                                color: "red",
                                title: "No feed created",
                                message: errorMessage(error),
                              }),
                          })
                        }
                      >
                        {s.feeds ? "New feed address" : "Calendar feed"}
                      </Button>
                      {s.feeds ? (
                        <Anchor component={Link} to="/settings#calendar-feeds" size="xs">
                          {s.feeds} {s.feeds === 1 ? "feed" : "feeds"}
                        </Anchor>
                      ) : null}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => setRenaming(s)}
                      aria-label={`Rename ${s.name}`}
                    >
                      Rename
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => setDeleting(s)}
                      aria-label={`Delete ${s.name}`}
                    >
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <RenameModal saved={renaming} onClose={() => setRenaming(null)} />

      <OneTimeSecretModal
        title="Calendar feed of a saved filter"
        secret={
          feedAddress
            ? {
                label: `Feed address for ${feedAddress.name}`,
                value: `${window.location.origin}${feedAddress.path}`,
              }
            : null
        }
        onClose={() => setFeedAddress(null)}
      >
        Paste it into your calendar program as a subscription (“From URL”). It follows the filter as it is
        saved; revoke it under Calendar feeds.
      </OneTimeSecretModal>

      <ConfirmModal
        opened={deleting !== null}
        title="Delete this saved search?"
        confirmLabel="Delete"
        busy={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          remove.mutate(
            { id: deleting.id, version: deleting.version },
            {
              onSuccess: () => {
                notifications.show({ color: "teal", title: "Deleted", message: deleting.name });
                setDeleting(null);
              },
              onError: (error) =>
                notifications.show({ color: "red", title: "Not deleted", message: errorMessage(error) }),
            },
          );
        }}
      >
        <Text size="sm">
          <strong>{deleting?.name}</strong> is deleted with its watch and the calendar feeds that follow it.
        </Text>
      </ConfirmModal>
    </Card>
  );
}
