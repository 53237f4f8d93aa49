import type { Matter, MatterCompliance } from "@accord/domain";
import { Anchor, Badge, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text } from "@mantine/core";
import { Fragment } from "react";
import { Link } from "react-router";
import { useMatterCompliance } from "../../api/compliance";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDate } from "../../lib/dates";
import { useUrlState } from "../../lib/url-state";
import { Panel, Stat } from "./ComplianceCharts";
import { colorName, levelColor, levelLabel, plural, provisionPath } from "./levels";

type Kind = MatterCompliance["movement"]["transitions"][number]["kind"];

const KINDS: {
  kind: Kind;
  label: string;
  color: string;
  count: keyof MatterCompliance["movement"]["counts"];
}[] = [
  { kind: "improved", label: "Improved", color: "teal", count: "improved" },
  { kind: "backslid", label: "Backslid", color: "red", count: "backslid" },
  { kind: "unchanged", label: "Unchanged", color: "gray", count: "unchanged" },
  { kind: "newly_rated", label: "Newly rated", color: "blue", count: "newlyRated" },
  { kind: "no_longer_rated", label: "No longer rated", color: "orange", count: "noLongerRated" },
];

/** What moved between two reporting periods: each way a level changed, with its provisions. */
export function MovementView({ matter }: { matter: Matter }) {
  const { params, update } = useUrlState();
  const from = params.get("from") ?? undefined;
  const to = params.get("to") ?? undefined;
  const query = useMatterCompliance(matter.slug, { from, to });
  if (query.isPending) return <Skeleton height={300} />;
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => query.refetch()} />;
  const c = query.data;
  const m = c.movement;
  if (c.periods.length < 2)
    return (
      <Empty title="Movement needs two reporting periods">
        With two periods rated, this shows which provisions improved, backslid or stayed unchanged.
      </Empty>
    );
  const options = c.periods.map((p) => ({
    value: p.id,
    label: p.endsOn ? `${p.label} (ends ${formatDate(p.endsOn)})` : p.label,
  }));
  const labelOf = (code: string | null) => (code ? levelLabel(c.scale.levels, code) : "No rating");
  const colorOf = (code: string | null) => colorName(levelColor(c.scale.levels.find((l) => l.code === code)));
  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end">
        <Select
          label="From period"
          size="xs"
          w={260}
          allowDeselect={false}
          data={options}
          value={m.from?.id ?? null}
          onChange={(v) => update({ from: v }, { replace: true })}
        />
        <Select
          label="To period"
          size="xs"
          w={260}
          allowDeselect={false}
          data={options}
          value={m.to?.id ?? null}
          onChange={(v) => update({ to: v }, { replace: true })}
        />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
        {KINDS.map((k) => (
          <Stat
            key={k.kind}
            label={k.label}
            value={m.counts[k.count]}
            color={m.counts[k.count] && k.kind !== "unchanged" ? k.color : undefined}
          />
        ))}
      </SimpleGrid>
      {KINDS.map((k) => {
        const rows = m.transitions.filter((t) => t.kind === k.kind);
        if (!rows.length) return null;
        const id = `movement-${k.kind}-h`;
        return (
          <Panel key={k.kind} id={id} title={`${k.label}: ${plural(m.counts[k.count], "provision")}`}>
            <Table className="accord-table" verticalSpacing={6} aria-labelledby={id}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={320}>
                    From → to ({m.from?.label} → {m.to?.label})
                  </Table.Th>
                  <Table.Th ta="right" w={60}>
                    Count
                  </Table.Th>
                  <Table.Th>Provisions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((t) => (
                  <Table.Tr key={`${t.from}-${t.to}`}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Badge variant="outline" color={colorOf(t.from)} tt="none" radius="sm">
                          {labelOf(t.from)}
                        </Badge>
                        <Text span aria-hidden>
                          →
                        </Text>
                        <Text span className="sr-only">
                          to
                        </Text>
                        <Badge variant="light" color={colorOf(t.to)} tt="none" radius="sm">
                          {labelOf(t.to)}
                        </Badge>
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {t.count}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "normal" }}>
                      {t.provisions.map((n, i) => (
                        <Fragment key={n}>
                          {i ? ", " : ""}
                          <Anchor component={Link} to={provisionPath(matter.slug, n)} size="sm">
                            ¶ {n}
                          </Anchor>
                        </Fragment>
                      ))}
                      {t.count > t.provisions.length ? (
                        <Text span size="xs" c="dimmed">
                          {" "}
                          (and {t.count - t.provisions.length} retired)
                        </Text>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Panel>
        );
      })}
    </Stack>
  );
}
