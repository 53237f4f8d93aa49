import { type Provision, RATER_LABELS, RATERS } from "@accord/domain";
import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  ScrollArea,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
} from "@mantine/core";
import { useClipboard } from "@mantine/hooks";
import { Link, Navigate, useParams } from "react-router";
import { useProvision, useProvisionByRef } from "../../api/provisions";
import { BackLink } from "../../components/BackLink";
import { Empty } from "../../components/Empty";
import { IconCheck, IconCopy } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { WatchButton } from "../notifications/WatchButton";
import { AnchorDateControl } from "./Deadlines";
import { Section } from "./ProvisionSection";
import { Topics } from "./ProvisionTopics";
import { SimilarProvisions } from "./SimilarProvisions";
import { documentPagePath, formatDay, provisionPath, sectionName, todayIso } from "./shared";

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

/** `/matters/:slug/provisions/:ref`: a provision at the address to cite, by number or label. */
export function ProvisionPage() {
  const { slug = "", ref = "" } = useParams();
  const query = useProvisionByRef(slug, ref);
  if (!ref.trim()) return <Navigate to={`/matters/${slug}/provisions`} replace />;
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
          <Navigate to={provisionPath(p.matter.slug, p)} replace />
        )
      }
    </LoadedRecord>
  );
}

function ProvisionScreen({ p }: { p: Provision }) {
  const clipboard = useClipboard({ timeout: 2000 });
  const citable = `${window.location.origin}${provisionPath(p.matter.slug, p)}`;
  const sections = p.sections.map(sectionName);
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
            <WatchButton target="provision" id={p.id} name={`${p.label} of ${p.matter.title}`} />
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
              {p.text || p.heading ? (
                <Text size="sm" style={{ whiteSpace: "pre-wrap", lineHeight: 1.6 }}>
                  {p.text}
                </Text>
              ) : (
                // A provision known by its number and title only (a bundled ratings history).
                <Text size="sm" c="dimmed" fs="italic">
                  Text not available: no source Accord holds gives this provision's words.
                </Text>
              )}
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
                {" · "}cite as <code>{provisionPath(p.matter.slug, p)}</code>
              </Text>
            </Section>
            <Ratings p={p} />
            <SimilarProvisions p={p} />
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

function spanText(s: { n: number; unit: string } | null): string {
  if (!s) return "";
  return `${s.n} ${s.unit}${s.n === 1 ? "" : "s"}`;
}

/**
 * The provision's deadlines: the decree's words and the dates they fall on. Past dates are only
 * "past" here: whether one is overdue (not met or waived) is said where occurrences are listed
 * with their state (the matter's deadlines, the calendar), by the one definition.
 */
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
                      <Badge key={x} size="sm" color="gray" variant="light" radius="sm" tt="none">
                        {formatDay(x)} · past
                      </Badge>
                    ))}
                    {past.length > 2 ? (
                      <Text size="xs" c="dimmed">
                        +{past.length - 2} earlier
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
                <AnchorDateControl
                  deadlineId={d.id}
                  version={p.version}
                  anchor={d.anchor}
                  anchorDate={d.anchorDate}
                />
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

type Rating = Provision["ratingPeriods"][number]["ratings"][number];

/** One rater's rating in its cell: the level, the rationale and where it comes from. */
function RatingCell({ r }: { r: Rating | undefined }) {
  if (!r) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={2}>
      <div>
        <Badge variant="light" radius="sm" tt="none">
          {r.levelLabel}
        </Badge>
      </div>
      {r.rationale ? <Text size="sm">{r.rationale}</Text> : null}
      {r.evidence.map((e, i) => (
        <Anchor
          key={`${e.documentId}-${e.page ?? 0}`}
          component={Link}
          to={documentPagePath(e.documentId, e.page ?? null)}
          size="sm"
          display="block"
        >
          {e.title ?? `Document ${i + 1}`}
          {e.page ? `, page ${e.page}` : ""}
        </Anchor>
      ))}
    </Stack>
  );
}

/**
 * The provision's ratings, newest period first: a row per period with each rater's rating side by
 * side (the monitor's first), flagged where two raters put it at different places on the scale.
 */
function Ratings({ p }: { p: Provision }) {
  const raters = RATERS.filter((rater) => p.ratings.some((r) => r.rater === rater));
  return (
    <Section id="ratings-h" title="Ratings">
      {p.ratingPeriods.length === 0 ? (
        <Empty title="Not rated yet">A monitor rates each provision every reporting period.</Empty>
      ) : (
        <ScrollArea type="auto">
          <Table className="accord-table" verticalSpacing={4} withTableBorder>
            <Table.Caption className="sr-only">
              Ratings of {p.label}, newest period first, each rater's side by side
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Period</Table.Th>
                <Table.Th>Ends</Table.Th>
                {raters.map((rater) => (
                  <Table.Th key={rater}>{RATER_LABELS[rater]}</Table.Th>
                ))}
                {raters.length > 1 ? <Table.Th>Raters</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.ratingPeriods.map((row) => (
                <Table.Tr key={row.periodId}>
                  <Table.Td>{row.periodLabel}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDay(row.endsOn)}</Table.Td>
                  {raters.map((rater) => (
                    <Table.Td key={rater}>
                      <RatingCell r={row.ratings.find((r) => r.rater === rater)} />
                    </Table.Td>
                  ))}
                  {raters.length > 1 ? (
                    <Table.Td miw={96}>
                      {row.disagreement ? (
                        <Badge
                          color="orange"
                          variant="light"
                          radius="sm"
                          tt="none"
                          style={{ overflow: "visible" }}
                        >
                          Disagree
                        </Badge>
                      ) : row.ratings.length > 1 ? (
                        <Text size="sm" c="dimmed">
                          Agree
                        </Text>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Section>
  );
}
