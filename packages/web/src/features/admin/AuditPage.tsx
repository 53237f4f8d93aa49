import { AUDIT_ACTIONS, AUDIT_ENTITIES, type AuditEntry } from "@accord/domain";
import { ActionIcon, Anchor, Badge, Box, Button, Code, Group, Stack, Table, Text } from "@mantine/core";
import { Fragment, useState } from "react";
import { Link } from "react-router";
import { useAudit, useAuditFacets, useUsers } from "../../api/admin";
import { toSearch } from "../../api/client";
import { useCan } from "../../api/session";
import { ActionBadge, ActorLabel, ChangeDiff } from "../../components/ChangeDiff";
import { UrlDate, UrlSelect } from "../../components/filters";
import { IconChevronDown, IconChevronUp, IconDownload } from "../../components/icons";
import { ClearFilters, FilterBar, ListResults, ListTable } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { actionLabel, entityLabel, formatTime, recordOf } from "../../lib/audit";
import { readPage, useUrlState } from "../../lib/url-state";

const FILTERS = ["actor", "entity", "action", "from", "to"] as const;
/** The filters plus `entityId`, which a link may set (one record's entries). */
const QUERY_KEYS = [...FILTERS, "entityId"] as const;

function withCurrent(options: { value: string; label: string }[], current: string | null) {
  return current && !options.some((o) => o.value === current)
    ? [...options, { value: current, label: current }]
    : options;
}

function EntityCell({ entry }: { entry: AuditEntry }) {
  const record = recordOf(entry);
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {entityLabel(entry.entity)}
      </Text>
      {record.to ? (
        <Anchor component={Link} to={record.to} size="sm" lineClamp={2}>
          {record.name}
        </Anchor>
      ) : (
        <Text size="sm" lineClamp={2}>
          {record.name}
        </Text>
      )}
    </Stack>
  );
}

function EntryRows({ entry, open, toggle }: { entry: AuditEntry; open: boolean; toggle: () => void }) {
  const detailsId = `audit-entry-${entry.id}`;
  return (
    <>
      <Table.Tr>
        <Table.Td w={36}>
          <ActionIcon
            variant="subtle"
            size="sm"
            onClick={toggle}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? "Hide" : "Show"} the changes of entry ${entry.id}: ${actionLabel(entry.action)}`}
          >
            {open ? <IconChevronUp size={16} /> : <IconChevronDown size={16} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td style={{ whiteSpace: "nowrap" }}>
          <time dateTime={entry.at}>{formatTime(entry.at)}</time>
        </Table.Td>
        <Table.Td>
          <ActorLabel actor={entry.actor} role={entry.actorRole} />
        </Table.Td>
        <Table.Td>
          <Stack gap={2} align="flex-start">
            <ActionBadge action={entry.action} />
            {entry.autosaves ? (
              <Text size="xs" c="dimmed">
                {entry.autosaves} autosaves
              </Text>
            ) : null}
          </Stack>
        </Table.Td>
        <Table.Td maw={380}>
          <EntityCell entry={entry} />
        </Table.Td>
      </Table.Tr>
      {open ? (
        <Table.Tr id={detailsId}>
          <Table.Td />
          <Table.Td colSpan={4} py="sm">
            <Stack gap="xs">
              <ChangeDiff entry={entry} />
              <Text size="xs" c="dimmed">
                Entry {entry.id}
                {entry.address ? (
                  <>
                    {" "}
                    · from <Code>{entry.address}</Code>
                  </>
                ) : null}
                {entry.requestId ? (
                  <>
                    {" "}
                    · request <Code>{entry.requestId}</Code>
                  </>
                ) : null}
              </Text>
            </Stack>
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}

/** Every change, with who, when and what it was before: filterable, pageable, exportable. */
export function AuditPage() {
  const { params, update } = useUrlState();
  const filters = Object.fromEntries(QUERY_KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const query = { ...filters, ...readPage(params) };
  const result = useAudit(query);
  const canListUsers = useCan("users:manage");
  const users = useUsers(canListUsers);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const filtered = QUERY_KEYS.some((k) => params.get(k));
  const csvHref = `/api/v1/audit.csv${toSearch(filters)}`;

  const actorOptions = withCurrent(
    [
      ...(users.data?.items ?? []).map((u) => ({
        value: u.username,
        label: u.displayName ? `${u.username} (${u.displayName})` : u.username,
      })),
      { value: "system", label: "system (data import)" },
    ],
    params.get("actor"),
  );
  const facets = useAuditFacets();
  // Every action and record type the domain knows is offered even before the log holds one; the
  // log's own are added, so old rows with a code the domain no longer knows can still be found.
  const entities = [...new Set<string>([...AUDIT_ENTITIES, ...(facets.data?.entities ?? [])])];
  const entityOptions = withCurrent(
    entities.map((value) => ({ value, label: entityLabel(value) })),
    params.get("entity"),
  );
  const actions = [...new Set<string>([...AUDIT_ACTIONS, ...(facets.data?.actions ?? [])])].sort();
  const actionOptions = withCurrent(
    actions.map((a) => ({ value: a, label: actionLabel(a) })),
    params.get("action"),
  );
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <PageTitle
        title="Audit log"
        subtitle="Every change: who made it, in what role, when, and what the record was before and after"
        actions={
          <Button
            component="a"
            href={csvHref}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
          >
            Download CSV
          </Button>
        }
      />
      <FilterBar label="Filter the audit log">
        <UrlSelect
          param="actor"
          label="User"
          placeholder="Anyone"
          data={actorOptions}
          searchable
          clearable
          w={170}
        />
        <UrlSelect
          param="entity"
          label="Record type"
          placeholder="Any"
          data={entityOptions}
          clearable
          w={140}
        />
        <UrlSelect
          param="action"
          label="Action"
          placeholder="Any action"
          data={actionOptions}
          searchable
          clearable
          w={180}
        />
        <UrlDate param="from" label="From" w={190} />
        <UrlDate param="to" label="To" w={190} />
        <ClearFilters keys={QUERY_KEYS} shown={filtered} />
      </FilterBar>
      {params.get("entityId") ? (
        <Group mb="sm">
          <Badge variant="light" tt="none" radius="sm">
            One record: {params.get("entityId")}
          </Badge>
          <Button size="compact-xs" variant="subtle" onClick={() => update({ entityId: null })}>
            Show all records
          </Button>
        </Group>
      ) : null}
      <ListResults result={result} noun="entries" filtered={filtered} pagerBelow skeletonRows={10}>
        {(items) => (
          <Box>
            <ListTable
              aria-label="Audit log"
              miw={760}
              striped={false}
              head={
                <>
                  <Table.Th w={36}>
                    <span className="sr-only">Details</span>
                  </Table.Th>
                  <Table.Th w={190}>Time</Table.Th>
                  <Table.Th w={200}>User</Table.Th>
                  <Table.Th w={190}>Action</Table.Th>
                  <Table.Th>Record</Table.Th>
                </>
              }
            >
              {items.map((e) => (
                <Fragment key={e.id}>
                  <EntryRows entry={e} open={open.has(e.id)} toggle={() => toggle(e.id)} />
                </Fragment>
              ))}
            </ListTable>
          </Box>
        )}
      </ListResults>
    </>
  );
}
