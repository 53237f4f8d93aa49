import { TOPIC_VOCABULARY, type TopicDefinition } from "@accord/domain";

const isCustody = (t: TopicDefinition) => t.settings.includes("custody");
const isPolicing = (t: TopicDefinition) => t.settings.includes("policing");

/**
 * The classifier's topics as choices, in groups by the agreements they belong to (see
 * TOPIC_VOCABULARY), so a list of jail and police topics reads as such: topics of both first.
 */
export const TOPIC_OPTION_GROUPS = (
  [
    ["Policing and jails", (t: TopicDefinition) => isPolicing(t) && isCustody(t)],
    ["Policing", (t: TopicDefinition) => isPolicing(t) && !isCustody(t)],
    ["Jails and prisons", (t: TopicDefinition) => isCustody(t) && !isPolicing(t)],
  ] as const
).map(([group, isIn]) => ({
  group,
  items: TOPIC_VOCABULARY.filter(isIn).map((t) => ({ value: t.id, label: t.label })),
}));
