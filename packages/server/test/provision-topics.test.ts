import { readFileSync } from "node:fs";
import { type ProvisionListItem, TOPIC_VOCABULARY } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import {
  buildAgency,
  buildMatter,
  buildTestApp,
  ENGINE,
  parseAndAccept,
  requests,
  type TestApp,
  uploadTextDocument,
} from "./helpers.js";

/**
 * Topics in the vocabulary of the matter's settings: the Fulton County jail decree, on a matter
 * whose agency is a jail, gets jail topics and no policing-only ones; when a person says the
 * agency is a police department, the next accepted parse classifies again, keeping a person's
 * correction.
 */
const TEXT = readFileSync(
  findUp("data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.txt")!,
  "utf8",
);
const POLICING_ONLY = TOPIC_VOCABULARY.filter((t) => !t.settings.some((s) => s === "custody")).map(
  (t) => t.id,
);

describe(`provision topics by the matter's settings (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let agency: { id: string; slug: string; version: number };
  let documentId: string;

  const send: ReturnType<typeof requests>["send"] = (...a) => requests(t.app).send(...a);
  const ok = <T>(...a: Parameters<ReturnType<typeof requests>["send"]>) => requests(t.app).ok<T>(...a);
  const accept = () => parseAndAccept(t.app, documentId, matter.slug);
  const provisions = async () =>
    new Map(
      (
        await ok<{ items: ProvisionListItem[] }>("GET", `/api/v1/matters/${matter.slug}/provisions?limit=500`)
      ).items.map((p) => [p.number!, p]),
    );
  const topicsOf = (p: ProvisionListItem | undefined) => p!.topics.map((x) => x.topic);

  beforeAll(async () => {
    t = await buildTestApp({});
    agency = await buildAgency(t.app, { name: "Fulton County Jail", kind: "jail" });
    matter = await buildMatter(t.app, { title: "Fulton County jail decree", agencyIds: [agency.id] });
    documentId = await uploadTextDocument(t, matter.slug, TEXT, { kind: "decree", filename: "decree.txt" });
  });
  afterAll(() => t?.close());

  it("gives a jail's decree jail topics, and no policing-only topic", async () => {
    await accept();
    const items = await provisions();
    expect(items.size).toBe(369);
    expect(topicsOf(items.get(230))[0]).toBe("suicide_prevention");
    expect(topicsOf(items.get(197))[0]).toBe("medical_care");
    expect(topicsOf(items.get(62))[0]).toBe("staffing");
    expect(topicsOf(items.get(262))[0]).toBe("restrictive_housing");
    expect(topicsOf(items.get(139))[0]).toBe("use_of_force");
    const given = new Set([...items.values()].flatMap(topicsOf));
    for (const topic of POLICING_ONLY) expect(given.has(topic), topic).toBe(false);
    // The list filters by a jail topic like any other.
    const suicide = await ok<{ items: ProvisionListItem[] }>(
      "GET",
      `/api/v1/matters/${matter.slug}/provisions?limit=500&topic=suicide_prevention`,
    );
    expect(suicide.items.map((p) => p.number)).toContain(230);
    // The audit entry of the acceptance says which vocabulary classified.
    const audit = await ok<{ items: { action: string; after: { topicSettings: string[] } }[] }>(
      "GET",
      `/api/v1/audit?entity=decree_parse`,
    );
    expect(audit.items.find((a) => a.action === "PROVISIONS_ACCEPTED")!.after.topicSettings).toEqual([
      "custody",
    ]);
  });

  it("classifies again in the vocabulary a person sets through the agency's kind, keeping corrections", async () => {
    const before = await provisions();
    const url = `/api/v1/provisions/${before.get(10)!.id}`;
    const etag = (await t.app.inject(url)).headers.etag as string;
    const res = await send("PUT", `${url}/topics`, { topics: ["staffing"] }, { "if-match": etag });
    expect(res.statusCode, res.body).toBe(200);
    // Say the agency is a police department, then accept a new parse of the same decree.
    const current = await ok<{ version: number }>("GET", `/api/v1/agencies/${agency.id}`);
    await ok(
      "PATCH",
      `/api/v1/agencies/${agency.id}`,
      { kind: "police" },
      { "if-match": `"${current.version}"` },
    );
    await accept();
    const after = await provisions();
    expect(topicsOf(after.get(230))).toContain("crisis_intervention");
    expect(topicsOf(after.get(230))).not.toContain("suicide_prevention");
    expect(after.get(10)).toMatchObject({ topicsCorrected: true, topics: [{ topic: "staffing" }] });
  });
});
