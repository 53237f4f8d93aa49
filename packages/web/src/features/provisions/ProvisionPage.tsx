import { type Provision, TOPIC_LABELS, type Topic } from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  MultiSelect,
  Progress,
  ScrollArea,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { useClipboard } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { type ReactNode, useState } from "react";
import { Link, Navigate, useParams } from "react-router";
import {
  useCorrectTopics,
  useProvision,
  useProvisionByNumber,
  useSimilarProvisions,
} from "../../api/provisions";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { Empty } from "../../components/Empty";
import { IconCheck, IconCopy } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { AnchorDateControl } from "./Deadlines";
import {
  documentPagePath,
  firstWords,
  formatDay,
  isTopic,
  provisionPath,
  TOPIC_OPTIONS,
  todayIso,
} from "./shared";

const skeleton = (
  <Stack>
    <Skeleton height={20} width={200} />
    <Skeleton height={34} width="40%" />
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Skeleton height={320} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Skeleton height={320} />
      </Grid.Col>
    </Grid>
  </Stack>
);

/** `/matters/:slug/provisions/:number`: a provision at the address to cite. */
export function ProvisionPage() {
  const { slug = "", number = "" } = useParams();
  const query = useProvisionByNumber(slug, Number(number));
  if (!/^\d+$/.test(number)) return <Navigate to={`/matters/${slug}/provisions`} replace />;
  return (
    <LoadedRecord query={query} what="provision" skeleton={skeleton}>
      {(p) => <ProvisionScreen key={p.id} p={p} />}
    </LoadedRecord>
  );
}

/** `/provisions/:id`: goes to the provision's citable address (a retired one is shown here). */
export function ProvisionByIdPage() {
  const { id = "" } = useParams();
  const query = useProvision(id);
  return (
    <LoadedRecord query={query} what="provision" skeleton={skeleton}>
      {(p) =>
        p.retiredAt ? (
          <ProvisionScreen key={p.id} p={p} />
        ) : (
          <Navigate to={provisionPath(p.matter.slug, p.number)} replace />
        )
      }
    </LoadedRecord>
  );
}

/** A titled card of the provision page, named by its heading. */
function Section({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Card>
  );
}

function ProvisionScreen({ p }: { p: Provision }) {
  const clipboard = useClipboard({ timeout: 2000 });
  const citable = `${window.location.origin}${provisionPath(p.matter.slug, p.number)}`;
  const sections = p.sections.map((s) => `${s.number}. ${s.title}`);
  return (
    <>
      <BackLink to={`/matters/${p.matter.slug}/provisions`}>Provisions</BackLink>
      <PageTitle
        title={p.label}
        docTitle={`${p.label} · ${p.matter.title}`}
        subtitle={
          <>
            <Anchor component={Link} to={`/matters/${p.matter.slug}`} size="sm" fw={500}>
              {p.matter.title}
            </Anchor>
            {" · "}
            {sections.length ? sections.join(" › ") : "Outside any section"}
          </>
        }
        actions={
          <>
            <Tooltip label={clipboard.copied ? "Copied" : citable} withArrow>
              <Button
                variant="default"
                leftSection={clipboard.copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                onClick={() => clipboard.copy(citable)}
              >
                {clipboard.copied ? "Link copied" : "Copy citation link"}
              </Button>
            </Tooltip>
            <Button component={Link} to={`/provisions/${p.id}/compare`} variant="light">
              Compare with other decrees
            </Button>
          </>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Section id="text-h" title="Text">
              <Group gap={6} mb="xs">
                {p.isDefinition ? (
                  <Badge variant="light" color="grape" radius="sm" tt="none">
                    Definition{p.terms.length ? `: ${p.terms.join(", ")}` : ""}
                  </Badge>
                ) : null}
                {p.retiredAt ? (
                  <Badge variant="outline" color="gray" radius="sm" tt="none">
                    Retired {formatDay(p.retiredAt)}: a later parse no longer has it
                  </Badge>
                ) : null}
                {p.terminatedOn ? (
                  <Badge variant="light" color="gray" radius="sm" tt="none">
                    Terminated {formatDay(p.terminatedOn)}
                  </Badge>
                ) : null}
              </Group>
              <Text size="sm" style={{ whiteSpace: "pre-wrap", lineHeight: 1.6 }}>
                {p.text}
              </Text>
              <Text size="xs" c="dimmed" mt="sm">
                {p.document ? (
                  <>
                    In{" "}
                    <Anchor component={Link} to={documentPagePath(p.document.id, p.page)} size="xs">
                      {p.document.title}
                      {p.page
                        ? `, page ${p.page}${p.pageEnd && p.pageEnd !== p.page ? `–${p.pageEnd}` : ""}`
                        : ""}
                    </Anchor>
                  </>
                ) : (
                  "Its document is no longer in the registry."
                )}
                {" · "}cite as <code>{provisionPath(p.matter.slug, p.number)}</code>
              </Text>
            </Section>
            <Ratings p={p} />
            <Similar p={p} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Topics p={p} />
            <Deadlines p={p} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

/** The words that decided a topic: "taser ×3, force ×2". */
function Because({ because }: { because: Provision["topics"][number]["because"] }) {
  if (because.length === 0)
    return (
      <Text size="xs" c="dimmed">
        Given by a person
      </Text>
    );
  return (
    <Text size="xs" c="dimmed">
      Because of:{" "}
      {because.map((b, i) => (
        <span key={b.word}>
          {i > 0 ? ", " : ""}
          <Text span size="xs" fw={600} c="var(--mantine-color-text)">
            {b.word}
          </Text>
          {b.count > 1 ? ` ×${b.count}` : ""}
        </span>
      ))}
    </Text>
  );
}

/** The topics in force with the words that decided, and a person's correction. */
function Topics({ p }: { p: Provision }) {
  const canWrite = useCan("registry:write");
  const [editing, setEditing] = useState<Topic[] | null>(null);
  const correct = useCorrectTopics();
  const save = (topics: Topic[] | null) =>
    correct.mutate(
      { id: p.id, version: p.version, topics },
      {
        onSuccess: () => {
          setEditing(null);
          notifications.show({
            color: "teal",
            title: topics ? "Topics corrected" : "Classifier's topics restored",
            message: p.label,
          });
        },
      },
    );
  return (
    <Section
      id="topics-h"
      title="Topics"
      actions={
        canWrite && editing === null ? (
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              correct.reset();
              setEditing(p.topics.map((t) => t.topic));
            }}
          >
            Correct topics
          </Button>
        ) : null
      }
    >
      {editing !== null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save(editing);
          }}
        >
          <Stack gap="xs">
            <MultiSelect
              label="Topics of this provision"
              description="Kept when the decree is parsed again."
              data={TOPIC_OPTIONS}
              value={editing}
              onChange={(v) => setEditing(v.filter(isTopic))}
              searchable
              clearable
              comboboxProps={{ withinPortal: true }}
              data-autofocus
            />
            {correct.error ? <ProblemAlert error={correct.error} title="Not saved" /> : null}
            <Group justify="flex-end" gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => setEditing(null)}
                disabled={correct.isPending}
              >
                Cancel
              </Button>
              <Button size="xs" type="submit" loading={correct.isPending}>
                Save topics
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          {p.topics.length === 0 ? (
            <Text size="sm" c="dimmed">
              No topic{p.topicsCorrected ? " (a person said so)" : ": the classifier found no words of any"}.
            </Text>
          ) : (
            p.topics.map((t) => (
              <Stack key={t.topic} gap={2}>
                <Group gap={6}>
                  <Badge variant="light" color="indigo" radius="sm" tt="none">
                    {t.label}
                  </Badge>
                  {t.score !== null ? (
                    <Text size="xs" c="dimmed">
                      score {t.score.toFixed(1)}
                    </Text>
                  ) : null}
                </Group>
                <Because because={t.because} />
              </Stack>
            ))
          )}
          {p.topicsCorrected ? (
            <Alert variant="light" color="gray" p="xs">
              <Text size="xs">
                Corrected by a person. The classifier gave:{" "}
                {p.classifierTopics.length ? p.classifierTopics.map((t) => t.label).join(", ") : "no topic"}.
              </Text>
              {canWrite ? (
                <Button
                  size="xs"
                  variant="subtle"
                  mt={4}
                  px={0}
                  loading={correct.isPending}
                  onClick={() => save(null)}
                >
                  Use the classifier's topics
                </Button>
              ) : null}
              {correct.error ? <ProblemAlert error={correct.error} title="Not saved" /> : null}
            </Alert>
          ) : null}
        </Stack>
      )}
    </Section>
  );
}

function spanText(s: { n: number; unit: string } | null): string {
  if (!s) return "";
  return `${s.n} ${s.unit}${s.n === 1 ? "" : "s"}`;
}

/** The provision's deadlines: the decree's words, the dates they fall on, overdue ones marked. */
function Deadlines({ p }: { p: Provision }) {
  const today = todayIso();
  return (
    <Section id="deadlines-h" title={`Deadlines (${p.deadlines.length})`}>
      {p.deadlines.length === 0 ? (
        <Text size="sm" c="dimmed">
          No deadline phrase in its text.
        </Text>
      ) : (
        <Stack gap="md">
          {p.deadlines.map((d) => {
            const past = d.dates.filter((x) => x < today);
            const next = d.dates.filter((x) => x >= today);
            return (
              <Stack key={d.id} gap={4}>
                <Text size="sm" fw={500}>
                  “{d.phrase}”
                </Text>
                <Text size="xs" c="dimmed">
                  {d.kind === "recurring"
                    ? `Every ${d.recurrence?.n === 1 ? d.recurrence.unit : spanText(d.recurrence)}`
                    : d.kind === "date"
                      ? "On a stated date"
                      : `${spanText(d.offset)} after ${d.anchor.kind === "effective_date" ? "the Effective Date" : d.anchor.kind === "other" ? d.anchor.text : d.anchor.date}`}
                </Text>
                {d.dates.length > 0 ? (
                  <Group gap={4}>
                    {past.slice(-2).map((x) => (
                      <Badge key={x} size="sm" color="red" variant="light" radius="sm" tt="none">
                        {formatDay(x)} · overdue
                      </Badge>
                    ))}
                    {past.length > 2 ? (
                      <Text size="xs" c="red">
                        +{past.length - 2} earlier overdue
                      </Text>
                    ) : null}
                    {next.slice(0, 3).map((x) => (
                      <Badge key={x} size="sm" color="blue" variant="light" radius="sm" tt="none">
                        {formatDay(x)}
                      </Badge>
                    ))}
                    {next.length > 3 ? (
                      <Text size="xs" c="dimmed">
                        +{next.length - 3} later
                      </Text>
                    ) : null}
                  </Group>
                ) : null}
                {d.note ? (
                  <Text size="xs" c="orange">
                    {d.note}
                  </Text>
                ) : null}
                <AnchorDateControl deadlineId={d.id} anchor={d.anchor} anchorDate={d.anchorDate} />
              </Stack>
            );
          })}
          <Anchor component={Link} to={`/matters/${p.matter.slug}/provisions?view=deadlines`} size="sm">
            All of the matter's deadlines →
          </Anchor>
        </Stack>
      )}
    </Section>
  );
}

/** The monitor's ratings of the provision, newest first, with their evidence. */
function Ratings({ p }: { p: Provision }) {
  return (
    <Section id="ratings-h" title="Ratings">
      {p.ratings.length === 0 ? (
        <Empty title="Not rated yet">A monitor rates each provision every reporting period.</Empty>
      ) : (
        <ScrollArea type="auto">
          <Table className="accord-table" verticalSpacing={4} withTableBorder>
            <Table.Caption className="sr-only">Ratings of {p.label}, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Period</Table.Th>
                <Table.Th>Ends</Table.Th>
                <Table.Th>Level</Table.Th>
                <Table.Th>Rationale</Table.Th>
                <Table.Th>Evidence</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.ratings.map((r) => (
                <Table.Tr key={`${r.periodLabel}-${r.endsOn}`}>
                  <Table.Td>{r.periodLabel}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDay(r.endsOn)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" radius="sm" tt="none">
                      {r.level}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.rationale ?? "—"}</Text>
                  </Table.Td>
                  <Table.Td>
                    {r.evidence.length === 0
                      ? "—"
                      : r.evidence.map((e, i) => (
                          <Anchor
                            key={`${e.documentId}-${e.page ?? 0}`}
                            component={Link}
                            to={documentPagePath(e.documentId, e.page ?? null)}
                            size="sm"
                            display="block"
                          >
                            Document {i + 1}
                            {e.page ? `, page ${e.page}` : ""}
                          </Anchor>
                        ))}
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

/** Provisions of other decrees most like this one, with their similarity. */
function Similar({ p }: { p: Provision }) {
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
                      to={provisionPath(s.provision.matter.slug, s.provision.number)}
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
