import { EVENT_KIND_LABELS, EVENT_KINDS, type Event, isValidPartialDate } from "@accord/domain";
import {
  Anchor,
  Box,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { useEvents } from "../../api/hooks";
import { Empty } from "../../components/Empty";
import { EventDate } from "../../components/EventDate";
import { IconPlus } from "../../components/icons";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SortableTh } from "../../components/SortableTh";
import { EventStatusBadge } from "../../components/StatusBadge";
import { TableSkeleton } from "../../components/TableSkeleton";
import { PARTIAL_DATE_HINT } from "../../lib/forms";
import { readInt, readList, useMirror, useUrlList, useUrlState } from "../../lib/url-state";

const KIND_OPTIONS = EVENT_KINDS.map((k) => ({ value: k, label: EVENT_KIND_LABELS[k] }));

function DateFilter({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: string;
  onCommit: (v: string | null) => void;
}) {
  const [local, setLocal] = useState(value);
  useEffect(() => setLocal(value), [value]);
  const commit = useDebouncedCallback((v: string) => {
    const t = v.trim();
    if (t === "") onCommit(null);
    else if (isValidPartialDate(t)) onCommit(t);
  }, 400);
  const invalid = local.trim() !== "" && !isValidPartialDate(local.trim());
  return (
    <TextInput
      label={label}
      placeholder="YYYY-MM-DD"
      description={PARTIAL_DATE_HINT}
      value={local}
      error={invalid ? "Use YYYY, YYYY-MM or YYYY-MM-DD" : undefined}
      onChange={(e) => {
        setLocal(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      w={200}
    />
  );
}

function EventRow({ e, back }: { e: Event; back: string }) {
  return (
    <Table.Tr>
      <Table.Td>
        <EventDate event={e} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{EVENT_KIND_LABELS[e.kind]}</Table.Td>
      <Table.Td maw={420}>
        <Text size="sm" fw={500}>
          {e.title}
        </Text>
        {e.actor ? (
          <Text size="xs" c="dimmed">
            {e.actor}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td maw={280}>
        {e.matter ? (
          <Anchor component={Link} to={`/matters/${e.matter.slug}/timeline`} size="sm">
            {e.matter.title}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            Department-wide
          </Text>
        )}
      </Table.Td>
      <Table.Td>{e.status ? <EventStatusBadge status={e.status} /> : null}</Table.Td>
      <Table.Td>
        <Anchor
          component={Link}
          to={`/events/${e.id}/edit?back=${encodeURIComponent(back)}`}
          size="sm"
          aria-label={`Edit event: ${e.title}`}
        >
          Edit
        </Anchor>
      </Table.Td>
    </Table.Tr>
  );
}

/** The calendar of everything dated: hearings, orders, and the department-wide record. */
export function EventsPage() {
  const { params, update } = useUrlState();
  const [kindValue, setKind] = useUrlList("kind");
  const sort = params.get("sort") === "date" ? "date" : "-date";
  const query = {
    kind: readList(params, "kind"),
    departmentWide: params.get("departmentWide") === "true" ? "true" : undefined,
    matter: params.get("matter") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    sort,
    limit: readInt(params, "limit", 50),
    offset: readInt(params, "offset", 0),
  };
  const { data, error, isPending, isPlaceholderData, refetch } = useEvents(query);
  const [deptOnly, setDeptOnly] = useMirror(query.departmentWide === "true");
  const filtered = Boolean(
    query.kind.length || query.departmentWide || query.from || query.to || query.matter,
  );
  return (
    <>
      <PageTitle
        title="Calendar & events"
        subtitle="Hearings, filings, orders and reports on every matter, and the department-wide record of memos and orders"
        actions={
          <Button component={Link} to="/events/new" leftSection={<IconPlus size={16} />}>
            New event
          </Button>
        }
      />
      <Card withBorder padding="sm" mb="md">
        <Group align="flex-start" gap="md" wrap="wrap" component="form" aria-label="Filter events">
          <MultiSelect
            label="Kind"
            placeholder="Any kind"
            data={KIND_OPTIONS}
            value={kindValue}
            onChange={setKind}
            searchable
            clearable
            w={300}
          />
          <DateFilter label="From" value={params.get("from") ?? ""} onCommit={(from) => update({ from })} />
          <DateFilter label="To" value={params.get("to") ?? ""} onCommit={(to) => update({ to })} />
          <Checkbox
            mt={30}
            label="Department-wide record only"
            checked={deptOnly}
            onChange={(e) => {
              setDeptOnly(e.currentTarget.checked);
              update({ departmentWide: e.currentTarget.checked ? "true" : null });
            }}
          />
          {params.get("matter") ? (
            <Button mt={26} size="compact-sm" variant="light" onClick={() => update({ matter: null })}>
              Matter: {params.get("matter")} ×
            </Button>
          ) : null}
        </Group>
      </Card>
      {error ? (
        <ProblemAlert error={error} onRetry={() => refetch()} />
      ) : isPending ? (
        <TableSkeleton rows={12} />
      ) : data.items.length === 0 ? (
        <Card withBorder>
          <Empty title={filtered ? "No events match these filters" : "No events yet"} />
        </Card>
      ) : (
        <Stack gap="sm">
          <Pager
            total={data.total}
            limit={data.limit}
            offset={data.offset}
            noun="events"
            onChange={(p) => update(p, { keepOffset: true })}
          />
          <Box style={{ opacity: isPlaceholderData ? 0.6 : 1 }} aria-busy={isPlaceholderData}>
            <ScrollArea type="auto">
              <Table
                striped
                highlightOnHover
                withTableBorder
                className="accord-table"
                miw={900}
                aria-label="Events"
              >
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh
                      field="date"
                      sort={sort}
                      defaultDescending
                      onSort={(s) => update({ sort: s })}
                      w={200}
                    >
                      Date
                    </SortableTh>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Title</Table.Th>
                    <Table.Th>Matter</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>
                      <span className="sr-only">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((e) => (
                    <EventRow key={e.id} e={e} back={`/events${params.size ? `?${params}` : ""}`} />
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Box>
        </Stack>
      )}
    </>
  );
}
