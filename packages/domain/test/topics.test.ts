import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGENCY_KINDS,
  classifyTopics,
  parseDecree,
  scoreTopics,
  TOPIC_LABELS,
  TOPIC_SETTINGS,
  TOPIC_VOCABULARY,
  TOPICS,
  type Topic,
  topicSettingsOf,
  topicsOfSettings,
} from "../src/index.js";

describe("topics of a provision", () => {
  it("names the topic and the words that decided", () => {
    const [first] = classifyTopics(
      "Officers will report every use of force, including the discharge of a Taser, before the end of their shift.",
    );
    expect(first!.topic).toBe("use_of_force");
    expect(first!.because.map((b) => b.word)).toEqual(expect.arrayContaining(["use of force", "taser"]));
  });

  it("lets the section's title speak for a short paragraph", () => {
    const text = "FCSO will develop a written plan within four months.";
    expect(classifyTopics(text)).toEqual([]);
    expect(classifyTopics(text, "Use of Force Data Tracking and Reporting").map((t) => t.topic)).toEqual([
      "use_of_force",
      "data_transparency",
    ]);
  });

  it("gives at most three topics, the strongest first", () => {
    const text =
      "The Department will train supervisors to review body-worn camera footage of stops, searches and arrests, collect the data and publish it on its website for the community.";
    const topics = classifyTopics(text);
    expect(topics.length).toBeLessThanOrEqual(3);
    const scores = topics.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scoreTopics(text).length).toBeGreaterThan(3);
  });

  it("gives nothing to a paragraph about none of them", () => {
    expect(classifyTopics("The Parties agree that this Decree is binding on their successors.")).toEqual([]);
  });

  it("labels every topic", () => {
    for (const t of TOPICS) expect(TOPIC_LABELS[t]).toBeTruthy();
  });

  it("gives a police agreement's paragraphs the policing topics they had", () => {
    const policing = ["policing"] as const;
    const cases: [string, Topic[]][] = [
      [
        "Officers will not use a chokehold, and will use de-escalation techniques before any use of force.",
        ["use_of_force"],
      ],
      [
        "Officers will not stop, frisk or search a person without reasonable suspicion, and will not arrest without probable cause.",
        ["stops_searches_arrests"],
      ],
      [
        "The Department will dispatch a CIT officer to every call involving a person in mental health crisis.",
        ["crisis_intervention"],
      ],
      [
        "Officers will not interfere with members of the public who record police at a protest.",
        ["first_amendment"],
      ],
    ];
    for (const [text, expected] of cases)
      expect(
        classifyTopics(text, "", policing).map((t) => t.topic),
        text,
      ).toEqual(expected);
  });
});

describe("the topic vocabulary (data)", () => {
  it("has unique snake_case codes, each with a label, settings and cue words", () => {
    const ids = TOPIC_VOCABULARY.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...TOPICS]).toEqual(ids);
    for (const t of TOPIC_VOCABULARY) {
      expect(t.id, t.id).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(t.label.trim(), t.id).toBe(t.label);
      expect(t.label.length, t.id).toBeGreaterThan(2);
      expect(t.settings.length, t.id).toBeGreaterThan(0);
      for (const s of t.settings) expect(TOPIC_SETTINGS, t.id).toContain(s);
      expect(new Set(t.settings).size, t.id).toBe(t.settings.length);
      expect(t.cues.length, t.id).toBeGreaterThan(2);
      const words = t.cues.map(([w]) => w);
      expect(new Set(words).size, `${t.id}: a cue word twice`).toBe(words.length);
      for (const [word, weight] of t.cues) {
        // Texts are lower-cased before matching: a cue with a capital would never match.
        expect(word, t.id).toBe(word.toLowerCase().trim());
        expect(word.length, t.id).toBeGreaterThan(2);
        expect(weight, `${t.id}: ${word}`).toBeGreaterThan(0);
        expect(weight, `${t.id}: ${word}`).toBeLessThanOrEqual(3);
      }
    }
    const labels = TOPIC_VOCABULARY.map((t) => t.label.toLowerCase());
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("covers jails and prisons as well as policing", () => {
    const custody = topicsOfSettings(["custody"]);
    for (const t of [
      "medical_care",
      "mental_health_care",
      "suicide_prevention",
      "restrictive_housing",
      "sexual_safety",
      "staffing",
      "conditions_of_confinement",
      "use_of_force",
      "classification_housing",
      "grievances",
    ] as const)
      expect(custody).toContain(t);
    for (const t of ["stops_searches_arrests", "first_amendment", "crisis_intervention"] as const)
      expect(custody).not.toContain(t);
    expect(topicsOfSettings(["policing"])).not.toContain("suicide_prevention");
    expect(topicsOfSettings([...TOPIC_SETTINGS])).toEqual([...TOPICS]);
  });

  it("decides an agreement's settings from the kinds of its agencies", () => {
    const table: [(typeof AGENCY_KINDS)[number][], string[]][] = [
      [[], ["policing"]],
      [["police"], ["policing"]],
      [["state_police", "campus_police"], ["policing"]],
      [["jail"], ["custody"]],
      [["sheriff"], ["policing", "custody"]],
      [
        ["jail", "police"],
        ["policing", "custody"],
      ],
      [["prosecutor"], ["policing"]],
      [["other", "jail"], ["custody"]],
    ];
    for (const [kinds, settings] of table) expect(topicSettingsOf(kinds), kinds.join(",")).toEqual(settings);
    // Every agency kind gives at least one setting.
    for (const k of AGENCY_KINDS) expect(topicSettingsOf([k]).length).toBeGreaterThan(0);
  });

  it("only ever gives topics of the agreement's settings, for the words that are theirs", () => {
    const cueWords = TOPIC_VOCABULARY.flatMap((t) => t.cues.map(([w]) => w));
    const text = fc
      .array(
        fc.oneof(fc.constantFrom(...cueWords), fc.constantFrom("the", "jail", "will", "ensure", "and")),
        {
          maxLength: 40,
        },
      )
      .map((ws) => ws.join(" "));
    const settings = fc.subarray([...TOPIC_SETTINGS], { minLength: 1 });
    fc.assert(
      fc.property(text, settings, (t, s) => {
        const allowed = topicsOfSettings(s);
        const given = classifyTopics(t, "", s);
        expect(given.length).toBeLessThanOrEqual(3);
        for (const g of given) {
          expect(allowed).toContain(g.topic);
          expect(g.score).toBeGreaterThanOrEqual(2);
          const cues = TOPIC_VOCABULARY.find((v) => v.id === g.topic)!.cues.map(([w]) => w);
          for (const b of g.because) expect(cues).toContain(b.word);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("topics of the Fulton County jail decree (custody)", () => {
  const FULTON = new URL(
    "../../../data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.txt",
    import.meta.url,
  );
  const parsed = parseDecree(readFileSync(FULTON, "utf8").split("\f"));
  const settings = topicSettingsOf(["jail"]);
  const topicsOf = (n: number) => {
    const p = parsed.provisions[n - 1]!;
    expect(p.number).toBe(n);
    return classifyTopics(p.text, p.sections.map((s) => s.title).join(" "), settings).map((t) => t.topic);
  };

  it("gives hand-checked paragraphs their jail topics, the strongest first", () => {
    // Each paragraph read in the decree's text; the first topic is what it is about.
    const expected: [number, Topic][] = [
      [54, "classification_housing"], // housing assignments by classification staff
      [62, "staffing"], // a recruiting and retention plan to meet minimum staffing levels
      [80, "grievances"], // kiosks and paper forms to submit grievances
      [107, "sexual_safety"], // a hotline for reporting sexual abuse, PREA
      [139, "use_of_force"], // no more than three Taser cycles
      [159, "conditions_of_confinement"], // plumbing fixtures, running water
      [197, "medical_care"], // the sick call process
      [219, "mental_health_care"], // mental health treatment plans
      [230, "suicide_prevention"], // identifying suicidal incarcerated people
      [262, "restrictive_housing"], // out-of-cell time in restrictive housing
    ];
    for (const [n, topic] of expected) expect(topicsOf(n)[0], `¶ ${n}`).toBe(topic);
  });

  it("gives no paragraph a policing-only topic", () => {
    const policingOnly = TOPIC_VOCABULARY.filter((t) => !t.settings.some((s) => s === "custody")).map(
      (t) => t.id,
    );
    expect(policingOnly).toEqual(expect.arrayContaining(["stops_searches_arrests", "crisis_intervention"]));
    const given = new Set(parsed.provisions.flatMap((p) => topicsOf(p.number!)));
    for (const t of policingOnly) expect(given.has(t), t).toBe(false);
    // Under the police vocabulary the same paragraph was crisis intervention.
    const p230 = parsed.provisions[229]!;
    expect(
      classifyTopics(p230.text, p230.sections.map((s) => s.title).join(" "), ["policing"]).map(
        (t) => t.topic,
      ),
    ).toContain("crisis_intervention");
  });
});
