import {
  type Citation,
  type Criterion,
  DOCUMENT_KIND_LABELS,
  type DocumentRecord,
  type Event,
  formatPartialDate,
  type ProvisionListItem,
  provisionCitationLabel,
  TOPIC_LABELS,
} from "@accord/domain";
import { Anchor, Button, Collapse, Group, NumberInput, Pill, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useId, useState } from "react";
import { Link } from "react-router";
import { IconChevronDown, IconChevronUp } from "../../components/icons";
import { CitationLink, documentCitation, provisionCitation, useProvisionsToCite } from "./citations";
import { eventLabel } from "./MatterPanel";

/** A citation as the reader sees it: an event's date and title, a document's title and page, a provision's number and first words. */
export function citationText(c: Citation, events: readonly Event[]): string {
  if (c.type === "event") {
    const e = events.find((x) => x.id === c.id);
    return c.label ?? (e ? eventLabel(e) : "An event no longer on the timeline");
  }
  if (c.type === "provision")
    return c.label ?? (c.number ? `¶ ${c.number}` : `Provision ${c.id.slice(0, 8)}`);
  if (c.type === "statistic") return c.label ?? `${c.metric ?? "Statistic"}, ${c.period ?? ""}`;
  return `${c.label ?? `Document ${c.id.slice(0, 8)}`}${c.page ? `, p. ${c.page}` : ""}`;
}

const CITATION_KIND_LABELS: Record<Citation["type"], string> = {
  event: "Event",
  document: "Document",
  provision: "Provision",
  statistic: "Statistic",
};

/** What a finding cites, as pills that link to it; removable while the review is edited. */
export function Citations({
  citations,
  events,
  matterSlug,
  onRemove,
}: {
  citations: readonly Citation[];
  events: readonly Event[];
  matterSlug: string;
  onRemove?: (c: Citation) => void;
}) {
  if (citations.length === 0) return null;
  return (
    <Pill.Group aria-label="Cited">
      {citations.map((c) => {
        const text = citationText(c, events);
        return (
          <Pill
            key={`${c.type}-${c.id}-${c.page ?? ""}-${c.metric ?? ""}-${c.period ?? ""}`}
            size="md"
            withRemoveButton={Boolean(onRemove)}
            onRemove={() => onRemove?.(c)}
            removeButtonProps={{ "aria-label": `Remove the citation ${text}` }}
            title={`${CITATION_KIND_LABELS[c.type]}: ${text}`}
            styles={{ root: { maxWidth: "100%" } }}
          >
            <CitationLink citation={c} text={text} matterSlug={matterSlug} />
          </Pill>
        );
      })}
    </Pill.Group>
  );
}

const documentOptionLabel = (d: DocumentRecord) =>
  [d.title, d.date ? formatPartialDate(d.date) : null, DOCUMENT_KIND_LABELS[d.kind]]
    .filter(Boolean)
    .join(" · ");

/** Pick one of the matter's documents, and optionally the page, to cite. */
export function DocumentPicker({
  code,
  documents,
  isCited,
  onCite,
}: {
  code: string;
  documents: readonly DocumentRecord[];
  isCited: (c: Citation) => boolean;
  onCite: (c: Citation) => void;
}) {
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [page, setPage] = useState<string | number>("");
  const chosen = documents.find((d) => d.id === documentId);
  const pageNumber = typeof page === "number" && page >= 1 ? page : null;
  const citation = chosen ? documentCitation(chosen, pageNumber) : null;
  const already = citation ? isCited(citation) : false;
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <Select
        aria-label={`Cite a document on ${code}`}
        placeholder={
          documents.length ? "Choose one of the matter's documents…" : "The matter has no documents"
        }
        data={documents.map((d) => ({ value: d.id, label: documentOptionLabel(d) }))}
        value={documentId}
        onChange={setDocumentId}
        searchable
        clearable
        disabled={documents.length === 0}
        nothingFoundMessage="No document matches"
        comboboxProps={{ withinPortal: true }}
        style={{ flex: 1, minWidth: 0 }}
      />
      <NumberInput
        aria-label={`Page of the document cited on ${code}`}
        placeholder="Page"
        description={chosen?.pageCount ? `of ${chosen.pageCount}` : undefined}
        inputWrapperOrder={["input", "description"]}
        min={1}
        max={chosen?.pageCount ?? 100_000}
        allowDecimal={false}
        allowNegative={false}
        value={page}
        onChange={setPage}
        w={96}
        disabled={!chosen}
      />
      <Button
        variant="light"
        disabled={!citation || already}
        onClick={() => {
          if (!citation) return;
          onCite(citation);
          setDocumentId(null);
          setPage("");
        }}
      >
        {already ? "Cited" : "Cite"}
      </Button>
    </Group>
  );
}

/** Find one of the matter's provisions by its number or words, and cite it. */
export function ProvisionPicker({
  code,
  matterSlug,
  isCited,
  onCite,
}: {
  code: string;
  matterSlug: string;
  isCited: (c: Citation) => boolean;
  onCite: (c: Citation) => void;
}) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 250);
  const query = useProvisionsToCite(matterSlug, { q, limit: 30 });
  const items = query.data?.items ?? [];
  const none = query.data?.total === 0 && !q;
  return (
    <Select
      aria-label={`Cite a provision on ${code}`}
      placeholder={none ? "The matter has no provisions" : "Search the decree: ¶ number or words…"}
      data={items.map((p) => ({
        value: p.id,
        label: provisionCitationLabel(p),
        disabled: isCited(provisionCitation(p)),
      }))}
      value={null}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server filters; the list is shown as it answers.
      filter={({ options }) => options}
      disabled={none}
      nothingFoundMessage={query.isFetching ? "Searching…" : "No provision matches"}
      comboboxProps={{ withinPortal: true }}
      onChange={(id) => {
        const p = items.find((x) => x.id === id);
        if (!p) return;
        onCite(provisionCitation(p));
        setSearch("");
      }}
    />
  );
}

/**
 * The matter's provisions whose topics bear on the criterion, folded away until asked for; each
 * cited with one click.
 */
export function BearingProvisions({
  criterion,
  provisions,
  matterSlug,
  editable,
  isCited,
  onCite,
}: {
  criterion: Criterion;
  /** The matter's provisions with any of the criterion's topics; undefined while loading. */
  provisions: readonly ProvisionListItem[] | undefined;
  matterSlug: string;
  editable: boolean;
  isCited: (c: Citation) => boolean;
  onCite: (c: Citation) => void;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const topics = criterion.topics.map((t) => TOPIC_LABELS[t]).join(", ");
  if (provisions === undefined)
    return (
      <Text size="xs" c="dimmed">
        Looking for provisions on {topics}…
      </Text>
    );
  if (provisions.length === 0)
    return (
      <Text size="xs" c="dimmed">
        No provision of this matter is on {topics}.
      </Text>
    );
  return (
    <div>
      <Button
        variant="subtle"
        size="compact-sm"
        px={4}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={panelId}
        rightSection={open ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
      >
        {`Provisions bearing on it (${provisions.length})`}
      </Button>
      <Text span size="xs" c="dimmed" ml={6}>
        {topics}
      </Text>
      <Collapse expanded={open} id={panelId}>
        <Stack
          gap={4}
          mt={6}
          component="ul"
          aria-label={`Provisions bearing on ${criterion.code}`}
          className="accord-bearing-provisions"
        >
          {provisions.map((p) => {
            const citation = provisionCitation(p);
            const cited = isCited(citation);
            return (
              <Group key={p.id} component="li" gap="xs" wrap="nowrap" align="flex-start">
                <Anchor
                  component={Link}
                  to={`/matters/${encodeURIComponent(matterSlug)}/provisions/${p.number}`}
                  size="sm"
                  fw={700}
                  style={{ whiteSpace: "nowrap" }}
                >
                  {`¶ ${p.number}`}
                </Anchor>
                <Text size="sm" lineClamp={2} style={{ flex: 1, minWidth: 0 }} title={p.text}>
                  {p.text}
                </Text>
                {editable ? (
                  <Button
                    size="compact-xs"
                    variant={cited ? "subtle" : "light"}
                    disabled={cited}
                    aria-label={cited ? `¶ ${p.number} is cited` : `Cite ¶ ${p.number} on ${criterion.code}`}
                    onClick={() => onCite(citation)}
                  >
                    {cited ? "Cited" : "Cite"}
                  </Button>
                ) : null}
              </Group>
            );
          })}
        </Stack>
      </Collapse>
    </div>
  );
}
