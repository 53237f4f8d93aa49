import {
  type ProvisionListItem,
  type ProvisionTopic,
  type SectionRef,
  scoreTopics,
  TOPIC_LABELS,
  type Topic,
  type TopicScore,
} from "@accord/domain";

/** A provision as read from the database (see PROVISION_COLUMNS in queries/provisions.ts). */
export interface ProvisionRow {
  id: string;
  matter: { id: string; slug: string; title: string };
  number: number | null;
  label: string;
  parentId: string | null;
  depth: number;
  heading: boolean;
  caption: string | null;
  path: string;
  sections: SectionRef[];
  text: string;
  page: number | null;
  pageEnd: number | null;
  isDefinition: boolean;
  terms: string[];
  /** The classifier's topics, as stored when the provision was accepted. */
  topics: TopicScore[];
  topicsOverride: Topic[] | null;
  deadlineCount: number;
  retiredAt: string | null;
  terminatedOn: string | null;
}

/** What the classifier reads besides the text: the titles of the provision's sections. */
export const topicContext = (sections: readonly SectionRef[]) => sections.map((s) => s.title).join(" ");

const topicOf = (t: TopicScore): ProvisionTopic => ({
  topic: t.topic,
  label: TOPIC_LABELS[t.topic],
  score: t.score,
  because: t.because,
});

/**
 * The topics in force: a person's correction when there is one (each with the classifier's words
 * for it, when the classifier scored it at all), else the classifier's.
 */
export function topicsInForce(row: ProvisionRow): ProvisionTopic[] {
  if (!row.topicsOverride) return row.topics.map(topicOf);
  let scores: TopicScore[] | null = null;
  return row.topicsOverride.map((topic) => {
    const given = row.topics.find((t) => t.topic === topic);
    if (given) return topicOf(given);
    // Below the classifier's threshold: its words for the topic still explain something.
    scores ??= scoreTopics(row.text, topicContext(row.sections));
    const scored = scores.find((s) => s.topic === topic);
    return scored ? topicOf(scored) : { topic, label: TOPIC_LABELS[topic], score: null, because: [] };
  });
}

/**
 * The stable address to cite: by number (a "¶ N" paragraph) or label while the provision is
 * current, by id once retired.
 */
export const citationOf = (row: Pick<ProvisionRow, "id" | "matter" | "number" | "label" | "retiredAt">) =>
  row.retiredAt
    ? `/api/v1/provisions/${row.id}`
    : `/api/v1/matters/${row.matter.slug}/provisions/${row.number ?? encodeURIComponent(row.label)}`;

export function presentProvisionListItem(row: ProvisionRow): ProvisionListItem {
  return {
    id: row.id,
    matter: row.matter,
    number: row.number,
    label: row.label,
    parentId: row.parentId,
    depth: row.depth,
    heading: row.heading,
    definition: row.isDefinition,
    caption: row.caption,
    path: row.path,
    sections: row.sections,
    text: row.text,
    page: row.page,
    pageEnd: row.pageEnd,
    isDefinition: row.isDefinition,
    terms: row.terms,
    topics: topicsInForce(row),
    topicsCorrected: row.topicsOverride !== null,
    deadlineCount: row.deadlineCount,
    retiredAt: row.retiredAt,
    terminatedOn: row.terminatedOn,
    citation: citationOf(row),
  };
}

export const presentClassifierTopics = (row: ProvisionRow) => row.topics.map(topicOf);
