import { EVENT_KIND_LABELS, EVENT_KINDS, type Event, isValidPartialDate } from "@accord/domain";
import { Anchor, Button, Checkbox, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { useEvents } from "../../api/hooks";
import { useCan } from "../../api/session";
import { DateField } from "../../components/DateField";
import { EventDate } from "../../components/EventDate";
import { ListFilter } from "../../components/filters";
import { FilterBar, ListResults, ListTable, NewButton } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { SortableTh } from "../../components/SortableTh";
import { EventStatusBadge } from "../../components/StatusBadge";
import { readList, readPage, useMirror, useUrlState } from "../../lib/url-state";
import { EditEventLink } from "./EditEventLink";

const KIND_OPTIONS = EVENT_KINDS.map((k) => ({ value: k, label: EVENT_KIND_LABELS[k] }));

/** A date bound of the list (a day, a month or a year), kept in the URL as `param` once it reads as a date. */
function DateFilter({ label, param }: { label: string; param: "from" | "to" }) {
  const { params, update } = useUrlState();
  return (
    <DateField
      partial
      label={label}
      placeholder="Any date"
      value={params.get(param) ?? ""}
      onChange={(v) => {
        if (v === "") update({ [param]: null });
        else if (isValidPartialDate(v)) update({ [param]: v });
      }}
      w={220}
    />
  );
}

function EventRow({ e, back, canEdit }: { e: Event; back: string; canEdit: boolean }) {
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
      {canEdit ? (
        <Table.Td>
          <EditEventLink event={e} back={back} size="sm" />
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

/** The calendar of everything dated: hearings, orders, and the department-wide record. */
export function EventsPage() {
  const { params, update } = useUrlState();
  const sort = params.get("sort") === "date" ? "date" : "-date";
  const query = {
    kind: readList(params, "kind"),
    departmentWide: params.get("departmentWide") === "true" ? "true" : undefined,
    matter: params.get("matter") ?? undefined,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    sort,
    ...readPage(params),
  };
  const result = useEvents(query);
  const canEdit = useCan("registry:write");
  const [deptOnly, setDeptOnly] = useMirror(query.departmentWide === "true");
  const filtered = Boolean(
    query.kind.length || query.departmentWide || query.from || query.to || query.matter,
  );
  const back = `/events${params.size ? `?${params}` : ""}`;
  return (
    <>
      <PageTitle
        title="Events"
        subtitle="Hearings, filings, orders and reports on every matter, and the department-wide record of memos and orders"
        actions={<NewButton to="/events/new">New event</NewButton>}
      />
      <FilterBar label="Filter events" align="flex-start">
        <ListFilter
          param="kind"
          label="Kind"
          placeholder="Any kind"
          data={KIND_OPTIONS}
          searchable
          clearable
          w={300}
        />
        <DateFilter label="From" param="from" />
        <DateFilter label="To" param="to" />
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
      </FilterBar>
      <ListResults result={result} noun="events" filtered={filtered} skeletonRows={12}>
        {(items) => (
          <ListTable
            miw={900}
            aria-label="Events"
            head={
              <>
                <SortableTh field="date" sort={sort} defaultDescending w={200}>
                  Date
                </SortableTh>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Matter</Table.Th>
                <Table.Th>Status</Table.Th>
                {canEdit ? (
                  <Table.Th>
                    <span className="sr-only">Actions</span>
                  </Table.Th>
                ) : null}
              </>
            }
          >
            {items.map((e) => (
              <EventRow key={e.id} e={e} back={back} canEdit={canEdit} />
            ))}
          </ListTable>
        )}
      </ListResults>
    </>
  );
}
