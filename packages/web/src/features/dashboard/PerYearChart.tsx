import type { Dashboard } from "@accord/domain";
import { LineChart } from "@mantine/charts";
import { Group, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMemo } from "react";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { ScrollRegion } from "../../components/ScrollRegion";

const FIRST_YEAR = 1994;

const SERIES = [
  { name: "opened", label: "Opened", color: "orange.6" },
  { name: "entered", label: "Entered", color: "blue.6" },
  { name: "terminated", label: "Terminated", color: "gray.6" },
];

/** Every year from 1994 to this one (or the as-of day's), with zeros where nothing happened. */
export function fillYears(perYear: Dashboard["perYear"], thisYear = new Date().getFullYear()) {
  const byYear = new Map(perYear.map((p) => [p.year, p]));
  const last = Math.max(thisYear, ...perYear.map((p) => p.year));
  const rows: { year: string; opened: number; entered: number; terminated: number }[] = [];
  for (let y = FIRST_YEAR; y <= last; y++) {
    const p = byYear.get(y);
    rows.push({
      year: String(y),
      opened: p?.opened ?? 0,
      entered: p?.entered ?? 0,
      terminated: p?.terminated ?? 0,
    });
  }
  return rows;
}

function YearTable({ rows }: { rows: ReturnType<typeof fillYears> }) {
  return (
    <Table striped withTableBorder stickyHeader className="accord-table">
      <Table.Caption>Matters opened, entered and terminated per year</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Year</Table.Th>
          {SERIES.map((s) => (
            <Table.Th key={s.name} scope="col" ta="right">
              {s.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.year}>
            <Table.Th scope="row" fw={500}>
              {r.year}
            </Table.Th>
            <Table.Td ta="right">{r.opened}</Table.Td>
            <Table.Td ta="right">{r.entered}</Table.Td>
            <Table.Td ta="right">{r.terminated}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** `asOf`: the figures are of that day, so the years end with its year, not this one. */
export function PerYearChart({ perYear, asOf }: { perYear: Dashboard["perYear"]; asOf?: string | null }) {
  const rows = useMemo(
    () => fillYears(perYear, asOf ? Number(asOf.slice(0, 4)) : undefined),
    [perYear, asOf],
  );
  const [view, setView] = useChartOrTable();
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Matters opened, entered and terminated per year, {FIRST_YEAR}–{rows.at(-1)?.year}
        </Text>
        <ChartTableToggle label="Show as" value={view} onChange={setView} />
      </Group>
      {view === "chart" ? (
        <>
          <div
            role="img"
            aria-label="Line chart of matters opened, entered and terminated per year; the same numbers are in the table view"
          >
            <LineChart
              h={260}
              data={rows}
              dataKey="year"
              series={SERIES}
              curveType="linear"
              withDots={false}
              strokeWidth={2}
              withLegend
              legendProps={{ verticalAlign: "top", height: 32 }}
              tickLine="none"
              gridAxis="x"
              xAxisProps={{ interval: "preserveStartEnd", minTickGap: 16 }}
              yAxisProps={{ allowDecimals: false, width: 28 }}
              tooltipAnimationDuration={100}
            />
          </div>
          <VisuallyHidden>
            <YearTable rows={rows} />
          </VisuallyHidden>
        </>
      ) : (
        <ScrollRegion h={300} label={"Matters opened, entered and terminated per year"}>
          <YearTable rows={rows} />
        </ScrollRegion>
      )}
    </Stack>
  );
}
