import { BarChart } from "@mantine/charts";
import { Group, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { type Level, levelColor, pct } from "./levels";
import "./compliance.css";

/** One bar: a row of counts per level (in the order of `levels`). */
export interface LevelRow {
  name: string;
  /** The row's header in the table view (a link, say); `name` when absent. */
  header?: ReactNode;
  counts: number[];
}

function LevelTable({
  rows,
  levels,
  caption,
  rowHeader,
}: {
  rows: LevelRow[];
  levels: readonly Level[];
  caption: string;
  rowHeader: string;
}) {
  return (
    <Table.ScrollContainer minWidth={300 + 110 * levels.length} type="native">
      <Table striped withTableBorder className="accord-table" verticalSpacing={4}>
        <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{rowHeader}</Table.Th>
            {levels.map((l) => (
              <Table.Th key={l.code} scope="col" ta="right">
                {l.label}
              </Table.Th>
            ))}
            <Table.Th scope="col" ta="right">
              Total
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const total = r.counts.reduce((a, b) => a + b, 0);
            return (
              <Table.Tr key={r.name}>
                <Table.Th scope="row" fw={500} style={{ whiteSpace: "normal" }}>
                  {r.header ?? r.name}
                </Table.Th>
                {levels.map((l, i) => (
                  <Table.Td key={l.code} ta="right">
                    {r.counts[i] ?? 0}{" "}
                    <Text span size="xs" c="dimmed">
                      ({pct(total ? (r.counts[i] ?? 0) / total : 0)})
                    </Text>
                  </Table.Td>
                ))}
                <Table.Td ta="right" fw={600}>
                  {total}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Series keys in the scale's order (the chart's own legend would sort them by name). */
const seriesKey = (l: Level, i: number) => `l${String(i).padStart(2, "0")}_${l.code}`;

/** The levels' colours, in the scale's order. */
export function LevelLegend({ levels }: { levels: readonly Level[] }) {
  return (
    <Group gap="md" justify="center" aria-hidden="true">
      {levels.map((l) => (
        <Group key={l.code} gap={6} wrap="nowrap">
          <span
            className="accord-swatch"
            style={{ background: `var(--mantine-color-${levelColor(l).replace(".", "-")})` }}
          />
          <Text size="xs">{l.label}</Text>
        </Group>
      ))}
    </Group>
  );
}

/**
 * Stacked bars of the share of provisions at each level (100% each), the counts on hover, and the
 * same numbers as a table: hidden for screen readers under the chart, or shown instead of it.
 */
export function LevelChart({
  rows,
  levels,
  caption,
  rowHeader,
  horizontal = false,
  id,
}: {
  rows: LevelRow[];
  levels: readonly Level[];
  /** Says what the chart shows; the table's caption too. */
  caption: string;
  /** What a row is: "Period", "Topic", "Section". */
  rowHeader: string;
  /** Bars across (for long names: topics, sections). */
  horizontal?: boolean;
  id: string;
}) {
  const [view, setView] = useChartOrTable();
  const data = rows.map((r) => {
    const row: Record<string, string | number> = { name: r.name };
    levels.forEach((l, i) => {
      row[seriesKey(l, i)] = r.counts[i] ?? 0;
    });
    return row;
  });
  const series = levels.map((l, i) => ({ name: seriesKey(l, i), label: l.label, color: levelColor(l) }));
  const height = horizontal ? Math.max(160, 44 + rows.length * 34) : 280;
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" c="dimmed">
          {caption}
        </Text>
        <ChartTableToggle
          label={`Show ${rowHeader.toLowerCase()} figures as`}
          value={view}
          onChange={setView}
          style={{ flexShrink: 0 }}
        />
      </Group>
      {view === "chart" ? (
        <>
          <LevelLegend levels={levels} />
          <div
            role="img"
            aria-label={`${caption}: stacked bars; the same numbers are in the table view`}
            id={id}
          >
            <BarChart
              h={height}
              data={data}
              dataKey="name"
              type="percent"
              series={series}
              orientation={horizontal ? "vertical" : "horizontal"}
              tickLine="none"
              gridAxis={horizontal ? "x" : "y"}
              maxBarWidth={horizontal ? 22 : 64}
              yAxisProps={horizontal ? { width: 180, tick: { fontSize: 11 } } : undefined}
              tooltipAnimationDuration={100}
              valueFormatter={(v) => `${v} provision${v === 1 ? "" : "s"}`}
            />
          </div>
          <VisuallyHidden>
            <LevelTable rows={rows} levels={levels} caption={caption} rowHeader={rowHeader} />
          </VisuallyHidden>
        </>
      ) : (
        <LevelTable rows={rows} levels={levels} caption={caption} rowHeader={rowHeader} />
      )}
    </Stack>
  );
}
