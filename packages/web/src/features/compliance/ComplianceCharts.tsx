import { type Matter, type MatterCompliance, OVERDUE_DEFINITION, RATER_LABELS } from "@accord/domain";
import { LineChart } from "@mantine/charts";
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { useMatterCompliance } from "../../api/compliance";
import { useCan } from "../../api/session";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDate } from "../../lib/dates";
import { applyParams } from "../../lib/url-state";
import { LevelChart } from "./LevelChart";
import { type Level, longDate, pct, plural, provisionPath, topicLabel } from "./levels";

export function Panel({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Card>
  );
}

export function Stat({
  label,
  value,
  hint,
  color,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  color?: string;
}) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} fz={24} lh={1.25} c={color}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

/** The scale's levels in the order of the view's `levels`. */
export function orderedLevels(c: MatterCompliance): Level[] {
  return c.levels.map(
    (code) =>
      c.scale.levels.find((l) => l.code === code) ?? {
        code,
        label: code,
        normalized: null,
        full: false,
        rated: false,
      },
  );
}

function Trajectory({ c }: { c: MatterCompliance }) {
  const [view, setView] = useChartOrTable();
  const labels = new Map(c.periods.map((p) => [p.id, p.label]));
  const data = c.trajectory.points.map((p) => ({
    period: labels.get(p.periodId) ?? p.endsOn,
    full: p.shareFull === null ? null : Math.round(p.shareFull * 1000) / 10,
    score: p.score === null ? null : Math.round(p.score * 1000) / 10,
  }));
  const f = c.trajectory.forecast;
  const table = (
    <Table striped withTableBorder className="accord-table" verticalSpacing={4}>
      <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
        Share of rated provisions at full compliance, and the mean score, per period
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Period</Table.Th>
          <Table.Th scope="col">Ends</Table.Th>
          <Table.Th scope="col" ta="right">
            At full compliance
          </Table.Th>
          <Table.Th scope="col" ta="right">
            Score
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {c.trajectory.points.map((p) => (
          <Table.Tr key={p.periodId}>
            <Table.Th scope="row" fw={500}>
              {labels.get(p.periodId)}
            </Table.Th>
            <Table.Td>{p.endsOn ?? "not known"}</Table.Td>
            <Table.Td ta="right">{pct(p.shareFull)}</Table.Td>
            <Table.Td ta="right">{pct(p.score)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <Stack gap="sm">
      <Alert
        variant="light"
        color={f.status === "forecast" ? "blue" : f.status === "reached" ? "teal" : "gray"}
        title={
          f.status === "forecast" && f.reachesFullOn
            ? `Forecast: full compliance around ${longDate(f.reachesFullOn)}`
            : f.status === "reached"
              ? "Full compliance reached"
              : f.status === "no_progress"
                ? "No forecast: no clear progress"
                : "No forecast yet"
        }
      >
        <Text size="sm" data-testid="forecast-statement">
          {f.statement}
        </Text>
        {f.range ? (
          <Text size="xs" c="dimmed" mt={4}>
            95% range: {longDate(f.range.earliest)} to {longDate(f.range.latest)} · {f.periodsUsed} periods
            used
          </Text>
        ) : null}
      </Alert>
      <Group justify="flex-end">
        <ChartTableToggle label="Show the trajectory as" value={view} onChange={setView} />
      </Group>
      {view === "chart" ? (
        <>
          <div
            role="img"
            aria-label="Line chart of the share at full compliance and the score per period; the same numbers are in the table view"
          >
            <LineChart
              h={220}
              data={data}
              dataKey="period"
              series={[
                { name: "full", label: "At full compliance (%)", color: "teal.6" },
                { name: "score", label: "Score (%)", color: "blue.6" },
              ]}
              curveType="linear"
              withLegend
              legendProps={{ verticalAlign: "top", height: 32 }}
              yAxisProps={{ domain: [0, 100], width: 36 }}
              connectNulls
              tickLine="none"
              valueFormatter={(v) => `${v}%`}
            />
          </div>
          <VisuallyHidden>{table}</VisuallyHidden>
        </>
      ) : (
        table
      )}
    </Stack>
  );
}

function Overdue({ c, slug }: { c: MatterCompliance; slug: string }) {
  const labelOf = (code: string | null) =>
    code ? (c.scale.levels.find((l) => l.code === code)?.label ?? code) : "Not rated";
  return (
    <Table className="accord-table" verticalSpacing={4} aria-labelledby="overdue-h">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Provision</Table.Th>
          <Table.Th>Deadline</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>Latest rating</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {c.overdueDeadlines.map((d) => (
          <Table.Tr key={`${d.id}-${d.dueOn}`}>
            <Table.Td>
              <Anchor component={Link} to={provisionPath(slug, d)} size="sm">
                {d.label}
              </Anchor>
            </Table.Td>
            <Table.Td style={{ whiteSpace: "normal" }}>{d.phrase}</Table.Td>
            <Table.Td c="red" fw={600}>
              {formatDate(d.dueOn)}
            </Table.Td>
            <Table.Td>{labelOf(d.level)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * The figures are the monitor's: other raters' ratings (the department's, the city's own) are named
 * here rather than mixed in, with how many rate provisions the monitor did not rate.
 */
function OtherRaters({ c }: { c: MatterCompliance }) {
  if (!c.otherRaters.length) return null;
  const label = new Map(c.periods.map((p) => [p.id, p.label]));
  return (
    <Alert color="gray" variant="light" title="These figures count the monitor's ratings">
      <Text size="sm">
        Also recorded, and not counted here:{" "}
        {c.otherRaters
          .map(
            (o) =>
              `${RATER_LABELS[o.rater]}, ${plural(o.ratings, "rating")} in ${label.get(o.periodId) ?? "a period"}${
                o.withoutMonitor ? ` (${o.withoutMonitor} of provisions the monitor did not rate)` : ""
              }`,
          )
          .join("; ")}
        . Each provision's page shows every rater's rating side by side.
      </Text>
    </Alert>
  );
}

/** The matter's compliance: per period, by topic and by section, the trajectory and what is overdue. */
export function ComplianceCharts({ matter }: { matter: Matter }) {
  const [params, setParams] = useSearchParams();
  const canRate = useCan("compliance:rate");
  const query = useMatterCompliance(matter.slug);
  if (query.isPending)
    return (
      <Stack>
        <Skeleton height={90} />
        <Skeleton height={300} />
      </Stack>
    );
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => query.refetch()} />;
  const c = query.data;
  const levels = orderedLevels(c);
  if (c.periods.length === 0)
    return (
      <Empty title="No reporting periods yet">
        {canRate ? (
          <>
            Add the monitor's scale and reporting periods under{" "}
            <Anchor component={Link} to="?view=setup">
              Scale &amp; periods
            </Anchor>
            , then rate provisions in the{" "}
            <Anchor component={Link} to="?view=grid">
              rating grid
            </Anchor>{" "}
            or import a report's table.
          </>
        ) : (
          "The monitor's ratings appear here once a reporting period is recorded."
        )}
      </Empty>
    );
  const chosenId = params.get("period") ?? c.periods.at(-1)?.id ?? "";
  const periodIndex = Math.max(
    0,
    c.periods.findIndex((p) => p.id === chosenId),
  );
  const chosen = c.periods[periodIndex];
  const latest = c.byPeriod.at(-1);
  const sustained = c.sustainment.decree;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat
          label="Provisions"
          value={c.provisions.toLocaleString("en-US")}
          hint={plural(c.periods.length, "reporting period")}
        />
        <Stat
          label="At full compliance"
          value={pct(latest?.shareFull)}
          hint={
            latest ? `of ${plural(latest.rated, "rated provision")}, ${c.periods.at(-1)?.label}` : undefined
          }
          color="teal"
        />
        <Stat label="Score" value={pct(latest?.score)} hint="mean on the common scale (0–100%)" />
        <Stat
          label="Overdue deadlines"
          value={c.overdueDeadlines.length}
          color={c.overdueDeadlines.length ? "red" : undefined}
          hint={
            sustained.earliestEndOn
              ? `decree could end ${longDate(sustained.earliestEndOn)}`
              : "no end date yet"
          }
        />
      </SimpleGrid>
      <OtherRaters c={c} />
      <Panel id="by-period-h" title="Share of provisions at each level, per period">
        <LevelChart
          id="by-period-chart"
          rowHeader="Period"
          caption={`Ratings per reporting period, by level (${levels.map((l) => l.label).join(" · ")})`}
          levels={levels}
          rows={c.periods.map((p, i) => ({ name: p.label, counts: c.byPeriod[i]?.counts ?? [] }))}
        />
      </Panel>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed">
          By topic and by section for one period.
        </Text>
        <Select
          label="Period"
          size="xs"
          w={260}
          allowDeselect={false}
          data={c.periods.map((p) => ({
            value: p.id,
            label: p.endsOn ? `${p.label} (ends ${formatDate(p.endsOn)})` : p.label,
          }))}
          value={chosen?.id ?? null}
          onChange={(v) => setParams(applyParams(params, { period: v }), { replace: true })}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Panel id="by-topic-h" title={`By topic · ${chosen?.label ?? ""}`}>
          {c.byTopic.length === 0 ? (
            <Text size="sm" c="dimmed">
              No provision has a topic yet.
            </Text>
          ) : (
            <LevelChart
              id="by-topic-chart"
              horizontal
              rowHeader="Topic"
              caption={`Ratings by topic, ${chosen?.label}`}
              levels={levels}
              rows={c.byTopic.map((t) => ({
                name: topicLabel(t.topic),
                counts: t.periods[periodIndex]?.counts ?? [],
              }))}
            />
          )}
        </Panel>
        <Panel id="by-section-h" title={`By section · ${chosen?.label ?? ""}`}>
          <LevelChart
            id="by-section-chart"
            horizontal
            rowHeader="Section"
            caption={`Ratings by section of the decree, ${chosen?.label}`}
            levels={levels}
            rows={c.bySection.map((s) => ({ name: s.section, counts: s.periods[periodIndex]?.counts ?? [] }))}
          />
        </Panel>
      </SimpleGrid>
      <Panel id="trajectory-h" title="Trajectory and forecast">
        <Trajectory c={c} />
      </Panel>
      <Panel
        id="overdue-h"
        title="Overdue deadlines"
        actions={
          <Badge color={c.overdueDeadlines.length ? "red" : "gray"} variant="light">
            {c.overdueDeadlines.length}
          </Badge>
        }
      >
        <Text size="xs" c="dimmed" mb="xs">
          {OVERDUE_DEFINITION} The dashboard and the calendar count the same way.
        </Text>
        {c.overdueDeadlines.length === 0 ? (
          <Text size="sm" c="dimmed">
            No deadline of this decree is overdue.
          </Text>
        ) : (
          <Overdue c={c} slug={matter.slug} />
        )}
      </Panel>
    </Stack>
  );
}
