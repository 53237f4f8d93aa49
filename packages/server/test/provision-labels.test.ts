import { readFileSync } from "node:fs";
import type { Provision, ProvisionListItem } from "@accord/domain";
import { parseOutlineText } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import {
  buildMatter,
  buildTestApp,
  ENGINE,
  parseAndAccept,
  requests,
  type TestApp,
  uploadTextDocument,
} from "./helpers.js";

/**
 * An agreement in outline numbering (I, I.a, III.b.i…), uploaded as a court-records text file,
 * parsed, accepted: each provision is cited by its label, under its parent, and a re-accept keeps
 * the rows.
 */
const FIXTURE = "packages/domain/test/fixtures/agreements/agreement_2014-01-13.txt";
const TEXT = readFileSync(findUp(FIXTURE)!, "utf8");

describe(`provision labels (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let documentId: string;
  const expected = parseOutlineText(TEXT).nodes;

  const send: ReturnType<typeof requests>["send"] = (...a) => requests(t.app).send(...a);
  const ok = <T>(...a: Parameters<ReturnType<typeof requests>["send"]>) => requests(t.app).ok<T>(...a);
  const accept = () => parseAndAccept(t.app, documentId, matter.slug);
  const provisions = async () =>
    (await ok<{ items: ProvisionListItem[] }>("GET", `/api/v1/matters/${matter.slug}/provisions?limit=500`))
      .items;

  beforeAll(async () => {
    t = await buildTestApp({});
    matter = await buildMatter(t.app, { title: "Outline agreement", kind: "settlement_agreement" });
    documentId = await uploadTextDocument(t, matter.slug, TEXT, {
      kind: "agreement",
      filename: "agreement.txt",
    });
  });
  afterAll(() => t?.close());

  it("parses and accepts the outline: labels and parents as the outline parser gives them", async () => {
    expect(expected.length).toBeGreaterThan(100);
    const parse = await accept();
    expect(parse.provisions.map((p) => p.label)).toEqual(expected.map((n) => n.label));
    const items = await provisions();
    expect(items.map((p) => p.label)).toEqual(expected.map((n) => n.label));
    const labelOf = new Map(items.map((p) => [p.id, p.label]));
    expect(items.map((p) => (p.parentId ? labelOf.get(p.parentId) : null))).toEqual(
      expected.map((n) => n.parentLabel),
    );
    expect(items.map((p) => [p.depth, p.heading, p.definition])).toEqual(
      expected.map((n) => [n.depth, n.heading, n.definition]),
    );
    expect(items.every((p) => p.number === null)).toBe(true);

    // The label is the address to cite, URL-encoded.
    const deep = items.find((p) => p.depth === 2)!;
    const cited = await ok<Provision>(
      "GET",
      `/api/v1/matters/${matter.slug}/provisions/${encodeURIComponent(deep.label)}`,
    );
    expect(cited).toMatchObject({ id: deep.id, label: deep.label, parentId: deep.parentId });
    expect(cited.citation).toBe(
      `/api/v1/matters/${matter.slug}/provisions/${encodeURIComponent(deep.label)}`,
    );
    expect((await send("GET", `/api/v1/matters/${matter.slug}/provisions/IX.zz`)).statusCode).toBe(404);

    // Parsed and accepted again, every row is kept: same ids, same parents.
    await accept();
    const again = await provisions();
    expect(again.map((p) => [p.id, p.label, p.parentId])).toEqual(
      items.map((p) => [p.id, p.label, p.parentId]),
    );
  });
});
