import { TOPIC_LABELS } from "@accord/domain";
import { Box, Button, Card, Grid, NavLink, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useProvisions } from "../../api/provisions";
import { SearchFilter, UrlSelect } from "../../components/filters";
import { ClearFilters, FilterBar, ListResults } from "../../components/ListPage";
import { PageTitle } from "../../components/PageTitle";
import { TOPIC_OPTION_GROUPS } from "../../lib/topics";
import { readPage, useUrlState } from "../../lib/url-state";
import { ProvisionsTable } from "./MatterProvisions";
import { isTopic, TOPIC_OPTIONS } from "./shared";

/** The topics as a side panel: one chosen at a time, kept in the URL as `topic`. */
function TopicFacet({ topic }: { topic: string | null }) {
  const { update } = useUrlState();
  return (
    <Card withBorder padding="xs" component="nav" aria-labelledby="topics-facet-h" visibleFrom="md">
      <Title order={2} size="h6" id="topics-facet-h" px="xs" pb={4} c="dimmed" tt="uppercase">
        Topic
      </Title>
      <NavLink
        component="button"
        type="button"
        label="All topics"
        py={5}
        active={topic === null}
        aria-current={topic === null ? "true" : undefined}
        onClick={() => update({ topic: null })}
      />
      {TOPIC_OPTIONS.map((t) => (
        <NavLink
          key={t.value}
          component="button"
          type="button"
          label={t.label}
          py={5}
          active={topic === t.value}
          aria-current={topic === t.value ? "true" : undefined}
          onClick={() => update({ topic: t.value })}
        />
      ))}
    </Card>
  );
}

/** `/provisions`: provisions across every decree, by topic or words, each one to compare. */
export function ProvisionsPage() {
  const { params } = useUrlState();
  const { limit, offset } = readPage(params, 50);
  const raw = params.get("topic");
  const topic = raw && isTopic(raw) ? raw : null;
  const q = params.get("q");
  const result = useProvisions({ topic, q, limit, offset });
  const filtered = Boolean(topic || q);
  return (
    <>
      <PageTitle
        title={topic ? `Provisions: ${TOPIC_LABELS[topic]}` : "Provisions"}
        subtitle="The provisions of every decree, by topic: choose one to compare it with similar provisions of other decrees."
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 3 }} visibleFrom="md">
          <TopicFacet topic={topic} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <FilterBar label="Filter provisions">
            <Box hiddenFrom="md">
              <UrlSelect
                param="topic"
                label="Topic"
                placeholder="Any topic"
                data={TOPIC_OPTION_GROUPS}
                clearable
                w={260}
                comboboxProps={{ withinPortal: true }}
              />
            </Box>
            <SearchFilter label="Words or number" placeholder="report, taser, 139…" w={280} />
            <ClearFilters keys={["topic", "q"]} shown={filtered} />
          </FilterBar>
          <ListResults
            result={result}
            noun="provisions"
            filtered={filtered}
            pagerBelow
            skeletonRows={12}
            emptyHint={
              filtered ? null : (
                <Stack gap={4} align="center">
                  <Text size="sm" c="dimmed">
                    A matter's provisions appear here once its decree is parsed and the parse accepted.
                  </Text>
                </Stack>
              )
            }
          >
            {(items) => (
              <ProvisionsTable
                items={items}
                caption={
                  topic ? `Provisions on ${TOPIC_LABELS[topic]}, every decree` : "Provisions, every decree"
                }
                showMatter
                action={(p) => (
                  <Button
                    component={Link}
                    to={`/provisions/${p.id}/compare`}
                    size="xs"
                    variant="light"
                    aria-label={`Compare ${p.label} of ${p.matter.title}`}
                  >
                    Compare
                  </Button>
                )}
              />
            )}
          </ListResults>
        </Grid.Col>
      </Grid>
    </>
  );
}
