import { describe, expect, it } from "vitest";
import { classifyTopics, scoreTopics, TOPIC_LABELS, TOPICS } from "../src/index.js";

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
});
