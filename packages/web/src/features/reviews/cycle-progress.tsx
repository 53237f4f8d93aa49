import { REVIEW_STATUS_LABELS, REVIEW_STATUSES, type ReviewStatus } from "@accord/domain";
import { Progress, Text, Tooltip } from "@mantine/core";
import { plural, REVIEW_STATUS_COLORS } from "./review-labels";

/**
 * A cycle's reviews by status as one bar, with the numbers in words beside it (and for screen
 * readers): "3 of 11 approved · 2 submitted · …".
 */
export function CycleProgress({
  counts,
  size = "md",
}: {
  counts: Partial<Record<ReviewStatus, number>> | Record<string, number>;
  size?: "sm" | "md";
}) {
  const c = counts as Record<string, number | undefined>;
  const total = REVIEW_STATUSES.reduce((sum, s) => sum + (c[s] ?? 0), 0);
  if (total === 0) {
    return (
      <Text size="xs" c="dimmed">
        No reviews yet
      </Text>
    );
  }
  const parts = REVIEW_STATUSES.filter((s) => (c[s] ?? 0) > 0);
  const words = parts.map((s) => `${c[s]} ${REVIEW_STATUS_LABELS[s].toLowerCase()}`).join(" · ");
  return (
    <div>
      <Progress.Root size={size === "sm" ? 8 : 12} aria-hidden="true" mb={4}>
        {parts.map((s) => (
          <Tooltip key={s} label={`${REVIEW_STATUS_LABELS[s]}: ${c[s]}`} withArrow>
            <Progress.Section value={((c[s] ?? 0) / total) * 100} color={REVIEW_STATUS_COLORS[s]} />
          </Tooltip>
        ))}
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {`${c.approved ?? 0} of ${plural(total, "review")} approved`}
        {parts.length > 1 || parts[0] !== "approved" ? ` · ${words}` : null}
      </Text>
    </div>
  );
}
