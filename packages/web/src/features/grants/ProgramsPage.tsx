import { formatPartialDate, type ProgramFact } from "@accord/domain";
import { Card, Stack, Table, Text, Title } from "@mantine/core";
import { useProgramFacts } from "../../api/grants";
import { Empty } from "../../components/Empty";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SourcesList } from "../../components/Sources";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatDollars } from "../../lib/money";

/** A value in its unit: dollars as dollars, counts as numbers, an unknown value said so. */
function formatValue(f: ProgramFact): string {
  if (f.value === null) return "Not stated";
  if (f.unit && /^(usd|\$|dollars?)$/i.test(f.unit)) return formatDollars(f.value);
  const n = new Intl.NumberFormat("en-US").format(f.value);
  return f.unit ? `${n} ${f.unit}` : n;
}

const when = (f: ProgramFact) =>
  f.date ? formatPartialDate(f.date) : f.fiscalYear ? `FY${f.fiscalYear}` : "Undated";

/** The programs' facts, grouped by program: figures the sources give only for a whole program. */
export function ProgramsPage() {
  const { data, error, isPending, refetch } = useProgramFacts();
  const programs = new Map<string, ProgramFact[]>();
  for (const f of data ?? []) programs.set(f.program, [...(programs.get(f.program) ?? []), f]);
  return (
    <Stack>
      <PageTitle
        title="Programs"
        subtitle="Figures the sources give only for a whole program (national counts and totals). They are not split into sites: where a source names no site, none is invented."
      />
      {error ? (
        <ProblemAlert error={error} onRetry={() => refetch()} title="The program facts could not be loaded" />
      ) : isPending ? (
        <TableSkeleton rows={8} />
      ) : programs.size === 0 ? (
        <Card withBorder>
          <Empty title="No program facts">None has been imported.</Empty>
        </Card>
      ) : (
        [...programs.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([program, facts]) => (
            <Card withBorder key={program} component="section" aria-label={program}>
              <Title order={2} size="h4" mb="xs">
                {program}
              </Title>
              <Table.ScrollContainer minWidth={640}>
                <Table verticalSpacing="xs" aria-label={`Facts of ${program}`}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>When</Table.Th>
                      <Table.Th>What</Table.Th>
                      <Table.Th ta="right">Figure</Table.Th>
                      <Table.Th>Sources</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...facts]
                      .sort((a, b) =>
                        (a.date ?? String(a.fiscalYear ?? "")).localeCompare(
                          b.date ?? String(b.fiscalYear ?? ""),
                        ),
                      )
                      .map((f) => (
                        <Table.Tr key={f.id}>
                          <Table.Td style={{ whiteSpace: "nowrap" }}>{when(f)}</Table.Td>
                          <Table.Td>
                            <Text size="sm" fw={500}>
                              {f.metric}
                            </Text>
                            {f.description ? (
                              <Text size="xs" c="dimmed">
                                {f.description}
                              </Text>
                            ) : null}
                          </Table.Td>
                          <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                            {formatValue(f)}
                          </Table.Td>
                          <Table.Td>
                            <SourcesList sources={f.sources} size="xs" />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          ))
      )}
    </Stack>
  );
}
