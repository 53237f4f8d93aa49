import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildJurisdiction, buildMatter, buildTestApp, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * I4: stored XSS. Every link a user may store is http(s) only (a `javascript:` or `data:` address
 * is refused with 400 wherever a link is taken), and stored markup comes back as JSON data,
 * byte for byte, never as HTML. (How the web app shows such text: packages/web/test/stored-text.test.ts.)
 */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const BAD_LINKS = [
  "javascript:alert(1)",
  "JavaScript:alert(document.cookie)",
  "data:text/html,<script>window.__x=1</script>",
  "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194PTE8L3NjcmlwdD4=",
  "vbscript:msgbox(1)",
  "  javascript:alert(1)",
];

describe(`I4: links are http(s) only (${ENGINE})`, () => {
  it("I4: a statistics source's link refuses javascript: and data: (JSON body and query)", async () => {
    const town = await buildJurisdiction(t.app);
    const csv = `metric,jurisdiction,period,value\nhomicide,${town.slug},2021,6`;
    for (const url of BAD_LINKS) {
      const json = await t.app.inject({
        method: "POST",
        url: "/api/v1/statistics/import",
        payload: { csv, source: `Source ${url}`, sourceUrl: url },
      });
      expect(json.statusCode, `${url}: ${json.body}`).toBe(400);
      const query = await t.app.inject({
        method: "POST",
        url: `/api/v1/statistics/import?source=S&sourceUrl=${encodeURIComponent(url)}`,
        headers: { "content-type": "text/csv" },
        payload: csv,
      });
      expect(query.statusCode, `${url}: ${query.body}`).toBe(400);
    }
    const fine = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import",
      payload: { csv, source: "City open data", sourceUrl: "https://data.example.org/homicides" },
    });
    expect(fine.statusCode, fine.body).toBe(201);
  });

  it("I4: a matter's source, a document's and a review cycle's links refuse javascript: and data:", async () => {
    const j = await buildJurisdiction(t.app);
    const m = await buildMatter(t.app, { jurisdictionId: j.id });
    for (const url of BAD_LINKS) {
      const matter = await t.app.inject({
        method: "POST",
        url: "/api/v1/matters",
        payload: {
          slug: uniqueSlug("m"),
          kind: "consent_decree",
          status: "active",
          title: "T",
          jurisdictionId: j.id,
          sources: [{ citation: "x", url }],
        },
      });
      expect(matter.statusCode, url).toBe(400);
      expect(matter.json().errors[0].path).toBe("sources.0.url");
      const edit = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/matters/${m.slug}`,
        headers: { "if-match": `"${m.version}"` },
        payload: { sources: [{ citation: "x", url }] },
      });
      expect(edit.statusCode, url).toBe(400);
      const cycle = await t.app.inject({
        method: "POST",
        url: "/api/v1/review-cycles",
        payload: { slug: uniqueSlug("c"), name: "C", mandateUrl: url, criteria: [{ code: "1", title: "x" }] },
      });
      expect(cycle.statusCode, `${url}: ${cycle.body}`).toBe(400);
      const form = new FormData();
      form.append("sourceUrl", url);
      form.append("file", new Blob(["Some text"]), "a.txt");
      const upload = await t.app.inject({
        method: "POST",
        url: `/api/v1/matters/${m.slug}/documents`,
        body: form,
      });
      expect(upload.statusCode, `${url}: ${upload.body}`).toBe(400);
    }
    expect((await t.app.inject(`/api/v1/matters/${m.slug}`)).json().version).toBe(m.version);
  });
});

describe(`I4: stored markup comes back as data (${ENGINE})`, () => {
  it("I4: a title with <script> and an onerror handler is answered as JSON, unchanged, never as HTML", async () => {
    const title = `<script>window.__x=1</script><img src=x onerror=window.__x=1><svg onload=alert(1)>`;
    const m = await buildMatter(t.app, { title });
    const res = await t.app.inject(`/api/v1/matters/${m.slug}`);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.json().title).toBe(title);
    // The list gives it back as data too; the CSV export is a download, not a page.
    const list = await t.app.inject("/api/v1/matters");
    expect(list.headers["content-type"]).toMatch(/^application\/json/);
    expect(list.json().items.map((i: { title: string }) => i.title)).toContain(title);
    const csv = await t.app.inject("/api/v1/matters.csv");
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toMatch(/^attachment/);
    // No answer of the API is HTML, even for an address that does not exist.
    const missing = await t.app.inject(`/api/v1/${encodeURIComponent("<script>alert(1)</script>")}`);
    expect(missing.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
