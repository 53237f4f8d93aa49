import {
  CYCLE_STATUS_LABELS,
  type CycleStatus,
  type RatingLevel,
  REVIEW_STATUS_LABELS,
  type ReviewStatus,
} from "@accord/domain";
import { Badge, type BadgeProps, Group, Text } from "@mantine/core";
import { CYCLE_STATUS_COLORS, REVIEW_STATUS_COLORS, TONE_MARKS } from "./review-labels";
import "./reviews.css";

/** Badges in narrow table cells keep their whole label (as the matter StatusBadge does). */
export const WHOLE_LABEL = {
  root: { flexShrink: 0, maxWidth: "none", overflow: "visible" },
  label: { overflow: "visible", textOverflow: "clip" },
} as const;

/** A small red or orange flag: "Overdue", "Past due", "Changed since approval". */
export function FlagBadge({ color, children }: { color: string; children: string }) {
  return (
    <Badge color={color} variant="light" size="xs" radius="sm" tt="none" styles={WHOLE_LABEL}>
      {children}
    </Badge>
  );
}

export function ReviewStatusBadge({ status, ...rest }: { status: ReviewStatus } & BadgeProps) {
  return (
    <Badge
      color={REVIEW_STATUS_COLORS[status]}
      variant="light"
      radius="sm"
      tt="none"
      styles={WHOLE_LABEL}
      {...rest}
    >
      {REVIEW_STATUS_LABELS[status]}
    </Badge>
  );
}

export function CycleStatusBadge({ status, ...rest }: { status: CycleStatus } & BadgeProps) {
  return (
    <Badge
      color={CYCLE_STATUS_COLORS[status]}
      variant="light"
      radius="sm"
      tt="none"
      styles={WHOLE_LABEL}
      {...rest}
    >
      {CYCLE_STATUS_LABELS[status]}
    </Badge>
  );
}

/** A rating as text tinted by its tone, with a mark so that colour is not the only cue. */
export function RatingMark({ level, code }: { level: RatingLevel | null; code?: string | null }) {
  if (!level) {
    return (
      <span className="accord-rating" data-tone="unrated">
        {code ? code : "Not rated"}
      </span>
    );
  }
  return (
    <span className="accord-rating" data-tone={level.tone}>
      <span className="accord-rating-mark" aria-hidden="true">
        {TONE_MARKS[level.tone]}
      </span>
      {level.label}
    </span>
  );
}

/** What the matrix's colours mean. */
export function RatingLegend({ scale }: { scale: readonly RatingLevel[] }) {
  return (
    <Group gap="xs" wrap="wrap" component="ul" aria-label="Legend" m={0} p={0} style={{ listStyle: "none" }}>
      <Text component="li" size="xs" c="dimmed">
        Legend:
      </Text>
      {scale.map((l) => (
        <li key={l.code}>
          <RatingMark level={l} />
        </li>
      ))}
      <li>
        <RatingMark level={null} />
      </li>
    </Group>
  );
}
