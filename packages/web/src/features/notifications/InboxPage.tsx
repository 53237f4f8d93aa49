import { CreateWatchSchema, NOTIFICATION_KIND_LABELS, WATCH_TARGET_LABELS } from "@accord/domain";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import {
  useCreateWatch,
  useDeleteWatch,
  useInbox,
  useMarkAllRead,
  useMarkRead,
  useWatches,
} from "../../api/notifications";
import { Empty } from "../../components/Empty";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime } from "../../lib/audit";
import { errorMessage, maxLengths } from "../../lib/forms";

const WATCH_LIMITS = maxLengths(CreateWatchSchema);

const PAGE = 25;

function Notifications() {
  const [params, setParams] = useSearchParams();
  const unread = params.get("show") === "unread";
  const offset = Number(params.get("offset") ?? 0) || 0;
  const inbox = useInbox({ unread, limit: PAGE, offset });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const navigate = useNavigate();
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes))
      if (v === null) next.delete(k);
      else next.set(k, v);
    setParams(next);
  };
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="inbox-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="inbox-title">
          Notifications{inbox.data ? ` (${inbox.data.unread} unread)` : ""}
        </Title>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            value={unread ? "unread" : "all"}
            onChange={(v) => set({ show: v === "unread" ? "unread" : null, offset: null })}
            data={[
              { value: "all", label: "All" },
              { value: "unread", label: "Unread" },
            ]}
            aria-label="Show"
          />
          <Button
            size="xs"
            variant="default"
            disabled={!inbox.data?.unread}
            loading={markAll.isPending}
            onClick={() => markAll.mutate()}
          >
            Mark all read
          </Button>
        </Group>
      </Group>
      {inbox.isPending ? (
        <TableSkeleton rows={5} />
      ) : inbox.error ? (
        <ProblemAlert error={inbox.error} onRetry={() => inbox.refetch()} />
      ) : inbox.data.items.length === 0 ? (
        <Empty title={unread ? "Nothing unread" : "No notifications yet"}>
          Watch a matter, a jurisdiction, a provision or keywords: what happens on it arrives here. Reviews
          assigned to you, returned to you or awaiting your approval arrive here too.
        </Empty>
      ) : (
        <>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>What</Table.Th>
                <Table.Th w={180}>When</Table.Th>
                <Table.Th w={120}>
                  <VisuallyHidden>Read</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inbox.data.items.map((n) => (
                <Table.Tr key={n.id} fw={n.readAt ? undefined : 600}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Group gap="xs">
                        {n.readAt ? null : (
                          <Badge size="xs" color="blue" variant="filled">
                            New
                          </Badge>
                        )}
                        <Anchor
                          component={Link}
                          to={n.link}
                          onClick={(e) => {
                            e.preventDefault();
                            if (!n.readAt) markRead.mutate(n.id);
                            navigate(n.link);
                          }}
                        >
                          {n.title}
                        </Anchor>
                      </Group>
                      <Text size="xs" c="dimmed" fw={400}>
                        {[NOTIFICATION_KIND_LABELS[n.kind], n.detail].filter(Boolean).join(" · ")}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td fw={400}>
                    <Text size="sm">{formatTime(n.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {n.readAt ? (
                      <Text size="xs" c="dimmed" fw={400}>
                        Read
                      </Text>
                    ) : (
                      <Button size="compact-xs" variant="subtle" onClick={() => markRead.mutate(n.id)}>
                        Mark read
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Pager
            total={inbox.data.total}
            limit={PAGE}
            offset={offset}
            onChange={(p) => set({ offset: p.offset ? String(p.offset) : null })}
          />
        </>
      )}
    </Card>
  );
}

function Watches() {
  const watches = useWatches();
  const create = useCreateWatch();
  const remove = useDeleteWatch();
  const [keywords, setKeywords] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    create.mutate(
      { target: "keywords", keywords },
      {
        onSuccess: () => {
          setKeywords("");
          notifications.show({ message: "Keywords watched", color: "green" });
        },
        onError: (err) => setProblem(errorMessage(err)),
      },
    );
  };
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="watches-title">
      <Title order={2} size="h4" id="watches-title" mb="xs">
        What you watch
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Watch a matter, a jurisdiction or a provision with the Watch button on its page, or watch keywords
        here: a new event or document whose title, description or matter holds every word reaches your inbox.
        You are only ever told of records you may read.
      </Text>
      <form onSubmit={submit}>
        <Group align="flex-end" mb="sm">
          <TextInput
            label="Keywords"
            placeholder="use of force"
            maxLength={WATCH_LIMITS.keywords}
            value={keywords}
            onChange={(e) => setKeywords(e.currentTarget.value)}
            error={problem}
            style={{ flex: "1 1 240px" }}
          />
          <Button type="submit" loading={create.isPending} disabled={keywords.trim().length < 2}>
            Watch keywords
          </Button>
        </Group>
      </form>
      {watches.isPending ? (
        <TableSkeleton rows={3} />
      ) : watches.error ? (
        <ProblemAlert error={watches.error} onRetry={() => watches.refetch()} />
      ) : watches.data.items.length === 0 ? (
        <Empty title="You watch nothing yet" />
      ) : (
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={130}>Kind</Table.Th>
              <Table.Th>Watched</Table.Th>
              <Table.Th w={100}>
                <VisuallyHidden>Stop</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {watches.data.items.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>{WATCH_TARGET_LABELS[w.target]}</Table.Td>
                <Table.Td>
                  {w.link ? (
                    <Anchor component={Link} to={w.link}>
                      {w.label}
                    </Anchor>
                  ) : (
                    <Text size="sm">“{w.label}”</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(w.id)}
                    aria-label={`Stop watching ${w.label}`}
                  >
                    Stop
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** The inbox: notifications, newest first, and what the user watches. */
export function InboxPage() {
  return (
    <>
      <PageTitle
        title="Inbox"
        subtitle="What happened on what you watch, and the reviews that wait for you"
        actions={
          <Anchor component={Link} to="/settings#notifications" size="sm">
            Choose what you are told
          </Anchor>
        }
      />
      <Stack gap="md" maw={1000}>
        <Notifications />
        <Watches />
      </Stack>
    </>
  );
}
