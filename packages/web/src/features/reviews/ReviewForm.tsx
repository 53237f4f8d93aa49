import {
  type Citation,
  type Criterion,
  type DocumentRecord,
  type Event,
  FindingSchema,
  isStatisticsCriterion,
  type ProvisionListItem,
  type RatingLevel,
  RECOMMENDATION_LABELS,
  RECOMMENDATIONS,
  type Recommendation,
  UpdateReviewSchema,
} from "@accord/domain";
import {
  Button,
  Card,
  Group,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { IconAlert, IconCheck } from "../../components/icons";
import { formatClock } from "../../lib/dates";
import { maxLengths } from "../../lib/forms";
import { BearingProvisions, Citations, DocumentPicker, ProvisionPicker } from "./CitationPickers";
import { sameCitation } from "./citations";
import { eventLabel } from "./MatterPanel";
import { RatingMark } from "./ReviewBadges";
import { levelOf, recommendationLabel, TONE_COLORS, TONE_MARKS } from "./review-labels";
import { StatisticsToCite } from "./StatisticsToCite";
import type { DraftValues, FindingValues, SaveState } from "./use-review-draft";

const FINDING_LIMITS = maxLengths(FindingSchema);
const REVIEW_LIMITS = maxLengths(UpdateReviewSchema);

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
            maxLength={FINDING_LIMITS.rationale}
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
        {isStatisticsCriterion(criterion) ? (
          <StatisticsToCite
            code={criterion.code}
            matterSlug={matterSlug}
            editable={editable}
            isCited={isCited}
            onCite={cite}
          />
        ) : null}
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
            maxLength={REVIEW_LIMITS.recommendationRationale}
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

const clock = formatClock;

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
