import {
  type CycleListItem,
  formatPartialDate,
  REVIEW_STATUS_LABELS,
  REVIEW_STATUSES,
  type ReviewListItem,
} from "@accord/domain";
import { Anchor, Card, Group, Stack, Table, Tabs, Text } from "@mantine/core";
import { Link, useSearchParams } from "react-router";
import { useCycles, useReviews } from "../../api/reviews";
import { useCan } from "../../api/session";
import { Empty } from "../../components/Empty";
import { ListFilter } from "../../components/filters";
import { FilterBar, ListResults, ListTable, NewButton } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SortableTh } from "../../components/SortableTh";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatDay, formatTime } from "../../lib/audit";
import { readList, readPage, useUrlState } from "../../lib/url-state";
import { CopyCycleButton, StartCycleButton, scopeText } from "./CycleActions";
import { CycleProgress } from "./cycle-progress";
import { CycleStatusBadge, FlagBadge, ReviewStatusBadge } from "./ReviewBadges";
import { isPastDue, recommendationLabel } from "./review-labels";

export type ReviewsTab = "cycles" | "mine" | "approval";

/** A cycle's due date, marked when it has passed and the cycle is not closed. */
function DueDate({ dueOn, open }: { dueOn: string | null; open: boolean }) {
  if (!dueOn)
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Group gap={6} wrap="nowrap">
      <Text span size="sm" style={{ whiteSpace: "nowrap" }}>
        {formatPartialDate(dueOn)}
      </Text>
      {open && isPastDue(dueOn) ? <FlagBadge color="red">Past due</FlagBadge> : null}
    </Group>
  );
}

function CycleRow({ c, canManage }: { c: CycleListItem; canManage: boolean }) {
  return (
    <Table.Tr>
      <Table.Td miw={220}>
        <Anchor component={Link} to={`/reviews/${c.slug}`} fw={600} size="sm">
          {c.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {scopeText(c.scope)}
          {c.copiedFrom ? ` · copied from ${c.copiedFrom.name}` : ""}
        </Text>
      </Table.Td>
      <Table.Td>
        <CycleStatusBadge status={c.status} />
      </Table.Td>
      <Table.Td>
        <DueDate dueOn={c.dueOn} open={c.status !== "closed"} />
      </Table.Td>
      <Table.Td miw={240}>
        {c.status === "draft" ? (
          <Text size="xs" c="dimmed">
            Not started: the criteria can still change
          </Text>
        ) : (
          <CycleProgress counts={c.counts} size="sm" />
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{c.startedAt ? formatDay(c.startedAt) : "—"}</Table.Td>
      {canManage ? (
        <Table.Td>
          <Group gap={6} wrap="nowrap" justify="flex-end">
            <StartCycleButton cycle={c} size="xs" />
            <CopyCycleButton cycle={c} size="xs" />
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

function CyclesList() {
  const { data, error, isPending, refetch } = useCycles();
  const canManage = useCan("cycles:manage");
  if (error) return <ProblemAlert error={error} onRetry={() => refetch()} />;
  if (isPending) return <TableSkeleton rows={4} />;
  if (data.items.length === 0) {
    return (
      <Card withBorder>
        <Empty title="No review cycles yet">
          {canManage
            ? "Create the first with “New cycle”: its criteria, scope and due date."
            : "An administrator prepares and starts review cycles."}
        </Empty>
      </Card>
    );
  }
  return (
    <ListTable
      aria-label="Review cycles"
      head={
        <>
          <Table.Th>Cycle</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>Progress</Table.Th>
          <Table.Th>Started</Table.Th>
          {canManage ? (
            <Table.Th>
              <span className="sr-only">Actions</span>
            </Table.Th>
          ) : null}
        </>
      }
    >
      {data.items.map((c) => (
        <CycleRow key={c.id} c={c} canManage={canManage} />
      ))}
    </ListTable>
  );
}

const STATUS_OPTIONS = REVIEW_STATUSES.map((s) => ({ value: s, label: REVIEW_STATUS_LABELS[s] }));

/** The reviews assigned to the signed-in reviewer, or those waiting for an approving official. */
function AssignedReviews({ tab }: { tab: "mine" | "approval" }) {
  const { params } = useUrlState();
  const cycles = useCycles();
  const dueOf = new Map((cycles.data?.items ?? []).map((c) => [c.id, c]));
  const status = readList(params, "status");
  const sort = params.get("sort") ?? "-updatedAt";
  const query =
    tab === "mine"
      ? { assignee: "me", status, sort, ...readPage(params) }
      : { status: ["submitted"], sort, ...readPage(params) };
  const result = useReviews(query);
  return (
    <Stack gap="sm">
      {tab === "mine" ? (
        <FilterBar label="Filter my reviews">
          <ListFilter
            param="status"
            label="Status"
            placeholder="Any status"
            data={STATUS_OPTIONS}
            clearable
            w={320}
            comboboxProps={{ withinPortal: true }}
          />
        </FilterBar>
      ) : null}
      <ListResults
        result={result}
        noun="reviews"
        filtered={status.length > 0}
        emptyTitle={
          status.length > 0
            ? undefined
            : tab === "mine"
              ? "No reviews are assigned to you"
              : "No review is waiting for approval"
        }
        emptyHint={tab === "mine" ? "An administrator assigns reviews from a cycle's board." : null}
      >
        {(items) => (
          <ListTable
            aria-label={tab === "mine" ? "My reviews" : "Reviews awaiting approval"}
            head={
              <>
                <SortableTh field="matter" sort={sort}>
                  Matter
                </SortableTh>
                <Table.Th>Cycle</Table.Th>
                <SortableTh field="status" sort={sort}>
                  Status
                </SortableTh>
                <Table.Th>Due</Table.Th>
                <Table.Th>Recommendation</Table.Th>
                {tab === "approval" ? <Table.Th>Reviewer</Table.Th> : null}
                <SortableTh field="updatedAt" sort={sort} defaultDescending>
                  Updated
                </SortableTh>
              </>
            }
          >
            {items.map((r: ReviewListItem) => {
              const cycle = dueOf.get(r.cycle.id);
              return (
                <Table.Tr key={r.id}>
                  <Table.Td miw={240}>
                    <Anchor component={Link} to={`/reviews/${r.cycle.slug}/${r.id}`} size="sm" fw={600}>
                      {r.matter.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.matter.jurisdiction}, {r.matter.stateCode}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/reviews/${r.cycle.slug}`} size="sm">
                      {r.cycle.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ReviewStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text span size="sm" style={{ whiteSpace: "nowrap" }}>
                        {cycle?.dueOn ? formatPartialDate(cycle.dueOn) : "—"}
                      </Text>
                      {r.overdue ? <FlagBadge color="red">Overdue</FlagBadge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.recommendation ? undefined : "dimmed"}>
                      {recommendationLabel(r.recommendation)}
                    </Text>
                  </Table.Td>
                  {tab === "approval" ? (
                    <Table.Td>{r.assignee ? (r.assignee.displayName ?? r.assignee.username) : "—"}</Table.Td>
                  ) : null}
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(r.updatedAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </ListTable>
        )}
      </ListResults>
    </Stack>
  );
}

/** `/reviews`: the review cycles; for reviewers their own reviews; for approvers those to sign off. */
export function CyclesPage() {
  const [params, setParams] = useSearchParams();
  const canWrite = useCan("reviews:write");
  const canApprove = useCan("reviews:approve");
  const asked = params.get("tab") ?? (params.get("mine") ? "mine" : "cycles");
  const tab: ReviewsTab =
    asked === "mine" && canWrite ? "mine" : asked === "approval" && canApprove ? "approval" : "cycles";
  return (
    <>
      <PageTitle
        title="Reviews"
        subtitle="Department-wide reviews of every matter against a set of principles, with sign-off"
        actions={
          <NewButton to="/reviews/new" permission="cycles:manage">
            New cycle
          </NewButton>
        }
      />
      <Tabs
        value={tab}
        onChange={(t) => setParams(t && t !== "cycles" ? { tab: t } : {})}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="cycles">Cycles</Tabs.Tab>
          {canWrite ? <Tabs.Tab value="mine">My reviews</Tabs.Tab> : null}
          {canApprove ? <Tabs.Tab value="approval">Awaiting approval</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="cycles">
          <CyclesList />
        </Tabs.Panel>
        {canWrite ? (
          <Tabs.Panel value="mine">
            <AssignedReviews tab="mine" />
          </Tabs.Panel>
        ) : null}
        {canApprove ? (
          <Tabs.Panel value="approval">
            <AssignedReviews tab="approval" />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </>
  );
}
