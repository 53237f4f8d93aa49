import {
  CALENDAR_KIND_LABELS,
  CALENDAR_KINDS,
  CALENDAR_STATE_LABELS,
  CALENDAR_STATES,
  type CalendarItem,
  formatPartialDate,
  type SavedCalendarFilter,
} from "@accord/domain";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { Link } from "react-router";
import { matterFeedPath, useCalendar } from "../../api/calendar";
import { fetchMatterOptions, useMatter } from "../../api/hooks";
import { useCurrentUser } from "../../api/session";
import { Empty } from "../../components/Empty";
import { ListFilter } from "../../components/filters";
import { IconDownload } from "../../components/icons";
import { FilterBar, ListTable } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RemoteSelect } from "../../components/RemoteSelect";
import { EventStatusBadge } from "../../components/StatusBadge";
import { TableSkeleton } from "../../components/TableSkeleton";
import { readList, useUrlState } from "../../lib/url-state";
import { formatDay, provisionPath, todayIso } from "../provisions/shared";
import { SaveSearchButton } from "../saved-searches/SaveSearchButton";
import {
  CALENDAR_VIEWS,
  type CalendarView,
  daysBetween,
  monthTitle,
  stepOf,
  weekStart,
  windowOf,
} from "./calendar-window";
import { DeadlineActions, DeadlineStateBadge, DeadlineStatusLine } from "./DeadlineActions";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const KIND_OPTIONS = CALENDAR_KINDS.map((k) => ({ value: k, label: CALENDAR_KIND_LABELS[k] }));
const STATE_OPTIONS = CALENDAR_STATES.map((s) => ({ value: s, label: CALENDAR_STATE_LABELS[s] }));
const KIND_COLORS: Record<CalendarItem["kind"], string> = {
  hearing: "violet",
  event: "gray",
  deadline: "blue",
};

/** Where an item leads: a hearing to its matter's timeline, a deadline to its provision. */
function itemPath(item: CalendarItem): string | null {
  if (item.deadline) return provisionPath(item.deadline.matter.slug, item.deadline.provision);
  return item.matter ? `/matters/${item.matter.slug}/timeline` : null;
}

function itemColor(item: CalendarItem) {
  if (item.state === "overdue") return "red";
  if (item.state === "cancelled" || item.state === "waived") return "gray";
  if (item.state === "met") return "teal";
  return KIND_COLORS[item.kind];
}

/** A hearing's history: the days it was set for before, and its new day. */
function HearingHistory({ item }: { item: CalendarItem }) {
  const e = item.event;
  if (!e) return null;
  const earlier = e.history.filter((h) => h.date);
  if (e.status !== "postponed" && !earlier.length) return null;
  return (
    <Text size="xs" c="dimmed">
      {e.status === "postponed" ? (
        <>
          Postponed from <s className="accord-struck">{formatPartialDate(e.date)}</s>
          {e.newDate ? ` to ${formatPartialDate(e.newDate)}` : " (no new date yet)"}
        </>
      ) : null}
      {earlier.length ? (
        <>
          {e.status === "postponed" ? " · " : ""}History:{" "}
          {earlier
            .map(
              (h) =>
                `${formatPartialDate(h.newDate ?? h.date ?? "")}${h.status ? ` (${CALENDAR_STATE_LABELS[h.status as "scheduled"] ?? h.status})` : ""}, changed ${formatDay(h.at)}`,
            )
            .join("; ")}
        </>
      ) : null}
    </Text>
  );
}

function ItemChip({ item }: { item: CalendarItem }) {
  const to = itemPath(item);
  const label = `${item.time ? `${item.time} ` : ""}${item.kind === "deadline" ? item.deadline!.provision.label : item.title}`;
  const full = `${label}${item.matter ? ` — ${item.matter.title}` : ""} (${CALENDAR_STATE_LABELS[item.state]})`;
  const badge = (
    <Badge
      color={itemColor(item)}
      variant={item.state === "overdue" ? "filled" : "light"}
      radius="sm"
      tt="none"
      size="sm"
      fullWidth
      styles={{ label: { textAlign: "left" } }}
      title={full}
      td={item.state === "cancelled" ? "line-through" : undefined}
    >
      {label}
    </Badge>
  );
  return to ? (
    <Anchor component={Link} to={to} underline="never" aria-label={full}>
      {badge}
    </Anchor>
  ) : (
    badge
  );
}

function MonthGrid({ items, from, to, at }: { items: CalendarItem[]; from: string; to: string; at: string }) {
  const byDay = new Map<string, CalendarItem[]>();
  for (const i of items) byDay.set(i.date, [...(byDay.get(i.date) ?? []), i]);
  const days = daysBetween(from, to);
  const weeks: string[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const today = todayIso();
  return (
    <Table withTableBorder withColumnBorders layout="fixed" aria-label={`Calendar for ${monthTitle(at)}`}>
      <Table.Thead>
        <Table.Tr>
          {WEEKDAYS.map((d) => (
            <Table.Th key={d}>{d}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {weeks.map((week) => (
          <Table.Tr key={week[0]}>
            {week.map((day) => {
              const list = byDay.get(day) ?? [];
              const outside = day.slice(0, 7) !== at.slice(0, 7);
              return (
                <Table.Td key={day} valign="top" h={110} style={{ verticalAlign: "top" }}>
                  <Text
                    size="xs"
                    fw={day === today ? 700 : 400}
                    c={outside ? "dimmed" : undefined}
                    aria-label={formatDay(day)}
                  >
                    {Number(day.slice(8))}
                  </Text>
                  <Stack gap={2} mt={2}>
                    {list.slice(0, 4).map((i) => (
                      <ItemChip key={i.uid} item={i} />
                    ))}
                    {list.length > 4 ? (
                      <Text size="xs" c="dimmed">
                        +{list.length - 4} more
                      </Text>
                    ) : null}
                  </Stack>
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function WeekColumns({ items, from }: { items: CalendarItem[]; from: string }) {
  const days = daysBetween(from, windowOf("week", from).to);
  return (
    <Table withTableBorder withColumnBorders layout="fixed" aria-label={`Week of ${formatDay(from)}`}>
      <Table.Thead>
        <Table.Tr>
          {days.map((d, i) => (
            <Table.Th key={d}>
              {WEEKDAYS[i]} {formatDay(d)}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Table.Tr>
          {days.map((d) => (
            <Table.Td key={d} style={{ verticalAlign: "top" }} h={240}>
              <Stack gap={4}>
                {items
                  .filter((i) => i.date === d)
                  .map((i) => (
                    <ItemChip key={i.uid} item={i} />
                  ))}
              </Stack>
            </Table.Td>
          ))}
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function Agenda({ items }: { items: CalendarItem[] }) {
  return (
    <ListTable
      aria-label="Agenda"
      verticalSpacing={6}
      head={
        <>
          <Table.Th w={130}>Date</Table.Th>
          <Table.Th w={120}>State</Table.Th>
          <Table.Th>What</Table.Th>
          <Table.Th>Matter</Table.Th>
          <Table.Th w={150}>
            <span className="sr-only">Actions</span>
          </Table.Th>
        </>
      }
    >
      {items.map((i) => {
        const to = itemPath(i);
        return (
          <Table.Tr key={i.uid}>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <Text
                size="sm"
                fw={i.state === "overdue" ? 600 : 400}
                c={i.state === "overdue" ? "red" : undefined}
              >
                {formatDay(i.date)}
              </Text>
              {i.time ? (
                <Text size="xs" c="dimmed">
                  {i.time}
                  {i.timeZone ? ` ${i.timeZone.split("/").pop()!.replace("_", " ")} time` : ""}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              {i.deadline ? <DeadlineStateBadge d={i.deadline} /> : <EventStatusBadge status={i.state} />}
            </Table.Td>
            <Table.Td maw={480}>
              <Text size="xs" c="dimmed">
                {i.kind === "deadline"
                  ? `Deadline${i.deadline!.kind === "recurring" ? ` · recurring (occurrence ${i.deadline!.occurrence})` : ""}`
                  : CALENDAR_KIND_LABELS[i.kind].replace(/s$/, "")}
              </Text>
              {to ? (
                <Anchor component={Link} to={to} size="sm" fw={600}>
                  {i.kind === "deadline" ? i.deadline!.provision.label : i.title}
                </Anchor>
              ) : (
                <Text size="sm" fw={600}>
                  {i.title}
                </Text>
              )}
              {i.deadline ? (
                <>
                  <Text size="sm">{i.deadline.duty ?? `“${i.deadline.phrase}”`}</Text>
                  <DeadlineStatusLine d={i.deadline} />
                </>
              ) : (
                <HearingHistory item={i} />
              )}
            </Table.Td>
            <Table.Td maw={260}>
              {i.matter ? (
                <Anchor component={Link} to={`/matters/${i.matter.slug}/timeline`} size="sm">
                  {i.matter.title}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  Department-wide
                </Text>
              )}
            </Table.Td>
            <Table.Td>{i.deadline ? <DeadlineActions d={i.deadline} /> : null}</Table.Td>
          </Table.Tr>
        );
      })}
    </ListTable>
  );
}

/**
 * The court calendar: hearings, other court events and deadlines by month, week or as an agenda,
 * filtered by matter, kind, state and "mine"; the view, the day and every filter are in the URL.
 */
export function CalendarPage() {
  const { params, update } = useUrlState();
  const me = useCurrentUser();
  const view: CalendarView = (CALENDAR_VIEWS as readonly string[]).includes(params.get("view") ?? "")
    ? (params.get("view") as CalendarView)
    : "month";
  const atParam = params.get("at");
  const at = atParam && /^\d{4}-\d{2}-\d{2}$/.test(atParam) ? atParam : todayIso();
  const { from, to } = windowOf(view, at);
  const matter = params.get("matter");
  const kind = readList(params, "kind");
  const state = readList(params, "state");
  const mine = params.get("mine") === "true";
  const chosen = useMatter(matter ?? undefined).data;
  const q = useCalendar({
    from,
    to,
    matter,
    kind: kind.length ? kind.join(",") : null,
    state: state.length ? state.join(",") : null,
    mine: mine ? "true" : null,
  });
  const title = view === "week" ? `Week of ${formatDay(weekStart(at))}` : monthTitle(at);
  const items = q.data?.items ?? [];
  return (
    <Stack gap="md">
      <PageTitle
        title="Calendar"
        subtitle="Hearings, other court events and deadlines of the matters you can read"
        actions={
          <>
            {me ? (
              <SaveSearchButton
                kind="calendar"
                query={{
                  ...(matter ? { matter: [matter] } : {}),
                  ...(kind.length ? { kind: kind as SavedCalendarFilter["kind"] } : {}),
                  ...(state.length ? { state: state as SavedCalendarFilter["state"] } : {}),
                  ...(mine ? { mine: true } : {}),
                }}
                suggestedName={chosen?.title ?? (mine ? "My calendar" : "Calendar")}
              />
            ) : null}
            {matter ? (
              <Button
                component="a"
                href={matterFeedPath(matter)}
                download={`accord-${matter}.ics`}
                variant="default"
                leftSection={<IconDownload size={16} />}
              >
                Download ICS
              </Button>
            ) : (
              <Anchor component={Link} to="/settings#calendar-feeds" size="sm">
                Subscribe in your calendar app →
              </Anchor>
            )}
          </>
        }
      />
      <FilterBar label="Filter the calendar">
        <RemoteSelect
          label="Matter"
          placeholder="Every matter"
          queryKey="matters-by-slug"
          fetchOptions={async (s) =>
            (await fetchMatterOptions(s)).items.map((m) => ({ value: m.slug, label: m.title }))
          }
          value={matter}
          selected={matter && chosen ? { value: matter, label: chosen.title } : null}
          onChange={(v) => update({ matter: v })}
          w={280}
        />
        <ListFilter
          param="kind"
          label="Kind"
          placeholder="Every kind"
          data={KIND_OPTIONS}
          clearable
          w={220}
        />
        <ListFilter
          param="state"
          label="State"
          placeholder="Any state"
          data={STATE_OPTIONS}
          clearable
          w={240}
        />
        {me ? (
          <Checkbox
            mb={4}
            label="Only mine"
            description="Assigned to me, or of my matters"
            checked={mine}
            onChange={(e) => update({ mine: e.currentTarget.checked ? "true" : null })}
          />
        ) : null}
      </FilterBar>
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            onClick={() => update({ at: stepOf(view, at, -1) })}
            aria-label="Previous"
          >
            ‹ Previous
          </Button>
          <Button variant="default" size="xs" onClick={() => update({ at: null })}>
            Today
          </Button>
          <Button
            variant="default"
            size="xs"
            onClick={() => update({ at: stepOf(view, at, 1) })}
            aria-label="Next"
          >
            Next ›
          </Button>
          <Title order={2} size="h4" ml="sm">
            {title}
          </Title>
        </Group>
        <SegmentedControl
          aria-label="View"
          value={view}
          onChange={(v) => update({ view: v === "month" ? null : v })}
          data={[
            { value: "month", label: "Month" },
            { value: "week", label: "Week" },
            { value: "agenda", label: "Agenda" },
          ]}
        />
      </Group>
      {q.data ? (
        <Text size="xs" c="dimmed">
          {q.data.overdueDefinition}
        </Text>
      ) : null}
      {q.error ? (
        <ProblemAlert error={q.error} onRetry={() => q.refetch()} />
      ) : q.isPending ? (
        <TableSkeleton rows={6} />
      ) : view === "agenda" ? (
        items.length ? (
          <Agenda items={items} />
        ) : (
          <Empty title="Nothing in this month">
            Hearings and deadlines of the matters you can read show here.
          </Empty>
        )
      ) : view === "week" ? (
        <WeekColumns items={items} from={from} />
      ) : (
        <MonthGrid items={items} from={from} to={to} at={at} />
      )}
      {q.data?.series.length ? (
        <Card withBorder padding="md" component="section" aria-labelledby="series-h">
          <Title order={2} size="h5" id="series-h" mb="xs">
            Recurring duties in this view
          </Title>
          <Stack gap={6}>
            {q.data.series.map((s) => (
              <Text size="sm" key={s.deadlineId}>
                <Anchor component={Link} to={provisionPath(s.matter.slug, s.provision)} fw={600}>
                  {s.provision.label}
                </Anchor>{" "}
                {s.matter.title}: “{s.phrase}” — every {s.every.n > 1 ? `${s.every.n} ` : ""}
                {s.every.unit}
                {s.every.n > 1 ? "s" : ""}; {s.inWindow} date{s.inWindow === 1 ? "" : "s"} in this view
                {s.next ? `, next ${formatDay(s.next)}` : ""}
              </Text>
            ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}
