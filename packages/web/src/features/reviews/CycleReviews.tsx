import {
  type Board,
  type Cycle,
  MATTER_KIND_LABELS,
  MATTER_KINDS,
  RECOMMENDATION_LABELS,
  RECOMMENDATIONS,
  REVIEW_STATUS_LABELS,
  REVIEW_STATUSES,
  type ReviewListItem,
} from "@accord/domain";
import {
  Anchor,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Tooltip,
} from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import type { Query } from "../../api/client";
import { useReviews } from "../../api/reviews";
import { useCan } from "../../api/session";
import { ListFilter, SearchFilter, StateFilter, UrlSelect } from "../../components/filters";
import { FilterBar, ListResults, ListTable } from "../../components/ListPage";
import { SortableTh } from "../../components/SortableTh";
import { formatTime, personName } from "../../lib/audit";
import { readList, readPage, useMirror, useUrlState } from "../../lib/url-state";
import { BulkAssign } from "./BulkAssign";
import { FlagBadge, RatingLegend, RatingMark, ReviewStatusBadge } from "./ReviewBadges";
import { levelOf, recommendationLabel } from "./review-labels";

/** The URL's parameters this list reads; "Clear all filters" empties them. */
const FILTER_KEYS = [
  "q",
  "kind",
  "state",
  "status",
  "recommendation",
  "assignee",
  "overdue",
  "changed",
] as const;

function reviewFilters(params: URLSearchParams, cycle: string): Query {
  const flag = (k: string) =>
    params.get(k) === "true" ? "true" : params.get(k) === "false" ? "false" : undefined;
  return {
    cycle,
    q: params.get("q") ?? undefined,
    kind: readList(params, "kind"),
    state: readList(params, "state"),
    status: readList(params, "status"),
    recommendation: readList(params, "recommendation"),
    assignee: params.get("assignee") ?? undefined,
    overdue: flag("overdue"),
    changed: flag("changed"),
  };
}

/** A yes-only filter kept in the URL as `param=true`. */
function FlagFilter({ param, label }: { param: string; label: string }) {
  const { params, update } = useUrlState();
  const [checked, setChecked] = useMirror(params.get(param) === "true");
  return (
    <Checkbox
      label={label}
      checked={checked}
      onChange={(e) => {
        const on = e.currentTarget.checked;
        setChecked(on);
        update({ [param]: on ? "true" : null });
      }}
      mb={8}
    />
  );
}

function Flags({ r }: { r: ReviewListItem }) {
  return (
    <>
      {r.overdue ? <FlagBadge color="red">Overdue</FlagBadge> : null}
      {r.changedSinceApproval ? <FlagBadge color="orange">Changed since approval</FlagBadge> : null}
    </>
  );
}

function MatterCell({ r }: { r: ReviewListItem }) {
  return (
    <>
      <Anchor component={Link} to={`/reviews/${r.cycle.slug}/${r.id}`} size="xs" fw={600} lh={1.35}>
        {r.matter.title}
      </Anchor>
      <Text size="xs" c="dimmed" lh={1.3}>
        {r.matter.jurisdiction}, {r.matter.stateCode} · {MATTER_KIND_LABELS[r.matter.kind]}
      </Text>
    </>
  );
}

/** The reviews as a table: reviewer, status, recommendation; rows can be selected to assign. */
function ReviewsTable({
  items,
  sort,
  selectable,
  selected,
  setSelected,
}: {
  items: ReviewListItem[];
  sort: string | null;
  selectable: boolean;
  selected: Set<string>;
  setSelected: (next: Set<string>) => void;
}) {
  const allOnPage = items.length > 0 && items.every((r) => selected.has(r.id));
  const someOnPage = items.some((r) => selected.has(r.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  return (
    <ListTable
      fz="xs"
      verticalSpacing={4}
      aria-label="Reviews"
      head={
        <>
          {selectable ? (
            <Table.Th w={36}>
              <Checkbox
                aria-label="Select every review on this page"
                checked={allOnPage}
                indeterminate={!allOnPage && someOnPage}
                onChange={(e) => {
                  const next = new Set(selected);
                  for (const r of items) {
                    if (e.currentTarget.checked) next.add(r.id);
                    else next.delete(r.id);
                  }
                  setSelected(next);
                }}
              />
            </Table.Th>
          ) : null}
          <SortableTh field="matter" sort={sort}>
            Matter
          </SortableTh>
          <SortableTh field="status" sort={sort}>
            Status
          </SortableTh>
          <SortableTh field="assignee" sort={sort}>
            Reviewer
          </SortableTh>
          <Table.Th>Recommendation</Table.Th>
          <SortableTh field="updatedAt" sort={sort} defaultDescending>
            Updated
          </SortableTh>
        </>
      }
    >
      {items.map((r) => (
        <Table.Tr key={r.id} bg={selected.has(r.id) ? "var(--mantine-primary-color-light)" : undefined}>
          {selectable ? (
            <Table.Td>
              <Checkbox
                aria-label={`Select the review of ${r.matter.title}`}
                checked={selected.has(r.id)}
                onChange={(e) => toggle(r.id, e.currentTarget.checked)}
              />
            </Table.Td>
          ) : null}
          <Table.Td miw={240} maw={380}>
            <MatterCell r={r} />
          </Table.Td>
          <Table.Td>
            <Group gap={4} wrap="wrap">
              <ReviewStatusBadge status={r.status} size="sm" />
              <Flags r={r} />
            </Group>
          </Table.Td>
          <Table.Td>
            {r.assignee ? (
              personName(r.assignee)
            ) : (
              <Text span size="xs" c="dimmed" fs="italic">
                Unassigned
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Text span size="xs" c={r.recommendation ? undefined : "dimmed"}>
              {r.recommendation ? RECOMMENDATION_LABELS[r.recommendation] : "—"}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(r.updatedAt)}</Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}

/**
 * The matrix: a row per matter, a column per criterion, each cell tinted by the rating's tone
 * and saying the rating in words.
 */
function ReviewMatrix({ items, cycle }: { items: ReviewListItem[]; cycle: Cycle }) {
  return (
    <Stack gap="xs">
      <RatingLegend scale={cycle.ratingScale} />
      <ListTable
        fz="xs"
        verticalSpacing={4}
        withColumnBorders
        striped={false}
        className="accord-table accord-matrix"
        aria-label="Ratings matrix"
        head={
          <>
            <Table.Th>Matter</Table.Th>
            {cycle.criteria.map((c) => (
              <Table.Th key={c.code} className="accord-matrix-criterion" ta="center">
                <Tooltip label={c.title} withArrow multiline maw={320}>
                  <span>
                    <Text span fw={700} inherit>
                      {c.code}
                    </Text>{" "}
                    <Text span inherit fw={400} lineClamp={2}>
                      {c.title}
                    </Text>
                  </span>
                </Tooltip>
              </Table.Th>
            ))}
            <Table.Th>Recommendation</Table.Th>
            <Table.Th>Status</Table.Th>
          </>
        }
      >
        {items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Th scope="row" fw={400} miw={220} maw={320} style={{ whiteSpace: "normal" }}>
              <MatterCell r={r} />
            </Table.Th>
            {cycle.criteria.map((c) => {
              const code = r.ratings[c.code] ?? null;
              const level = levelOf(cycle.ratingScale, code);
              return (
                <Table.Td
                  key={c.code}
                  data-tone={level?.tone}
                  aria-label={`${c.code}: ${level ? level.label : "not rated"}`}
                >
                  <RatingMark level={level} code={code && !level ? code : undefined} />
                </Table.Td>
              );
            })}
            <Table.Td miw={120}>
              <Text span size="xs" c={r.recommendation ? undefined : "dimmed"}>
                {r.recommendation ? recommendationLabel(r.recommendation) : "—"}
              </Text>
            </Table.Td>
            <Table.Td>
              <ReviewStatusBadge status={r.status} size="sm" />
            </Table.Td>
          </Table.Tr>
        ))}
      </ListTable>
    </Stack>
  );
}

const STATUS_OPTIONS = REVIEW_STATUSES.map((s) => ({ value: s, label: REVIEW_STATUS_LABELS[s] }));
const RECOMMENDATION_OPTIONS = RECOMMENDATIONS.map((r) => ({ value: r, label: RECOMMENDATION_LABELS[r] }));

/** The cycle's reviews: filters in the URL, a table or the matrix, paging, and bulk assignment. */
export function CycleReviews({ cycle, board }: { cycle: Cycle; board: Board | undefined }) {
  const { params, update } = useUrlState();
  const canManage = useCan("cycles:manage");
  const canWrite = useCan("reviews:write");
  const view = params.get("view") === "matrix" ? "matrix" : "table";
  const [viewLocal, setViewLocal] = useMirror(view);
  const sort = params.get("sort");
  const filters = reviewFilters(params, cycle.slug);
  const query: Query = { ...filters, sort: sort ?? undefined, ...readPage(params) };
  const result = useReviews(query);
  const filtered = FILTER_KEYS.some((k) => params.get(k));

  // A selection belongs to the filters it was made under.
  const filterKey = JSON.stringify(filters);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: clear the selection when the filters change
  useEffect(() => setSelected(new Set()), [filterKey]);

  const kinds = cycle.scope.kinds.length ? cycle.scope.kinds : MATTER_KINDS;
  const assigneeOptions = useMemo(
    () => [
      ...(canWrite ? [{ value: "me", label: "Me" }] : []),
      { value: "none", label: "Unassigned" },
      ...(board?.byReviewer ?? [])
        .filter((r) => r.assignee)
        .map((r) => ({ value: r.assignee?.username ?? "", label: r.assignee ? personName(r.assignee) : "" })),
    ],
    [board, canWrite],
  );

  return (
    <Stack gap="sm">
      <FilterBar label="Filter reviews">
        <SearchFilter label="Matter" placeholder="Title, city, case number…" w={190} />
        {kinds.length > 1 ? (
          <ListFilter
            param="kind"
            label="Kind"
            placeholder="Any kind"
            data={kinds.map((k) => ({ value: k, label: MATTER_KIND_LABELS[k] }))}
            clearable
            w={200}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        <StateFilter w={170} comboboxProps={{ withinPortal: true }} />
        <ListFilter
          param="status"
          label="Status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          clearable
          w={170}
          comboboxProps={{ withinPortal: true }}
        />
        <ListFilter
          param="recommendation"
          label="Recommendation"
          placeholder="Any"
          data={RECOMMENDATION_OPTIONS}
          clearable
          w={190}
          comboboxProps={{ withinPortal: true }}
        />
        <UrlSelect
          param="assignee"
          label="Reviewer"
          placeholder="Anyone"
          data={assigneeOptions}
          clearable
          w={160}
          comboboxProps={{ withinPortal: true }}
        />
        <FlagFilter param="overdue" label="Overdue" />
        <FlagFilter param="changed" label="Changed since approval" />
        {filtered ? (
          <Button
            variant="subtle"
            size="xs"
            mb={4}
            onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}
          >
            Clear all filters
          </Button>
        ) : null}
      </FilterBar>
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          aria-label="Show as"
          value={viewLocal}
          onChange={(v) => {
            setViewLocal(v as "table" | "matrix");
            update({ view: v === "matrix" ? "matrix" : null }, { keepOffset: true });
          }}
          data={[
            { value: "table", label: "Table" },
            { value: "matrix", label: "Matrix" },
          ]}
        />
      </Group>
      {canManage && view === "table" && cycle.status === "active" ? (
        <BulkAssign
          cycle={cycle.slug}
          selected={[...selected]}
          matching={result.data?.total ?? 0}
          filters={filters}
          onDone={() => setSelected(new Set())}
        />
      ) : null}
      <ListResults
        result={result}
        noun="reviews"
        filtered={filtered}
        skeletonRows={10}
        pagerBelow
        emptyHint={
          filtered ? (
            <Button
              variant="light"
              size="xs"
              mt="xs"
              onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}
            >
              Clear all filters
            </Button>
          ) : null
        }
      >
        {(items) =>
          view === "matrix" ? (
            <ReviewMatrix items={items} cycle={cycle} />
          ) : (
            <ReviewsTable
              items={items}
              sort={sort}
              selectable={canManage && cycle.status === "active"}
              selected={selected}
              setSelected={setSelected}
            />
          )
        }
      </ListResults>
    </Stack>
  );
}
