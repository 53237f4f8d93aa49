import { periodsDownFrom } from "@accord/domain";
import { BarChart } from "@mantine/charts";
import { Anchor, Group, ScrollArea, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMemo } from "react";
import { seriesCsvUrl, useSeries } from "../../api/statistics";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { webHref } from "../../lib/links";
import { Panel } from "./ComplianceCharts";

/*
 * What the monitoring costs, month by month, beside the compliance trajectory: the matter's own
 * `monitoring_cost` series (the Baltimore team's invoices). A month with no invoice is a gap.
 * Shown only when the matter has such figures.
 */

const dollars = (n: number) => n.toLocaleString("en-US", { style: "currency", currency: "USD" });

export function MonitoringCostPanel({ matterSlug }: { matterSlug: string }) {
  const query = { matter: matterSlug, metric: "monitoring_cost" };
  const series = useSeries(query, Boolean(matterSlug));
  const [view, setView] = useChartOrTable();
  const items = series.data?.items ?? [];
  const { rows, total, missing, years } = useMemo(() => {
    if (!items.length) return { rows: [], total: 0, missing: [] as string[], years: [] };
    const byMonth = new Map(items.map((p) => [p.period, p.value]));
    const months = periodsDownFrom(items.at(-1)!.period, items[0]!.period).reverse();
    const byYear = new Map<string, number>();
    for (const p of items)
      byYear.set(p.period.slice(0, 4), (byYear.get(p.period.slice(0, 4)) ?? 0) + p.value);
    return {
      // A month with no invoice stays null: no bar, never a zero.
      rows: months.map((m) => ({ month: m, cost: byMonth.get(m) ?? null })),
      total: items.reduce((s, p) => s + p.value, 0),
      missing: months.filter((m) => !byMonth.has(m)),
      years: [...byYear],
    };
  }, [items]);
  if (!items.length) return null;
  const source = items[0]!.source;
  return (
    <section id="monitoring-cost">
      <Panel
        id="monitoring-cost-h"
        title="What the monitoring costs, per month"
        actions={
          <Group gap="sm">
            <Anchor href={seriesCsvUrl(query)} download size="sm">
              Download CSV
            </Anchor>
            <ChartTableToggle label="Show the monitoring cost as" value={view} onChange={setView} />
          </Group>
        }
      >
        <Text size="sm" mb="xs">
          {dollars(total)} billed over {items.length} months ({items[0]!.period} to {items.at(-1)!.period}):{" "}
          {years.map(([y, v]) => `${y} ${dollars(v)}`).join(" · ")}.
        </Text>
        {view === "chart" ? (
          <>
            <div
              role="img"
              aria-label="Bar chart of the monitoring team's invoices per month; the same numbers are in the table view"
            >
              <BarChart
                h={220}
                data={rows}
                dataKey="month"
                series={[{ name: "cost", label: "Billed (services and expenses)", color: "indigo.6" }]}
                valueFormatter={dollars}
                tickLine="none"
                gridAxis="y"
                xAxisProps={{ interval: "preserveStartEnd", minTickGap: 24 }}
                yAxisProps={{ width: 80 }}
              />
            </div>
            <VisuallyHidden>
              <CostTable rows={rows} />
            </VisuallyHidden>
          </>
        ) : (
          <ScrollArea h={320}>
            <CostTable rows={rows} />
          </ScrollArea>
        )}
        <Text size="xs" c="dimmed" mt="xs">
          Services and expenses as each monthly invoice totals them.
          {missing.length ? ` No invoice in the source for ${missing.join(", ")}: left as a gap.` : ""}{" "}
          Source:{" "}
          {webHref(source.url) ? (
            <Anchor href={webHref(source.url)} size="xs" target="_blank" rel="noreferrer">
              {source.name}
            </Anchor>
          ) : (
            source.name
          )}
          {source.licence ? ` (${source.licence})` : ""}. What a monitor costs says nothing by itself of what
          the monitoring achieved.
        </Text>
      </Panel>
    </section>
  );
}

function CostTable({ rows }: { rows: { month: string; cost: number | null }[] }) {
  return (
    <Table striped withTableBorder stickyHeader className="accord-table">
      <Table.Caption>Monitoring cost per month</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Month</Table.Th>
          <Table.Th scope="col" ta="right">
            Billed
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.month}>
            <Table.Th scope="row" fw={500}>
              {r.month}
            </Table.Th>
            <Table.Td ta="right">{r.cost === null ? "no invoice" : dollars(r.cost)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
