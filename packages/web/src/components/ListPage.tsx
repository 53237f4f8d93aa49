import type { Permission } from "@accord/domain";
import { Box, Button, Card, Group, Stack, Table, type TableProps, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Page } from "../api/hooks";
import { useCan } from "../api/session";
import { useUrlState } from "../lib/url-state";
import { Empty } from "./Empty";
import { IconPlus } from "./icons";
import { Pager } from "./Pager";
import { ProblemAlert } from "./ProblemAlert";
import { ScrollRegion } from "./ScrollRegion";
import { TableSkeleton } from "./TableSkeleton";

/**
 * A list screen's "New …" button, for the title's actions. Not offered to users whose role may
 * not create (`permission`, by default writing to the registry).
 */
export function NewButton({
  to,
  permission = "registry:write",
  children,
}: {
  to: string;
  permission?: Permission;
  children: ReactNode;
}) {
  if (!useCan(permission)) return null;
  return (
    <Button component={Link} to={to} leftSection={<IconPlus size={16} />}>
      {children}
    </Button>
  );
}

/** "Clear filters", shown while the list is filtered: removes every one of `keys` from the URL. */
export function ClearFilters({ keys, shown }: { keys: readonly string[]; shown: boolean }) {
  const { update } = useUrlState();
  if (!shown) return null;
  return (
    <Button
      variant="subtle"
      size="xs"
      mb={6}
      onClick={() => update(Object.fromEntries(keys.map((k) => [k, null])))}
    >
      Clear filters
    </Button>
  );
}

/** The row of filters above a list; each control writes to the URL. */
export function FilterBar({
  label,
  align = "flex-end",
  children,
}: {
  /** The form's accessible name: "Filter agencies". */
  label: string;
  align?: "flex-start" | "flex-end";
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="sm" mb="md">
      <Group align={align} gap="md" wrap="wrap" component="form" aria-label={label}>
        {children}
      </Group>
    </Card>
  );
}

/**
 * A server-paged list's results: a placeholder while the first page loads, the problem with a
 * retry, the empty state, or the pager and the rows (dimmed while the next page loads). The
 * pager writes to the URL.
 */
export function ListResults<T>({
  result,
  noun,
  filtered,
  emptyTitle,
  emptyHint,
  skeletonRows,
  pagerBelow = false,
  footer,
  cappedNote,
  children,
}: {
  result: UseQueryResult<Page<T>>;
  /** What the rows are, in the plural: "agencies". */
  noun: string;
  /** Whether a filter is set: the empty state then says that nothing matches. */
  filtered: boolean;
  /** The empty state's title, instead of "No … yet" or "No … match these filters". */
  emptyTitle?: string;
  /** Said under the empty state's title. */
  emptyHint?: ReactNode;
  skeletonRows?: number;
  /** A second pager under the rows, when there is more than one page. */
  pagerBelow?: boolean;
  /** Shown under the rows. */
  footer?: ReactNode;
  /** Said under the pager when more match than the server counted (`totalCapped`). */
  cappedNote?: ReactNode;
  /** The rows, as a table. */
  children: (items: T[]) => ReactNode;
}) {
  const { update } = useUrlState();
  const { data, error, isPending, isPlaceholderData, refetch } = result;
  if (error) return <ProblemAlert error={error} onRetry={() => refetch()} />;
  if (isPending) return <TableSkeleton rows={skeletonRows} />;
  if (data.items.length === 0) {
    return (
      <Card withBorder>
        <Empty title={emptyTitle ?? (filtered ? `No ${noun} match these filters` : `No ${noun} yet`)}>
          {emptyHint}
        </Empty>
      </Card>
    );
  }
  const pager = (
    <Pager
      total={data.total}
      capped={data.totalCapped}
      limit={data.limit}
      offset={data.offset}
      noun={noun}
      onChange={(p) => update(p, { keepOffset: true })}
    />
  );
  return (
    <Stack gap="sm">
      {pager}
      {data.totalCapped && cappedNote ? (
        <Text size="xs" c="dimmed" role="note">
          {cappedNote}
        </Text>
      ) : null}
      <Box
        style={{ opacity: isPlaceholderData ? 0.6 : 1, transition: "opacity 120ms" }}
        aria-busy={isPlaceholderData}
      >
        {children(data.items)}
      </Box>
      {pagerBelow && data.total > data.limit ? pager : null}
      {footer}
    </Stack>
  );
}

/**
 * A list's table: `head` holds the header cells, `children` the rows. Too wide for the screen (a
 * tablet), it scrolls sideways in its frame with its first column, the one that names the row, kept.
 */
export function ListTable({
  head,
  children,
  ...props
}: { head: ReactNode; children: ReactNode } & TableProps) {
  return (
    <ScrollRegion label={props["aria-label"]}>
      <Table striped highlightOnHover withTableBorder className="accord-table accord-table-key" {...props}>
        <Table.Thead>
          <Table.Tr>{head}</Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}
