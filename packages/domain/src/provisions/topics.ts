/**
 * The topics of a provision, by an explainable classifier: each topic has words and phrases that
 * speak for it, with weights; a provision gets the topics whose words weigh enough in its text,
 * and the answer says which words decided. A person can correct it (the server keeps
 * corrections); nothing here learns on its own.
 */

import type { AgencyKind } from "../enums.js";
import {
  TOPIC_SETTINGS,
  TOPIC_VOCABULARY,
  type TopicDefinition,
  type TopicSetting,
} from "./topic-vocabulary.js";

export * from "./topic-vocabulary.js";

/** A topic's code (see TOPIC_VOCABULARY). */
export type Topic = (typeof TOPIC_VOCABULARY)[number]["id"];

/** Every topic's code, in the vocabulary's order. */
export const TOPICS = TOPIC_VOCABULARY.map((t) => t.id) as unknown as readonly [Topic, ...Topic[]];

export const TOPIC_LABELS = Object.fromEntries(TOPIC_VOCABULARY.map((t) => [t.id, t.label])) as Record<
  Topic,
  string
>;

/** The topics an agreement of these settings may get, in the vocabulary's order. */
export const topicsOfSettings = (settings: readonly TopicSetting[]): Topic[] =>
  TOPIC_VOCABULARY.filter((t: TopicDefinition) => t.settings.some((s) => settings.includes(s))).map(
    (t) => t.id,
  );

/**
 * The settings an agreement governs, from the kinds of its agencies: a jail's agreement is about
 * custody; a police department's (state, campus) about policing; a sheriff's office runs both
 * patrols and a jail, so its agreements may be about either. When no agency says (none, or only
 * prosecutors and others), policing, the setting of most agreements Accord tracks: a person who
 * knows better sets the agency's kind.
 */
export function topicSettingsOf(agencyKinds: readonly AgencyKind[]): TopicSetting[] {
  const settings = new Set<TopicSetting>();
  for (const kind of agencyKinds) {
    if (kind === "police" || kind === "state_police" || kind === "campus_police") settings.add("policing");
    else if (kind === "jail") settings.add("custody");
    else if (kind === "sheriff") {
      settings.add("policing");
      settings.add("custody");
    }
  }
  return settings.size ? TOPIC_SETTINGS.filter((s) => settings.has(s)) : ["policing"];
}

/** How much a topic's words must weigh in all to be given. */
const THRESHOLD = 2;

export interface TopicScore {
  topic: Topic;
  score: number;
  /** The words that decided, with how often each appears. */
  because: { word: string; count: number }[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const PATTERNS = Object.fromEntries(
  TOPIC_VOCABULARY.map((t) => [
    t.id,
    t.cues.map(([w, weight]) => ({
      word: w,
      weight,
      re: new RegExp(`\\b${escapeRegExp(w)}[\\p{L}-]*`, "giu"),
    })),
  ]),
) as Record<Topic, { word: string; weight: number; re: RegExp }[]>;

/**
 * The score of each topic of these settings (every topic by default) for the text, highest first,
 * with the words that scored. `context` (the titles of the provision's sections) speaks too: a
 * paragraph under "Use of Force" is about force.
 */
export function scoreTopics(
  text: string,
  context = "",
  settings: readonly TopicSetting[] = TOPIC_SETTINGS,
): TopicScore[] {
  const lower = `${context} ${text}`.toLowerCase();
  const scores: TopicScore[] = [];
  for (const topic of topicsOfSettings(settings)) {
    let score = 0;
    const because: TopicScore["because"] = [];
    for (const { word, weight, re } of PATTERNS[topic]) {
      // Most words are absent from most texts: a plain substring test rules them out cheaply.
      if (!lower.includes(word)) continue;
      const count = lower.match(re)?.length ?? 0;
      if (!count) continue;
      // Repetition counts, but less and less: ten mentions are not ten times one.
      score += weight * (1 + Math.log2(count));
      because.push({ word, count });
    }
    if (score > 0) scores.push({ topic, score: Math.round(score * 10) / 10, because });
  }
  return scores.sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic));
}

/**
 * The topics given to a provision of an agreement of these settings (see topicSettingsOf): those
 * scoring at least the threshold, at most three.
 */
export function classifyTopics(
  text: string,
  context = "",
  settings: readonly TopicSetting[] = TOPIC_SETTINGS,
): TopicScore[] {
  return scoreTopics(text, context, settings)
    .filter((s) => s.score >= THRESHOLD)
    .slice(0, 3);
}
