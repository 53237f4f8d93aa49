import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Issue 16, item 1: with public reading on, a decree on a public matter whose document is not
 * public must not be readable anonymously through its provisions or search snippets; ratings and
 * rationales are never public; nor are the names of those who uploaded documents.
 */
describe(`public reading shows only what is public (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let documentId: string;
  let provisionId: string;

  beforeAll(async () => {
    t = await buildTestApp({ publicRead: true });
    matter = await buildMatter(t.app, { title: "Leakton consent decree", public: true });
    const sha = "a".repeat(64);
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, 10, 'text/plain')`,
    );
    documentId = (await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status, created_by, public)
          values (${matter.id}, ${sha}, 'decree', 'Leakton decree', 'leakton.txt', 'ready', 'tester', false)
          returning id`,
    ))!.id;
    [{ id: provisionId }] = (await queryRows<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, document_id, number, label, sections, path, text, topics)
          values (${matter.id}, ${documentId}, 7, '¶ 7', '[]', '¶ 7',
            'Officers shall record every zanzibarine encounter on body-worn cameras.', '[]')
          returning id`,
    )) as [{ id: string }];
    const period = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/periods`,
      payload: { label: "First report", endsOn: "2024-12-31" },
    });
    expect(period.statusCode, period.body).toBe(201);
    const rated = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${matter.slug}/assessments`,
      payload: {
        items: [{ provisionId, periodId: period.json().id, level: "full", rationale: "Secret rationale" }],
      },
    });
    expect(rated.statusCode, rated.body).toBe(200);
  });
  afterAll(() => t.close());

  const anonymous = (url: string) => t.anonymous(url);

  it("hides the provisions of a document that is not public", async () => {
    expect((await anonymous(`/api/v1/matters/${matter.slug}`)).statusCode).toBe(200);
    expect((await anonymous(`/api/v1/documents/${documentId}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/provisions/${provisionId}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/matters/${matter.slug}/provisions/7`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/matters/${matter.slug}/provisions`)).json().items).toEqual([]);
    const all = (await anonymous("/api/v1/provisions?limit=500")).json();
    expect(all.items.map((p: { id: string }) => p.id)).not.toContain(provisionId);
    const search = (await anonymous("/api/v1/search?q=zanzibarine")).json();
    expect(search.items).toEqual([]);
    // Signed in, it is all there.
    expect((await t.app.inject(`/api/v1/provisions/${provisionId}`)).json().ratings).toHaveLength(1);
    expect((await t.app.inject("/api/v1/search?q=zanzibarine")).json().items.length).toBeGreaterThan(0);
  });

  it("once the document is public, shows its provisions without ratings, and no uploader", async () => {
    await t.database.db.execute(sql`update documents set public = true where id = ${documentId}`);
    const provision = await anonymous(`/api/v1/provisions/${provisionId}`);
    expect(provision.statusCode).toBe(200);
    expect(provision.json().ratings).toEqual([]);
    expect(provision.body).not.toContain("Secret rationale");
    const doc = await anonymous(`/api/v1/documents/${documentId}`);
    expect(doc.statusCode).toBe(200);
    expect(doc.json().createdBy).toBeNull();
    const list = (await anonymous(`/api/v1/matters/${matter.slug}/documents`)).json();
    expect(list.items.map((d: { createdBy: string | null }) => d.createdBy)).toEqual([null]);
    expect((await t.app.inject(`/api/v1/documents/${documentId}`)).json().createdBy).toBe("tester");
  });
});
