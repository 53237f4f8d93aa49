import type { Matter } from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Fragment, type ReactNode, useState } from "react";
import { Link } from "react-router";
import {
  useGrid,
  useMatterCompliance,
  useSetSectionTermination,
  useSetSustainmentStart,
} from "../../api/compliance";
import { useCan } from "../../api/session";
import { DateField } from "../../components/DateField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDate } from "../../lib/dates";
import { errorMessage } from "../../lib/forms";
import { Panel, Stat } from "./ComplianceCharts";
import { levelLabel, longDate, plural, provisionPath, sectionNumber } from "./levels";

function Paragraphs({
  items,
  slug,
  max = 40,
}: {
  items: { number: number | null; label: string }[];
  slug: string;
  max?: number;
}) {
  return (
    <>
      {items.slice(0, max).map((p, i) => (
        <Fragment key={p.label}>
          {i ? ", " : ""}
          <Anchor component={Link} to={provisionPath(slug, p)} size="sm">
            {p.label}
          </Anchor>
        </Fragment>
      ))}
      {items.length > max ? ` … and ${items.length - max} more` : ""}
    </>
  );
}

function useOrderOptions(matter: Matter) {
  return [...matter.events]
    .sort(
      (a, b) => (a.kind === "order" ? 0 : 1) - (b.kind === "order" ? 0 : 1) || b.date.localeCompare(a.date),
    )
    .map((e) => ({ value: e.id, label: `${formatDate(e.date)} · ${e.title}` }));
}

/** Record the date a court order started a provision's clock (it may backdate it). */
function SustainmentStartForm({ matter }: { matter: Matter }) {
  const grid = useGrid(matter.slug, {});
  const set = useSetSustainmentStart();
  const orders = useOrderOptions(matter);
  const [number, setNumber] = useState<number | string>("");
  const [date, setDate] = useState("");
  const [eventId, setEventId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const provision = grid.data?.items.find((i) => i.provision.number === Number(number))?.provision;
  const send = async (withdraw: boolean) => {
    setProblem(null);
    if (!provision) {
      setProblem(`This decree has no current paragraph ${number}.`);
      return;
    }
    try {
      await set.mutateAsync({
        provisionId: provision.id,
        version: provision.version,
        date: withdraw ? null : date,
        eventId: withdraw ? null : eventId,
      });
      notifications.show({
        color: "teal",
        title: withdraw ? "Court date withdrawn" : "Sustainment start recorded",
        message: withdraw
          ? `${provision.label}'s clock follows its ratings again.`
          : `${provision.label}'s clock starts ${longDate(date)}.`,
      });
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        A court order can start a provision's sustainment clock on a date of its own, earlier than its ratings
        would.
      </Text>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <NumberInput
          label="Paragraph"
          size="xs"
          w={110}
          min={1}
          allowDecimal={false}
          value={number}
          onChange={setNumber}
          description={provision ? provision.label : " "}
        />
        <DateField
          label="Clock starts on"
          size="xs"
          w={180}
          value={date}
          onChange={setDate}
          description=" "
        />
        <Select
          label="Court order"
          size="xs"
          w={300}
          clearable
          searchable
          placeholder="The order that set it"
          data={orders}
          value={eventId}
          onChange={setEventId}
          description=" "
        />
        <Button size="xs" onClick={() => send(false)} disabled={!number || !date} loading={set.isPending}>
          Set sustainment start
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => send(true)}
          disabled={!number}
          loading={set.isPending}
        >
          Withdraw court date
        </Button>
      </Group>
      {problem ? (
        <Alert color="red" variant="light" role="alert">
          {problem}
        </Alert>
      ) : null}
    </Stack>
  );
}

function TerminateModal({
  matter,
  section,
  onClose,
}: {
  matter: Matter;
  section: string | null;
  onClose: () => void;
}) {
  const set = useSetSectionTermination(matter.slug);
  const orders = useOrderOptions(matter);
  const [on, setOn] = useState("");
  const [eventId, setEventId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    if (!section) return;
    setProblem(null);
    try {
      const r = await set.mutateAsync({
        number: sectionNumber(section),
        version: matter.version,
        on,
        eventId,
      });
      notifications.show({
        color: "teal",
        title: "Section terminated",
        message: `${r.section}: ${plural(r.provisions, "provision")} terminated on ${longDate(on)}.`,
      });
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Modal opened={section !== null} onClose={onClose} title={`Mark terminated: ${section ?? ""}`} centered>
      <Stack>
        <Text size="sm">Every current provision of the section ends with the court's order.</Text>
        <DateField label="Terminated on" value={on} onChange={setOn} required />
        <Select
          label="By the order"
          required
          searchable
          data={orders}
          value={eventId}
          onChange={setEventId}
          nothingFoundMessage="Add the order to the matter's timeline first"
          placeholder={orders.length ? "Choose the order" : "Add the order to the timeline first"}
        />
        {problem ? (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} disabled={!on || !eventId} loading={set.isPending}>
            Mark terminated
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Each provision's sustainment clock, and the earliest date each section and the decree could end. */
export function SustainmentView({ matter }: { matter: Matter }) {
  const canRate = useCan("compliance:rate");
  const query = useMatterCompliance(matter.slug);
  const reinstate = useSetSectionTermination(matter.slug);
  const [terminating, setTerminating] = useState<string | null>(null);
  if (query.isPending) return <Skeleton height={300} />;
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => query.refetch()} />;
  const c = query.data;
  const s = c.sustainment;
  const rule = s.rule;
  const ruleText: ReactNode = rule
    ? `A provision ends once held at ${levelLabel(c.scale.levels, rule.level)} or better for ${plural(rule.years, "year")}.`
    : "No sustainment rule is set: no clock runs. Set one under Scale & periods.";
  return (
    <Stack gap="md">
      <Alert variant="light" color={rule ? "blue" : "gray"} title="Sustainment rule">
        {ruleText}
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat
          label="Provisions in force"
          value={s.decree.provisions - s.decree.terminated}
          hint={`${s.decree.terminated} terminated`}
        />
        <Stat
          label="Clock running"
          value={s.decree.withClock}
          hint={`${s.withoutClock.length} without a clock`}
        />
        <Stat label="Sustained" value={s.decree.sustained} color={s.decree.sustained ? "teal" : undefined} />
        <Stat
          label="Decree could end"
          value={s.decree.earliestEndOn ? longDate(s.decree.earliestEndOn) : "Not yet"}
          hint={s.decree.earliestEndOn ? "at the earliest" : "some provisions have no clock"}
        />
      </SimpleGrid>
      <Panel id="sections-h" title="Sections">
        <Table.ScrollContainer minWidth={760} type="native">
          <Table className="accord-table" verticalSpacing={6} aria-labelledby="sections-h" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Section</Table.Th>
                <Table.Th ta="right">Provisions</Table.Th>
                <Table.Th ta="right">With clock</Table.Th>
                <Table.Th ta="right">Sustained</Table.Th>
                <Table.Th>Earliest end</Table.Th>
                <Table.Th>Status</Table.Th>
                {canRate ? <Table.Th /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.sections.map((sec) => (
                <Table.Tr key={sec.section}>
                  <Table.Td style={{ whiteSpace: "normal" }}>{sec.section}</Table.Td>
                  <Table.Td ta="right">{sec.provisions}</Table.Td>
                  <Table.Td ta="right">{sec.withClock}</Table.Td>
                  <Table.Td ta="right">{sec.sustained}</Table.Td>
                  <Table.Td>{sec.earliestEndOn ? longDate(sec.earliestEndOn) : "—"}</Table.Td>
                  <Table.Td>
                    {sec.terminated ? (
                      <Stack gap={0}>
                        <Badge color="gray" variant="filled" size="sm">
                          Terminated {sec.terminatedOn ?? ""}
                        </Badge>
                        {sec.terminatedBy ? (
                          <Text size="xs" c="dimmed">
                            by {sec.terminatedBy.title}
                          </Text>
                        ) : null}
                      </Stack>
                    ) : (
                      <Badge color="blue" variant="light" size="sm">
                        In force
                      </Badge>
                    )}
                  </Table.Td>
                  {canRate ? (
                    <Table.Td ta="right">
                      {sec.terminated ? (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          loading={reinstate.isPending}
                          onClick={() =>
                            reinstate.mutate(
                              { number: sectionNumber(sec.section), version: matter.version, on: null },
                              {
                                onError: (e) =>
                                  notifications.show({
                                    color: "red",
                                    title: "Not changed",
                                    message: errorMessage(e),
                                  }),
                              },
                            )
                          }
                          aria-label={`Put ${sec.section} back in force`}
                        >
                          Put back in force
                        </Button>
                      ) : (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => setTerminating(sec.section)}
                          aria-label={`Mark ${sec.section} terminated`}
                        >
                          Mark terminated
                        </Button>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Panel>
      <Panel id="clocks-h" title="Running clocks">
        {s.clocks.length === 0 ? (
          <Text size="sm" c="dimmed">
            No provision's clock is running.
          </Text>
        ) : (
          <Table className="accord-table" verticalSpacing={6} aria-labelledby="clocks-h">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Because of</Table.Th>
                <Table.Th>Earliest end</Table.Th>
                <Table.Th>Sustained</Table.Th>
                <Table.Th>Provisions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.clocks.map((k) => (
                <Table.Tr key={`${k.startedOn}-${k.source}-${k.courtOrder?.id ?? ""}`}>
                  <Table.Td>{k.startedOn}</Table.Td>
                  <Table.Td>
                    {k.source === "court_order"
                      ? `Court order${k.courtOrder ? `: ${k.courtOrder.title}` : ""}`
                      : "Ratings"}
                  </Table.Td>
                  <Table.Td>{k.earliestEndOn}</Table.Td>
                  <Table.Td>
                    {k.sustained ? (
                      <Badge color="teal" size="sm">
                        Sustained
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light" size="sm">
                        Not yet
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "normal" }}>
                    <Paragraphs items={k.provisions} slug={matter.slug} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {s.withoutClock.length ? (
          <Text size="sm" mt="sm">
            <Text span fw={600}>
              Without a clock ({s.withoutClock.length}):
            </Text>{" "}
            <Paragraphs items={s.withoutClock} slug={matter.slug} max={60} />
          </Text>
        ) : null}
      </Panel>
      {canRate ? (
        <Panel id="court-start-h" title="Court-ordered sustainment start">
          <SustainmentStartForm matter={matter} />
        </Panel>
      ) : null}
      <TerminateModal
        key={terminating ?? ""}
        matter={matter}
        section={terminating}
        onClose={() => setTerminating(null)}
      />
    </Stack>
  );
}
