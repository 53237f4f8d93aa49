import {
  AMOUNT_MEANING_LABELS,
  type Award,
  formatPartialDate,
  GRANT_PROGRAM_LABELS,
  MATTER_KIND_LABELS,
  type Portfolio,
} from "@accord/domain";
import { Anchor, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { type PortfolioOf, usePortfolio } from "../../api/grants";
import { useAgency } from "../../api/hooks";
import { MatterStatusBadge } from "../../components/AsOf";
import { BackLink } from "../../components/BackLink";
import { Empty } from "../../components/Empty";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { useAsOf } from "../../lib/as-of";
import { formatDollars } from "../../lib/money";
import {
  ConditionHistory,
  ConditionStatusBadge,
  ConditionSummary,
  conditionName,
} from "../grants/conditions";
import { MoneyPanel } from "../grants/MoneyPanel";
import { JURISDICTION_KIND_LABELS } from "../jurisdictions/JurisdictionsPage";
import { WatchButton } from "../notifications/WatchButton";
import { StatisticsPanel } from "../statistics/StatisticsPanel";
import { PortfolioTimeline } from "./PortfolioTimeline";

function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Card>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} fz={22} lh={1.2}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

function MattersTable({ matters }: { matters: Portfolio["matters"] }) {
  if (matters.length === 0) return <Empty title="No matters">No matter with this place is recorded.</Empty>;
  const sorted = [...matters].sort((a, b) =>
    (a.openedOn ?? a.agreementOn ?? a.enteredOn ?? "9999").localeCompare(
      b.openedOn ?? b.agreementOn ?? b.enteredOn ?? "9999",
    ),
  );
  return (
    <Table striped highlightOnHover withTableBorder className="accord-table" fz="sm" aria-label="Matters">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Matter</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Opened</Table.Th>
          <Table.Th>Agreement</Table.Th>
          <Table.Th>Entered</Table.Th>
          <Table.Th>Ended</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((m) => (
          <Table.Tr key={m.id}>
            <Table.Td miw={220}>
              <Anchor component={Link} to={`/matters/${m.slug}`} size="sm" fw={600}>
                {m.title}
              </Anchor>
            </Table.Td>
            <Table.Td>{MATTER_KIND_LABELS[m.kind]}</Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <MatterStatusBadge status={m.status} statusAsOf={m.statusAsOf} size="sm" />
            </Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.openedOn)}</Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.agreementOn)}</Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.enteredOn)}</Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>{formatPartialDate(m.endedOn)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function amountText(a: Award): string {
  if (a.amount === null) return "Amount not stated";
  return `${formatDollars(a.amount)}${a.amountMeaning ? ` (${AMOUNT_MEANING_LABELS[a.amountMeaning].toLowerCase()})` : ""}`;
}

function GrantsList({ grants, conditions }: { grants: Award[]; conditions: Portfolio["conditions"] }) {
  if (grants.length === 0 && conditions.length === 0)
    return <Empty title="No grants recorded">No award or grant condition for this place is recorded.</Empty>;
  const sorted = [...grants].sort((a, b) => (a.fiscalYear ?? 0) - (b.fiscalYear ?? 0));
  return (
    <Stack gap="md">
      {sorted.map((a) => (
        <Card key={a.id} withBorder padding="sm" radius="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Anchor component={Link} to={`/grants/${a.slug}`} fw={600} size="sm">
              {GRANT_PROGRAM_LABELS[a.program]}
              {a.fiscalYear ? ` FY${a.fiscalYear}` : ""}
              {a.awardNumber ? ` · ${a.awardNumber}` : ""}
            </Anchor>
            <Text size="sm">{amountText(a)}</Text>
          </Group>
          {a.programName ? (
            <Text size="xs" c="dimmed">
              {a.programName}
            </Text>
          ) : null}
          {a.conditions.length > 0 ? (
            <Stack gap="xs" mt="xs">
              {a.conditions.map((c) => (
                <details key={c.id}>
                  <summary style={{ cursor: "pointer" }}>
                    <Group gap="xs" display="inline-flex">
                      <Text span size="sm">
                        {conditionName(c)}
                      </Text>
                      <ConditionStatusBadge status={c.status} size="sm" />
                      <Text span size="xs" c="dimmed">
                        since {formatPartialDate(c.statusOn)} · history
                      </Text>
                    </Group>
                  </summary>
                  <Stack gap="xs" mt="xs" ml="md" id={`condition-${c.slug}`}>
                    {c.text ? (
                      <Text size="sm" c="dimmed">
                        {c.text}
                      </Text>
                    ) : null}
                    <ConditionHistory condition={c} />
                  </Stack>
                </details>
              ))}
            </Stack>
          ) : null}
          {a.matters.length > 0 ? (
            <Group gap="xs" mt="xs">
              <Text size="xs" c="dimmed">
                Lawsuits:
              </Text>
              {a.matters.map((m) => (
                <Anchor key={m.id} component={Link} to={`/matters/${m.slug}`} size="sm">
                  {m.title}
                </Anchor>
              ))}
            </Group>
          ) : null}
        </Card>
      ))}
      {conditions.length > 0 ? (
        <Stack gap="sm">
          <Title order={3} size="h5">
            Conditions on the place's money not tied to one award
          </Title>
          {conditions.map((c) => (
            <Card key={c.id} withBorder padding="sm" radius="sm">
              <ConditionSummary condition={c} />
              <details>
                <summary style={{ cursor: "pointer" }}>
                  <Text span size="xs">
                    Status history ({c.history.length})
                  </Text>
                </summary>
                <ConditionHistory condition={c} />
              </details>
            </Card>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}

function PortfolioBody({ p, name, of }: { p: Portfolio; name: string; of: PortfolioOf }) {
  const sum = (k: "totalAward" | "atStake" | "withheld") => p.money.reduce((n, r) => n + r[k], 0);
  const conditions = [...p.grants.flatMap((g) => g.conditions), ...p.conditions];
  const lawsuits = p.matters.filter((m) => m.kind === "lawsuit").length;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
        <Stat
          label="Matters"
          value={String(p.matters.length)}
          hint={lawsuits ? `${lawsuits} lawsuits` : undefined}
        />
        <Stat label="Grant conditions" value={String(conditions.length)} />
        <Stat label="Awarded" value={formatDollars(sum("totalAward"))} />
        <Stat label="At stake" value={formatDollars(sum("atStake"))} />
        <Stat label="Withheld" value={formatDollars(sum("withheld"))} />
      </SimpleGrid>
      <Section
        id="matters-h"
        title="Matters"
        actions={
          of === "jurisdictions" ? (
            <Anchor component={Link} to={`/matters?jurisdiction=${p.jurisdiction.slug}`} size="sm">
              In the matters list
            </Anchor>
          ) : null
        }
      >
        <MattersTable matters={p.matters} />
      </Section>
      {of === "jurisdictions" ? (
        <Section id="statistics-h" title="Statistics">
          <StatisticsPanel
            jurisdiction={{ slug: p.jurisdiction.slug, name: p.jurisdiction.name }}
            events={p.events}
          />
        </Section>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section id="timeline-h" title="Timeline">
          <PortfolioTimeline items={p.events} />
        </Section>
        <Stack gap="md">
          <Section id="money-h" title="Money">
            <MoneyPanel rows={p.money} what={name} />
          </Section>
          <Section id="grants-h" title="Grants and their conditions">
            <GrantsList grants={p.grants} conditions={p.conditions} />
          </Section>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

const skeleton = (
  <Stack>
    <Skeleton height={34} width="40%" />
    <Skeleton height={80} />
    <Skeleton height={300} />
  </Stack>
);

/**
 * Everything the department has with one place: its matters of every kind, its grants and their
 * conditions, letters and rulings on one timeline, and the money. As of the chosen day when one is.
 */
export function JurisdictionPortfolioPage() {
  const { slug = "" } = useParams();
  const asOf = useAsOf();
  const query = usePortfolio("jurisdictions", slug, asOf);
  return (
    <LoadedRecord query={query} what="jurisdiction" skeleton={skeleton}>
      {(p) => {
        const j = p.jurisdiction;
        return (
          <>
            <BackLink to="/jurisdictions">Jurisdictions</BackLink>
            <PageTitle
              title={`${j.name}, ${j.stateCode}`}
              subtitle={[
                JURISDICTION_KIND_LABELS[j.kind] ?? j.kind,
                j.population !== null
                  ? `population ${j.population.toLocaleString("en-US")}${j.populationYear ? ` (${j.populationYear})` : ""}`
                  : null,
                "everything the department has with it",
              ]
                .filter(Boolean)
                .join(" · ")}
              actions={
                <>
                  <Anchor component={Link} to={`/agencies?jurisdiction=${j.slug}`} size="sm">
                    Its agencies
                  </Anchor>
                  <WatchButton target="jurisdiction" id={j.id} name={j.name} />
                </>
              }
            />
            <PortfolioBody p={p} name={j.name} of="jurisdictions" />
          </>
        );
      }}
    </LoadedRecord>
  );
}

/** The same for an agency: the matters it is party to, its grants, and the money. */
export function AgencyPortfolioPage() {
  const { slug = "" } = useParams();
  const asOf = useAsOf();
  const agency = useAgency(slug);
  const query = usePortfolio("agencies", slug, asOf);
  return (
    <LoadedRecord query={query} what="agency" skeleton={skeleton}>
      {(p) => {
        const name = agency.data?.name ?? slug;
        return (
          <>
            <BackLink to="/agencies">Agencies</BackLink>
            <PageTitle
              title={name}
              subtitle={
                <>
                  Of{" "}
                  <Anchor component={Link} to={`/jurisdictions/${p.jurisdiction.slug}`} size="sm">
                    {p.jurisdiction.name}, {p.jurisdiction.stateCode}
                  </Anchor>{" "}
                  · everything the department has with it
                </>
              }
              docTitle={name}
            />
            <PortfolioBody p={p} name={name} of="agencies" />
          </>
        );
      }}
    </LoadedRecord>
  );
}
