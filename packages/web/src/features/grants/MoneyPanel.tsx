import { GRANT_PROGRAM_LABELS, type MoneyRow } from "@accord/domain";
import { BarChart } from "@mantine/charts";
import { Group, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMemo } from "react";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { Empty } from "../../components/Empty";
import { ScrollRegion } from "../../components/ScrollRegion";
import { formatDollars, shortDollars } from "../../lib/money";

const SERIES = [
  { name: "awarded", label: "Awarded", color: "blue.6" },
  { name: "atStake", label: "At stake", color: "orange.6" },
  { name: "withheld", label: "Withheld", color: "red.6" },
];

/** Sums by fiscal year across programs, for the chart. */
function byYear(rows: readonly MoneyRow[]) {
  const years = new Map<string, { year: string; awarded: number; atStake: number; withheld: number }>();
  for (const r of rows) {
    const year = r.fiscalYear === null ? "Year unknown" : `FY${r.fiscalYear}`;
    const y = years.get(year) ?? { year, awarded: 0, atStake: 0, withheld: 0 };
    y.awarded += r.totalAward;
    y.atStake += r.atStake;
    y.withheld += r.withheld;
    years.set(year, y);
  }
  return [...years.values()].sort((a, b) => a.year.localeCompare(b.year));
}

/** The money by program and fiscal year: the same numbers as a table. */
export function MoneyTable({
  rows,
  caption,
  scrolls = true,
}: {
  rows: readonly MoneyRow[];
  caption: string;
  /** In a box of its own that scrolls sideways; not when it is only for screen readers. */
  scrolls?: boolean;
}) {
  const sorted = [...rows].sort(
    (a, b) =>
      (a.fiscalYear ?? 0) - (b.fiscalYear ?? 0) ||
      GRANT_PROGRAM_LABELS[a.program].localeCompare(GRANT_PROGRAM_LABELS[b.program]),
  );
  const total = (k: "totalAward" | "cityShare" | "atStake" | "withheld") =>
    rows.reduce((sum, r) => sum + r[k], 0);
  const table = (
    <Table striped withTableBorder className="accord-table" fz="sm" verticalSpacing={4}>
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Fiscal year</Table.Th>
          <Table.Th scope="col">Program</Table.Th>
          <Table.Th scope="col" ta="right">
            Awarded
          </Table.Th>
          <Table.Th scope="col" ta="right">
            City's share
          </Table.Th>
          <Table.Th scope="col" ta="right">
            At stake
          </Table.Th>
          <Table.Th scope="col" ta="right">
            Withheld
          </Table.Th>
          <Table.Th scope="col" ta="right">
            Amount unknown
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((r) => (
          <Table.Tr key={`${r.program}-${r.fiscalYear}`}>
            <Table.Th scope="row" fw={500}>
              {r.fiscalYear ?? "Unknown"}
            </Table.Th>
            <Table.Td>{GRANT_PROGRAM_LABELS[r.program]}</Table.Td>
            <Table.Td ta="right">{formatDollars(r.totalAward)}</Table.Td>
            <Table.Td ta="right">{formatDollars(r.cityShare)}</Table.Td>
            <Table.Td ta="right">{formatDollars(r.atStake)}</Table.Td>
            <Table.Td ta="right">{formatDollars(r.withheld)}</Table.Td>
            <Table.Td ta="right">
              {r.unknownAmounts > 0
                ? `${r.unknownAmounts} ${r.unknownAmounts === 1 ? "award" : "awards"}`
                : ""}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Th scope="row" colSpan={2}>
            Total
          </Table.Th>
          <Table.Th ta="right">{formatDollars(total("totalAward"))}</Table.Th>
          <Table.Th ta="right">{formatDollars(total("cityShare"))}</Table.Th>
          <Table.Th ta="right">{formatDollars(total("atStake"))}</Table.Th>
          <Table.Th ta="right">{formatDollars(total("withheld"))}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
  return scrolls ? <ScrollRegion label={caption}>{table}</ScrollRegion> : table;
}

/**
 * Grant money by fiscal year (awarded, at stake, withheld) as a bar chart, with a switch to the
 * table by program and year. Awards whose amount is unknown are counted in the table, never guessed.
 */
export function MoneyPanel({ rows, what }: { rows: readonly MoneyRow[]; what: string }) {
  const data = useMemo(() => byYear(rows), [rows]);
  const [view, setView] = useChartOrTable();
  if (rows.length === 0)
    return <Empty title="No grant money recorded">{`No award to ${what} is recorded.`}</Empty>;
  const caption = `Grant money to ${what} by fiscal year and program`;
  const unknown = rows.reduce((n, r) => n + r.unknownAmounts, 0);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Awarded, at stake and withheld by fiscal year
          {unknown > 0 ? `; ${unknown} ${unknown === 1 ? "award's" : "awards'"} amount unknown` : ""}
        </Text>
        <ChartTableToggle label="Show the money as" value={view} onChange={setView} />
      </Group>
      {view === "chart" ? (
        <>
          <div role="img" aria-label={`Bar chart: ${caption}; the same numbers are in the table view`}>
            <BarChart
              h={240}
              data={data}
              dataKey="year"
              series={SERIES}
              withLegend
              legendProps={{ verticalAlign: "top", height: 32 }}
              tickLine="none"
              gridAxis="y"
              valueFormatter={(v) => formatDollars(v)}
              yAxisProps={{ tickFormatter: (v: number) => shortDollars(v), width: 56 }}
              tooltipAnimationDuration={100}
            />
          </div>
          <VisuallyHidden>
            <MoneyTable rows={rows} caption={caption} scrolls={false} />
          </VisuallyHidden>
        </>
      ) : (
        <MoneyTable rows={rows} caption={caption} />
      )}
    </Stack>
  );
}
