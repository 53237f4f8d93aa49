import {
  type AcceptCounts,
  type AcceptResult,
  type DecreeParse,
  isParagraphDraft,
  warningLabel,
} from "@accord/domain";
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Menu,
  Pagination,
  ScrollArea,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from "@mantine/core";
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useAcceptParse, useParse } from "../../api/provisions";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { ConfirmModal } from "../../components/ConfirmModal";
import { Empty } from "../../components/Empty";
import { IconAlert, IconCheck, IconSearch } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDateTime, formatMomentDay } from "../../lib/dates";
import { ParseStatusBadge } from "./ParseActions";
import { type Correction, CorrectionDialogs, useToggleHeading } from "./ParseCorrections";
import { documentPagePath, firstWords, sectionName } from "./shared";
import { TocCompare } from "./TocCompare";

const COUNT_LABELS: [keyof AcceptCounts, string, string][] = [
  ["kept", "Kept", "same number and text: ratings stay"],
  ["renumbered", "Renumbered", "same text under a new number: ratings move along"],
  ["restored", "Restored", "a retired text is back, with its ratings"],
  ["changed", "Changed", "new text under the same number: ratings stay, topics and deadlines recomputed"],
  ["added", "Added", "new provisions"],
  ["retired", "Retired", "no longer in the decree: kept with their ratings, never deleted"],
];

/** What accepting does (or did) to the matter's provisions, as a small table. */
function CountsTable({ counts, caption }: { counts: AcceptCounts; caption: string }) {
  return (
    <Table className="accord-table" verticalSpacing={2} fz="sm" aria-label={caption} w="auto">
      <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
        <Text span size="xs" c="dimmed">
          {caption}
        </Text>
      </Table.Caption>
      <Table.Tbody>
        {COUNT_LABELS.map(([key, label, hint]) => (
          <Table.Tr key={key}>
            <Table.Th scope="row" fw={600} pr="md">
              {label}
            </Table.Th>
            <Table.Td ta="right" fw={700} pr="md" data-testid={`count-${key}`}>
              {counts[key]}
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed">
                {hint}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Stat({ label, value }: { label: string; value: number | string }) {
  return (
    <Card withBorder padding="xs">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} fz={22} lh={1.2}>
        {value}
      </Text>
    </Card>
  );
}

/** `/parses/:id`: a decree's parse, to check, correct and accept. */
/**
 * What became of the deadline states people recorded (met, waived, extended, assigned): carried to
 * the new words, or listed when no deadline of the new words took them.
 */
function DeadlineStatesNote({ states }: { states: AcceptResult["deadlineStates"] }) {
  if (!states.carried && !states.unplaced.length) return null;
  return (
    <Stack gap={4}>
      {states.carried ? (
        <Text size="sm">
          {states.carried} recorded deadline {states.carried === 1 ? "state was" : "states were"} kept with
          the new words.
        </Text>
      ) : null}
      {states.unplaced.length ? (
        <Alert
          color="orange"
          variant="light"
          title="Recorded deadline states not carried over"
          icon={<IconAlert />}
        >
          <List size="sm" spacing={2}>
            {states.unplaced.map((u) => (
              <List.Item key={`${u.provision.id}-${u.phrase}-${u.dueOn}`}>
                {u.provision.label} “{u.phrase}”, due {u.dueOn}:{" "}
                {[
                  u.state !== "open" ? u.state : null,
                  u.extendedTo ? `extended to ${u.extendedTo}` : null,
                  u.assigned ? "assigned" : null,
                ]
                  .filter(Boolean)
                  .join(", ")}{" "}
                —{" "}
                {u.reason === "provision_retired"
                  ? "the provision is retired; the record stays with it"
                  : "the new words no longer state this deadline; the record is kept in the audit log"}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Stack>
  );
}

export function ParsePage() {
  const { id = "" } = useParams();
  const query = useParse(id);
  return (
    <LoadedRecord
      query={query}
      what="parse"
      skeleton={
        <Stack>
          <Skeleton height={20} width={200} />
          <Skeleton height={34} width="50%" />
          <Skeleton height={80} />
          <Skeleton height={400} />
        </Stack>
      }
    >
      {(parse) => <ParseScreen parse={parse} />}
    </LoadedRecord>
  );
}

function ParseScreen({ parse }: { parse: DecreeParse }) {
  const canWrite = useCan("registry:write");
  const editable = canWrite && parse.status === "draft";
  const [dialog, setDialog] = useState<Correction>(null);
  // The node a warning's link asks to show (the nonce repeats a click on the same one).
  const [focus, setFocus] = useState<{ label: string; nonce: number } | null>(null);
  const [tab, setTab] = useState<string | null>("provisions");
  const paragraphs = isParagraphDraft(parse.provisions);
  const [accepting, setAccepting] = useState(false);
  const [result, setResult] = useState<AcceptResult | null>(null);
  const accept = useAcceptParse();
  const matterBase = `/matters/${parse.matter.slug}`;

  const definitions = parse.provisions.filter((p) => p.isDefinition).length;
  const headings = parse.provisions.filter((p) => p.heading).length;
  const labels = useMemo(() => parse.provisions.map((p) => p.label), [parse.provisions]);
  const pages =
    parse.provisions.length > 0
      ? `${parse.provisions[0]!.page}–${parse.provisions[parse.provisions.length - 1]!.pageEnd}`
      : "—";

  return (
    <>
      <BackLink to={`${matterBase}/provisions`}>{parse.matter.title}</BackLink>
      <PageTitle
        title="Check the provisions found"
        docTitle={`Provisions found in ${parse.document.title}`}
        subtitle={
          <>
            In{" "}
            <Anchor component={Link} to={`/documents/${parse.document.id}`} size="sm">
              {parse.document.title}
            </Anchor>{" "}
            · made {formatDateTime(parse.createdAt)}
            {parse.createdBy ? ` by ${parse.createdBy}` : ""}
          </>
        }
        actions={
          <>
            <ParseStatusBadge status={parse.status} />
            {editable ? (
              <Button color="teal" leftSection={<IconCheck size={16} />} onClick={() => setAccepting(true)}>
                Accept provisions
              </Button>
            ) : null}
          </>
        }
      />

      <Stack gap="md">
        {result ? (
          <Alert color="teal" variant="light" title="Provisions accepted" role="status" icon={<IconCheck />}>
            <Stack gap="xs">
              <Text size="sm">
                {parse.matter.title} now has {result.total} provisions.
              </Text>
              <CountsTable counts={result.counts} caption="What accepting did" />
              <DeadlineStatesNote states={result.deadlineStates} />
              <Group>
                <Button component={Link} to={`${matterBase}/provisions`} size="xs">
                  Open the provisions
                </Button>
                <Button
                  component={Link}
                  to={`${matterBase}/provisions?view=deadlines`}
                  size="xs"
                  variant="default"
                >
                  See the deadlines
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : parse.status === "accepted" ? (
          <Alert color="teal" variant="light" title="Accepted" icon={<IconCheck />}>
            <Text size="sm">
              These are the matter's provisions since{" "}
              {parse.acceptedAt ? formatMomentDay(parse.acceptedAt) : "—"}.{" "}
              <Anchor component={Link} to={`${matterBase}/provisions`} size="sm">
                Open the provisions
              </Anchor>
            </Text>
          </Alert>
        ) : parse.status === "discarded" ? (
          <Alert color="gray" variant="light" title="Superseded">
            <Text size="sm">
              A later parse of this matter's decree was accepted; this one can no longer be.
            </Text>
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            A draft: check the provisions found against the {paragraphs ? "decree" : "agreement"}, correct
            them (split, merge, {paragraphs ? "renumber" : "relabel"}, edit, mark headings, move under another
            node), then accept. Accepting keeps the ratings of unchanged provisions.
          </Text>
        )}

        {parse.warnings.length > 0 ? (
          <Alert
            color="orange"
            variant="light"
            title={`To check (${parse.warnings.length})`}
            icon={<IconAlert />}
            // A list to work through, not news: a region, not an alert read out at once.
            role="region"
            aria-label="To check"
          >
            <ScrollArea.Autosize mah={220} type="auto">
              <List size="sm" spacing={2}>
                {parse.warnings.map((w) => {
                  const label = warningLabel(w, labels);
                  return (
                    <List.Item key={w}>
                      {w}
                      {label ? (
                        <>
                          {" "}
                          <Anchor
                            component="button"
                            type="button"
                            size="sm"
                            fw={600}
                            onClick={() => {
                              setTab("provisions");
                              setFocus({ label, nonce: Date.now() });
                            }}
                          >
                            Show {label}
                          </Anchor>
                        </>
                      ) : null}
                    </List.Item>
                  );
                })}
              </List>
            </ScrollArea.Autosize>
          </Alert>
        ) : null}

        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
          <Stat label={paragraphs ? "Provisions found" : "Nodes found"} value={parse.provisions.length} />
          <Stat label="Headings" value={headings} />
          <Stat label="Definitions" value={definitions} />
          {paragraphs ? (
            <Stat label="Sections" value={parse.sections.length} />
          ) : (
            <Stat label="Exhibits" value={parse.exhibits.length} />
          )}
          <Stat label="Pages" value={pages} />
        </SimpleGrid>

        {parse.exhibits.length > 0 ? (
          <Card withBorder padding="sm" component="section" aria-labelledby="parse-exhibits-h">
            <Text id="parse-exhibits-h" fw={600} size="sm">
              Exhibits and attachments after the body
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              Listed here, not taken as provisions.
            </Text>
            <Group gap="xs">
              {parse.exhibits.map((x) => (
                <Anchor
                  key={`${x.label}-${x.page}`}
                  component={Link}
                  to={documentPagePath(parse.document.id, x.page)}
                  size="sm"
                >
                  <Badge variant="light" color="gray" radius="sm" tt="none" style={{ cursor: "pointer" }}>
                    {x.label} · p. {x.page}
                    {x.heading.toLowerCase() !== x.label.toLowerCase() ? ` (${x.heading})` : ""}
                  </Badge>
                </Anchor>
              ))}
            </Group>
          </Card>
        ) : null}

        {parse.preview && !result ? (
          <Card withBorder padding="sm">
            <CountsTable
              counts={parse.preview}
              caption="What accepting this draft would do to the matter's provisions"
            />
          </Card>
        ) : null}

        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="provisions">Provisions found ({parse.provisions.length})</Tabs.Tab>
            {paragraphs || parse.toc.length > 0 ? <Tabs.Tab value="toc">Table of contents</Tabs.Tab> : null}
          </Tabs.List>
          <Tabs.Panel value="provisions">
            <ProvisionsFound parse={parse} editable={editable} onAct={setDialog} focus={focus} />
          </Tabs.Panel>
          <Tabs.Panel value="toc">
            <TocCompare parse={parse} />
          </Tabs.Panel>
        </Tabs>
      </Stack>

      <CorrectionDialogs parse={parse} dialog={dialog} onClose={() => setDialog(null)} />
      <ConfirmModal
        opened={accepting}
        title={`Accept ${parse.provisions.length} provisions?`}
        confirmLabel="Accept"
        color="teal"
        busy={accept.isPending}
        onClose={() => {
          setAccepting(false);
          accept.reset();
        }}
        onConfirm={() =>
          accept.mutate(
            { matterKey: parse.matter.slug, parseId: parse.id, version: parse.version },
            {
              onSuccess: (r) => {
                setResult(r);
                setAccepting(false);
              },
            },
          )
        }
      >
        <Text size="sm">They become {parse.matter.title}'s provisions, with their topics and deadlines.</Text>
        {parse.preview ? <CountsTable counts={parse.preview} caption="What accepting will do" /> : null}
        {accept.error ? <ProblemAlert error={accept.error} title="Not accepted" /> : null}
      </ConfirmModal>
    </>
  );
}

const PAGE_SIZE = 100;

/** The keys that act on the focused node of the outline, and the correction each opens. */
const KEYS: Record<string, NonNullable<Correction>["kind"] | "heading"> = {
  s: "split",
  m: "merge",
  r: "relabel",
  e: "edit",
  h: "heading",
  v: "move",
};

/**
 * The provisions found, as the outline's tree (each node indented under its parent), filtered in
 * the browser (the draft comes whole), with their corrections: a menu on each node, or a key on
 * the focused row (S split, M merge, R relabel, E edit, H heading, V move).
 */
function ProvisionsFound({
  parse,
  editable,
  onAct,
  focus,
}: {
  parse: DecreeParse;
  editable: boolean;
  onAct: (d: Correction) => void;
  focus: { label: string; nonce: number } | null;
}) {
  const [filter, setFilter] = useState("");
  const [page, setPage] = useState(1);
  // The row that takes the keyboard when tabbing into the outline (the last one focused).
  const [active, setActive] = useState<string | null>(null);
  const paragraphs = isParagraphDraft(parse.provisions);
  const heading = useToggleHeading(parse);
  const table = useRef<HTMLTableElement>(null);
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return parse.provisions;
    const n = /^(?:¶\s*)?(\d+)$/.exec(f);
    if (n && paragraphs) return parse.provisions.filter((p) => p.number === Number(n[1]));
    return parse.provisions.filter(
      (p) =>
        p.label.toLowerCase() === f ||
        p.label.toLowerCase().startsWith(`${f}.`) ||
        p.text.toLowerCase().includes(f) ||
        (p.caption ?? "").toLowerCase().includes(f) ||
        p.path.toLowerCase().includes(f),
    );
  }, [parse.provisions, filter, paragraphs]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = rows.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const tabStop = shown.some((p) => p.label === active) ? active : shown[0]?.label;

  // A warning's "Show" link: the node's page of the list, the node focused and in view.
  const [focused, setFocused] = useState<string | null>(null);
  useEffect(() => {
    if (!focus) return;
    setFilter("");
    const i = parse.provisions.findIndex((p) => p.label === focus.label);
    if (i < 0) return;
    setPage(Math.floor(i / PAGE_SIZE) + 1);
    setFocused(focus.label);
  }, [focus, parse.provisions]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the row exists once its page of the list is shown
  useEffect(() => {
    if (!focused) return;
    const row = table.current?.querySelector<HTMLElement>(`tr[data-label="${CSS.escape(focused)}"]`);
    if (!row) return;
    row.scrollIntoView({ block: "center" });
    row.focus({ preventScroll: true });
  }, [focused, current]);

  const act = (kind: NonNullable<Correction>["kind"] | "heading", p: DecreeParse["provisions"][number]) => {
    if (kind === "heading") heading.toggle(p);
    else onAct({ kind, p });
  };
  const onRowKey = (
    e: KeyboardEvent<HTMLTableRowElement>,
    p: DecreeParse["provisions"][number],
    first: boolean,
  ) => {
    if (!editable || e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const sibling = (
        e.key === "ArrowDown" ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling
      ) as HTMLElement | null;
      if (sibling) {
        e.preventDefault();
        sibling.focus();
      }
      return;
    }
    const kind =
      KEYS[e.key.toLowerCase()] ?? (e.key.toLowerCase() === "n" && paragraphs ? "renumber" : undefined);
    if (!kind || (kind === "merge" && first)) return;
    e.preventDefault();
    act(kind, p);
  };

  if (parse.provisions.length === 0)
    return (
      <Card withBorder>
        <Empty title="No numbered provisions were found">
          The text has no numbered paragraphs the parser recognises. Check the document's kind and text.
        </Empty>
      </Card>
    );
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <TextInput
          type="search"
          label="Filter provisions found"
          placeholder={paragraphs ? "Number or words" : "Label or words"}
          leftSection={<IconSearch size={14} />}
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value);
            setPage(1);
          }}
          w={300}
        />
        <Group gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {rows.length === parse.provisions.length
              ? `${rows.length} ${paragraphs ? "provisions" : "nodes"}`
              : `${rows.length} of ${parse.provisions.length} ${paragraphs ? "provisions" : "nodes"}`}
          </Text>
          {pages > 1 ? (
            <Pagination
              size="sm"
              total={pages}
              value={current}
              onChange={setPage}
              getControlProps={(control) =>
                control === "previous"
                  ? { "aria-label": "Previous page" }
                  : control === "next"
                    ? { "aria-label": "Next page" }
                    : {}
              }
              getItemProps={(p) => ({ "aria-label": `Page ${p}` })}
            />
          ) : null}
        </Group>
      </Group>
      {editable ? (
        <Text size="xs" c="dimmed" id="parse-keys">
          Keyboard: Tab to a row (or ↑ ↓ between rows), then S split · M merge into the one before ·{" "}
          {paragraphs ? "N renumber · " : ""}R relabel · E edit · H heading or not · V move under another
          node; or open its ⋯ menu with Enter.
        </Text>
      ) : null}
      <ScrollArea type="auto">
        <Table
          ref={table}
          striped
          highlightOnHover
          withTableBorder
          className="accord-table"
          verticalSpacing={4}
        >
          <Table.Caption className="sr-only">
            {paragraphs ? "Provisions found" : "The outline found"} in {parse.document.title}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={paragraphs ? 70 : 150}>{paragraphs ? "Number" : "Label"}</Table.Th>
              {paragraphs ? <Table.Th>Section</Table.Th> : <Table.Th w={260}>Caption</Table.Th>}
              <Table.Th>First words</Table.Th>
              <Table.Th w={70}>Page</Table.Th>
              {editable ? (
                <Table.Th w={48}>
                  <span className="sr-only">Corrections</span>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((p, i) => {
              const first = current === 1 && i === 0 && !filter;
              const depth = p.depth ?? 0;
              return (
                <Table.Tr
                  key={p.label}
                  data-label={p.label}
                  // One row of the outline is a tab stop at a time; ↑ ↓ move between rows.
                  tabIndex={editable ? (p.label === tabStop ? 0 : -1) : undefined}
                  onFocus={(e) => {
                    if (e.target === e.currentTarget) setActive(p.label);
                  }}
                  aria-label={`${p.label}${p.caption ? `. ${p.caption}` : ""}${depth ? `, level ${depth + 1}, under ${p.parentLabel}` : ""}${p.heading ? ", heading" : ""}`}
                  aria-describedby={editable ? "parse-keys" : undefined}
                  onKeyDown={(e) => onRowKey(e, p, first)}
                  style={
                    focused === p.label ? { outline: "2px solid var(--mantine-color-orange-5)" } : undefined
                  }
                >
                  <Table.Td fw={600} style={{ whiteSpace: "nowrap" }}>
                    <span
                      style={{
                        display: "inline-block",
                        paddingLeft: depth * 16,
                        borderLeft: depth ? "2px solid var(--mantine-color-gray-3)" : undefined,
                        marginLeft: depth ? 2 : 0,
                      }}
                    >
                      {depth ? (
                        <span aria-hidden="true" style={{ color: "var(--mantine-color-gray-5)" }}>
                          └{" "}
                        </span>
                      ) : null}
                      {p.label}
                    </span>
                  </Table.Td>
                  {paragraphs ? (
                    <Table.Td maw={300}>
                      <Text size="xs">{p.sections.map(sectionName).join(" › ") || "—"}</Text>
                    </Table.Td>
                  ) : (
                    <Table.Td miw={200}>
                      {p.heading ? (
                        <Badge size="xs" variant="light" color="blue" radius="sm" tt="none" mr={6}>
                          Heading
                        </Badge>
                      ) : null}
                      <Text span size="sm" fw={p.heading ? 600 : undefined}>
                        {p.caption ?? ""}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td miw={280}>
                    {p.isDefinition ? (
                      <Badge size="xs" variant="light" color="grape" radius="sm" tt="none" mr={6}>
                        Definition{p.terms.length ? `: ${p.terms.join(", ")}` : ""}
                      </Badge>
                    ) : null}
                    <Text span size="sm" c={p.text ? undefined : "dimmed"}>
                      {p.text
                        ? firstWords(p.text, 160)
                        : p.heading
                          ? "(a heading: no text of its own)"
                          : "(no text)"}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    <Anchor
                      component={Link}
                      to={documentPagePath(parse.document.id, p.page)}
                      size="sm"
                      aria-label={`${p.label} in the document, page ${p.page}`}
                    >
                      {p.page === p.pageEnd ? p.page : `${p.page}–${p.pageEnd}`}
                    </Anchor>
                  </Table.Td>
                  {editable ? (
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" aria-label={`Correct ${p.label}`}>
                            <span aria-hidden="true" style={{ fontWeight: 700, lineHeight: 1 }}>
                              ⋯
                            </span>
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item disabled={!p.text} onClick={() => act("split", p)} rightSection="S">
                            Split…
                          </Menu.Item>
                          <Menu.Item disabled={first} onClick={() => act("merge", p)} rightSection="M">
                            Merge into the one before…
                          </Menu.Item>
                          {paragraphs ? (
                            <Menu.Item onClick={() => act("renumber", p)} rightSection="N">
                              Renumber…
                            </Menu.Item>
                          ) : null}
                          <Menu.Item onClick={() => act("relabel", p)} rightSection="R">
                            Relabel…
                          </Menu.Item>
                          <Menu.Item onClick={() => act("edit", p)} rightSection="E">
                            {paragraphs ? "Edit text…" : "Edit text or caption…"}
                          </Menu.Item>
                          <Menu.Item
                            disabled={heading.busy}
                            onClick={() => act("heading", p)}
                            rightSection="H"
                          >
                            {p.heading ? "Not a heading: a provision" : "Mark as heading only"}
                          </Menu.Item>
                          <Menu.Item disabled={first} onClick={() => act("move", p)} rightSection="V">
                            Move under another node…
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}
