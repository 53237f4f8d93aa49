import {
  AGENCY_KIND_LABELS,
  formatPartialDate,
  MATTER_KIND_LABELS,
  type Matter,
  type RelatedMatter,
} from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Grid,
  Group,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
  Typography,
} from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMatter } from "../../api/hooks";
import { useCan, useCurrentUser } from "../../api/session";
import { MatterStatusBadge } from "../../components/AsOf";
import { BackLink } from "../../components/BackLink";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { Forbidden } from "../../components/RequireSession";
import { SourcesList } from "../../components/Sources";
import { StatusBadge } from "../../components/StatusBadge";
import { useAsOf } from "../../lib/as-of";
import { formatDateTime } from "../../lib/dates";
import { RecordHistory } from "../audit/RecordHistory";
import { ComplianceTab, useShowCompliance } from "../compliance/ComplianceTab";
import { DocumentsTabLabel, MatterDocuments } from "../documents/MatterDocuments";
import { WatchButton } from "../notifications/WatchButton";
import { MatterProvisions, ProvisionsTabLabel } from "../provisions/MatterProvisions";
import { StatisticsPanel } from "../statistics/StatisticsPanel";
import { MatterForm } from "./MatterForm";
import { MatterMonitors } from "./MatterMonitors";
import { Disagreements, InferredList, InferredMark, Rulings } from "./MatterProvenance";
import { MatterTimeline } from "./MatterTimeline";

export type MatterTab =
  | "overview"
  | "timeline"
  | "documents"
  | "provisions"
  | "compliance"
  | "history"
  | "edit";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === "") return null;
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lh={1.4}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** Whether anonymous visitors may read the matter (when the server allows public reading). */
function PublicBadge({ isPublic }: { isPublic: boolean }) {
  return (
    <Tooltip label="Anonymous visitors may read it when public reading is on" withArrow>
      <Badge
        variant={isPublic ? "light" : "outline"}
        color={isPublic ? "teal" : "gray"}
        radius="sm"
        tt="none"
        tabIndex={0}
      >
        {isPublic ? "Public" : "Not public"}
      </Badge>
    </Tooltip>
  );
}

/** The header of key facts, shown above every tab. */
function MatterHeader({ m, asOf }: { m: Matter; asOf: string | null }) {
  // Anonymous visitors read only public matters: the badge would tell them nothing.
  const signedIn = useCurrentUser() !== null;
  const dates: [string, string, string | null][] = [
    ["Opened", "openedOn", m.openedOn],
    ["Findings", "findingsOn", m.findingsOn],
    ["Agreement", "agreementOn", m.agreementOn],
    ["Entered", "enteredOn", m.enteredOn],
    ["Ended", "endedOn", m.endedOn],
  ];
  // As of a day before its first dated fact, the matter had not begun: said, not hidden.
  const notYetBegun = asOf !== null && m.statusAsOf === null;
  return (
    <Card withBorder padding="md" mb="md">
      <Stack gap="sm">
        <Group gap="xs">
          <Badge variant="outline" color="gray" radius="sm" tt="none">
            {MATTER_KIND_LABELS[m.kind]}
          </Badge>
          {notYetBegun ? (
            <Badge variant="outline" color="gray" radius="sm" tt="none">
              Not yet begun
            </Badge>
          ) : (
            <MatterStatusBadge status={m.status} statusAsOf={asOf ? m.statusAsOf : undefined} size="md" />
          )}
          <InferredMark matter={m} field="status" />
          {asOf && !notYetBegun && m.statusAsOf && m.statusAsOf.status !== m.status ? (
            <Text size="xs" c="dimmed">
              Today: <StatusBadge status={m.status} size="xs" />
            </Text>
          ) : null}
          {signedIn ? <PublicBadge isPublic={m.public} /> : null}
          {m.statusNote ? (
            <Text size="xs" c="dimmed">
              {m.statusNote}
            </Text>
          ) : null}
        </Group>
        {notYetBegun && asOf ? (
          <Alert color="gray" variant="light" py={6} role="status">
            <Text size="sm">
              On {formatPartialDate(asOf)} this matter had not yet begun: its first dated fact comes later.
              Today it is <StatusBadge status={m.status} size="xs" />.
            </Text>
          </Alert>
        ) : null}
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Fact label="Jurisdiction">
              <Anchor component={Link} to={`/jurisdictions/${m.jurisdiction.slug}`} size="sm">
                {m.jurisdiction.name}, {m.jurisdiction.stateCode}
              </Anchor>
            </Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Fact label={m.agencies.length === 1 ? "Agency" : "Agencies"}>
              {m.agencies.length > 0
                ? m.agencies.map((a) => (
                    <div key={a.id}>
                      {a.name}{" "}
                      <Text span size="xs" c="dimmed">
                        ({AGENCY_KIND_LABELS[a.kind]})
                      </Text>
                    </div>
                  ))
                : "—"}
            </Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Stack gap={6}>
              <Fact label="Authority">
                {m.authority ? (
                  <>
                    {m.authority}
                    <InferredMark matter={m} field="authority" />
                  </>
                ) : null}
              </Fact>
              <Fact label="Court">
                {m.court ? (
                  <>
                    {m.court}
                    <InferredMark matter={m} field="court" />
                  </>
                ) : null}
              </Fact>
              <Fact label="Case number">
                {m.caseNumber ? (
                  <>
                    {m.caseNumber}
                    <InferredMark matter={m} field="caseNumber" />
                  </>
                ) : null}
              </Fact>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Stack gap={6}>
              <Fact label="Judge">
                {m.judge ? (
                  <>
                    {m.judge}
                    <InferredMark matter={m} field="judge" />
                  </>
                ) : null}
              </Fact>
              <Fact label="Monitor">
                {m.monitor ? (
                  <>
                    {m.monitor}
                    <InferredMark matter={m} field="monitor" />
                  </>
                ) : null}
              </Fact>
            </Stack>
          </Grid.Col>
        </Grid>
        <Group gap="xl" wrap="wrap" aria-label="Key dates">
          {dates.map(([label, field, value]) => (
            <div key={label}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                {label}
              </Text>
              <Text size="sm" fw={value ? 500 : 400} c={value ? undefined : "dimmed"} component="div">
                {value ? formatPartialDate(value) : "—"}
                <InferredMark matter={m} field={field} />
              </Text>
            </div>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}

/** A titled card of the overview, named by its heading. */
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function relationLabel(r: RelatedMatter): string {
  if (r.relation === "led_to") return r.direction === "from" ? "Led to" : "Followed from";
  return "Related";
}

function Overview({ m }: { m: Matter }) {
  const canManageUsers = useCan("users:manage");
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="md">
          <Section id="summary-h" title="Summary">
            {m.summary ? (
              <Typography>
                {m.summary.split(/\n{2,}/).map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one text
                  <p key={i}>{p}</p>
                ))}
              </Typography>
            ) : (
              <Text size="sm" c="dimmed">
                No summary yet.
              </Text>
            )}
          </Section>
          {m.kind === "lawsuit" ? (
            <Section id="rulings-h" title="Rulings">
              <Rulings matter={m} />
            </Section>
          ) : null}
          <Section id="sources-h" title="Sources">
            <SourcesList sources={m.sources} />
          </Section>
          <Section id="statistics-h" title="Statistics">
            <StatisticsPanel jurisdiction={m.jurisdiction} events={m.events} />
          </Section>
          {m.disagreements.length > 0 ? (
            <Section id="disagreements-h" title="Where sources disagree">
              <Text size="xs" c="dimmed" mb="xs">
                The record keeps one value; every source's is shown.
              </Text>
              <Disagreements matter={m} />
            </Section>
          ) : null}
          {m.inferred.length > 0 ? (
            <Section id="inferred-h" title="Inferred by a rule">
              <Text size="xs" c="dimmed" mb="xs">
                No source states these values; a rule set them.
              </Text>
              <InferredList matter={m} />
            </Section>
          ) : null}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="md">
          <Section id="related-h" title="Related matters">
            {m.related.length === 0 ? (
              <Text size="sm" c="dimmed">
                None recorded.
              </Text>
            ) : (
              <Table className="accord-table" verticalSpacing={4}>
                <Table.Tbody>
                  {m.related.map((r) => (
                    <Table.Tr key={`${r.id}-${r.direction}`}>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {relationLabel(r)}
                        </Text>
                        <Anchor component={Link} to={`/matters/${r.slug}`} size="sm">
                          {r.title}
                        </Anchor>
                        <Group gap={4} mt={2}>
                          <Text size="xs" c="dimmed">
                            {MATTER_KIND_LABELS[r.kind]}
                          </Text>
                          <StatusBadge status={r.status} size="xs" />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
          {canManageUsers ? (
            <Section id="monitors-h" title="Monitors">
              <MatterMonitors matter={m} />
            </Section>
          ) : null}
          <Section id="record-h" title="Record">
            <Stack gap={4}>
              <Text size="xs" c="dimmed">
                Version {m.version} · updated {formatDateTime(m.updatedAt)}
              </Text>
              <Text size="xs" c="dimmed">
                {m.events.length} {m.events.length === 1 ? "event" : "events"} on the timeline
              </Text>
            </Stack>
          </Section>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function MatterPage({ tab, addEvent = false }: { tab: MatterTab; addEvent?: boolean }) {
  const { slug = "" } = useParams();
  const asOf = useAsOf();
  const query = useMatter(slug, asOf);
  return (
    <LoadedRecord
      query={query}
      what="matter"
      skeleton={
        <Stack>
          <Skeleton height={34} width="50%" />
          <Skeleton height={150} />
          <Skeleton height={36} width={300} />
          <Skeleton height={240} />
        </Stack>
      }
    >
      {(m) => <MatterScreen m={m} tab={tab} addEvent={addEvent} asOf={asOf} />}
    </LoadedRecord>
  );
}

/** The matter's heading, key facts and tabs, once it has loaded. */
function MatterScreen({
  m,
  tab,
  addEvent,
  asOf,
}: {
  m: Matter;
  tab: MatterTab;
  addEvent: boolean;
  asOf: string | null;
}) {
  const navigate = useNavigate();
  const canWrite = useCan("registry:write");
  // Anonymous visitors (public reading) hold no permission: no History for them.
  const canReadHistory = useCan("registry:read");
  // Compliance: for a matter with provisions, or to those who may set it up.
  const showCompliance = useShowCompliance(m) || tab === "compliance";
  const base = `/matters/${m.slug}`;
  return (
    <>
      <BackLink to="/matters">Matters</BackLink>
      <PageTitle title={m.title} actions={<WatchButton target="matter" id={m.id} name={m.title} />} />
      <MatterHeader m={m} asOf={asOf} />
      <Tabs
        value={tab}
        onChange={(t) => navigate(t === "overview" ? base : `${base}/${t}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline ({m.events.length})</Tabs.Tab>
          <Tabs.Tab value="documents">
            <DocumentsTabLabel matterKey={m.slug} />
          </Tabs.Tab>
          <Tabs.Tab value="provisions">
            <ProvisionsTabLabel matterKey={m.slug} />
          </Tabs.Tab>
          {showCompliance ? <Tabs.Tab value="compliance">Compliance</Tabs.Tab> : null}
          {canReadHistory ? <Tabs.Tab value="history">History</Tabs.Tab> : null}
          {canWrite ? <Tabs.Tab value="edit">Edit</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Overview m={m} />
        </Tabs.Panel>
        <Tabs.Panel value="documents">
          <MatterDocuments matter={m} />
        </Tabs.Panel>
        <Tabs.Panel value="provisions">
          <MatterProvisions matter={m} />
        </Tabs.Panel>
        {showCompliance ? (
          <Tabs.Panel value="compliance">
            <ComplianceTab matter={m} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="timeline">
          <MatterTimeline matter={m} adding={addEvent} />
        </Tabs.Panel>
        {canReadHistory ? (
          <Tabs.Panel value="history">
            <RecordHistory entity="matter" id={m.id} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="edit">
          {canWrite ? (
            <MatterForm
              key={m.id}
              matter={m}
              onSaved={(saved) => navigate(`/matters/${saved.slug}`)}
              onCancel={() => navigate(base)}
            />
          ) : (
            <Forbidden what="edit matters" inline />
          )}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
