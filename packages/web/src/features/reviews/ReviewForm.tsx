import {
  type Citation,
  type Criterion,
  DOCUMENT_KIND_LABELS,
  type DocumentRecord,
  type Event,
  formatPartialDate,
  type ProvisionListItem,
  provisionCitationLabel,
  type RatingLevel,
  RECOMMENDATION_LABELS,
  RECOMMENDATIONS,
  type Recommendation,
  TOPIC_LABELS,
} from "@accord/domain";
import {
  Anchor,
  Button,
  Card,
  Collapse,
  Group,
  NumberInput,
  Pill,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { type ReactNode, useId, useState } from "react";
import { Link } from "react-router";
import { IconAlert, IconCheck, IconChevronDown, IconChevronUp } from "../../components/icons";
import {
  CitationLink,
  documentCitation,
  provisionCitation,
  sameCitation,
  useProvisionsToCite,
} from "./citations";
import { eventLabel } from "./MatterPanel";
import { RatingMark } from "./ReviewBadges";
import { levelOf, recommendationLabel, TONE_COLORS, TONE_MARKS } from "./review-labels";
import type { DraftValues, FindingValues, SaveState } from "./use-review-draft";

/** A citation as the reader sees it: an event's date and title, a document's title and page, a provision's number and first words. */
export function citationText(c: Citation, events: readonly Event[]): string {
  if (c.type === "event") {
    const e = events.find((x) => x.id === c.id);
    return c.label ?? (e ? eventLabel(e) : "An event no longer on the timeline");
  }
  if (c.type === "provision")
    return c.label ?? (c.number ? `¶ ${c.number}` : `Provision ${c.id.slice(0, 8)}`);
  return `${c.label ?? `Document ${c.id.slice(0, 8)}`}${c.page ? `, p. ${c.page}` : ""}`;
}

const CITATION_KIND_LABELS: Record<Citation["type"], string> = {
  event: "Event",
  document: "Document",
  provision: "Provision",
};

function Citations({
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
            key={`${c.type}-${c.id}-${c.page ?? ""}`}
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
function DocumentPicker({
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
function ProvisionPicker({
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
function BearingProvisions({
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

/** One criterion: its guidance, then the rating, the rationale and what is cited. */
export function CriterionCard({
  criterion,
  scale,
  finding,
  events,
  documents,
  matterSlug,
  bearing,
  editable,
  missing,
  onChange,
}: {
  criterion: Criterion;
  scale: readonly RatingLevel[];
  finding: FindingValues;
  events: readonly Event[];
  /** The matter's documents (and the department-wide ones it may cite). */
  documents: readonly DocumentRecord[];
  matterSlug: string;
  /** The matter's provisions on the criterion's topics (undefined while loading). */
  bearing: readonly ProvisionListItem[] | undefined;
  editable: boolean;
  /** The server said it must be rated before the review is submitted. */
  missing: boolean;
  onChange: (next: FindingValues) => void;
}) {
  const id = `criterion-${criterion.code}`;
  const level = levelOf(scale, finding.rating);
  const [kind, setKind] = useState<Citation["type"]>("event");
  const cited = new Set(finding.citations.filter((c) => c.type === "event").map((c) => c.id));
  const options = events.filter((e) => !cited.has(e.id)).map((e) => ({ value: e.id, label: eventLabel(e) }));
  const isCited = (c: Citation) => finding.citations.some((x) => sameCitation(x, c));
  const cite = (c: Citation) => {
    if (isCited(c)) return;
    onChange({ ...finding, citations: [...finding.citations, c] });
  };
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby={`${id}-h`}
      id={id}
      style={missing ? { borderColor: "var(--mantine-color-red-6)" } : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Title order={3} size="h5" id={`${id}-h`} style={{ minWidth: 0 }}>
          <Text span fw={800} inherit>
            {criterion.code}
          </Text>{" "}
          {criterion.title}
        </Title>
        {editable ? null : <RatingMark level={level} code={level ? undefined : finding.rating} />}
      </Group>
      {criterion.guidance ? (
        <Text size="sm" c="dimmed" mt={4} style={{ whiteSpace: "pre-line" }}>
          {criterion.guidance}
        </Text>
      ) : null}
      <Stack gap="sm" mt="sm">
        {editable ? (
          <Radio.Group
            label="Rating"
            aria-label={`Rating on ${criterion.code}`}
            value={finding.rating ?? ""}
            onChange={(v) => onChange({ ...finding, rating: v || null })}
            error={missing ? `Rate “${criterion.title}” before submitting` : undefined}
            data-path={`findings.${criterion.code}.rating`}
          >
            <Group gap="md" mt={6} wrap="wrap">
              {scale.map((l) => (
                <Radio
                  key={l.code}
                  value={l.code}
                  color={TONE_COLORS[l.tone]}
                  label={
                    <span>
                      <span aria-hidden="true" className="accord-rating-mark">
                        {TONE_MARKS[l.tone]}{" "}
                      </span>
                      {l.label}
                    </span>
                  }
                />
              ))}
            </Group>
          </Radio.Group>
        ) : null}
        {editable ? (
          <Textarea
            label="Rationale"
            aria-label={`Rationale on ${criterion.code}`}
            placeholder="Why this rating: the facts, the provisions, the events that bear on it"
            autosize
            minRows={2}
            maxRows={12}
            value={finding.rationale}
            onChange={(e) => onChange({ ...finding, rationale: e.currentTarget.value })}
          />
        ) : finding.rationale ? (
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {finding.rationale}
          </Text>
        ) : (
          <Text size="sm" c="dimmed" fs="italic">
            No rationale given.
          </Text>
        )}
        <Stack gap={6}>
          {editable ? (
            <>
              <Group gap="sm" wrap="wrap">
                <Text size="sm" fw={500}>
                  Citations
                </Text>
                <SegmentedControl
                  size="xs"
                  aria-label={`What to cite on ${criterion.code}`}
                  value={kind}
                  onChange={(v) => setKind(v as Citation["type"])}
                  data={[
                    { value: "event", label: "Event" },
                    { value: "document", label: "Document" },
                    { value: "provision", label: "Provision" },
                  ]}
                />
              </Group>
              {kind === "event" ? (
                <Select
                  aria-label={`Cite an event on ${criterion.code}`}
                  placeholder={
                    events.length ? "Cite an event from the timeline…" : "The matter has no events"
                  }
                  data={options}
                  value={null}
                  searchable
                  disabled={options.length === 0}
                  nothingFoundMessage="No event matches"
                  comboboxProps={{ withinPortal: true }}
                  onChange={(eventId) => {
                    const e = events.find((x) => x.id === eventId);
                    if (e) cite({ type: "event", id: e.id, label: eventLabel(e) });
                  }}
                />
              ) : kind === "document" ? (
                <DocumentPicker code={criterion.code} documents={documents} isCited={isCited} onCite={cite} />
              ) : (
                <ProvisionPicker
                  code={criterion.code}
                  matterSlug={matterSlug}
                  isCited={isCited}
                  onCite={cite}
                />
              )}
            </>
          ) : finding.citations.length ? (
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Cited
            </Text>
          ) : null}
          <Citations
            citations={finding.citations}
            events={events}
            matterSlug={matterSlug}
            onRemove={
              editable
                ? (c) =>
                    onChange({
                      ...finding,
                      citations: finding.citations.filter((x) => !sameCitation(x, c)),
                    })
                : undefined
            }
          />
        </Stack>
        {criterion.topics.length ? (
          <BearingProvisions
            criterion={criterion}
            provisions={bearing}
            matterSlug={matterSlug}
            editable={editable}
            isCited={isCited}
            onCite={cite}
          />
        ) : null}
      </Stack>
    </Card>
  );
}

/** The overall recommendation and why. */
export function RecommendationCard({
  values,
  editable,
  missing,
  onChange,
}: {
  values: DraftValues;
  editable: boolean;
  missing: boolean;
  onChange: (patch: Partial<Pick<DraftValues, "recommendation" | "recommendationRationale">>) => void;
}) {
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="recommendation-h"
      style={missing ? { borderColor: "var(--mantine-color-red-6)" } : undefined}
    >
      <Title order={3} size="h5" id="recommendation-h" mb="xs">
        Recommendation
      </Title>
      {editable ? (
        <Stack gap="sm">
          <Radio.Group
            aria-label="Recommendation"
            value={values.recommendation ?? ""}
            onChange={(v) => onChange({ recommendation: (v || null) as Recommendation | null })}
            error={missing ? "Give a recommendation before submitting" : undefined}
            data-path="recommendation"
          >
            <Stack gap={6}>
              {RECOMMENDATIONS.map((r) => (
                <Radio key={r} value={r} label={RECOMMENDATION_LABELS[r]} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label="Why"
            aria-label="Rationale for the recommendation"
            autosize
            minRows={2}
            maxRows={12}
            value={values.recommendationRationale}
            onChange={(e) => onChange({ recommendationRationale: e.currentTarget.value })}
          />
        </Stack>
      ) : (
        <Stack gap={4}>
          <Text fw={600} c={values.recommendation ? undefined : "dimmed"}>
            {recommendationLabel(values.recommendation)}
          </Text>
          {values.recommendationRationale ? (
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {values.recommendationRationale}
            </Text>
          ) : null}
        </Stack>
      )}
    </Card>
  );
}

const clock = (d: Date) => d.toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit" });

/** Where the draft stands: saving, saved at a time, or not saved and why. */
export function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  let body: ReactNode;
  switch (state.kind) {
    case "clean":
      body = (
        <Text size="sm" c="dimmed">
          Changes save automatically
        </Text>
      );
      break;
    case "dirty":
      body = (
        <Text size="sm" c="dimmed">
          Unsaved changes…
        </Text>
      );
      break;
    case "saving":
      body = (
        <Text size="sm" c="dimmed">
          Saving…
        </Text>
      );
      break;
    case "saved":
      body = (
        <Group gap={4} wrap="nowrap" c="teal.8">
          <IconCheck size={14} />
          <Text size="sm" inherit>
            Saved at {clock(state.at)}
          </Text>
        </Group>
      );
      break;
    case "retrying":
      body = (
        <Group gap="xs" wrap="nowrap">
          <IconAlert size={14} color="var(--mantine-color-red-8)" />
          <Text size="sm" c="red.8">
            Not saved — retrying{state.attempt > 1 ? ` (attempt ${state.attempt})` : ""}. Your text is kept in
            this browser.
          </Text>
          <Button size="compact-xs" variant="light" color="red" onClick={onRetry}>
            Retry now
          </Button>
        </Group>
      );
      break;
    case "conflict":
      body = (
        <Group gap={4} wrap="nowrap" c="orange.8">
          <IconAlert size={14} />
          <Text size="sm" inherit>
            Not saved — choose a version below
          </Text>
        </Group>
      );
      break;
    case "failed":
      body = (
        <Text size="sm" c="red.8">
          <IconAlert size={14} style={{ verticalAlign: "-2px" }} /> Not saved:{" "}
          {state.problem.detail ?? state.problem.title}
        </Text>
      );
      break;
  }
  return (
    <div role="status" aria-live="polite" data-save-state={state.kind}>
      {body}
    </div>
  );
}
