import {
  AGENCY_KIND_LABELS,
  formatPartialDate,
  MATTER_KIND_LABELS,
  type Matter,
  type RelatedMatter,
} from "@accord/domain";
import {
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
import { BackLink } from "../../components/BackLink";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { Forbidden } from "../../components/RequireSession";
import { SourcesList } from "../../components/Sources";
import { StatusBadge } from "../../components/StatusBadge";
import { RecordHistory } from "../audit/RecordHistory";
import { ComplianceTab, useShowCompliance } from "../compliance/ComplianceTab";
import { DocumentsTabLabel, MatterDocuments } from "../documents/MatterDocuments";
import { MatterProvisions, ProvisionsTabLabel } from "../provisions/MatterProvisions";
import { MatterForm } from "./MatterForm";
import { MatterMonitors } from "./MatterMonitors";
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
function MatterHeader({ m }: { m: Matter }) {
  // Anonymous visitors read only public matters: the badge would tell them nothing.
  const signedIn = useCurrentUser() !== null;
  const dates: [string, string | null][] = [
    ["Opened", m.openedOn],
    ["Findings", m.findingsOn],
    ["Agreement", m.agreementOn],
    ["Entered", m.enteredOn],
    ["Ended", m.endedOn],
  ];
  return (
    <Card withBorder padding="md" mb="md">
      <Stack gap="sm">
        <Group gap="xs">
          <Badge variant="outline" color="gray" radius="sm" tt="none">
            {MATTER_KIND_LABELS[m.kind]}
          </Badge>
          <StatusBadge status={m.status} />
          {signedIn ? <PublicBadge isPublic={m.public} /> : null}
          {m.statusNote ? (
            <Text size="xs" c="dimmed">
              {m.statusNote}
            </Text>
          ) : null}
        </Group>
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Fact label="Jurisdiction">
              <Anchor component={Link} to={`/matters?jurisdiction=${m.jurisdiction.slug}`} size="sm">
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
              <Fact label="Authority">{m.authority}</Fact>
              <Fact label="Court">{m.court}</Fact>
              <Fact label="Case number">{m.caseNumber}</Fact>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Stack gap={6}>
              <Fact label="Judge">{m.judge}</Fact>
              <Fact label="Monitor">{m.monitor}</Fact>
            </Stack>
          </Grid.Col>
        </Grid>
        <Group gap="xl" wrap="wrap" aria-label="Key dates">
          {dates.map(([label, value]) => (
            <div key={label}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                {label}
              </Text>
              <Text size="sm" fw={value ? 500 : 400} c={value ? undefined : "dimmed"}>
                {value ? formatPartialDate(value) : "—"}
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
          <Section id="sources-h" title="Sources">
            <SourcesList sources={m.sources} />
          </Section>
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
                Version {m.version} · updated {new Date(m.updatedAt).toLocaleString("en-US")}
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
  const query = useMatter(slug);
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
      {(m) => <MatterScreen m={m} tab={tab} addEvent={addEvent} />}
    </LoadedRecord>
  );
}

/** The matter's heading, key facts and tabs, once it has loaded. */
function MatterScreen({ m, tab, addEvent }: { m: Matter; tab: MatterTab; addEvent: boolean }) {
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
      <PageTitle title={m.title} />
      <MatterHeader m={m} />
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
