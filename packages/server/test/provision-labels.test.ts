import { readFileSync } from "node:fs";
import type { DecreeParse, Provision, ProvisionListItem } from "@accord/domain";
import { parseOutlineText } from "@accord/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

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

  const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as "POST",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const ok = async <T>(
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await send(method, url, payload, headers);
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json() as T;
  };
  const parseAndAccept = async () => {
    const parse = await ok<DecreeParse>("POST", `/api/v1/documents/${documentId}/parse`);
    await ok(
      "POST",
      `/api/v1/matters/${matter.slug}/provisions/accept`,
      { parseId: parse.id },
      {
        "if-match": `"${parse.version}"`,
      },
    );
    return parse;
  };
  const provisions = async () =>
    (await ok<{ items: ProvisionListItem[] }>("GET", `/api/v1/matters/${matter.slug}/provisions?limit=500`))
      .items;

  beforeAll(async () => {
    t = await buildTestApp({});
    matter = await buildMatter(t.app, { title: "Outline agreement", kind: "settlement_agreement" });
    const form = new FormData();
    form.append("kind", "agreement");
    form.append("file", new Blob([TEXT]), "agreement.txt");
    const up = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    documentId = up.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
  });
  afterAll(() => t?.close());

  it("parses and accepts the outline: labels and parents as the outline parser gives them", async () => {
    expect(expected.length).toBeGreaterThan(100);
    const parse = await parseAndAccept();
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
    await parseAndAccept();
    const again = await provisions();
    expect(again.map((p) => [p.id, p.label, p.parentId])).toEqual(
      items.map((p) => [p.id, p.label, p.parentId]),
    );
  });
});
