import { AMOUNT_MEANING_LABELS, type Condition, GRANT_PROGRAM_LABELS } from "@accord/domain";
import { Anchor, Button, Card, Grid, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useAward } from "../../api/grants";
import { useCan } from "../../api/session";
import { MatterStatusBadge } from "../../components/AsOf";
import { BackLink } from "../../components/BackLink";
import { Empty } from "../../components/Empty";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { SourcesList } from "../../components/Sources";
import { useAsOf } from "../../lib/as-of";
import { formatDollars } from "../../lib/money";
import { ConditionStatusForm } from "./ConditionStatusForm";
import { ConditionHistory, ConditionSummary } from "./conditions";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function ConditionCard({ condition, onReload }: { condition: Condition; onReload: () => void }) {
  const canWrite = useCan("registry:write");
  const asOf = useAsOf();
  const [changing, setChanging] = useState(false);
  return (
    <Card withBorder padding="md" component="section" aria-label={`Condition ${condition.slug}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <ConditionSummary condition={condition} headingOrder={3} />
          {canWrite && !changing && !asOf ? (
            <Button size="xs" variant="light" onClick={() => setChanging(true)}>
              Change status
            </Button>
          ) : null}
        </Group>
        {changing ? (
          <Card withBorder padding="sm" bg="var(--mantine-color-default-hover)">
            <ConditionStatusForm
              condition={condition}
              onDone={() => setChanging(false)}
              onReload={() => {
                setChanging(false);
                onReload();
              }}
            />
          </Card>
        ) : null}
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
            Status history
          </Text>
          <ConditionHistory condition={condition} />
        </div>
      </Stack>
    </Card>
  );
}

/** One award: its amount and what it means, its conditions with their dated histories, its lawsuits. */
export function AwardPage() {
  const { key = "" } = useParams();
  const asOf = useAsOf();
  const query = useAward(key, asOf);
  const canWrite = useCan("registry:write");
  return (
    <LoadedRecord
      query={query}
      what="award"
      skeleton={
        <Stack>
          <Skeleton height={34} width="50%" />
          <Skeleton height={120} />
          <Skeleton height={240} />
        </Stack>
      }
    >
      {(a) => {
        const title = `${GRANT_PROGRAM_LABELS[a.program]}${a.fiscalYear ? ` FY${a.fiscalYear}` : ""}: ${a.jurisdiction.name}`;
        return (
          <>
            <BackLink to="/grants">Grants</BackLink>
            <PageTitle
              title={title}
              subtitle={a.programName ?? undefined}
              actions={
                canWrite ? (
                  <Button component={Link} to={`/grants/${a.slug}/edit`} variant="default">
                    Edit award
                  </Button>
                ) : null
              }
            />
            <Card withBorder padding="md" mb="md">
              <Grid gap="sm">
                <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
                  <Fact label="Recipient">
                    <Anchor component={Link} to={`/jurisdictions/${a.jurisdiction.slug}`} size="sm">
                      {a.jurisdiction.name}, {a.jurisdiction.stateCode}
                    </Anchor>
                    {a.recipientName && a.recipientName !== a.jurisdiction.name ? (
                      <Text size="xs" c="dimmed">
                        {a.recipientName}
                      </Text>
                    ) : null}
                    {a.agency ? (
                      <Anchor component={Link} to={`/agencies/${a.agency.slug}`} size="xs" display="block">
                        {a.agency.name}
                      </Anchor>
                    ) : null}
                  </Fact>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
                  <Fact label="Amount">
                    {a.amount === null ? "Not stated" : formatDollars(a.amount)}
                    {a.amountMeaning ? (
                      <Text size="xs" c="dimmed">
                        {AMOUNT_MEANING_LABELS[a.amountMeaning]}
                      </Text>
                    ) : null}
                    {a.amountNote ? (
                      <Text size="xs" c="dimmed">
                        {a.amountNote}
                      </Text>
                    ) : null}
                  </Fact>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
                  <Fact label="Award number">{a.awardNumber ?? "—"}</Fact>
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
                  <Fact label="Lawsuits">
                    {a.matters.length === 0
                      ? "None recorded"
                      : a.matters.map((m) => (
                          <Group key={m.id} gap={4} wrap="nowrap">
                            <Anchor component={Link} to={`/matters/${m.slug}`} size="sm">
                              {m.title}
                            </Anchor>
                            <MatterStatusBadge status={m.status} size="xs" />
                          </Group>
                        ))}
                  </Fact>
                </Grid.Col>
              </Grid>
              {a.notes ? (
                <Text size="sm" mt="sm" style={{ whiteSpace: "pre-line" }}>
                  {a.notes}
                </Text>
              ) : null}
            </Card>
            <Grid gap="md">
              <Grid.Col span={{ base: 12, md: 8 }}>
                <Stack gap="md">
                  <Title order={2} size="h4">
                    Conditions
                  </Title>
                  {a.conditions.length === 0 ? (
                    <Card withBorder>
                      <Empty title="No conditions recorded on this award" />
                    </Card>
                  ) : (
                    a.conditions.map((c) => (
                      <ConditionCard key={c.id} condition={c} onReload={() => query.refetch()} />
                    ))
                  )}
                </Stack>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Card withBorder padding="md" component="section" aria-labelledby="award-sources-h">
                  <Title order={2} size="h4" id="award-sources-h" mb="xs">
                    Sources
                  </Title>
                  <SourcesList sources={a.sources} />
                </Card>
              </Grid.Col>
            </Grid>
          </>
        );
      }}
    </LoadedRecord>
  );
}
