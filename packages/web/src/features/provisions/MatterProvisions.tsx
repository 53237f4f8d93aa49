import type { Matter, ProvisionListItem } from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useMatterDocuments } from "../../api/documents";
import { useMatterDeadlines, useMatterParses, useMatterProvisions, useParse } from "../../api/provisions";
import { useCan } from "../../api/session";
import { ListFilter, SearchFilter, UrlSelect } from "../../components/filters";
import { ClearFilters, FilterBar, ListResults, ListTable } from "../../components/ListPage";
import { SortableTh } from "../../components/SortableTh";
import { TOPIC_OPTION_GROUPS } from "../../lib/topics";
import { readList, readPage, useMirror, useUrlState } from "../../lib/url-state";
import { DeadlinesTable } from "./Deadlines";
import { isParseable, ParseDocumentButton, ParseStatusBadge } from "./ParseActions";
import {
  documentPagePath,
  firstWords,
  formatDay,
  provisionPath,
  sectionName,
  TopicBadges,
  todayIso,
} from "./shared";

const FILTER_KEYS = ["topic", "section", "q"] as const;

/** The Provisions tab's label, with the count once it is known. */
export function ProvisionsTabLabel({ matterKey }: { matterKey: string }) {
  const { data } = useMatterProvisions(matterKey, { limit: 1 });
  return <>{data && data.total > 0 ? `Provisions (${data.total})` : "Provisions"}</>;
}

/**
 * A matter's Provisions tab: its provisions (by topic, section, words; server paged) or its
 * deadlines (upcoming, overdue, all), chosen with `view` in the URL.
 */
export function MatterProvisions({ matter }: { matter: Matter }) {
  const { params, update } = useUrlState();
  const view = params.get("view") === "deadlines" ? "deadlines" : "provisions";
  const [shown, setShown] = useMirror(view);
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          aria-label="Show"
          value={shown}
          onChange={(v) => {
            setShown(v);
            update({
              view: v === "deadlines" ? "deadlines" : null,
              when: null,
              topic: null,
              section: null,
              q: null,
            });
          }}
          data={[
            { value: "provisions", label: "Provisions" },
            { value: "deadlines", label: "Deadlines" },
          ]}
        />
        <Anchor component={Link} to="/provisions" size="sm">
          Compare with other decrees →
        </Anchor>
      </Group>
      {view === "deadlines" ? <MatterDeadlinesView matter={matter} /> : <ProvisionsView matter={matter} />}
    </Stack>
  );
}

/** Sections to filter by: from the accepted parse when the reader may see it, else typed. */
function SectionFilter({ matter }: { matter: Matter }) {
  const canRead = useCan("registry:read");
  const parses = useMatterParses(matter.slug, canRead);
  const accepted = parses.data?.items.find((p) => p.status === "accepted");
  const parse = useParse(accepted?.id);
  const { params, update } = useUrlState();
  const [typed, setTyped] = useMirror(params.get("section") ?? "");
  const sections = parse.data?.sections ?? [];
  if (sections.length > 0) {
    let outer = "";
    const data = sections.map((s) => {
      if (s.level === 1) outer = s.number;
      const value = s.level === 1 ? s.number : `${outer}.${s.number}`;
      return { value, label: `${s.level === 2 ? "    " : ""}${s.number}. ${s.title}` };
    });
    return (
      <UrlSelect
        param="section"
        label="Section"
        placeholder="Any section"
        data={data}
        searchable
        clearable
        w={320}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  return (
    <TextInput
      label="Section"
      placeholder="V or V.A"
      w={140}
      value={typed}
      onChange={(e) => {
        const v = e.currentTarget.value.trim();
        setTyped(e.currentTarget.value);
        if (v === "" || /^[A-Za-z0-9]{1,10}(\.[A-Za-z0-9]{1,10})?$/.test(v))
          update({ section: v || null }, { replace: true });
      }}
    />
  );
}

function ProvisionsView({ matter }: { matter: Matter }) {
  const { params } = useUrlState();
  const { limit, offset } = readPage(params, 50);
  const query = {
    topic: readList(params, "topic"),
    section: params.get("section"),
    q: params.get("q"),
    sort: params.get("sort"),
    limit,
    offset,
  };
  const result = useMatterProvisions(matter.slug, query);
  const filtered = FILTER_KEYS.some((k) => params.get(k));
  return (
    <>
      <FilterBar label="Filter provisions">
        <ListFilter
          param="topic"
          label="Topic"
          placeholder="Any topic"
          data={TOPIC_OPTION_GROUPS}
          clearable
          searchable
          w={300}
          comboboxProps={{ withinPortal: true }}
        />
        <SectionFilter matter={matter} />
        <SearchFilter label="Words or number" placeholder="taser, 139…" w={240} />
        <ClearFilters keys={FILTER_KEYS} shown={filtered} />
      </FilterBar>
      <ListResults
        result={result}
        noun="provisions"
        filtered={filtered}
        pagerBelow
        skeletonRows={10}
        emptyTitle={filtered ? undefined : "No provisions yet"}
        emptyHint={filtered ? null : <NoProvisionsYet matter={matter} />}
      >
        {(items) => (
          <ProvisionsTable items={items} caption={`Provisions of ${matter.title}`} sort={query.sort} />
        )}
      </ListResults>
    </>
  );
}

/** A matter's provisions as a table: number (to the provision), section, page, text, topics. */
export function ProvisionsTable({
  items,
  caption,
  showMatter = false,
  action,
  sort,
}: {
  items: readonly ProvisionListItem[];
  caption: string;
  showMatter?: boolean;
  /** The URL's order: given, the number, page and deadlines headers sort the list (on the server). */
  sort?: string | null;
  /** A last cell per row (e.g. "Compare"). */
  action?: (p: ProvisionListItem) => ReactNode;
}) {
  return (
    <ListTable
      aria-label={caption}
      verticalSpacing={5}
      head={
        <>
          {sort !== undefined && !showMatter ? (
            <SortableTh field="number" sort={sort ?? "number"} w={80}>
              Number
            </SortableTh>
          ) : (
            <Table.Th w={showMatter ? 230 : 70}>{showMatter ? "Provision" : "Number"}</Table.Th>
          )}
          {showMatter ? null : <Table.Th>Section</Table.Th>}
          {sort !== undefined ? (
            <SortableTh field="page" sort={sort} w={70}>
              Page
            </SortableTh>
          ) : (
            <Table.Th w={60}>Page</Table.Th>
          )}
          <Table.Th>Text</Table.Th>
          <Table.Th>Topics</Table.Th>
          {showMatter ? null : sort !== undefined ? (
            <SortableTh field="deadlines" sort={sort} defaultDescending w={110}>
              Deadlines
            </SortableTh>
          ) : (
            <Table.Th w={90}>Deadlines</Table.Th>
          )}
          {action ? (
            <Table.Th>
              <span className="sr-only">Actions</span>
            </Table.Th>
          ) : null}
        </>
      }
    >
      {items.map((p) => (
        <Table.Tr key={p.id}>
          <Table.Td
            style={showMatter ? undefined : { whiteSpace: "nowrap" }}
            maw={showMatter ? 260 : undefined}
            miw={showMatter ? 170 : undefined}
          >
            <Anchor
              component={Link}
              to={provisionPath(p.matter.slug, p)}
              fw={600}
              size="sm"
              aria-label={`${p.label} of ${p.matter.title}`}
            >
              {p.label}
            </Anchor>
            {p.retiredAt ? (
              <Badge size="xs" color="gray" variant="outline" radius="sm" tt="none" display="block" mt={2}>
                Retired
              </Badge>
            ) : null}
            {showMatter ? (
              <>
                <Text size="xs" lineClamp={2}>
                  {p.matter.title}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {p.sections.map(sectionName).join(" › ")}
                </Text>
              </>
            ) : null}
          </Table.Td>
          {showMatter ? null : (
            <Table.Td maw={240}>
              <Text size="xs">{p.sections.map(sectionName).join(" › ") || "—"}</Text>
            </Table.Td>
          )}
          <Table.Td>
            <Text size="sm">{p.page ?? "—"}</Text>
          </Table.Td>
          <Table.Td miw={260}>
            {p.isDefinition ? (
              <Badge size="xs" variant="light" color="grape" radius="sm" tt="none" mr={6}>
                Definition
              </Badge>
            ) : null}
            <Text span size="sm">
              {firstWords(p.text, 200)}
            </Text>
          </Table.Td>
          <Table.Td miw={150}>
            <TopicBadges topics={p.topics} size="xs" />
            {p.topicsCorrected ? (
              <Text size="xs" c="dimmed" mt={2}>
                corrected
              </Text>
            ) : null}
          </Table.Td>
          {showMatter ? null : (
            <Table.Td ta="center">
              <Text size="sm" c={p.deadlineCount ? undefined : "dimmed"}>
                {p.deadlineCount || "—"}
              </Text>
            </Table.Td>
          )}
          {action ? <Table.Td>{action(p)}</Table.Td> : null}
        </Table.Tr>
      ))}
    </ListTable>
  );
}

/** What to do when a matter has no provisions: its decree, a draft to check, or a decree to add. */
function NoProvisionsYet({ matter }: { matter: Matter }) {
  const canRead = useCan("registry:read");
  const documents = useMatterDocuments(matter.slug).data?.items ?? [];
  const decrees = documents.filter(isParseable);
  const parses = useMatterParses(matter.slug, canRead);
  const draft = parses.data?.items.find((p) => p.status === "draft");
  return (
    <Stack gap="xs" align="center">
      {draft ? (
        <Group gap="xs" justify="center">
          <ParseStatusBadge status="draft" />
          <Anchor component={Link} to={`/parses/${draft.id}`} size="sm">
            Check the provisions found in {draft.document.title} ({draft.provisionCount})
          </Anchor>
        </Group>
      ) : null}
      {decrees.length > 0 ? (
        <>
          <Text size="sm" c="dimmed" ta="center">
            Provisions come from the matter's decree: find them there, check them, then accept them.
          </Text>
          {decrees.map((d) => (
            <Group key={d.id} gap="xs" justify="center">
              <Anchor component={Link} to={documentPagePath(d.id, null)} size="sm">
                {d.title}
              </Anchor>
              <ParseDocumentButton document={d} size="xs" />
            </Group>
          ))}
        </>
      ) : (
        <Text size="sm" c="dimmed" ta="center">
          Add the decree or agreement on the{" "}
          <Anchor component={Link} to={`/matters/${matter.slug}/documents`} size="sm">
            Documents tab
          </Anchor>{" "}
          (kind: consent decree or agreement) to find its provisions.
        </Text>
      )}
    </Stack>
  );
}

const WHEN_OPTIONS = [
  { value: "upcoming", label: "Upcoming" },
  { value: "overdue", label: "Overdue" },
  { value: "all", label: "All" },
];

function MatterDeadlinesView({ matter }: { matter: Matter }) {
  const { params, update } = useUrlState();
  const { limit, offset } = readPage(params, 50);
  const when = params.get("when") ?? "upcoming";
  const [shownWhen, setShownWhen] = useMirror(when);
  const query = {
    from: when === "upcoming" ? todayIso() : null,
    overdue: when === "overdue" ? "true" : null,
    limit,
    offset,
  };
  const result = useMatterDeadlines(matter.slug, query);
  const data = result.data;
  return (
    <>
      <Card withBorder padding="sm" mb="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <SegmentedControl
            aria-label="Which deadlines"
            value={shownWhen}
            onChange={(v) => {
              setShownWhen(v);
              update({ when: v === "upcoming" ? null : v });
            }}
            data={WHEN_OPTIONS}
          />
          <Text size="sm" c="dimmed">
            {data?.effectiveDate
              ? `Counted from the effective date, ${formatDay(data.effectiveDate)}. Recurring deadlines repeat up to two years from today.`
              : null}
          </Text>
        </Group>
      </Card>
      {data?.note ? (
        <Alert color="orange" variant="light" mb="md" title="Dates cannot all be computed">
          {data.note}
        </Alert>
      ) : null}
      <ListResults
        result={result}
        noun="deadlines"
        filtered={when !== "all"}
        pagerBelow
        skeletonRows={10}
        emptyTitle={
          when === "overdue"
            ? "Nothing overdue"
            : when === "upcoming"
              ? "No upcoming deadlines"
              : "No deadlines"
        }
        emptyHint="Deadlines come from phrases of the accepted provisions, such as “within 90 days of the Effective Date”."
      >
        {(items) => <DeadlinesTable items={items} caption={`Deadlines of ${matter.title}`} />}
      </ListResults>
    </>
  );
}
