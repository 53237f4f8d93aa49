import type { Criterion, RatingLevel, Review } from "@accord/domain";
import { Alert, Button, Group, Table, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import { IconAlert } from "../../components/icons";
import { formatTime, personName } from "../../lib/audit";
import { levelOf, recommendationLabel } from "./review-labels";
import { type DraftValues, draftOf, type FindingValues } from "./use-review-draft";

function findingText(f: FindingValues | undefined, scale: readonly RatingLevel[]): string {
  if (!f) return "—";
  const rating = levelOf(scale, f.rating)?.label ?? f.rating ?? "Not rated";
  const cites = f.citations.length ? ` · ${f.citations.length} cited` : "";
  return `${rating}${cites}${f.rationale ? `: ${f.rationale}` : ""}`;
}

function Side({ text, side }: { text: string; side: "theirs" | "mine" }) {
  return (
    <Text
      size="sm"
      className={side === "theirs" ? "accord-diff-before" : "accord-diff-after"}
      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", textDecoration: "none", display: "inline" }}
    >
      {text}
    </Text>
  );
}

/**
 * Two versions of the draft: the one saved meanwhile (by someone else, or this reviewer in
 * another tab) and the one typed here. What differs is shown side by side; the person takes
 * theirs or saves theirs over with mine. Nothing happens on its own.
 */
export function ReviewConflict({
  theirs,
  mine,
  criteria,
  scale,
  restoredAt,
  editable,
  onLoadTheirs,
  onKeepMine,
  onDiscard,
}: {
  theirs: Review;
  mine: DraftValues;
  criteria: readonly Criterion[];
  scale: readonly RatingLevel[];
  /** The person's version is a copy this browser kept, typed then. */
  restoredAt?: string;
  editable: boolean;
  onLoadTheirs: () => void;
  onKeepMine: () => void;
  onDiscard: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const other = draftOf(theirs, criteria);
  const rows: { key: string; label: string; theirs: string; mine: string }[] = [];
  for (const c of criteria) {
    const a = findingText(other.findings[c.code], scale);
    const b = findingText(mine.findings[c.code], scale);
    if (a !== b) rows.push({ key: c.code, label: `${c.code} ${c.title}`, theirs: a, mine: b });
  }
  if (
    other.recommendation !== mine.recommendation ||
    other.recommendationRationale !== mine.recommendationRationale
  ) {
    const text = (d: DraftValues) =>
      `${recommendationLabel(d.recommendation)}${d.recommendationRationale ? `: ${d.recommendationRationale}` : ""}`;
    rows.push({ key: "recommendation", label: "Recommendation", theirs: text(other), mine: text(mine) });
  }
  const title = restoredAt
    ? "Unsaved changes were kept in this browser"
    : "This review was saved elsewhere meanwhile";
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="orange"
      variant="light"
      role="alert"
      icon={<IconAlert />}
      title={title}
    >
      <Text size="sm">
        {restoredAt
          ? `What you typed on ${formatTime(restoredAt)} was never saved, and the review has changed since (now version ${theirs.version}${
              theirs.assignee ? `, assigned to ${personName(theirs.assignee)}` : ""
            }).`
          : `Someone saved this review while you were editing (version ${theirs.version}) — perhaps you, in another tab. Your latest changes are not saved yet; they are kept here.`}
      </Text>
      {rows.length > 0 ? (
        <Table
          mt="xs"
          withTableBorder
          withColumnBorders
          layout="fixed"
          className="accord-table accord-diff"
          aria-label="The two versions"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="22%">What</Table.Th>
              <Table.Th>Their version (saved)</Table.Th>
              <Table.Th>Your version</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Th scope="row" fw={600} style={{ verticalAlign: "top", whiteSpace: "normal" }}>
                  {r.label}
                </Table.Th>
                <Table.Td style={{ verticalAlign: "top" }}>
                  <Side text={r.theirs} side="theirs" />
                </Table.Td>
                <Table.Td style={{ verticalAlign: "top" }}>
                  <Side text={r.mine} side="mine" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" mt="xs">
          Both versions hold the same findings and recommendation.
        </Text>
      )}
      <Group mt="sm">
        {editable ? (
          <>
            <Button size="xs" variant="filled" color="orange" onClick={onLoadTheirs}>
              Load theirs
            </Button>
            <Button size="xs" variant="outline" color="red" onClick={onKeepMine}>
              Keep mine (overwrite)
            </Button>
          </>
        ) : (
          <>
            <Text size="sm">The review can no longer be edited here, so yours cannot be saved.</Text>
            <Button size="xs" variant="filled" color="orange" onClick={onDiscard}>
              Discard mine
            </Button>
          </>
        )}
      </Group>
    </Alert>
  );
}
