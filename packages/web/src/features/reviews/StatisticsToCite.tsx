import { type Citation, periodsDownFrom, type SeriesSummary } from "@accord/domain";
import { Anchor, Button, Group, Select, Stack, Table, Text } from "@mantine/core";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useMatterSeries } from "../../api/statistics";
import { ProblemAlert } from "../../components/ProblemAlert";
import { statisticCitation, statisticHref } from "./citations";

/*
 * Under the criterion on statistics: the matter's series, each with how timely (its last period)
 * and how complete (periods held of those in its range, partial ones) it is, and a period of each
 * to cite.
 */

const granularityWord = (s: SeriesSummary, n: number) =>
  `${s.granularity === "year" ? "year" : "month"}${n === 1 ? "" : "s"}`;

/** "63 of 64 months; 1 partial" */
export function coverageOf(s: SeriesSummary): string {
  const gaps = s.periodsInRange - s.values;
  return [
    `${s.values} of ${s.periodsInRange} ${granularityWord(s, s.periodsInRange)}`,
    gaps ? `${gaps} missing` : null,
    s.partial ? `${s.partial} partial` : null,
  ]
    .filter(Boolean)
    .join("; ");
}

function CiteRow({
  series,
  code,
  editable,
  isCited,
  onCite,
}: {
  series: SeriesSummary;
  code: string;
  editable: boolean;
  isCited: (c: Citation) => boolean;
  onCite: (c: Citation) => void;
}) {
  // A missing period holds no figure: the server would refuse its citation, so it is not offered.
  const citable = useMemo(() => {
    const missing = new Set(series.missing);
    return periodsDownFrom(series.last, series.first).filter((p) => !missing.has(p));
  }, [series]);
  const [period, setPeriod] = useState<string | null>(series.last);
  const citation = period ? statisticCitation(series, series.metric, series.label, period) : null;
  const already = citation ? isCited(citation) : false;
  const name = `${series.label}, ${series.place.name}`;
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        <Anchor
          component={Link}
          to={statisticHref(series.place.kind, series.place.slug, series.metric)}
          size="sm"
        >
          {name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {series.source.name}
        </Text>
      </Table.Th>
      <Table.Td>{series.last}</Table.Td>
      <Table.Td>
        {series.first}–{series.last}: {coverageOf(series)}
      </Table.Td>
      {editable ? (
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Select
              size="xs"
              w={110}
              aria-label={`Period of ${name} to cite on ${code}`}
              data={citable}
              value={period}
              onChange={setPeriod}
              allowDeselect={false}
              searchable
              comboboxProps={{ withinPortal: true }}
            />
            <Button
              size="compact-sm"
              variant="light"
              disabled={!citation || already}
              onClick={() => citation && onCite(citation)}
              aria-label={`Cite ${name}, ${period ?? ""}`}
            >
              {already ? "Cited" : "Cite"}
            </Button>
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

/** The matter's series, how fresh and complete each is, and what of them to cite. */
export function StatisticsToCite({
  code,
  matterSlug,
  editable,
  isCited,
  onCite,
}: {
  code: string;
  matterSlug: string;
  editable: boolean;
  isCited: (c: Citation) => boolean;
  onCite: (c: Citation) => void;
}) {
  const summary = useMatterSeries(matterSlug);
  if (summary.error) return <ProblemAlert error={summary.error} />;
  if (!summary.data)
    return (
      <Text size="xs" c="dimmed">
        Looking for the matter's statistics…
      </Text>
    );
  const items = summary.data.items;
  return (
    <Stack gap={4} aria-label={`The matter's statistics, for ${code}`} component="section">
      <Text size="sm" fw={500}>
        The matter's statistics: how timely and complete
      </Text>
      {items.length === 0 ? (
        <Text size="xs" c="dimmed">
          No statistics are held for this matter's jurisdiction, its agencies or the matter itself.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table withTableBorder className="accord-table" verticalSpacing={4}>
            <Table.Caption>
              A missing period is one no source holds; a partial one was reported for only some of its months.
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Series</Table.Th>
                <Table.Th scope="col">Last period</Table.Th>
                <Table.Th scope="col">Coverage</Table.Th>
                {editable ? <Table.Th scope="col">Cite</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <CiteRow
                  key={`${s.place.id}-${s.metric}-${s.source.key}-${s.granularity}`}
                  series={s}
                  code={code}
                  editable={editable}
                  isCited={isCited}
                  onCite={onCite}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
