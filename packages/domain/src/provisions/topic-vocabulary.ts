/**
 * The topic vocabulary, as data: each topic's code, its label, the settings of agreement it
 * belongs to, and the cue words that speak for it (matched at the start of a word, so "train"
 * finds "training"), each with a weight. A jail decree and a police decree share some topics (use
 * of force, training, supervision…) and not others (stops and searches are not a jail's; suicide
 * prevention and restrictive housing are not a police department's). Adding a topic is adding an
 * entry here; the classifier (topics.ts) reads nothing else.
 */

/** The settings an agreement governs: policing (a police or sheriff's patrol) or custody (a jail or prison). */
export const TOPIC_SETTINGS = ["policing", "custody"] as const;
export type TopicSetting = (typeof TOPIC_SETTINGS)[number];

export const TOPIC_SETTING_LABELS: Record<TopicSetting, string> = {
  policing: "Policing",
  custody: "Jails and prisons",
};

/** One topic of the vocabulary. */
export interface TopicDefinition {
  /** Stable snake_case code, stored with provisions and criteria. */
  readonly id: string;
  readonly label: string;
  /** The settings whose agreements may get this topic. */
  readonly settings: readonly TopicSetting[];
  /** Words and phrases (lower case) that speak for the topic, with their weight. */
  readonly cues: readonly (readonly [word: string, weight: number])[];
}

const BOTH = ["policing", "custody"] as const;
const POLICING = ["policing"] as const;
const CUSTODY = ["custody"] as const;

export const TOPIC_VOCABULARY = [
  // Both settings.
  {
    id: "use_of_force",
    label: "Use of force",
    settings: BOTH,
    cues: [
      ["use of force", 3],
      ["uses of force", 3],
      ["force", 1.5],
      ["taser", 2.5],
      ["conducted electrical weapon", 3],
      ["chokehold", 3],
      ["firearm", 1.5],
      ["de-escalat", 2],
      ["restraint", 1.5],
      ["restraint chair", 3],
      ["cell extraction", 3],
      ["chemical agent", 2],
      ["oc spray", 2],
      ["canine", 1.5],
      ["shooting", 2],
    ],
  },
  // Policing.
  {
    id: "stops_searches_arrests",
    label: "Stops, searches and arrests",
    settings: POLICING,
    cues: [
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
  },
  {
    id: "bias_free_policing",
    label: "Bias-free policing",
    settings: POLICING,
    cues: [
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
  },
  {
    id: "first_amendment",
    label: "First Amendment activity",
    settings: POLICING,
    cues: [
      ["first amendment", 3],
      ["protest", 2.5],
      ["demonstrat", 2],
      ["assembly", 2],
      ["free speech", 3],
      ["record police", 2.5],
      ["journalist", 2],
      ["press", 1],
    ],
  },
  {
    id: "crisis_intervention",
    label: "Crisis intervention",
    settings: POLICING,
    cues: [
      ["crisis", 2.5],
      ["mental health", 2],
      ["mental illness", 2],
      ["behavioral health", 2],
      ["suicid", 2],
      ["disabilit", 1.5],
      ["cit officer", 3],
      ["crisis intervention", 3],
    ],
  },
  // Both settings.
  {
    id: "training",
    label: "Training",
    settings: BOTH,
    cues: [
      ["train", 2],
      ["curricul", 2],
      ["instructor", 2],
      ["in-service", 2],
      ["academy", 1.5],
      ["lesson plan", 2],
    ],
  },
  // Policing: a jail's staffing is its own topic (below).
  {
    id: "recruitment_hiring",
    label: "Recruitment and hiring",
    settings: POLICING,
    cues: [
      ["recruit", 2.5],
      ["hiring", 2.5],
      ["hire", 2],
      ["applicant", 2],
      ["promotion", 1.5],
      ["retention", 2],
      ["staffing", 1.5],
      ["vacanc", 1.5],
    ],
  },
  // Both settings.
  {
    id: "supervision",
    label: "Supervision",
    settings: BOTH,
    cues: [
      ["supervis", 2.5],
      ["sergeant", 1.5],
      ["span of control", 3],
      ["early intervention", 3],
      ["performance evaluation", 2],
      ["chain of command", 1.5],
    ],
  },
  {
    id: "misconduct_discipline",
    label: "Misconduct complaints and discipline",
    settings: BOTH,
    cues: [
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
  },
  // Policing.
  {
    id: "bwc_technology",
    label: "Body-worn cameras and technology",
    settings: POLICING,
    cues: [
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
  },
  {
    id: "community_engagement",
    label: "Community engagement",
    settings: POLICING,
    cues: [
      ["community", 2],
      ["public meeting", 2.5],
      ["community policing", 3],
      ["stakeholder", 1.5],
      ["advisory", 1.5],
      ["engage", 1.5],
      ["outreach", 2],
    ],
  },
  // Both settings.
  {
    id: "data_transparency",
    label: "Data collection and transparency",
    settings: BOTH,
    cues: [
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
  },
  // Policing.
  {
    id: "officer_wellness",
    label: "Officer wellness",
    settings: POLICING,
    cues: [
      ["wellness", 3],
      ["well-being", 3],
      ["peer support", 3],
      ["employee assistance", 3],
      ["counseling", 1.5],
      ["fatigue", 2],
      ["stress", 2],
    ],
  },
  // Both settings.
  {
    id: "monitoring_compliance",
    label: "Monitoring and compliance",
    settings: BOTH,
    cues: [
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
  },
  // Custody: jails and prisons.
  {
    id: "medical_care",
    label: "Medical care",
    settings: CUSTODY,
    cues: [
      ["medical", 2],
      ["health care", 2],
      ["healthcare", 2],
      ["sick call", 3],
      ["nurse", 2],
      ["nursing", 2],
      ["physician", 2],
      ["clinician", 1.5],
      ["clinical", 1.5],
      ["medication", 2],
      ["chronic care", 3],
      ["chronic condition", 2.5],
      ["dental", 2],
      ["infirmary", 2.5],
      ["hospital", 1.5],
      ["pharmac", 2],
      ["withdrawal", 2],
      ["detoxification", 2.5],
      ["mortality review", 2.5],
    ],
  },
  {
    id: "mental_health_care",
    label: "Mental-health care",
    settings: CUSTODY,
    cues: [
      ["mental health", 2.5],
      ["mental illness", 2.5],
      ["serious mental illness", 3],
      ["psychiatr", 2.5],
      ["psycholog", 2],
      ["psychotropic", 2.5],
      ["behavioral health", 2.5],
      ["qualified mental health professional", 3],
      ["therapeutic", 1.5],
      ["treatment plan", 1.5],
    ],
  },
  {
    id: "suicide_prevention",
    label: "Suicide prevention",
    settings: CUSTODY,
    cues: [
      ["suicid", 3],
      ["self-harm", 3],
      ["self-injur", 3],
      ["ligature", 3],
      ["suicide watch", 3],
      ["constant observation", 2.5],
      ["cut-down tool", 3],
    ],
  },
  {
    id: "restrictive_housing",
    label: "Restrictive housing and segregation",
    settings: CUSTODY,
    cues: [
      ["restrictive housing", 3],
      ["segregat", 2.5],
      ["solitary", 3],
      ["isolation", 2],
      ["lockdown", 2],
      ["out-of-cell", 2.5],
    ],
  },
  {
    id: "sexual_safety",
    label: "Sexual safety (PREA)",
    settings: CUSTODY,
    cues: [
      ["sexual abuse", 3],
      ["sexual assault", 3],
      ["sexual harassment", 3],
      ["sexual misconduct", 3],
      ["sexual victimization", 3],
      ["prea", 3],
      ["prison rape elimination", 3],
    ],
  },
  {
    id: "staffing",
    label: "Staffing",
    settings: CUSTODY,
    cues: [
      ["staffing", 3],
      ["understaff", 3],
      ["vacanc", 2],
      ["recruit", 2],
      ["retention", 2],
      ["hiring", 2],
      ["overtime", 2],
      ["detention officer", 1.5],
    ],
  },
  {
    id: "conditions_of_confinement",
    label: "Conditions of confinement",
    settings: CUSTODY,
    cues: [
      ["conditions of confinement", 3],
      ["sanitation", 3],
      ["sanitary", 2],
      ["environmental health", 3],
      ["environmental safety", 3],
      ["physical plant", 3],
      ["ventilation", 2.5],
      ["plumbing", 2.5],
      ["temperature", 2],
      ["lighting", 2],
      ["pest", 2.5],
      ["vermin", 2.5],
      ["hazardous", 2],
      ["laundry", 2],
      ["hygiene", 2],
      ["food", 2],
      ["nutrition", 2.5],
      ["meal", 2],
      ["maintenance", 1.5],
      ["repair", 1.5],
      ["fire safety", 2.5],
      ["overcrowd", 2.5],
      ["mattress", 2],
      ["shower", 2],
      ["toilet", 2],
    ],
  },
  {
    id: "protection_from_harm",
    label: "Protection from harm",
    settings: CUSTODY,
    cues: [
      ["protection from harm", 3],
      ["violence", 2.5],
      ["violent", 2],
      ["assault", 2],
      ["contraband", 2.5],
      ["weapon", 2],
      ["gang", 2.5],
      ["security check", 2.5],
      ["security round", 2.5],
      ["rounds", 1.5],
      ["direct supervision", 2],
      ["homicide", 3],
      ["shakedown", 2.5],
      ["cell search", 2.5],
    ],
  },
  {
    id: "classification_housing",
    label: "Classification and housing",
    settings: CUSTODY,
    cues: [
      ["classification", 3],
      ["housing assignment", 3],
      ["housing unit", 1.5],
      ["housing decision", 2.5],
      ["risk assessment", 1.5],
      ["keep separate", 2],
      ["separation", 1.5],
    ],
  },
  {
    id: "grievances",
    label: "Grievances",
    settings: CUSTODY,
    cues: [
      ["grievance", 3],
      ["kiosk", 2],
      ["appeal", 1.5],
      ["request form", 2],
    ],
  },
  {
    id: "disability_access",
    label: "Disability access",
    settings: CUSTODY,
    cues: [
      ["americans with disabilities act", 3],
      ["disabilit", 2],
      ["reasonable accommodation", 3],
      ["accommodation", 2],
      ["auxiliary aid", 3],
      ["deaf", 2],
      ["hard of hearing", 2],
      ["wheelchair", 2],
    ],
  },
  {
    id: "education_youth",
    label: "Education and youth",
    settings: CUSTODY,
    cues: [
      ["special education", 3],
      ["individuals with disabilities in education", 3],
      ["individuals with disabilities education", 3],
      ["individualized education", 3],
      ["educational", 2],
      ["education professional", 2.5],
      ["student", 2],
      ["school", 1.5],
      ["juvenile", 2.5],
      ["youth", 2],
    ],
  },
] as const satisfies readonly TopicDefinition[];
