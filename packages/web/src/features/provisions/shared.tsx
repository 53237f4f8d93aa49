import {
  type DeadlineOccurrence,
  type ProvisionTopic,
  TOPIC_LABELS,
  TOPICS,
  type Topic,
} from "@accord/domain";
import { Badge, Group, Text, Tooltip } from "@mantine/core";
import { formatDate } from "../../lib/dates";

/** The classifier's topics as choices, in their order. */
export const TOPIC_OPTIONS = TOPICS.map((t) => ({ value: t, label: TOPIC_LABELS[t] }));

export function isTopic(value: string): value is Topic {
  return (TOPICS as readonly string[]).includes(value);
}

/** The address of a provision that can be cited: its matter and its paragraph number. */
export function provisionPath(
  matterSlug: string,
  p: number | { number: number | null; label: string },
): string {
  const ref = typeof p === "number" ? p : (p.number ?? encodeURIComponent(p.label));
  return `/matters/${matterSlug}/provisions/${ref}`;
}

/** A section as cited: "V. Use of Force", or an untitled outline node's label alone ("T.1"). */
export const sectionName = (s: { number: string; title: string }) =>
  s.title ? `${s.number}. ${s.title}` : s.number;

/** The document viewer at a page. */
export function documentPagePath(documentId: string, page: number | null): string {
  return page ? `/documents/${documentId}?page=${page}` : `/documents/${documentId}`;
}

/** Today in the browser's calendar, YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A calendar date as words: "6 May 2025" (see lib/dates). */
export const formatDay = (iso: string | null): string => formatDate(iso);

/** The topics of a provision as small badges; the words that decided on hover. */
export function TopicBadges({
  topics,
  max = 3,
  size = "sm",
}: {
  topics: readonly ProvisionTopic[];
  max?: number;
  size?: "xs" | "sm" | "md";
}) {
  if (topics.length === 0)
    return (
      <Text size="xs" c="dimmed">
        No topic
      </Text>
    );
  const shown = topics.slice(0, max);
  const rest = topics.length - shown.length;
  return (
    <Group gap={4}>
      {shown.map((t) => (
        <Tooltip
          key={t.topic}
          label={
            t.because.length
              ? `Because of: ${t.because.map((b) => `${b.word} (${b.count})`).join(", ")}`
              : "Given by a person"
          }
          withArrow
          multiline
          maw={320}
        >
          <Badge size={size} variant="light" color="indigo" radius="sm" tt="none">
            {t.label}
          </Badge>
        </Tooltip>
      ))}
      {rest > 0 ? (
        <Tooltip
          label={topics
            .slice(max)
            .map((t) => t.label)
            .join(", ")}
          withArrow
          multiline
          maw={320}
        >
          <Badge size={size} variant="outline" color="gray" radius="sm" tt="none">
            +{rest}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}

/** Badges that keep their whole word in narrow table cells. */
const NO_TRUNCATE = {
  root: { flexShrink: 0, maxWidth: "none", overflow: "visible" },
  label: { overflow: "visible", textOverflow: "clip" },
} as const;

/** A deadline's due state: overdue (red), upcoming, or no date yet. */
export function DueBadge({
  d,
}: {
  d: Pick<DeadlineOccurrence, "date" | "overdue"> & { status?: Pick<DeadlineOccurrence["status"], "state"> };
}) {
  if (d.date && !d.overdue && d.status && d.status.state !== "open")
    return (
      <Badge
        size="sm"
        variant="light"
        color={d.status.state === "met" ? "teal" : "gray"}
        radius="sm"
        tt="none"
        styles={NO_TRUNCATE}
      >
        {d.status.state === "met" ? "Met" : "Waived"}
      </Badge>
    );
  if (!d.date)
    return (
      <Badge size="sm" variant="outline" color="gray" radius="sm" tt="none" styles={NO_TRUNCATE}>
        No date
      </Badge>
    );
  return d.overdue ? (
    <Badge size="sm" variant="filled" color="red" radius="sm" tt="none" styles={NO_TRUNCATE}>
      Overdue
    </Badge>
  ) : d.date < todayIso() ? (
    <Badge size="sm" variant="light" color="gray" radius="sm" tt="none" styles={NO_TRUNCATE}>
      Past
    </Badge>
  ) : (
    <Badge size="sm" variant="light" color="blue" radius="sm" tt="none" styles={NO_TRUNCATE}>
      Upcoming
    </Badge>
  );
}

/** How a deadline repeats: "Once", "Recurring (3rd)", "Stated date". */
export function deadlineKindLabel(d: Pick<DeadlineOccurrence, "kind" | "occurrence">): string {
  if (d.kind === "recurring") return d.occurrence ? `Recurring · #${d.occurrence}` : "Recurring";
  return d.kind === "date" ? "Stated date" : "Once";
}

/** The first words of a text, for lists. */
export function firstWords(text: string, max = 160): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 20))}…`;
}
