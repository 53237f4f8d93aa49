import { type Provision, TOPIC_LABELS } from "@accord/domain";
import { Anchor, Progress, ScrollArea, Skeleton, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { useSimilarProvisions } from "../../api/provisions";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Section } from "./ProvisionSection";
import { firstWords, provisionPath } from "./shared";

/** Provisions of other decrees most like this one, with their similarity. */
export function SimilarProvisions({ p }: { p: Provision }) {
  const similar = useSimilarProvisions(p.id, 5);
  return (
    <Section
      id="similar-h"
      title="Similar provisions in other decrees"
      actions={
        <Anchor component={Link} to={`/provisions/${p.id}/compare`} size="sm">
          Compare side by side →
        </Anchor>
      }
    >
      {similar.error ? (
        <ProblemAlert error={similar.error} onRetry={() => similar.refetch()} />
      ) : similar.isPending ? (
        <Skeleton height={120} />
      ) : similar.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No other decree in the registry has a provision like this one yet.
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table className="accord-table" verticalSpacing={4}>
            <Table.Caption className="sr-only">Similar provisions, most similar first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={110}>Similarity</Table.Th>
                <Table.Th>Provision</Table.Th>
                <Table.Th>Text</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {similar.data.items.map((s) => (
                <Table.Tr key={s.provision.id}>
                  <Table.Td>
                    <SimilarityMeter value={s.similarity} />
                  </Table.Td>
                  <Table.Td maw={220}>
                    <Anchor
                      component={Link}
                      to={provisionPath(s.provision.matter.slug, s.provision)}
                      size="sm"
                      fw={600}
                    >
                      {s.provision.label}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {s.provision.matter.title}
                    </Text>
                    {s.sharedTopics.length ? (
                      <Text size="xs" c="dimmed">
                        Shared: {s.sharedTopics.map((t) => TOPIC_LABELS[t]).join(", ")}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td miw={240}>
                    <Text size="sm">{firstWords(s.provision.text, 180)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Section>
  );
}

/** A similarity (0–1) as a percentage with a bar. */
export function SimilarityMeter({ value }: { value: number }) {
  const pct = Math.round(value * 100);
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {pct}%
      </Text>
      <Progress value={pct} size="sm" aria-hidden="true" color={pct >= 30 ? "teal" : "gray"} />
    </Stack>
  );
}
