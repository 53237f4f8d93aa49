import { createHash } from "node:crypto";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type SearchHit,
  SearchQuerySchema,
  type SearchResult,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import type { Db } from "../src/db/open.js";
import { searchRegistry } from "../src/modules/search/index.js";
import {
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  monitorIfMatch,
  type TestApp,
} from "./helpers.js";

/**
 * A small fixed corpus: three matters and four documents whose words were chosen so that each
 * test's expected hits and order can be read off the text below.
 */
let t: TestApp;
const m = {} as Record<"springfield" | "shelbyville" | "ogdenville", { id: string; slug: string }>;
const d = {} as Record<"decree" | "findings" | "memo" | "monitor", string>;

async function insertDocument(
  db: Db,
  doc: { matterId: string | null; kind: string; title: string; date: string | null; public: boolean },
  pages: string[],
): Promise<string> {
  const sha = createHash("sha256").update(doc.title).digest("hex");
  await db.execute(sql`insert into blobs (sha256, size, mime) values (${sha}, 1000, 'application/pdf')`);
  const result = (await db.execute(sql`insert into documents
      (matter_id, sha256, kind, title, date, filename, status, page_count, pages_done, public)
    values (${doc.matterId}, ${sha}, ${doc.kind}, ${doc.title}, ${doc.date}, 'file.pdf', 'ready',
      ${pages.length}, ${pages.length}, ${doc.public}) returning id`)) as unknown as {
    rows: { id: string }[];
  };
  const id = result.rows[0]!.id;
  for (const [k, text] of pages.entries()) {
    await db.execute(
      sql`insert into document_pages (document_id, page, text) values (${id}, ${k + 1}, ${text})`,
    );
  }
  return id;
}

beforeAll(async () => {
  t = await buildTestApp({ publicRead: true });
  const il = await buildJurisdiction(t.app, { name: "Springfield", stateCode: "IL" });
  const oh = await buildJurisdiction(t.app, { name: "Shelbyville", stateCode: "OH" });
  const oh2 = await buildJurisdiction(t.app, { name: "Ogdenville", stateCode: "OH" });
  m.springfield = await buildMatter(t.app, {
    jurisdictionId: il.id,
    title: "Springfield consent decree",
    summary: "Requires body cameras and crisis intervention teams.",
    openedOn: "2016-03-01",
    public: true,
  });
  m.shelbyville = await buildMatter(t.app, {
    jurisdictionId: oh.id,
    kind: "pattern_or_practice_investigation",
    status: "open",
    title: "Shelbyville investigation",
    summary: "Investigators examined vehicle pursuits.",
    openedOn: "2019-07",
  });
  m.ogdenville = await buildMatter(t.app, {
    jurisdictionId: oh2.id,
    kind: "settlement_agreement",
    status: "active",
    title: "Ogdenville crisis response settlement",
    openedOn: "2021",
  });
  const db = t.database.db;
  d.decree = await insertDocument(
    db,
    {
      matterId: m.springfield.id,
      kind: "decree",
      title: "Springfield decree text",
      date: "2017-05-02",
      public: true,
    },
    [
      "The parties agree that officers will activate body cameras during every stop. Supervisors review footage weekly.",
      "Crisis intervention training covers de-escalation. The academy trains recruits in crisis response.",
    ],
  );
  d.findings = await insertDocument(
    db,
    {
      matterId: m.shelbyville.id,
      kind: "findings_report",
      title: "Findings on pursuits",
      date: "2020",
      public: false,
    },
    [
      "Officers engaged in vehicle pursuits that endangered bystanders. Pursuit policy was vague.",
      "Use of force reports were incomplete: the use of batons and the force used were not recorded.",
      "Force was used, and officers did not use restraint. No canine was involved.",
    ],
  );
  d.memo = await insertDocument(
    db,
    { matterId: null, kind: "memo", title: "Canine unit memo", date: "2021-01", public: true },
    ["The canine unit deploys dogs. Handlers train with trainers weekly."],
  );
  d.monitor = await insertDocument(
    db,
    {
      matterId: m.ogdenville.id,
      kind: "monitor_report",
      title: "Monitor report on canine deployments",
      date: "2022-03",
      public: true,
    },
    ["Deployments of dogs declined. Body cameras recorded most bites."],
  );
});
afterAll(async () => {
  await t?.close();
});

async function search(query: string, headers: Record<string, string> = {}): Promise<SearchResult> {
  const res = await t.app.inject({ url: `/api/v1/search?${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SearchResult;
}

const q = (text: string, rest = "") => `q=${encodeURIComponent(text)}${rest}`;

/** A hit as a short label: the matter's slug, or the document and page. */
const label = (h: SearchHit) =>
  h.type === "matter"
    ? Object.entries(m).find(([, v]) => v.id === h.id)?.[0]
    : `${Object.entries(d).find(([, v]) => v === h.documentId)?.[0]}:${h.page}`;
const labels = async (query: string, headers?: Record<string, string>) =>
  (await search(query, headers)).items.map(label);

describe(`search (${ENGINE})`, () => {
  it("finds every word, stemmed, across matters and document pages", async () => {
    expect(await labels(q("pursuits"))).toEqual(["findings:1", "shelbyville"]);
    // "pursuit" in the title, "pursuits" on page 1; the matter says "pursuits" in its summary.
    expect(new Set(await labels(q("vehicle pursuit")))).toEqual(new Set(["findings:1", "shelbyville"]));
    expect(await labels(q("vehicle bystanders"))).toEqual(["findings:1"]);
    expect((await search(q("vehicle zebra"))).total).toBe(0);
  });

  it("ranks an exact phrase above scattered words", async () => {
    const result = await search(q("use of force"));
    expect(result.items.map(label)).toEqual(["findings:2", "findings:3"]);
    expect(result.items[0]!.rank).toBeGreaterThanOrEqual(1);
    expect(result.items[1]!.rank).toBeLessThan(0.5);
    // Quoted, only the phrase counts.
    expect(await labels(q('"use of force"'))).toEqual(["findings:2"]);
  });

  it("ranks a title hit above a body hit, for documents and for matters", async () => {
    // The memo says canine in its title and on its page; the monitor's report only in its title
    // (found by its first page); the findings only on a page.
    expect(await labels(q("canine"))).toEqual(["memo:1", "monitor:1", "findings:3"]);
    // Ogdenville's title says crisis; Springfield's summary and decree page only.
    const crisis = await labels(q("crisis"));
    expect(crisis[0]).toBe("ogdenville");
    expect(new Set(crisis)).toEqual(new Set(["ogdenville", "springfield", "decree:2"]));
  });

  it("leaves out what -word excludes, on the page and in the title", async () => {
    expect(await labels(q("canine -bites"))).toEqual(["memo:1", "findings:3"]);
    expect(await labels(q("canine -memo"))).toEqual(["monitor:1", "findings:3"]);
    expect(await labels(q('force -"use of force"'))).toEqual(["findings:3"]);
  });

  it("matches prefixes with *", async () => {
    expect((await search(q("pursu"))).total).toBe(0);
    expect(await labels(q("pursu*"))).toEqual(["findings:1", "shelbyville"]);
    expect((await search(q("trai"))).total).toBe(0);
    expect(new Set(await labels(q("trai*")))).toEqual(new Set(["memo:1", "decree:2"]));
    // Prefixes are stemmed too: training* looks for train*.
    expect(new Set(await labels(q("training*")))).toEqual(new Set(["memo:1", "decree:2"]));
    expect(await labels(q("canine -trai*"))).toEqual(["monitor:1", "findings:3"]);
  });

  it("marks the matched words in snippets, and says where a page hit is", async () => {
    const [hit] = (await search(q("bystanders"))).items;
    expect(hit).toMatchObject({
      type: "document_page",
      id: d.findings,
      documentId: d.findings,
      page: 1,
      title: "Findings on pursuits",
      documentKind: "findings_report",
      date: "2020",
      matter: { id: m.shelbyville.id, slug: m.shelbyville.slug, title: "Shelbyville investigation" },
    });
    expect(hit!.snippet).toContain(`${HIGHLIGHT_START}bystanders${HIGHLIGHT_END}`);
    const matter = (await search(q("investigators"))).items[0]!;
    expect(matter).toMatchObject({
      type: "matter",
      id: m.shelbyville.id,
      title: "Shelbyville investigation",
      documentId: null,
      page: null,
      documentKind: null,
      date: "2019-07",
    });
    expect(matter.snippet).toContain(`${HIGHLIGHT_START}Investigators${HIGHLIGHT_END} examined`);
  });

  it("counts facets over every match, each facet ignoring its own filter", async () => {
    const all = await search(q("officers"));
    expect(all.total).toBe(3);
    expect(all.facets).toEqual({
      type: [{ value: "document_page", label: "Document pages", count: 3 }],
      kind: [
        { value: "findings_report", label: "Findings report", count: 2 },
        { value: "decree", label: "Consent decree", count: 1 },
      ],
      matter: [
        { value: m.shelbyville.slug, label: "Shelbyville investigation", count: 2 },
        { value: m.springfield.slug, label: "Springfield consent decree", count: 1 },
      ],
      state: [
        { value: "OH", label: "OH", count: 2 },
        { value: "IL", label: "IL", count: 1 },
      ],
      year: [
        { value: "2020", label: "2020", count: 2 },
        { value: "2017", label: "2017", count: 1 },
      ],
    });
    const decree = await search(q("officers", "&kind=decree"));
    expect(decree.items.map(label)).toEqual(["decree:1"]);
    expect(decree.total).toBe(1);
    expect(decree.facets.kind).toEqual(all.facets.kind);
    expect(decree.facets.matter).toEqual([
      { value: m.springfield.slug, label: "Springfield consent decree", count: 1 },
    ]);
    expect(decree.facets.state).toEqual([{ value: "IL", label: "IL", count: 1 }]);
    const mixed = await search(q("cameras"));
    expect(mixed.facets.type).toEqual([
      { value: "document_page", label: "Document pages", count: 2 },
      { value: "matter", label: "Matters", count: 1 },
    ]);
    expect(mixed.facets.year.map((y) => y.value)).toEqual(["2022", "2017", "2016"]);
  });

  it("filters by type, kind, matter (id or slug), state and year", async () => {
    expect(await labels(q("cameras", "&type=matter"))).toEqual(["springfield"]);
    expect(new Set(await labels(q("cameras", "&type=document_page")))).toEqual(
      new Set(["decree:1", "monitor:1"]),
    );
    expect(await labels(q("cameras", "&kind=monitor_report,memo"))).toEqual(["monitor:1"]);
    for (const key of [m.springfield.id, m.springfield.slug]) {
      expect(new Set(await labels(q("cameras", `&matter=${key}`)))).toEqual(
        new Set(["springfield", "decree:1"]),
      );
    }
    expect((await search(q("cameras", "&matter=no-such-matter"))).total).toBe(0);
    expect(await labels(q("cameras", "&state=OH"))).toEqual(["monitor:1"]);
    expect(new Set(await labels(q("cameras", "&year=2016,2017")))).toEqual(
      new Set(["springfield", "decree:1"]),
    );
    const filtered = await search(q("cameras", "&year=2016&type=matter"));
    expect(filtered.total).toBe(1);
    expect(filtered.facets.year.map((y) => y.value)).toEqual(["2016"]);
    expect(filtered.facets.type.map((x) => x.value)).toEqual(["matter"]);
  });

  it("pages through the results with a stable order and the total", async () => {
    const whole = await search(q("officers"));
    const first = await search(q("officers", "&limit=2"));
    const second = await search(q("officers", "&limit=2&offset=2"));
    expect(first.total).toBe(3);
    expect(second.total).toBe(3);
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect([...first.items, ...second.items]).toEqual(whole.items);
    expect((await search(q("officers", "&offset=10"))).items).toEqual([]);
  });

  it("answers hostile queries with results or a clear 400, never an error", async () => {
    const hostile = [
      '"',
      "a:b",
      "(",
      "\\",
      "&|!",
      "x".repeat(500),
      "police:*",
      "'",
      "<->",
      "-",
      "*",
      "!police",
    ];
    for (const text of hostile) {
      const res = await t.app.inject(`/api/v1/search?${q(text)}`);
      expect([200, 400], `${text} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      if (res.statusCode === 400) expect(res.json()).toMatchObject({ code: "validation_failed" });
    }
    const exclusions = await t.app.inject(`/api/v1/search?${q("-canine -bites")}`);
    expect(exclusions.statusCode).toBe(400);
    expect(exclusions.json()).toMatchObject({
      code: "validation_failed",
      errors: [{ path: "q", message: "Say what to look for, not only what to leave out" }],
    });
    expect((await t.app.inject(`/api/v1/search?${q("x".repeat(501))}`)).statusCode).toBe(400);
    expect((await t.app.inject("/api/v1/search")).statusCode).toBe(400);
    for (const filters of [
      "&matter=%00",
      "&matter=a'b",
      "&state=%00a",
      "&state=md",
      "&year=x",
      "&offset=-1",
      "&limit=0",
    ]) {
      expect((await t.app.inject(`/api/v1/search?${q("police", filters)}`)).statusCode, filters).toBe(400);
    }
    // Only common words, or only exclusions once those are gone: nothing to look for, nothing found.
    expect((await search(q("the of"))).total).toBe(0);
    expect((await search(q("the -canine"))).total).toBe(0);
  });

  it("never fails on any typed text", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(..."ab1 -\"*:&|!()<>'\\.@/+_é\u0301\u0000\uE000"), maxLength: 40 }),
        async (text) => {
          const res = await t.app.inject(`/api/v1/search?${q(text)}`);
          expect([200, 400], `${JSON.stringify(text)} → ${res.statusCode} ${res.body}`).toContain(
            res.statusCode,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await t.app.inject("/api/openapi.json")).json();
    expect(doc.paths["/api/v1/search"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["q", "type", "kind", "matter", "state", "year", "limit", "offset"]),
    );
  });

  it("shows a monitor only the hits of their assigned matters", async () => {
    const token = await t.tokenFor("monitor", "marge");
    const as = { authorization: `Bearer ${token}` };
    expect((await search(q("officers"), as)).total).toBe(0);
    const res = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${m.shelbyville.slug}/assignments/marge`,
      headers: await monitorIfMatch(t.app, "marge"),
    });
    expect(res.statusCode).toBe(200);
    const seen = await search(q("officers"), as);
    expect(seen.items.map(label)).toEqual(["findings:1", "findings:3"]);
    expect(seen.facets.matter.map((f) => f.value)).toEqual([m.shelbyville.slug]);
    // Department-wide documents are not the monitor's to read.
    expect((await search(q("canine"), as)).items.map(label)).toEqual(["findings:3"]);
  });

  it("shows anonymous visitors only public matters and public documents", async () => {
    const read = async (query: string) => {
      const res = await t.anonymous(`/api/v1/search?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as SearchResult;
    };
    // The monitor's report is public but its matter is not; the findings are not public.
    expect((await read(q("canine"))).items.map(label)).toEqual(["memo:1"]);
    const cameras = await read(q("cameras"));
    expect(new Set(cameras.items.map(label))).toEqual(new Set(["springfield", "decree:1"]));
    expect(cameras.facets.matter.map((f) => f.value)).toEqual([m.springfield.slug]);
    expect((await read(q("pursuits"))).total).toBe(0);
  });

  it("finds the provisions of accepted decrees, not retired ones, under the provision type", async () => {
    // Words no other test looks for, so the corpus above keeps its counts.
    const insert = (matterId: string, documentId: string | null, n: number, text: string, retired = false) =>
      t.database.db.execute(sql`insert into provisions (matter_id, document_id, number, label, path, text, page, retired_at)
        values (${matterId}, ${documentId}, ${n}, ${`¶ ${n}`}, ${`II. Use of Force › ¶ ${n}`}, ${text}, 2,
          ${retired ? sql`now()` : sql`null`})`);
    await insert(m.springfield.id, d.decree, 7, "Chokeholds and carotid holds are prohibited.");
    await insert(
      m.shelbyville.id,
      null,
      8,
      "Carotid restraints are banned unless deadly force is justified.",
    );
    await insert(m.springfield.id, d.decree, 9, "Carotid holds were allowed once.", true);
    const found = await search(q("carotid"));
    expect(found.total).toBe(2);
    expect(found.facets.type).toEqual([{ value: "provision", label: "Provisions", count: 2 }]);
    const hit = found.items.find((h) => h.matter?.id === m.springfield.id)!;
    expect(hit).toMatchObject({
      type: "provision",
      title: "II. Use of Force › ¶ 7",
      documentId: d.decree,
      page: 2,
      documentKind: "decree",
      date: "2017-05-02",
    });
    expect(hit.snippet).toContain(`${HIGHLIGHT_START}carotid${HIGHLIGHT_END}`);
    expect(found.facets.kind).toEqual([{ value: "decree", label: "Consent decree", count: 1 }]);
    expect((await search(q("carotid", "&type=matter"))).total).toBe(0);
    // Anonymous visitors: the public matter's provision only.
    const open = (await t.anonymous(`/api/v1/search?${q("carotid")}`)).json() as SearchResult;
    expect(open.items.map((h) => h.matter?.id)).toEqual([m.springfield.id]);
  });

  it("searches within one document: its pages only, by page", async () => {
    expect(await labels(q("force", `&document=${d.findings}`))).toEqual(["findings:2", "findings:3"]);
    expect(await labels(q("cameras", `&document=${d.decree}`))).toEqual(["decree:1"]);
    // Not the matter, not the other document's page, even though both say cameras.
    const within = await search(q("cameras", `&document=${d.monitor}`));
    expect(within.items.map(label)).toEqual(["monitor:1"]);
    expect(within.facets.type).toEqual([{ value: "document_page", label: "Document pages", count: 1 }]);
    // A title-only hit is still found by the document's first page.
    expect(await labels(q("deployments", `&document=${d.monitor}`))).toEqual(["monitor:1"]);
    expect((await search(q("pursuits", `&document=${d.decree}`))).total).toBe(0);
    expect((await t.app.inject(`/api/v1/search?${q("force", "&document=nope")}`)).statusCode).toBe(400);
    // A document outside the caller's scope finds nothing.
    const open = (await t.anonymous(`/api/v1/search?${q("force", `&document=${d.findings}`)}`)).json();
    expect(open.total).toBe(0);
  });

  it("is exact under the candidate cap, and says when a broad query was capped", async () => {
    const exact = await search(q("officers"));
    expect(exact).toMatchObject({ total: 3, capped: false });
    const parse = (text: string, rest = "") =>
      SearchQuerySchema.parse(Object.fromEntries(new URLSearchParams(q(text, rest))));
    const ctx = systemContext(t.database.db, "test");
    // One candidate per source (and the page asked for): more match, so the answer is capped and
    // its total counts what was ranked, at least as many as shown.
    const capped = await searchRegistry(ctx, parse("officers", "&limit=1"), { candidates: 1 });
    expect(capped.capped).toBe(true);
    expect(capped.items).toHaveLength(1);
    expect(capped.total).toBeGreaterThanOrEqual(2);
    expect(capped.total).toBeLessThanOrEqual(3);
    // The best hits are candidates however few are read: the phrase, then a title hit.
    const phrase = await searchRegistry(ctx, parse("use of force", "&limit=1"), { candidates: 1 });
    expect(phrase.items.map(label)).toEqual(["findings:2"]);
    const title = await searchRegistry(ctx, parse("canine", "&limit=1"), { candidates: 1 });
    expect(title.items.map(label)).toEqual(["memo:1"]);
    // Paging deeper reads deeper: the cap never hides a page asked for.
    const second = await searchRegistry(ctx, parse("officers", "&limit=1&offset=2"), { candidates: 1 });
    expect(second.items).toHaveLength(1);
    expect(second.total).toBe(3);
  });

  it("lists documents by title words (GET /documents?q=)", async () => {
    const titles = async (text: string) =>
      (
        (await t.app.inject(`/api/v1/documents?q=${encodeURIComponent(text)}`)).json() as {
          items: { title: string }[];
          total: number;
        }
      ).items.map((x) => x.title);
    expect(await titles("canine")).toEqual(["Monitor report on canine deployments", "Canine unit memo"]);
    // Words are prefixes and stemmed; all must match.
    expect(await titles("pursuit")).toEqual(["Findings on pursuits"]);
    expect(await titles("spring dec")).toEqual(["Springfield decree text"]);
    expect(await titles("canine memo")).toEqual(["Canine unit memo"]);
    // Text inside a word, as typed, and nothing for a title no document has.
    expect(await titles("ingfield")).toEqual(["Springfield decree text"]);
    expect(await titles("zebra")).toEqual([]);
    expect(await titles("100%_")).toEqual([]);
    const res = await t.app.inject(`/api/v1/documents?q=${"x".repeat(201)}`);
    expect(res.statusCode).toBe(400);
  });
});
