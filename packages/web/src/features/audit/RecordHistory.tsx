import type { AuditEntry } from "@accord/domain";
import { Box, Card, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { type HistoryEntity, useHistory } from "../../api/admin";
import { ActionBadge, ChangeDiff, EntryByline } from "../../components/ChangeDiff";
import { Empty } from "../../components/Empty";
import { Pager } from "../../components/Pager";
import { ProblemAlert } from "../../components/ProblemAlert";

function HistoryEntry({ entry }: { entry: AuditEntry }) {
  return (
    <Card withBorder padding="sm" component="li">
      <Group gap="sm" mb="xs" wrap="wrap">
        <ActionBadge action={entry.action} />
        <EntryByline entry={entry} />
      </Group>
      <ChangeDiff entry={entry} foldWhole />
    </Card>
  );
}

/**
 * The changes of one record, newest first: who (and in what role), when, what they did and
 * which fields went from what to what. Paged here, not in the URL: it sits inside other screens.
 */
export function RecordHistory({
  entity,
  id,
  heading,
}: {
  entity: HistoryEntity;
  /** The record's id (or slug). */
  id: string;
  /** Shown above the list, as a section of an edit page. */
  heading?: string;
}) {
  const [page, setPage] = useState({ limit: 25, offset: 0 });
  const query = useHistory(entity, id, page);
  const { data, error, isPending, isPlaceholderData, refetch } = query;
  const headingId = `history-${entity}-h`;
  let body: ReactNode;
  if (error) body = <ProblemAlert error={error} onRetry={() => refetch()} />;
  else if (isPending)
    body = (
      <Stack gap="sm">
        <Skeleton height={90} />
        <Skeleton height={90} />
      </Stack>
    );
  else if (data.items.length === 0)
    body = <Empty title="No recorded changes">Changes made from now on will be listed here.</Empty>;
  else
    body = (
      <Stack gap="sm">
        {data.total > data.limit ? (
          <Pager
            total={data.total}
            limit={data.limit}
            offset={data.offset}
            noun="changes"
            onChange={(p) => setPage((old) => ({ ...old, ...p }))}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {data.total} {data.total === 1 ? "change" : "changes"}, newest first
          </Text>
        )}
        <Stack
          component="ol"
          gap="sm"
          p={0}
          m={0}
          style={{ listStyle: "none", opacity: isPlaceholderData ? 0.6 : 1 }}
          aria-label="Changes"
        >
          {data.items.map((e) => (
            <HistoryEntry key={e.id} entry={e} />
          ))}
        </Stack>
      </Stack>
    );
  return (
    <Box component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="sm" className={heading ? undefined : "sr-only"}>
        {heading ?? "History"}
      </Title>
      {body}
    </Box>
  );
}
