import { type Provision, type ProvisionListItem, TOPIC_LABELS } from "@accord/domain";
import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { Link, useParams } from "react-router";
import { useProvision, useSimilarProvisions } from "../../api/provisions";
import { BackLink } from "../../components/BackLink";
import { Empty } from "../../components/Empty";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { readInt, useUrlState } from "../../lib/url-state";
import { SimilarityMeter } from "./SimilarProvisions";
import { provisionPath, sectionName, TopicBadges } from "./shared";

/** One provision in full: its matter, number, section path, topics and text. */
function ProvisionText({
  p,
  headingId,
  heading,
}: {
  p: Provision | ProvisionListItem;
  headingId: string;
  heading?: string;
}) {
  return (
    <Stack gap={6}>
      <Box>
        <Title order={heading ? 2 : 3} size="h5" id={headingId}>
          <Anchor component={Link} to={provisionPath(p.matter.slug, p)} inherit>
            {heading ?? `${p.label} · ${p.matter.title}`}
          </Anchor>
        </Title>
        <Text size="xs" c="dimmed">
          {p.sections.map(sectionName).join(" › ") || "Outside any section"}
          {p.page ? ` · page ${p.page}` : ""}
        </Text>
      </Box>
      <TopicBadges topics={p.topics} max={5} size="xs" />
      <Text size="sm" style={{ whiteSpace: "pre-wrap", lineHeight: 1.55 }}>
        {p.text}
      </Text>
    </Stack>
  );
}

/**
 * `/provisions/:id/compare?limit=N`: a provision beside the most similar provisions of other
 * decrees, ranked (those sharing a topic first, then by how many words the texts share).
 */
export function ComparePage() {
  const { id = "" } = useParams();
  const query = useProvision(id);
  return (
    <LoadedRecord
      query={query}
      what="provision"
      skeleton={
        <Stack>
          <Skeleton height={34} width="50%" />
          <Skeleton height={400} />
        </Stack>
      }
    >
      {(p) => <Compare key={p.id} p={p} />}
    </LoadedRecord>
  );
}

function Compare({ p }: { p: Provision }) {
  const { params, update } = useUrlState();
  const limit = Math.min(50, Math.max(1, readInt(params, "limit", 10)));
  const similar = useSimilarProvisions(p.id, limit);
  const main = p.topics[0];
  return (
    <>
      <BackLink to={provisionPath(p.matter.slug, p)}>{`${p.label} · ${p.matter.title}`}</BackLink>
      <PageTitle
        title={`Compare ${p.label} with other decrees`}
        subtitle={`${p.matter.title}${main ? ` · ${main.label}` : ""}: the most similar provisions of other matters, ranked by text similarity (sharing a topic first).`}
        actions={
          <>
            {main ? (
              <Button component={Link} to={`/provisions?topic=${main.topic}`} variant="default">
                All provisions on {main.label.toLowerCase()}
              </Button>
            ) : null}
            <Select
              aria-label="How many to compare"
              w={120}
              data={["5", "10", "20", "50"].map((n) => ({ value: n, label: `Top ${n}` }))}
              value={String(limit)}
              onChange={(v) => v && update({ limit: v === "10" ? null : v }, { replace: true })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card
            withBorder
            padding="md"
            component="section"
            aria-labelledby="base-h"
            style={{ position: "sticky", top: 76 }}
          >
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
              This provision
            </Text>
            <ProvisionText p={p} headingId="base-h" heading={`${p.label} · ${p.matter.title}`} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <section aria-labelledby="similar-list-h">
            <Title order={2} size="h4" id="similar-list-h" mb="sm">
              Similar provisions in other decrees
            </Title>
            {similar.error ? (
              <ProblemAlert error={similar.error} onRetry={() => similar.refetch()} />
            ) : similar.isPending ? (
              <Stack>
                <Skeleton height={160} />
                <Skeleton height={160} />
              </Stack>
            ) : similar.data.items.length === 0 ? (
              <Card withBorder>
                <Empty title="No similar provisions yet">
                  Only this matter's decree has provisions like it in the registry. Parse and accept another
                  decree to compare.
                </Empty>
              </Card>
            ) : (
              <Stack gap="sm" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                {similar.data.items.map((s, i) => (
                  <Card
                    key={s.provision.id}
                    withBorder
                    padding="md"
                    component="li"
                    aria-labelledby={`sim-${i}`}
                  >
                    <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs" gap="md">
                      <Group gap="sm" wrap="nowrap" align="flex-start">
                        <Badge
                          size="lg"
                          variant="light"
                          color="gray"
                          radius="sm"
                          aria-label={`Rank ${i + 1}`}
                        >
                          {i + 1}
                        </Badge>
                        <Box w={110}>
                          <SimilarityMeter value={s.similarity} />
                          <Text size="xs" c="dimmed">
                            similarity
                          </Text>
                        </Box>
                      </Group>
                      <Button
                        component={Link}
                        to={`/provisions/${s.provision.id}/compare`}
                        size="xs"
                        variant="subtle"
                        aria-label={`Compare ${s.provision.label} of ${s.provision.matter.title} instead`}
                      >
                        Compare this one
                      </Button>
                    </Group>
                    {s.sharedTopics.length ? (
                      <Text size="xs" c="dimmed" mb={4}>
                        Shared topics: {s.sharedTopics.map((t) => TOPIC_LABELS[t]).join(", ")}
                      </Text>
                    ) : null}
                    <ProvisionText p={s.provision} headingId={`sim-${i}`} />
                  </Card>
                ))}
              </Stack>
            )}
          </section>
        </Grid.Col>
      </Grid>
    </>
  );
}
