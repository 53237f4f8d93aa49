/**
 * The topics of a provision, by an explainable classifier: each topic has words and phrases that
 * speak for it, with weights; a provision gets the topics whose words weigh enough in its text,
 * and the answer says which words decided. A person can correct it (the server keeps
 * corrections); nothing here learns on its own.
 */

export const TOPICS = [
  "use_of_force",
  "stops_searches_arrests",
  "bias_free_policing",
  "first_amendment",
  "crisis_intervention",
  "training",
  "recruitment_hiring",
  "supervision",
  "misconduct_discipline",
  "bwc_technology",
  "community_engagement",
  "data_transparency",
  "officer_wellness",
  "monitoring_compliance",
] as const;
export type Topic = (typeof TOPICS)[number];

export const TOPIC_LABELS: Record<Topic, string> = {
  use_of_force: "Use of force",
  stops_searches_arrests: "Stops, searches and arrests",
  bias_free_policing: "Bias-free policing",
  first_amendment: "First Amendment activity",
  crisis_intervention: "Crisis intervention",
  training: "Training",
  recruitment_hiring: "Recruitment and hiring",
  supervision: "Supervision",
  misconduct_discipline: "Misconduct complaints and discipline",
  bwc_technology: "Body-worn cameras and technology",
  community_engagement: "Community engagement",
  data_transparency: "Data collection and transparency",
  officer_wellness: "Officer wellness",
  monitoring_compliance: "Monitoring and compliance",
};

/** Words (matched at the start of a word, so "train" finds "training") and their weight. */
const SIGNALS: Record<Topic, [string, number][]> = {
  use_of_force: [
    ["use of force", 3],
    ["uses of force", 3],
    ["force", 1.5],
    ["taser", 2.5],
    ["conducted electrical weapon", 3],
    ["chokehold", 3],
    ["firearm", 1.5],
    ["de-escalat", 2],
    ["restraint", 1.5],
    ["chemical agent", 2],
    ["oc spray", 2],
    ["canine", 1.5],
    ["shooting", 2],
  ],
  stops_searches_arrests: [
    ["stop", 1.5],
    ["search", 1.5],
    ["seizure", 2],
    ["arrest", 2],
    ["detention", 1.5],
    ["frisk", 2.5],
    ["reasonable suspicion", 3],
    ["probable cause", 3],
    ["warrant", 1.5],
    ["citation", 1],
  ],
  bias_free_policing: [
    ["bias", 2.5],
    ["discriminat", 2.5],
    ["race", 1.5],
    ["racial", 2],
    ["ethnicity", 1.5],
    ["national origin", 2],
    ["gender identity", 2],
    ["sexual orientation", 2],
    ["limited english", 2.5],
    ["profil", 2],
    ["disparit", 2],
  ],
  first_amendment: [
    ["first amendment", 3],
    ["protest", 2.5],
    ["demonstrat", 2],
    ["assembly", 2],
    ["free speech", 3],
    ["record police", 2.5],
    ["journalist", 2],
    ["press", 1],
  ],
  crisis_intervention: [
    ["crisis", 2.5],
    ["mental health", 2],
    ["mental illness", 2],
    ["behavioral health", 2],
    ["suicid", 2],
    ["disabilit", 1.5],
    ["cit officer", 3],
    ["crisis intervention", 3],
  ],
  training: [
    ["train", 2],
    ["curricul", 2],
    ["instructor", 2],
    ["in-service", 2],
    ["academy", 1.5],
    ["lesson plan", 2],
  ],
  recruitment_hiring: [
    ["recruit", 2.5],
    ["hiring", 2.5],
    ["hire", 2],
    ["applicant", 2],
    ["promotion", 1.5],
    ["retention", 2],
    ["staffing", 1.5],
    ["vacanc", 1.5],
  ],
  supervision: [
    ["supervis", 2.5],
    ["sergeant", 1.5],
    ["span of control", 3],
    ["early intervention", 3],
    ["performance evaluation", 2],
    ["chain of command", 1.5],
  ],
  misconduct_discipline: [
    ["misconduct", 2.5],
    ["complaint", 2],
    ["grievance", 1.5],
    ["disciplin", 2.5],
    ["internal affairs", 3],
    ["investigat", 1],
    ["retaliat", 2],
    ["corrective action", 2],
    ["sustained", 1.5],
  ],
  bwc_technology: [
    ["body-worn camera", 3],
    ["body worn camera", 3],
    ["camera", 2],
    ["video", 1.5],
    ["footage", 2],
    ["dashboard camera", 3],
    ["information management system", 2],
    ["software", 1.5],
    ["technology", 2],
  ],
  community_engagement: [
    ["community", 2],
    ["public meeting", 2.5],
    ["community policing", 3],
    ["stakeholder", 1.5],
    ["advisory", 1.5],
    ["engage", 1.5],
    ["outreach", 2],
  ],
  data_transparency: [
    ["data", 2],
    ["collect", 1],
    ["track", 1.5],
    ["report publicly", 3],
    ["publicly", 1.5],
    ["publish", 2],
    ["transparen", 2.5],
    ["website", 2],
    ["statistic", 1.5],
    ["analy", 1],
  ],
  officer_wellness: [
    ["wellness", 3],
    ["well-being", 3],
    ["peer support", 3],
    ["employee assistance", 3],
    ["counseling", 1.5],
    ["fatigue", 2],
    ["stress", 2],
  ],
  monitoring_compliance: [
    ["monitor", 2],
    ["compliance", 2],
    ["consent decree", 1],
    ["implementation plan", 2],
    ["compliance review", 3],
    ["audit", 1.5],
    ["outcome assessment", 3],
    ["technical assistance", 1.5],
    ["terminat", 1.5],
  ],
};

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
  TOPICS.map((t) => [
    t,
    SIGNALS[t].map(([w, weight]) => ({
      word: w,
      weight,
      re: new RegExp(`\\b${escapeRegExp(w)}[\\p{L}-]*`, "giu"),
    })),
  ]),
) as Record<Topic, { word: string; weight: number; re: RegExp }[]>;

/**
 * Every topic's score for the text, highest first, with the words that scored. `context` (the
 * titles of the provision's sections) speaks too: a paragraph under "Use of Force" is about force.
 */
export function scoreTopics(text: string, context = ""): TopicScore[] {
  const lower = `${context} ${text}`.toLowerCase();
  const scores: TopicScore[] = [];
  for (const topic of TOPICS) {
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

/** The topics given to a provision: those scoring at least the threshold, at most three. */
export function classifyTopics(text: string, context = ""): TopicScore[] {
  return scoreTopics(text, context)
    .filter((s) => s.score >= THRESHOLD)
    .slice(0, 3);
}
