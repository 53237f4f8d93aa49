import type { AcceptCounts, AcceptResult, DecreeParse } from "@accord/domain";
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
import { useMemo, useState } from "react";
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
import { ParseStatusBadge } from "./ParseActions";
import { type Correction, CorrectionDialogs } from "./ParseCorrections";
import { documentPagePath, firstWords } from "./shared";
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
  const [accepting, setAccepting] = useState(false);
  const [result, setResult] = useState<AcceptResult | null>(null);
  const accept = useAcceptParse();
  const matterBase = `/matters/${parse.matter.slug}`;

  const definitions = parse.provisions.filter((p) => p.isDefinition).length;
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
            · made{" "}
            {new Date(parse.createdAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })}
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
              {parse.acceptedAt
                ? new Date(parse.acceptedAt).toLocaleDateString("en-US", { dateStyle: "medium" })
                : "—"}
              .{" "}
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
            A draft: check the provisions found against the decree, correct them (split, merge, renumber,
            edit), then accept. Accepting keeps the ratings of unchanged provisions.
          </Text>
        )}

        {parse.warnings.length > 0 ? (
          <Alert color="orange" variant="light" title="To check" icon={<IconAlert />}>
            <List size="sm">
              {parse.warnings.map((w) => (
                <List.Item key={w}>{w}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}

        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <Stat label="Provisions found" value={parse.provisions.length} />
          <Stat label="Definitions" value={definitions} />
          <Stat label="Sections" value={parse.sections.length} />
          <Stat label="Pages" value={pages} />
        </SimpleGrid>

        {parse.preview && !result ? (
          <Card withBorder padding="sm">
            <CountsTable
              counts={parse.preview}
              caption="What accepting this draft would do to the matter's provisions"
            />
          </Card>
        ) : null}

        <Tabs defaultValue="provisions" keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="provisions">Provisions found ({parse.provisions.length})</Tabs.Tab>
            <Tabs.Tab value="toc">Table of contents</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="provisions">
            <ProvisionsFound parse={parse} editable={editable} onAct={setDialog} />
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

/** The provisions found, filtered in the browser (the draft comes whole), with their corrections. */
function ProvisionsFound({
  parse,
  editable,
  onAct,
}: {
  parse: DecreeParse;
  editable: boolean;
  onAct: (d: Correction) => void;
}) {
  const [filter, setFilter] = useState("");
  const [page, setPage] = useState(1);
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return parse.provisions;
    const n = /^(?:¶\s*)?(\d+)$/.exec(f);
    if (n) return parse.provisions.filter((p) => p.number === Number(n[1]));
    return parse.provisions.filter(
      (p) => p.text.toLowerCase().includes(f) || p.path.toLowerCase().includes(f),
    );
  }, [parse.provisions, filter]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = rows.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
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
          placeholder="Number or words"
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
              ? `${rows.length} provisions`
              : `${rows.length} of ${parse.provisions.length} provisions`}
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
      <ScrollArea type="auto">
        <Table striped highlightOnHover withTableBorder className="accord-table" verticalSpacing={4}>
          <Table.Caption className="sr-only">Provisions found in {parse.document.title}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Number</Table.Th>
              <Table.Th>Section</Table.Th>
              <Table.Th w={70}>Page</Table.Th>
              <Table.Th>First words</Table.Th>
              {editable ? (
                <Table.Th w={48}>
                  <span className="sr-only">Corrections</span>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((p, i) => (
              <Table.Tr key={p.number}>
                <Table.Td fw={600} style={{ whiteSpace: "nowrap" }}>
                  {p.label}
                </Table.Td>
                <Table.Td maw={300}>
                  <Text size="xs">{p.sections.map((s) => `${s.number}. ${s.title}`).join(" › ") || "—"}</Text>
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
                <Table.Td miw={280}>
                  {p.isDefinition ? (
                    <Badge size="xs" variant="light" color="grape" radius="sm" tt="none" mr={6}>
                      Definition{p.terms.length ? `: ${p.terms.join(", ")}` : ""}
                    </Badge>
                  ) : null}
                  <Text span size="sm">
                    {firstWords(p.text, 180)}
                  </Text>
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
                        <Menu.Item onClick={() => onAct({ kind: "split", p })}>Split…</Menu.Item>
                        <Menu.Item
                          disabled={current === 1 && i === 0 && !filter}
                          onClick={() => onAct({ kind: "merge", p })}
                        >
                          Merge into the one before…
                        </Menu.Item>
                        <Menu.Item onClick={() => onAct({ kind: "renumber", p })}>Renumber…</Menu.Item>
                        <Menu.Item onClick={() => onAct({ kind: "edit", p })}>Edit text…</Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}
