import { BarChart } from "@mantine/charts";
import { Anchor, Group, Skeleton, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { Link } from "react-router";
import { useAllCompliance } from "../../api/compliance";
import { ChartTableToggle, useChartOrTable } from "../../components/ChartTableToggle";
import { Empty } from "../../components/Empty";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Panel } from "./ComplianceCharts";
import { pct, plural, topicLabel } from "./levels";

const r1 = (share: number | null) => (share === null ? 0 : Math.round(share * 1000) / 10);

/** Every decree's latest compliance on the common scale, and each topic across decrees. */
export function AllCompliancePage() {
  const query = useAllCompliance();
  const [view, setView] = useChartOrTable();
  if (query.isPending)
    return (
      <Stack>
        <PageTitle title="Compliance across decrees" />
        <Skeleton height={300} />
      </Stack>
    );
  if (query.isError)
    return (
      <>
        <PageTitle title="Compliance across decrees" />
        <ProblemAlert error={query.error} onRetry={() => query.refetch()} />
      </>
    );
  const { matters, byTopic } = query.data;
  const data = matters.map((m) => ({
    decree: m.matter.title,
    score: r1(m.score),
    full: r1(m.shareFull),
  }));
  const table = (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table striped withTableBorder className="accord-table" verticalSpacing={6}>
        <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
          Each decree's latest reporting period on the common scale (0% none, 100% full compliance)
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Decree</Table.Th>
            <Table.Th scope="col">Period</Table.Th>
            <Table.Th scope="col" ta="right">
              Rated
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Score
            </Table.Th>
            <Table.Th scope="col" ta="right">
              At full compliance
            </Table.Th>
            <Table.Th scope="col">Levels (monitor's own scale)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matters.map((m) => (
            <Table.Tr key={m.matter.id}>
              <Table.Th scope="row" fw={500} style={{ whiteSpace: "normal" }}>
                <Anchor component={Link} to={`/matters/${m.matter.slug}/compliance`} size="sm">
                  {m.matter.title}
                </Anchor>
              </Table.Th>
              <Table.Td>
                {m.period.label}{" "}
                {m.period.endsOn && (
                  <Text span size="xs" c="dimmed">
                    ({m.period.endsOn})
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {m.rated} of {m.total}
              </Table.Td>
              <Table.Td ta="right" fw={600}>
                {pct(m.score)}
              </Table.Td>
              <Table.Td ta="right">{pct(m.shareFull)}</Table.Td>
              <Table.Td style={{ whiteSpace: "normal" }}>
                <Text size="xs">{m.levels.map((l) => `${l.label} ${l.count}`).join(" · ")}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
  return (
    <Stack gap="md">
      <PageTitle
        title="Compliance across decrees"
        subtitle="Each monitor rates on a scale of their own; every level is placed on a common scale so that decrees can be compared."
      />
      {matters.length === 0 ? (
        <Empty title="No decree has ratings yet">
          Ratings appear here once a monitor rates a decree's provisions (a matter's Compliance tab).
        </Empty>
      ) : (
        <>
          <Panel
            id="decrees-h"
            title={`Decrees (${matters.length})`}
            actions={<ChartTableToggle label="Show decrees as" value={view} onChange={setView} />}
          >
            {view === "chart" ? (
              <>
                <div
                  role="img"
                  aria-label="Bar chart of each decree's score and share at full compliance; the same numbers are in the table view"
                >
                  <BarChart
                    h={Math.max(180, 60 + matters.length * 52)}
                    data={data}
                    dataKey="decree"
                    orientation="vertical"
                    series={[
                      { name: "score", label: "Score (%)", color: "blue.6" },
                      { name: "full", label: "At full compliance (%)", color: "teal.6" },
                    ]}
                    withLegend
                    legendProps={{ verticalAlign: "top", height: 32 }}
                    xAxisProps={{ domain: [0, 100] }}
                    yAxisProps={{ width: 220, tick: { fontSize: 11 } }}
                    gridAxis="x"
                    tickLine="none"
                    maxBarWidth={18}
                    valueFormatter={(v) => `${v}%`}
                  />
                </div>
                <VisuallyHidden>{table}</VisuallyHidden>
              </>
            ) : (
              table
            )}
          </Panel>
          <Panel id="topics-h" title="By topic, across decrees">
            <Table className="accord-table" verticalSpacing={4} aria-labelledby="topics-h" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Topic</Table.Th>
                  <Table.Th ta="right">Decrees</Table.Th>
                  <Table.Th ta="right">Rated provisions</Table.Th>
                  <Table.Th ta="right">At full compliance</Table.Th>
                  <Table.Th ta="right">Score</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {byTopic.map((t) => (
                  <Table.Tr key={t.topic}>
                    <Table.Td>{topicLabel(t.topic)}</Table.Td>
                    <Table.Td ta="right">{t.matters}</Table.Td>
                    <Table.Td ta="right">{t.rated}</Table.Td>
                    <Table.Td ta="right">
                      {pct(t.shareFull)}{" "}
                      <Text span size="xs" c="dimmed">
                        ({plural(t.full, "provision")})
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{pct(t.score)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Panel>
        </>
      )}
      <Group>
        <Text size="xs" c="dimmed">
          Score: the mean of the rated provisions' levels on the common scale. Not-rated provisions are
          counted but left out of shares and scores.
        </Text>
      </Group>
    </Stack>
  );
}
