import {
  AMOUNT_MEANING_LABELS,
  type Award,
  CONDITION_STATUS_LABELS,
  CONDITION_STATUSES,
  GRANT_PROGRAM_LABELS,
  GRANT_PROGRAMS,
} from "@accord/domain";
import { Anchor, Button, Group, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { useAwards } from "../../api/grants";
import { useJurisdictions } from "../../api/hooks";
import { useCan } from "../../api/session";
import { ListFilter, UrlSelect } from "../../components/filters";
import { ClearFilters, FilterBar, ListResults, ListTable } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { SortableTh } from "../../components/SortableTh";
import { asOfQuery, useAsOf } from "../../lib/as-of";
import { formatDollars } from "../../lib/money";
import { readList, readPage, useUrlState } from "../../lib/url-state";
import { ConditionStatusBadge, conditionName } from "./conditions";

const PROGRAM_OPTIONS = GRANT_PROGRAMS.map((p) => ({ value: p, label: GRANT_PROGRAM_LABELS[p] }));
const STATUS_OPTIONS = CONDITION_STATUSES.map((s) => ({ value: s, label: CONDITION_STATUS_LABELS[s] }));
const THIS_YEAR = new Date().getFullYear();
const YEAR_OPTIONS = Array.from({ length: THIS_YEAR - 2004 }, (_, i) => String(THIS_YEAR + 1 - i));
const FILTER_KEYS = ["program", "fiscalYear", "conditionStatus", "jurisdiction"] as const;

function Row({ a }: { a: Award }) {
  return (
    <Table.Tr>
      <Table.Td miw={160}>
        <Anchor component={Link} to={`/grants/${a.slug}`} size="sm" fw={600}>
          {GRANT_PROGRAM_LABELS[a.program]}
          {a.fiscalYear ? ` FY${a.fiscalYear}` : ""}
        </Anchor>
        {a.awardNumber ? (
          <Text size="xs" c="dimmed">
            {a.awardNumber}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/jurisdictions/${a.jurisdiction.slug}`} size="sm">
          {a.jurisdiction.name}, {a.jurisdiction.stateCode}
        </Anchor>
      </Table.Td>
      <Table.Td>{a.fiscalYear ?? "Unknown"}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {a.amount === null ? (
          <Text span size="sm" c="dimmed">
            Not stated
          </Text>
        ) : (
          <>
            {formatDollars(a.amount)}
            {a.amountMeaning ? (
              <Text size="xs" c="dimmed">
                {AMOUNT_MEANING_LABELS[a.amountMeaning]}
              </Text>
            ) : null}
          </>
        )}
      </Table.Td>
      <Table.Td miw={260}>
        {a.conditions.length === 0 ? (
          <Text size="xs" c="dimmed">
            None recorded
          </Text>
        ) : (
          <Stack gap={2}>
            {a.conditions.map((c) => (
              <Group key={c.id} gap={4} wrap="wrap">
                <Text size="xs">{conditionName(c).split(" · ")[1]}</Text>
                <ConditionStatusBadge status={c.status} size="xs" />
              </Group>
            ))}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        {a.matters.map((m) => (
          <Anchor key={m.id} component={Link} to={`/matters/${m.slug}`} size="xs" display="block">
            {m.title}
          </Anchor>
        ))}
      </Table.Td>
    </Table.Tr>
  );
}

/** Every award, filtered by program, fiscal year, condition status and place; paged on the server. */
export function GrantsPage() {
  const { params } = useUrlState();
  const asOf = useAsOf();
  const sort = params.get("sort") ?? "-fiscalYear";
  const query = {
    program: readList(params, "program"),
    fiscalYear: params.get("fiscalYear") ?? undefined,
    conditionStatus: readList(params, "conditionStatus"),
    jurisdiction: params.get("jurisdiction") ?? undefined,
    sort,
    ...asOfQuery(asOf),
    ...readPage(params),
  };
  const result = useAwards(query);
  const canWrite = useCan("registry:write");
  const places = useJurisdictions({ limit: 500, sort: "name" });
  const placeOptions = (places.data?.items ?? []).map((j) => ({
    value: j.slug,
    label: `${j.name}, ${j.stateCode}`,
  }));
  const filtered = FILTER_KEYS.some((k) => params.get(k));
  return (
    <>
      <PageTitle
        title="Grants"
        subtitle="Awards to places and their agencies, with the conditions attached and the lawsuits over them"
        actions={
          <Group gap="md">
            <Anchor component={Link} to="/grants/at-risk" size="sm">
              Money at risk →
            </Anchor>
            {canWrite ? (
              <Button component={Link} to="/grants/new">
                New award
              </Button>
            ) : null}
          </Group>
        }
      />
      <FilterBar label="Filter grants">
        <ListFilter
          param="program"
          label="Program"
          placeholder="Any program"
          data={PROGRAM_OPTIONS}
          clearable
          w={240}
        />
        <UrlSelect
          param="fiscalYear"
          label="Fiscal year"
          placeholder="Any year"
          data={YEAR_OPTIONS}
          clearable
          w={130}
        />
        <ListFilter
          param="conditionStatus"
          label="Condition status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          clearable
          w={260}
        />
        <UrlSelect
          param="jurisdiction"
          label="Jurisdiction"
          placeholder="Any place"
          data={placeOptions}
          searchable
          clearable
          w={220}
        />
        <ClearFilters keys={FILTER_KEYS} shown={filtered} />
      </FilterBar>
      <ListResults result={result} noun="grants" filtered={filtered} pagerBelow>
        {(items) => (
          <ListTable
            miw={900}
            fz="sm"
            aria-label="Grants"
            head={
              <>
                <SortableTh field="program" sort={sort}>
                  Award
                </SortableTh>
                <SortableTh field="jurisdiction" sort={sort}>
                  Jurisdiction
                </SortableTh>
                <SortableTh field="fiscalYear" sort={sort} defaultDescending>
                  Fiscal year
                </SortableTh>
                <SortableTh field="amount" sort={sort} defaultDescending>
                  Amount
                </SortableTh>
                <Table.Th>Conditions</Table.Th>
                <Table.Th>Lawsuits</Table.Th>
              </>
            }
          >
            {items.map((a) => (
              <Row key={a.id} a={a} />
            ))}
          </ListTable>
        )}
      </ListResults>
    </>
  );
}
