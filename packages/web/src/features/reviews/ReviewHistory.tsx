import {
  type AuditEntry,
  type Criterion,
  type RatingLevel,
  RECOMMENDATION_LABELS,
  REVIEW_STATUS_LABELS,
  type Recommendation,
  type ReviewStatus,
} from "@accord/domain";
import { Box, Card, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useReviewHistory } from "../../api/reviews";
import { ActionBadge, EntryByline, FieldChanges } from "../../components/ChangeDiff";
import { Empty } from "../../components/Empty";
import { Pager } from "../../components/Pager";
import { ProblemAlert } from "../../components/ProblemAlert";
import type { FieldChange } from "../../lib/audit";
import { levelOf } from "./review-labels";

type Flat = Record<string, { label: string; value: string | string[] }>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A review's audit entry side in words, one line per thing a person reads: each criterion's
 * rating, rationale and citations, the recommendation, the status, the comment or reason.
 */
function flatten(side: unknown, criteria: readonly Criterion[], scale: readonly RatingLevel[]): Flat {
  const out: Flat = {};
  if (!isRecord(side)) return out;
  if (typeof side.status === "string")
    out.status = { label: "Status", value: REVIEW_STATUS_LABELS[side.status as ReviewStatus] ?? side.status };
  if ("assignee" in side) out.assignee = { label: "Reviewer", value: String(side.assignee ?? "") };
  const findings = isRecord(side.findings) ? side.findings : {};
  const codes = [
    ...criteria.map((c) => c.code),
    ...Object.keys(findings).filter((k) => !criteria.some((c) => c.code === k)),
  ];
  for (const code of codes) {
    const f = findings[code];
    if (!isRecord(f)) continue;
    const rating = typeof f.rating === "string" ? (levelOf(scale, f.rating)?.label ?? f.rating) : "";
    out[`${code}.rating`] = { label: `${code} · rating`, value: rating };
    out[`${code}.rationale`] = {
      label: `${code} · rationale`,
      value: typeof f.rationale === "string" ? f.rationale : "",
    };
    const cites = Array.isArray(f.citations)
      ? f.citations.map((c) => (isRecord(c) ? String(c.label ?? c.id ?? "") : String(c)))
      : [];
    out[`${code}.citations`] = { label: `${code} · cited`, value: cites };
  }
  if ("recommendation" in side)
    out.recommendation = {
      label: "Recommendation",
      value: side.recommendation
        ? (RECOMMENDATION_LABELS[side.recommendation as Recommendation] ?? String(side.recommendation))
        : "",
    };
  if ("recommendationRationale" in side)
    out.recommendationRationale = { label: "Why", value: String(side.recommendationRationale ?? "") };
  if (typeof side.comment === "string") out.comment = { label: "Comment", value: side.comment };
  if (typeof side.reason === "string") out.reason = { label: "Reason", value: side.reason };
  return out;
}

function reviewChanges(
  entry: AuditEntry,
  criteria: readonly Criterion[],
  scale: readonly RatingLevel[],
): FieldChange[] {
  const before = flatten(entry.before, criteria, scale);
  const after = flatten(entry.after, criteria, scale);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const b = before[key]?.value ?? "";
    const a = after[key]?.value ?? "";
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes.push({
      key: `x-${key}`,
      label: (after[key] ?? before[key])?.label ?? key,
      before: b,
      after: a,
      list: Array.isArray(a) || Array.isArray(b),
    });
  }
  return changes;
}

function HistoryEntry({
  entry,
  criteria,
  scale,
}: {
  entry: AuditEntry;
  criteria: readonly Criterion[];
  scale: readonly RatingLevel[];
}) {
  const changes = reviewChanges(entry, criteria, scale);
  return (
    <Card withBorder padding="sm" component="li">
      <Group gap="sm" mb="xs" wrap="wrap">
        <ActionBadge action={entry.action} />
        <EntryByline entry={entry} />
        {entry.autosaves ? (
          <Text size="sm" c="dimmed">
            · {entry.autosaves} autosaves
          </Text>
        ) : null}
      </Group>
      {changes.length ? (
        <FieldChanges changes={changes} entity="review" />
      ) : (
        <Text size="sm" c="dimmed">
          No field changed.
        </Text>
      )}
    </Card>
  );
}

/** The review's history, newest first: drafts saved, submissions, returns, approvals, assignments. */
export function ReviewHistory({
  id,
  criteria,
  scale,
}: {
  id: string;
  criteria: readonly Criterion[];
  scale: readonly RatingLevel[];
}) {
  const [page, setPage] = useState({ limit: 25, offset: 0 });
  const { data, error, isPending, isPlaceholderData, refetch } = useReviewHistory(id, page);
  let body: ReactNode;
  if (error) body = <ProblemAlert error={error} onRetry={() => refetch()} />;
  else if (isPending)
    body = (
      <Stack gap="sm">
        <Skeleton height={90} />
        <Skeleton height={90} />
      </Stack>
    );
  else if (data.items.length === 0) body = <Empty title="No recorded changes" />;
  else
    body = (
      <Stack gap="sm">
        <Pager
          total={data.total}
          limit={data.limit}
          offset={data.offset}
          noun="changes"
          onChange={(p) => setPage((old) => ({ ...old, ...p }))}
        />
        <Stack
          component="ol"
          gap="sm"
          p={0}
          m={0}
          style={{ listStyle: "none", opacity: isPlaceholderData ? 0.6 : 1 }}
          aria-label="Changes"
        >
          {data.items.map((e) => (
            <HistoryEntry key={e.id} entry={e} criteria={criteria} scale={scale} />
          ))}
        </Stack>
      </Stack>
    );
  return (
    <Box component="section" aria-labelledby="review-history-h">
      <Title order={2} size="h4" id="review-history-h" className="sr-only">
        History
      </Title>
      {body}
    </Box>
  );
}
