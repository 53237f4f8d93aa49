import {
  type Disagreement,
  EVENT_KIND_LABELS,
  type Event,
  formatPartialDate,
  isValidPartialDate,
  MATTER_KIND_LABELS,
  MATTER_STATUS_LABELS,
  type Matter,
  RULING_FAVORS_LABELS,
  type RulingFavors,
} from "@accord/domain";
import { Anchor, Badge, Group, List, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconExternal } from "../../components/icons";
import { fieldLabel } from "../../lib/audit";
import { webHref } from "../../lib/links";

/** Field names as a sentence reads them: "the agreement date". */
const FIELD_PHRASES: Record<string, string> = {
  openedOn: "the opening date",
  findingsOn: "the findings date",
  agreementOn: "the agreement date",
  enteredOn: "the entry date",
  endedOn: "the end date",
  kind: "the kind",
  status: "the status",
  caseNumber: "the case number",
};

const fieldPhrase = (field: string) => FIELD_PHRASES[field] ?? `the ${fieldLabel(field).toLowerCase()}`;

/** A disagreeing value as a person reads it: dates in the app's format, kinds and statuses in words. */
function valueText(field: string, value: string | null): string {
  if (value === null || value === "") return "none given";
  if (field.endsWith("On") && isValidPartialDate(value)) return formatPartialDate(value);
  if (field === "kind" && value in MATTER_KIND_LABELS)
    return MATTER_KIND_LABELS[value as keyof typeof MATTER_KIND_LABELS];
  if (field === "status" && value in MATTER_STATUS_LABELS)
    return MATTER_STATUS_LABELS[value as keyof typeof MATTER_STATUS_LABELS];
  return value;
}

/** "inferred" after a value a rule set rather than a source; the rule in its tooltip. */
export function InferredMark({ matter, field }: { matter: Matter; field: string }) {
  const found = matter.inferred.find((i) => i.field === field);
  if (!found) return null;
  return (
    <Tooltip label={found.rule} withArrow multiline maw={340}>
      <Badge
        size="xs"
        variant="dot"
        color="gray"
        radius="sm"
        tt="none"
        ml={6}
        tabIndex={0}
        aria-label={`inferred: ${found.rule}`}
        styles={{
          root: {
            verticalAlign: "middle",
            cursor: "help",
            flexShrink: 0,
            maxWidth: "none",
            overflow: "visible",
          },
          label: { overflow: "visible", textOverflow: "clip" },
        }}
      >
        inferred
      </Badge>
    </Tooltip>
  );
}

function DisagreementLine({ d }: { d: Disagreement }) {
  return (
    <List.Item>
      <Text size="sm" component="span">
        Sources disagree on {fieldPhrase(d.field)}:{" "}
      </Text>
      {d.values.map((v, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the values keep their order and have no id
        <Text key={i} span size="sm">
          {i > 0 ? " · " : ""}
          <strong>{valueText(d.field, v.value)}</strong> (
          {webHref(v.source.url) ? (
            <Anchor href={webHref(v.source.url)} target="_blank" rel="noopener noreferrer" size="sm">
              {v.source.citation} <IconExternal size={12} />
            </Anchor>
          ) : (
            v.source.citation
          )}
          )
        </Text>
      ))}
      {d.note ? (
        <Text size="xs" c="dimmed">
          {d.note}
        </Text>
      ) : null}
    </List.Item>
  );
}

/** Where the sources disagree: every value with its source; the record keeps one. */
export function Disagreements({ matter }: { matter: Matter }) {
  if (matter.disagreements.length === 0) return null;
  return (
    <List size="sm" spacing="xs" aria-label="Where sources disagree">
      {matter.disagreements.map((d) => (
        <DisagreementLine key={d.field} d={d} />
      ))}
    </List>
  );
}

/** Fields a rule set, listed with their rules (the marks in the header say the same, one by one). */
export function InferredList({ matter }: { matter: Matter }) {
  if (matter.inferred.length === 0) return null;
  return (
    <List size="sm" spacing={4} aria-label="Inferred fields">
      {matter.inferred.map((i) => (
        <List.Item key={i.field}>
          <Text span size="sm" fw={600}>
            {fieldLabel(i.field)}
          </Text>
          <Text span size="sm">
            {" "}
            — {i.rule}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** A ruling as the API may give it: whom it favoured and its outcome, when recorded. */
type Ruling = Event & { outcome?: string | null; favors?: RulingFavors | null };

const FAVORS_COLORS: Record<RulingFavors, string> = {
  plaintiff: "teal",
  defendant: "red",
  mixed: "orange",
  neither: "gray",
};

/** Whom a ruling favoured, as a badge. */
export function FavorsBadge({ favors }: { favors: RulingFavors | null | undefined }) {
  if (!favors)
    return (
      <Text size="xs" c="dimmed">
        Not recorded
      </Text>
    );
  return (
    <Badge size="sm" variant="light" radius="sm" tt="none" color={FAVORS_COLORS[favors]}>
      {RULING_FAVORS_LABELS[favors]}
    </Badge>
  );
}

/** A lawsuit's rulings, oldest first: date, what the court did, whom it favoured. */
export function Rulings({ matter }: { matter: Matter }) {
  const rulings = (matter.events as Ruling[])
    .filter((e) => e.kind === "ruling" || e.kind === "order" || e.kind === "dismissal")
    .sort((a, b) => a.date.localeCompare(b.date));
  if (rulings.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No ruling recorded yet.
      </Text>
    );
  return (
    <Table className="accord-table" verticalSpacing={4} aria-label="Rulings">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Ruling</Table.Th>
          <Table.Th>Favoured</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rulings.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <Text size="sm">{formatPartialDate(r.date)}</Text>
            </Table.Td>
            <Table.Td>
              <Stack gap={0}>
                <Text size="sm">{r.title}</Text>
                {r.outcome ? (
                  <Text size="xs" c="dimmed">
                    {r.outcome}
                  </Text>
                ) : r.kind !== "ruling" ? (
                  <Text size="xs" c="dimmed">
                    {EVENT_KIND_LABELS[r.kind]}
                  </Text>
                ) : null}
              </Stack>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                <FavorsBadge favors={r.favors} />
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
