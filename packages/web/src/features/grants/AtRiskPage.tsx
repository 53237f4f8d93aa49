import { type AtRiskRow, formatPartialDate, type LitigationState } from "@accord/domain";
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { atRiskCsvUrl, useAtRisk } from "../../api/grants";
import { MatterStatusBadge } from "../../components/AsOf";
import { Empty } from "../../components/Empty";
import { IconDownload } from "../../components/icons";
import { ListTable } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SortableTh } from "../../components/SortableTh";
import { TableSkeleton } from "../../components/TableSkeleton";
import { useAsOf } from "../../lib/as-of";
import { formatDollars } from "../../lib/money";
import { useUrlState } from "../../lib/url-state";
import { FavorsBadge } from "../matters/MatterProvenance";
import { AtRiskMap } from "./AtRiskMap";
import { ConditionStatusBadge, conditionName } from "./conditions";

export const LITIGATION_LABELS: Record<LitigationState, string> = {
  none: "No lawsuit",
  pending: "Pending",
  won: "Won by the place",
  lost: "Lost by the place",
  mixed: "Mixed",
};

const LITIGATION_COLORS: Record<LitigationState, string> = {
  none: "gray",
  pending: "violet",
  won: "teal",
  lost: "red",
  mixed: "orange",
};

/** Litigation read as an order: the places still fighting first. */
const LITIGATION_ORDER: Record<LitigationState, number> = { pending: 0, mixed: 1, lost: 2, won: 3, none: 4 };

type SortField = "jurisdiction" | "conditions" | "atStake" | "withheld" | "litigation";

function compare(field: SortField): (a: AtRiskRow, b: AtRiskRow) => number {
  switch (field) {
    case "jurisdiction":
      return (a, b) => a.jurisdiction.name.localeCompare(b.jurisdiction.name);
    case "conditions":
      return (a, b) => a.conditions.length - b.conditions.length;
    case "atStake":
      return (a, b) => a.atStake - b.atStake;
    case "withheld":
      return (a, b) => a.withheld - b.withheld;
    case "litigation":
      return (a, b) => LITIGATION_ORDER[a.litigation] - LITIGATION_ORDER[b.litigation];
  }
}

const FIELDS: SortField[] = ["jurisdiction", "conditions", "atStake", "withheld", "litigation"];

/** The rows in the URL's order (`sort=-atStake`); by default the most money at stake first. */
export function sortRows(rows: readonly AtRiskRow[], sort: string | null): AtRiskRow[] {
  const s = sort ?? "-atStake";
  const field = s.replace(/^-/, "") as SortField;
  if (!FIELDS.includes(field)) return [...rows];
  const cmp = compare(field);
  const sign = s.startsWith("-") ? -1 : 1;
  return [...rows].sort((a, b) => sign * cmp(a, b) || a.jurisdiction.name.localeCompare(b.jurisdiction.name));
}

/**
 * A sum of the amounts the sources state; none stated is not "$0" but unknown, and says so.
 */
function Amount({ value }: { value: number }) {
  return value > 0 ? (
    <>{formatDollars(value)}</>
  ) : (
    <Text span size="sm" c="dimmed" title="No source states an amount">
      Not stated
    </Text>
  );
}

export function LitigationBadge({ state }: { state: LitigationState }) {
  return (
    <Badge
      color={LITIGATION_COLORS[state]}
      variant={state === "none" ? "outline" : "light"}
      radius="sm"
      tt="none"
    >
      {LITIGATION_LABELS[state]}
    </Badge>
  );
}

function Row({ r }: { r: AtRiskRow }) {
  return (
    <Table.Tr>
      <Table.Td miw={150}>
        <Anchor component={Link} to={`/jurisdictions/${r.jurisdiction.slug}`} size="sm" fw={600}>
          {r.jurisdiction.name}, {r.jurisdiction.stateCode}
        </Anchor>
      </Table.Td>
      <Table.Td miw={280}>
        <Stack gap={4}>
          {r.conditions.map((c) => (
            <Group key={c.id} gap={6} wrap="wrap">
              <Text size="xs">{conditionName(c)}</Text>
              <ConditionStatusBadge status={c.status} size="xs" />
              <Text size="xs" c="dimmed">
                {formatPartialDate(c.statusOn)}
              </Text>
            </Group>
          ))}
        </Stack>
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        <Amount value={r.atStake} />
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        <Amount value={r.withheld} />
      </Table.Td>
      <Table.Td miw={240}>
        <Stack gap={4}>
          <LitigationBadge state={r.litigation} />
          {r.lawsuits.map((m) => (
            <Stack key={m.id} gap={0}>
              <Group gap={4} wrap="nowrap">
                <Anchor component={Link} to={`/matters/${m.slug}`} size="xs">
                  {m.title}
                </Anchor>
                <MatterStatusBadge status={m.status} size="xs" />
              </Group>
              {m.lastRuling ? (
                <Group gap={4}>
                  <Text size="xs" c="dimmed">
                    Last ruling {formatPartialDate(m.lastRuling.date)}: {m.lastRuling.title}; favoured
                  </Text>
                  <FavorsBadge favors={m.lastRuling.favors} />
                </Group>
              ) : (
                <Text size="xs" c="dimmed">
                  No ruling yet
                </Text>
              )}
            </Stack>
          ))}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** The places whose grant money is at risk over its conditions, with what is at stake and the lawsuits. */
export function AtRiskPage() {
  const asOf = useAsOf();
  const { params } = useUrlState();
  const sort = params.get("sort") ?? "-atStake";
  const { data, error, isPending, isPlaceholderData, refetch } = useAtRisk(asOf);
  const rows = data ? sortRows(data.items, sort) : [];
  const totals = rows.reduce(
    (t, r) => ({ atStake: t.atStake + r.atStake, withheld: t.withheld + r.withheld }),
    {
      atStake: 0,
      withheld: 0,
    },
  );
  return (
    <>
      <PageTitle
        title="Money at risk"
        subtitle="Places with a grant condition whose status puts money at risk: documentation demanded, in question or found possibly non-compliant"
        actions={
          <Button
            component="a"
            href={atRiskCsvUrl(asOf)}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
          >
            Download CSV
          </Button>
        }
      />
      {error ? (
        <ProblemAlert
          error={error}
          onRetry={() => refetch()}
          title="The places at risk could not be loaded"
        />
      ) : isPending ? (
        <TableSkeleton rows={8} />
      ) : rows.length === 0 ? (
        <Card withBorder>
          <Empty title="No place has money at risk">
            {asOf ? "No condition put money at risk on that day." : "No condition puts money at risk now."}
          </Empty>
        </Card>
      ) : (
        <Stack gap="sm" style={{ opacity: isPlaceholderData ? 0.6 : 1 }} aria-busy={isPlaceholderData}>
          <Text size="sm">
            {rows.length} {rows.length === 1 ? "place" : "places"} · {formatDollars(totals.atStake)} at stake
            · {formatDollars(totals.withheld)} withheld, where the sources state an amount
          </Text>
          <Card withBorder component="section" aria-label="Where">
            <AtRiskMap rows={rows} />
          </Card>
          <ListTable
            fz="sm"
            verticalSpacing={6}
            aria-label="Places with money at risk"
            head={
              <>
                <SortableTh field="jurisdiction" sort={sort}>
                  Jurisdiction
                </SortableTh>
                <SortableTh field="conditions" sort={sort} defaultDescending>
                  Conditions in question
                </SortableTh>
                <SortableTh field="atStake" sort={sort} defaultDescending>
                  At stake
                </SortableTh>
                <SortableTh field="withheld" sort={sort} defaultDescending>
                  Withheld
                </SortableTh>
                <SortableTh field="litigation" sort={sort}>
                  Litigation
                </SortableTh>
              </>
            }
          >
            {rows.map((r) => (
              <Row key={r.jurisdiction.id} r={r} />
            ))}
          </ListTable>
          <Text size="xs" c="dimmed">
            Litigation: won when the rulings favour the place, lost when they favour the department, pending
            before any ruling.
          </Text>
        </Stack>
      )}
    </>
  );
}
