import {
  type AnnualStat,
  annualStats,
  EVENT_KIND_LABELS,
  type EventKind,
  STAT_MILESTONE_KINDS,
} from "@accord/domain";
import { LineChart } from "@mantine/charts";
import {
  Alert,
  Anchor,
  Group,
  List,
  MultiSelect,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from "@mantine/core";
import { useElementSize } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { seriesCsvUrl, useMetrics, useSeries, useStatMatches } from "../../api/statistics";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ScrollRegion } from "../../components/ScrollRegion";
import { webHref } from "../../lib/links";

/** The most places compared at once (the API's limit). */
const MAX_PLACES = 5;
const COLORS = [
  "blue.7",
  "orange.7",
  "teal.7",
  "grape.7",
  "red.7",
  "cyan.7",
  "lime.8",
  "pink.7",
  "indigo.7",
  "yellow.8",
];

const formatNumber = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function coverageText(s: AnnualStat): string {
  if (s.months === null) return "months not stated";
  return `${s.months} of 12 months${s.complete ? "" : " (partial)"}`;
}

/** One line of the chart: a place's figures from one source. */
interface Line {
  key: string;
  label: string;
  color: string;
}

/**
 * The chart's rows: every year from the first to the last (values, milestones), each line's value
 * where the year is whole and null where it is not, so a missing or partial year is a gap.
 */
function chartData(stats: AnnualStat[], perRate: boolean, milestoneYears: number[]) {
  const lines = new Map<string, Line>();
  for (const s of stats) {
    const id = `${s.place.id}|${s.source.key}`;
    if (!lines.has(id))
      lines.set(id, {
        key: `s${lines.size}`,
        label: `${s.place.name} · ${s.source.name.replace(/\s*\(.*\)$/, "")}`,
        color: COLORS[lines.size % COLORS.length]!,
      });
  }
  const years = [...stats.map((s) => s.year), ...milestoneYears];
  if (!years.length) return { rows: [], lines: [] };
  const first = Math.min(...years);
  const last = Math.max(...years);
  const rows: Record<string, string | number | null>[] = [];
  for (let y = first; y <= last; y++) {
    const row: Record<string, string | number | null> = { year: String(y) };
    for (const line of lines.values()) row[line.key] = null;
    rows.push(row);
  }
  for (const s of stats) {
    const line = lines.get(`${s.place.id}|${s.source.key}`)!;
    const value = perRate ? s.rate : s.value;
    if (s.complete && value !== null) rows[s.year - first]![line.key] = value;
  }
  return { rows, lines: [...lines.values()] };
}

function StatTable({ stats, metricLabel }: { stats: AnnualStat[]; metricLabel: string }) {
  return (
    <Table striped withTableBorder stickyHeader className="accord-table">
      <Table.Caption>{metricLabel} per year, by place and source</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Year</Table.Th>
          <Table.Th scope="col">Place</Table.Th>
          <Table.Th scope="col" ta="right">
            Count
          </Table.Th>
          <Table.Th scope="col" ta="right">
            Per 100,000
          </Table.Th>
          <Table.Th scope="col">Coverage</Table.Th>
          <Table.Th scope="col">Source</Table.Th>
          <Table.Th scope="col">Notes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {stats.map((s) => (
          <Table.Tr key={`${s.place.id}-${s.source.key}-${s.year}`}>
            <Table.Th scope="row" fw={500}>
              {s.year}
            </Table.Th>
            <Table.Td>{s.place.name}</Table.Td>
            <Table.Td ta="right">{formatNumber(s.value)}</Table.Td>
            <Table.Td ta="right">{s.rate === null ? "—" : formatNumber(s.rate, 1)}</Table.Td>
            <Table.Td>{coverageText(s)}</Table.Td>
            <Table.Td>{s.source.name}</Table.Td>
            <Table.Td>
              <Text size="xs">{s.notes.join(" ")}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * A statistic of the place over time beside its matters' milestones: counts or rates per year,
 * each source its own line (a change of source is marked), a missing or partial year a gap. Up to
 * four other places compared. Shown with the caveats: nothing here says a decree changed crime.
 */
export function StatisticsPanel({
  jurisdiction,
  events,
}: {
  jurisdiction: { slug: string; name: string };
  /** The dated events whose milestones are marked (a matter's, or a place's matters'). */
  events: readonly { date: string; kind: string; what?: string }[];
}) {
  // A link to a metric's chart (a review's citation) names it: ?metric=robbery.
  const [searchParams] = useSearchParams();
  const [metric, setMetric] = useState(searchParams.get("metric") ?? "homicide");
  const [measure, setMeasure] = useState<"count" | "rate">("count");
  const [compare, setCompare] = useState<string[]>([]);
  const [view, setView] = useChartOrTable();
  const { ref, width } = useElementSize();
  const metrics = useMetrics();
  const matched = useStatMatches({ status: "matched" });
  const query = { jurisdiction: [jurisdiction.slug, ...compare], metric, per: "100k" };
  const series = useSeries(query);

  const compareOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const m of matched.data?.items ?? [])
      if (m.jurisdiction && m.jurisdiction.slug !== jurisdiction.slug)
        seen.set(m.jurisdiction.slug, m.jurisdiction.name);
    return [...seen]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [matched.data, jurisdiction.slug]);

  const milestones = useMemo(() => {
    const byYear = new Map<number, string[]>();
    for (const e of events) {
      if ((e.what && e.what !== "event") || !(STAT_MILESTONE_KINDS as readonly string[]).includes(e.kind))
        continue;
      const year = Number(e.date.slice(0, 4));
      const label = EVENT_KIND_LABELS[e.kind as EventKind];
      const list = byYear.get(year) ?? [];
      if (!list.includes(label)) list.push(label);
      byYear.set(year, list);
    }
    return [...byYear].sort((a, b) => a[0] - b[0]);
  }, [events]);

  const stats = useMemo(() => annualStats(series.data?.items ?? []), [series.data]);
  const { rows, lines } = useMemo(
    () =>
      chartData(
        stats,
        measure === "rate",
        milestones.map(([y]) => y),
      ),
    [stats, measure, milestones],
  );
  // Where this place's figures hand over from one source to another: a source that begins after
  // every earlier one has ended (one that overlaps them, like FiveThirtyEight's 2014-2015, is not a change).
  const sourceChanges = useMemo(() => {
    const span = new Map<string, { first: number; last: number; name: string }>();
    for (const s of stats) {
      if (s.place.slug !== jurisdiction.slug) continue;
      const cur = span.get(s.source.key);
      if (!cur) span.set(s.source.key, { first: s.year, last: s.year, name: s.source.name });
      else cur.last = Math.max(cur.last, s.year);
    }
    const bySpan = [...span.values()].sort((a, b) => a.first - b.first);
    return bySpan
      .filter((s, i) => i > 0 && bySpan.slice(0, i).every((earlier) => earlier.last < s.first))
      .map((s) => ({ year: s.first, name: s.name }));
  }, [stats, jurisdiction.slug]);

  const metricOptions = (metrics.data?.items ?? [])
    .filter((m) => m.values > 0)
    .map((m) => ({ value: m.key, label: m.label }));
  const metricLabel = metricOptions.find((m) => m.value === metric)?.label ?? metric;
  const notes = [...new Set(stats.flatMap((s) => s.notes))];
  const sources = [...new Map(stats.map((s) => [s.source.key, s.source])).values()];
  const partialYears = stats.filter((s) => !s.complete);
  const hasOwn = stats.some((s) => s.place.slug === jurisdiction.slug);

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Statistic"
          size="xs"
          w={200}
          data={metricOptions.length ? metricOptions : [{ value: "homicide", label: "Homicide" }]}
          value={metric}
          onChange={(v) => v && setMetric(v)}
          allowDeselect={false}
        />
        <SegmentedControl
          size="xs"
          aria-label="Show"
          value={measure}
          onChange={(v) => setMeasure(v as "count" | "rate")}
          data={[
            { value: "count", label: "Counts" },
            { value: "rate", label: "Per 100,000 residents" },
          ]}
        />
        <MultiSelect
          label={`Compare with (up to ${MAX_PLACES - 1})`}
          size="xs"
          w={300}
          searchable
          clearable
          data={compareOptions}
          value={compare}
          onChange={setCompare}
          maxValues={MAX_PLACES - 1}
          placeholder={compare.length ? undefined : "Another place"}
        />
        <Group gap="sm" ml="auto">
          <Anchor href={seriesCsvUrl(query)} download size="sm">
            Download CSV
          </Anchor>
          <ChartTableToggle label="Show the statistics as" value={view} onChange={setView} />
        </Group>
      </Group>
      {series.error ? <ProblemAlert error={series.error} /> : null}
      {series.isPending ? (
        <Skeleton height={280} />
      ) : !stats.length ? (
        <Empty title={`No ${metricLabel.toLowerCase()} figures for ${jurisdiction.name}`}>
          The bundled sources hold none for this place, or its name did not match theirs:{" "}
          <Anchor component={Link} to="/statistics/sources" size="sm">
            see how places were matched
          </Anchor>
          .
        </Empty>
      ) : (
        <>
          {!hasOwn ? (
            <Text size="sm" c="dimmed">
              No {metricLabel.toLowerCase()} figures for {jurisdiction.name}; the compared places are shown.
            </Text>
          ) : null}
          {view === "chart" ? (
            <>
              <div
                ref={ref}
                role="img"
                aria-label={`Line chart of ${metricLabel.toLowerCase()} per year${measure === "rate" ? " per 100,000 residents" : ""}, one line a place and source, with the matters' milestones marked; the same numbers are in the table view`}
              >
                <LineChart
                  h={300}
                  data={rows}
                  dataKey="year"
                  series={lines.map((l) => ({ name: l.key, label: l.label, color: l.color }))}
                  curveType="linear"
                  connectNulls={false}
                  withDots
                  dotProps={{ r: 2 }}
                  strokeWidth={2}
                  withLegend
                  // The legend wraps: a row of it for every two or three of its entries, as wide as the chart is.
                  legendProps={{
                    verticalAlign: "top",
                    height: 12 + 28 * Math.ceil(lines.length / Math.max(1, Math.floor(width / 380))),
                  }}
                  tickLine="none"
                  gridAxis="x"
                  xAxisProps={{ interval: "preserveStartEnd", minTickGap: 16 }}
                  yAxisProps={{ width: 48 }}
                  valueFormatter={(v) => formatNumber(v, measure === "rate" ? 1 : 0)}
                  referenceLines={[
                    // Numbered, the numbers explained below the chart: words would overlap.
                    ...milestones.map(([year], i) => ({
                      x: String(year),
                      label: String(i + 1),
                      color: "red.6",
                      labelPosition: "insideTopLeft" as const,
                    })),
                    ...sourceChanges.map((c) => ({
                      x: String(c.year),
                      label: "New source",
                      color: "gray.7",
                      labelPosition: "insideBottomLeft" as const,
                      strokeDasharray: "4 4",
                    })),
                  ]}
                  tooltipAnimationDuration={100}
                />
              </div>
              <VisuallyHidden>
                <StatTable stats={stats} metricLabel={metricLabel} />
              </VisuallyHidden>
            </>
          ) : (
            <ScrollRegion h={360} label={`${metricLabel} per year`}>
              <StatTable stats={stats} metricLabel={metricLabel} />
            </ScrollRegion>
          )}
          <Text size="xs" c="dimmed" data-testid="statistics-milestones">
            Red lines: the matters' milestones (
            {milestones.length
              ? milestones.map(([y, l], i) => `${i + 1}: ${y} ${l.join(", ").toLowerCase()}`).join("; ")
              : "none dated"}
            ).
            {sourceChanges
              .map((c) => ` Dashed line: from ${c.year} the figures come from the ${c.name}.`)
              .join("")}{" "}
            A year with no value, or with months missing, is left as a gap and never drawn across
            {partialYears.length
              ? ` (partial: ${partialYears.map((s) => `${compare.length ? `${s.place.name} ` : ""}${s.year} ${coverageText(s)}`).join("; ")})`
              : ""}
            .{measure === "rate" ? " Rates only where the source gives a population." : ""}
          </Text>
        </>
      )}
      <Alert variant="light" color="gray" title="What these figures can and cannot say" p="sm">
        <List size="xs" spacing={2}>
          {(series.data?.caveats ?? []).map((c) => (
            <List.Item key={c}>{c}</List.Item>
          ))}
          {notes.map((n) => (
            <List.Item key={n}>{n}</List.Item>
          ))}
        </List>
        {sources.length ? (
          <Text size="xs" mt={6}>
            Sources:{" "}
            {sources.map((s, i) => (
              <span key={s.key}>
                {i ? "; " : ""}
                {webHref(s.url) ? (
                  <Anchor href={webHref(s.url)} size="xs" target="_blank" rel="noreferrer">
                    {s.name}
                  </Anchor>
                ) : (
                  s.name
                )}
                {s.licence ? ` (${s.licence})` : ""}
              </span>
            ))}
            .{" "}
            <Anchor component={Link} to="/statistics/sources" size="xs">
              How places were matched
            </Anchor>
          </Text>
        ) : null}
      </Alert>
    </Stack>
  );
}
