import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NEAR_DUPLICATE_THRESHOLD } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { MAX_ATTEMPTS, requeueOrphanedJobs, runPendingJobs, startJobRunner } from "../src/jobs/job-runner.js";
import {
  DEFAULT_LIMITS,
  keepSpares,
  runExtraction,
  spareCount,
  spareReady,
  stopSpareWorker,
} from "../src/modules/documents/index.js";
import {
  docxOf,
  NEWS_STORY,
  OTHER_DECREE,
  pdfClaimingPages,
  pdfOf,
  pdfWithJavaScript,
  plainZip,
  spun,
} from "./document-fixtures.js";
import { buildMatter, buildTestApp, ENGINE, monitorIfMatch, type TestApp } from "./helpers.js";

/** Documents end to end through the API: upload, storage, dedup, extraction, failures, scope. */

const DECREE_PATH = findUp("data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.pdf")!;
const DECREE = readFileSync(DECREE_PATH);

interface Doc {
  id: string;
  status: string;
  failure: string | null;
  pageCount: number | null;
  pagesDone: number;
  scannedPages: number[];
  sha256: string;
  mime: string;
  title: string;
  version: number;
  sameFile: { id: string; matterSlug: string | null }[];
  nearDuplicateOf: { id: string; similarity: number } | null;
}

type FileSpec = { name: string; bytes: Buffer | string };

describe(`documents (${ENGINE})`, () => {
  let t: TestApp;
  let matter: { id: string; slug: string };
  let decreeDoc: Doc;

  const upload = (slug: string, files: FileSpec[], fields: Record<string, string> = {}, headers = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files) form.append("file", new Blob([f.bytes]), f.name);
    return t.app.inject({ method: "POST", url: `/api/v1/matters/${slug}/documents`, body: form, headers });
  };
  /** Uploads, runs every queued job to the end, and answers the documents as they then are. */
  const addAndExtract = async (slug: string, files: FileSpec[], fields: Record<string, string> = {}) => {
    const res = await upload(slug, files, fields);
    expect([200, 201], res.body).toContain(res.statusCode);
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
    const items = res.json().items as { document: Doc }[];
    return Promise.all(
      items.map(async (i) => (await t.app.inject(`/api/v1/documents/${i.document.id}`)).json() as Doc),
    );
  };
  const page = async (id: string, n: number) =>
    (await t.app.inject(`/api/v1/documents/${id}/pages/${n}`)).json();

  beforeAll(async () => {
    t = await buildTestApp();
    matter = await buildMatter(t.app, { title: "Fulton County jail decree" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("extracts the real 71-page decree, each page's text on its page, and serves the file", async () => {
    const res = await upload(matter.slug, [{ name: "fulton-decree.pdf", bytes: DECREE }], {
      kind: "decree",
      title: "Consent decree",
      date: "2025-01-06",
      sourceUrl: "https://www.courtlistener.com/docket/69519152/united-states-v-fulton-county/",
    });
    expect(res.statusCode, res.body).toBe(201);
    const queued = res.json().items[0];
    expect(queued).toMatchObject({
      duplicate: false,
      document: { status: "queued", mime: "application/pdf" },
    });
    const started = Date.now();
    expect(await runPendingJobs({ db: t.database.db, dataDir: t.dataDir })).toBe(1);
    const elapsed = Date.now() - started;
    decreeDoc = (await t.app.inject(`/api/v1/documents/${queued.document.id}`)).json();
    expect(decreeDoc).toMatchObject({
      status: "ready",
      pageCount: 71,
      pagesDone: 71,
      scannedPages: [],
      failure: null,
    });
    expect(elapsed).toBeLessThan(30_000);
    const p5 = await page(decreeDoc.id, 5);
    expect(p5).toMatchObject({ page: 5, pageCount: 71 });
    expect(p5.text).toContain("Page 5 of 71");
    expect(p5.text).toContain("CRIPA Findings Report");
    expect((await page(decreeDoc.id, 71)).text).toContain("Page 71 of 71");
    expect((await t.app.inject(`/api/v1/documents/${decreeDoc.id}/pages/72`)).statusCode).toBe(404);
    // Stored once, by content, where the hash says.
    const stored = join(
      t.dataDir,
      "blobs",
      decreeDoc.sha256.slice(0, 2),
      decreeDoc.sha256.slice(2, 4),
      decreeDoc.sha256,
    );
    expect(readFileSync(stored).equals(DECREE)).toBe(true);
    const file = await t.app.inject(`/api/v1/documents/${decreeDoc.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("application/pdf");
    expect(file.headers["content-disposition"]).toContain('inline; filename="fulton-decree.pdf"');
    expect(file.rawPayload.equals(DECREE)).toBe(true);
  });

  it("extracts a generated multi-page PDF, DOCX, HTML and text, page by page", async () => {
    const [pdf, docx, html, text] = await addAndExtract(matter.slug, [
      {
        name: "three.pdf",
        bytes: await pdfOf(["First page: alpha", "Second page: beta", "Third page: gamma"]),
      },
      { name: "memo.docx", bytes: docxOf([["Memo page one", "Still page one"], ["Memo page two & more"]]) },
      {
        name: "story.html",
        bytes:
          "<!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body><script>alert(1)</script><h1>Headline</h1><p>Caf&eacute; &amp; &#8220;quotes&#8221;</p></body></html>",
      },
      { name: "report.txt", bytes: "Page one of the report\fPage two of the report\f" },
    ]);
    expect(pdf).toMatchObject({ status: "ready", pageCount: 3 });
    expect((await page(pdf!.id, 2)).text).toBe("Second page: beta");
    expect((await page(pdf!.id, 3)).text).toBe("Third page: gamma");
    expect(docx).toMatchObject({ status: "ready", pageCount: 2, title: "memo" });
    expect((await page(docx!.id, 1)).text).toBe("Memo page one\nStill page one");
    expect((await page(docx!.id, 2)).text).toBe("Memo page two & more");
    expect(html).toMatchObject({ status: "ready", pageCount: 1, mime: "text/html" });
    const htmlText = (await page(html!.id, 1)).text;
    expect(htmlText).toContain("Headline");
    expect(htmlText).toContain("Café & “quotes”");
    expect(htmlText).not.toContain("alert");
    expect(htmlText).not.toContain("color");
    expect(text).toMatchObject({ status: "ready", pageCount: 2 });
    expect((await page(text!.id, 2)).text).toBe("Page two of the report");
    // An uploaded HTML page never opens in our origin: it is a sandboxed download.
    const file = await t.app.inject(`/api/v1/documents/${html!.id}/file`);
    expect(file.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(file.headers["content-security-policy"]).toContain("sandbox");
    expect(file.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("fails each hostile or broken file on its own document, with a reason, and reads the rest", async () => {
    const good = await pdfOf(["A good page among bad ones"]);
    const three = await pdfOf(["one", "two", "three"]);
    const marker = join(tmpdir(), `accord-js-ran-${process.pid}-${Date.now()}`);
    const docs = await addAndExtract(matter.slug, [
      { name: "truncated.pdf", bytes: three.subarray(0, Math.floor(three.length / 2)) },
      { name: "scripted.pdf", bytes: pdfWithJavaScript(marker) },
      { name: "huge.pdf", bytes: pdfClaimingPages(100_000) },
      { name: "letter.pdf", bytes: plainZip() },
      { name: "notes.txt", bytes: good },
      { name: "empty.pdf", bytes: "" },
      {
        name: "locked.pdf",
        bytes: await pdfOf(["secret"], { userPassword: "pw", ownerPassword: "owner" } as never),
      },
      { name: "scans.pdf", bytes: await pdfOf(["", ""]) },
      { name: "half-scanned.pdf", bytes: await pdfOf(["typed page", ""]) },
      // The same bytes as notes.txt: that document failed, so this is a new one, not a duplicate.
      { name: "good.pdf", bytes: good },
    ]);
    const byName = Object.fromEntries(docs.map((d) => [(d as Doc & { filename: string }).filename, d]));
    expect(byName["truncated.pdf"]).toMatchObject({
      status: "failed",
      failure: expect.stringMatching(/^The PDF is damaged: /),
    });
    // Document JavaScript never runs: the file it would write does not exist; the text is read.
    expect(byName["scripted.pdf"]).toMatchObject({ status: "ready", pageCount: 1 });
    expect((await page(byName["scripted.pdf"]!.id, 1)).text).toBe("Scripted page text stays readable");
    expect(existsSync(marker)).toBe(false);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    expect(byName["huge.pdf"]).toMatchObject({
      status: "failed",
      failure: "The PDF claims 100,000 pages; Accord reads at most 2,000",
    });
    expect(byName["letter.pdf"]).toMatchObject({
      status: "failed",
      failure: "The file is named .pdf but it is a ZIP archive",
      mime: "application/zip",
    });
    expect(byName["notes.txt"]).toMatchObject({
      status: "failed",
      failure: "The file is named .txt but it is a PDF",
    });
    expect(byName["empty.pdf"]).toMatchObject({ status: "failed", failure: "The file is empty" });
    expect(byName["locked.pdf"]).toMatchObject({
      status: "failed",
      failure: "The PDF is encrypted (password-protected)",
    });
    expect(byName["scans.pdf"]).toMatchObject({
      status: "failed",
      scannedPages: [1, 2],
      failure: expect.stringMatching(/^No text layer: all 2 pages are scanned images/),
    });
    expect(byName["half-scanned.pdf"]).toMatchObject({ status: "ready", pageCount: 2, scannedPages: [2] });
    expect(byName["good.pdf"]).toMatchObject({ status: "ready", pageCount: 1 });
    // The server is still up and answers.
    expect((await t.app.inject("/healthz")).statusCode).toBe(200);
  });

  it("reads the next file in the worker process that read the last one well, never in one whose file failed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accord-reuse-"));
    const write = async (name: string, bytes: Buffer | string) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const one = await write("one.pdf", await pdfOf(["First file"]));
    const two = await write("two.pdf", await pdfOf(["Second file"]));
    const broken = await write("broken.pdf", (await pdfOf(["a", "b"])).subarray(0, 300));
    // One thread (no file read in halves by two workers) and no spare left by an earlier test
    // file: the test files of a Vitest worker share this module, and with it the spares.
    const limits = { ...DEFAULT_LIMITS, threads: 1 };
    const read = (path: string) => runExtraction({ path, type: "pdf" }, limits, async () => {});
    await stopSpareWorker();
    try {
      const a = await read(one);
      const b = await read(two);
      expect(a.ok && b.ok).toBe(true);
      expect(b.pid).toBe(a.pid);
      const c = await read(broken);
      expect(c).toMatchObject({ ok: false, failure: expect.stringMatching(/^The PDF is damaged/) });
      expect(c.pid).toBe(b.pid);
      const d = await read(one);
      expect(d.ok).toBe(true);
      expect(d.pid).not.toBe(c.pid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a long PDF in two halves at once, with the same pages and signature as one worker", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accord-halves-"));
    const path = join(dir, "long.pdf");
    // 41 pages, each naming its number in words of its own, so a page read twice or missed shows.
    writeFileSync(
      path,
      await pdfOf(
        Array.from(
          { length: 41 },
          (_, i) =>
            `Paragraph ${i + 1}. The monitor shall review incident ${i + 1} with care number ${i * 7}.`,
        ),
      ),
    );
    const read = async (threads: number) => {
      const pages = new Map<number, string>();
      let counts = 0;
      const outcome = await runExtraction(
        { path, type: "pdf" },
        { ...DEFAULT_LIMITS, threads },
        async (m) => {
          if (m.kind === "pageCount") counts++;
          if (m.kind === "pages") for (const p of m.pages) pages.set(p.page, p.text);
        },
      );
      return { outcome, pages, counts };
    };
    try {
      const one = await read(1);
      expect(one.outcome).toMatchObject({ ok: true, workers: 1 });
      // Two warmed spares at hand, as between uploads, so the next read is in halves.
      await read(2);
      await spareReady();
      const two = await read(2);
      expect(two.outcome).toMatchObject({ ok: true, workers: 2 });
      expect(two.counts).toBe(1);
      expect([...two.pages.keys()].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 41 }, (_, i) => i + 1),
      );
      expect(two.pages).toEqual(one.pages);
      expect(two.pages.get(21)).toContain("incident 21 ");
      // The halves' signatures join into exactly the one worker's.
      if (one.outcome.ok && two.outcome.ok) expect(two.outcome.signature).toEqual(one.outcome.signature);
      // Both workers wait as spares; keepSpares(1) ends one of them.
      await spareReady();
      expect(spareCount()).toBe(2);
      keepSpares(1);
      expect(spareCount()).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ends a warm spare worker that waited its idle time for a file (its memory is given back)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accord-spare-"));
    const path = join(dir, "one.pdf");
    writeFileSync(path, await pdfOf(["A page for the spare."]));
    try {
      const limits = { ...DEFAULT_LIMITS, threads: 1, spareIdleMs: 300 };
      const outcome = await runExtraction({ path, type: "pdf" }, limits, async () => {});
      expect(outcome).toMatchObject({ ok: true });
      // The worker that read the file waits as a spare, then ends once idle for 300 ms.
      expect(spareCount()).toBe(1);
      await spareReady();
      await expect.poll(() => spareCount(), { timeout: 10_000, interval: 100 }).toBe(0);
      // The next document is read by a new worker, as well as before.
      expect(await runExtraction({ path, type: "pdf" }, DEFAULT_LIMITS, async () => {})).toMatchObject({
        ok: true,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops an extraction that takes too long or needs too much memory, and moves on", async () => {
    // Long enough that even a warm worker (the test before leaves one) cannot read it in 20 ms.
    const slow = await pdfOf(Array.from({ length: 400 }, (_, i) => `Slow page ${i + 1}`));
    const res = await upload(matter.slug, [{ name: "slow.pdf", bytes: slow }]);
    const id = res.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir, limits: { timeoutMs: 20 } });
    expect((await t.app.inject(`/api/v1/documents/${id}`)).json()).toMatchObject({
      status: "failed",
      failure: "Extraction took longer than 0.02 s and was stopped",
    });
    // pdf.js alone needs more than 4 MB of heap: the worker is stopped, not the server.
    const hungry = await upload(matter.slug, [{ name: "hungry.pdf", bytes: await pdfOf(["Hungry page"]) }]);
    const hungryId = hungry.json().items[0].document.id;
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir, limits: { heapMb: 4 } });
    expect((await t.app.inject(`/api/v1/documents/${hungryId}`)).json()).toMatchObject({
      status: "failed",
      failure: "Extraction needed more memory than its limit of 4 MB and was stopped",
    });
  });

  it("stores the same bytes once, answers the same document on the same matter, copies pages to another", async () => {
    const again = await upload(matter.slug, [{ name: "copy-of-decree.pdf", bytes: DECREE }]);
    expect(again.statusCode).toBe(200);
    expect(again.json().items[0]).toMatchObject({ duplicate: true, document: { id: decreeDoc.id } });
    const other = await buildMatter(t.app, { title: "Another matter" });
    const [copy] = await addAndExtract(other.slug, [{ name: "decree.pdf", bytes: DECREE }]);
    expect(copy).toMatchObject({
      status: "ready",
      pageCount: 71,
      sha256: decreeDoc.sha256,
      nearDuplicateOf: null,
    });
    expect(copy!.id).not.toBe(decreeDoc.id);
    expect(copy!.sameFile).toEqual([expect.objectContaining({ id: decreeDoc.id, matterSlug: matter.slug })]);
    expect((await page(copy!.id, 5)).text).toBe((await page(decreeDoc.id, 5)).text);
    const blobs = await queryRows(t.database.db, sql`select 1 from blobs where sha256 = ${decreeDoc.sha256}`);
    expect(blobs).toHaveLength(1);
    const onDisk = readdirSync(
      join(t.dataDir, "blobs", decreeDoc.sha256.slice(0, 2), decreeDoc.sha256.slice(2, 4)),
    );
    expect(onDisk).toEqual([decreeDoc.sha256]);
  });

  it("flags a re-filed decree and a reworded story as near-duplicates, not two different decrees", async () => {
    const pages: string[] = [];
    for (let n = 2; n <= 71; n++) pages.push((await page(decreeDoc.id, n)).text);
    const refiledText = [
      "NOTICE OF FILING OF ENTERED CONSENT DECREE",
      "The United States files the decree entered by the Court.",
      ...pages,
    ].join("\f");
    const [refiled, story, respun, otherDecree] = await addAndExtract(matter.slug, [
      { name: "refiled-decree.txt", bytes: refiledText },
      { name: "story.txt", bytes: NEWS_STORY },
      { name: "copied-story.txt", bytes: spun(NEWS_STORY) },
      { name: "riverport-decree.txt", bytes: OTHER_DECREE },
    ]);
    expect(refiled!.nearDuplicateOf).toMatchObject({ id: decreeDoc.id });
    expect(refiled!.nearDuplicateOf!.similarity).toBeGreaterThan(0.9);
    expect(story!.nearDuplicateOf).toBeNull();
    expect(respun!.nearDuplicateOf).toMatchObject({ id: story!.id });
    expect(respun!.nearDuplicateOf!.similarity).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD);
    expect(respun!.nearDuplicateOf!.similarity).toBeLessThan(0.9);
    expect(otherDecree).toMatchObject({ status: "ready", nearDuplicateOf: null });
  });

  it("refuses an over-size upload with 413 and leaves nothing behind", async () => {
    const small = await buildTestApp({ uploadLimitBytes: 1024 });
    try {
      const m = await buildMatter(small.app);
      const form = new FormData();
      form.append("file", new Blob(["ok"]), "small.txt");
      form.append("file", new Blob([Buffer.alloc(4096, "a")]), "big.txt");
      const res = await small.app.inject({
        method: "POST",
        url: `/api/v1/matters/${m.slug}/documents`,
        body: form,
      });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json()).toMatchObject({
        code: "payload_too_large",
        detail: expect.stringContaining("big.txt"),
      });
      expect(await queryRows(small.database.db, sql`select 1 from documents`)).toHaveLength(0);
      const tmp = join(small.dataDir, "blobs", "tmp");
      expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
      const tooMany = new FormData();
      for (let i = 0; i < 21; i++) tooMany.append("file", new Blob([`file ${i}`]), `f${i}.txt`);
      const many = await small.app.inject({
        method: "POST",
        url: `/api/v1/matters/${m.slug}/documents`,
        body: tooMany,
      });
      expect(many.statusCode, many.body).toBe(413);
      expect(await queryRows(small.database.db, sql`select 1 from documents`)).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it("documents the routes in the OpenAPI description, the upload as multipart", async () => {
    const doc = (await t.app.inject("/api/openapi.json")).json();
    const upload = doc.paths["/api/v1/matters/{key}/documents"];
    expect(Object.keys(upload.post.requestBody.content)).toEqual(["multipart/form-data"]);
    expect(upload.get).toBeDefined();
    for (const path of [
      "/api/v1/documents/{id}",
      "/api/v1/documents/{id}/file",
      "/api/v1/documents/{id}/pages/{n}",
    ])
      expect(doc.paths[path]?.get, path).toBeDefined();
  });

  it("keeps a matter that has documents from being deleted", async () => {
    const m = await buildMatter(t.app);
    await upload(m.slug, [{ name: "keeps.txt", bytes: "keeps its matter" }]);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/matters/${m.slug}`,
      headers: { "if-match": '"1"' },
    });
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe("matter_has_documents");
  });

  it("validates the form and the matter", async () => {
    const bad = await upload(matter.slug, [{ name: "a.txt", bytes: "text" }], { kind: "poem" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: "kind" });
    const unknown = await upload(matter.slug, [{ name: "a.txt", bytes: "text" }], { owner: "me" });
    expect(unknown.statusCode).toBe(400);
    expect((await upload(matter.slug, [], { kind: "memo" })).statusCode).toBe(400);
    expect((await upload("no-such-matter", [{ name: "a.txt", bytes: "x" }])).statusCode).toBe(404);
    const json = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      payload: {},
    });
    expect(json.statusCode).toBe(415);
  });

  it("edits and deletes with If-Match, audited; the file stays while another document uses it", async () => {
    const [doc] = await addAndExtract(matter.slug, [
      { name: "order.txt", bytes: "An order of the court, unique 7731" },
    ]);
    const id = doc!.id;
    expect(
      (await t.app.inject({ method: "PATCH", url: `/api/v1/documents/${id}`, payload: { title: "x" } }))
        .statusCode,
    ).toBe(428);
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/documents/${id}`,
      headers: { "if-match": '"1"' },
      payload: { title: "Order of the court", kind: "order", date: "2025-02", public: true },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      title: "Order of the court",
      kind: "order",
      date: "2025-02",
      version: 2,
    });
    const stale = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/documents/${id}`,
      headers: { "if-match": '"1"' },
      payload: { title: "Lost update" },
    });
    expect(stale.statusCode).toBe(412);
    const sneaky = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/documents/${id}`,
      headers: { "if-match": '"2"' },
      payload: { status: "ready" },
    });
    expect(sneaky.statusCode).toBe(400);
    // A second document with the same bytes on another matter keeps the file alive.
    const other = await buildMatter(t.app);
    const [twin] = await addAndExtract(other.slug, [
      { name: "order.txt", bytes: "An order of the court, unique 7731" },
    ]);
    const blobPath = join(t.dataDir, "blobs", doc!.sha256.slice(0, 2), doc!.sha256.slice(2, 4), doc!.sha256);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/documents/${id}`,
      headers: { "if-match": '"2"' },
    });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject(`/api/v1/documents/${id}`)).statusCode).toBe(404);
    expect(existsSync(blobPath)).toBe(true);
    const delTwin = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/documents/${twin!.id}`,
      headers: { "if-match": '"1"' },
    });
    expect(delTwin.statusCode).toBe(204);
    expect(existsSync(blobPath)).toBe(false);
    expect(
      await queryRows(t.database.db, sql`select 1 from blobs where sha256 = ${doc!.sha256}`),
    ).toHaveLength(0);
    const audit = await queryRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_entries where entity = 'document' and entity_id = ${id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["DOCUMENT_ADDED", "DOCUMENT_UPDATED", "DOCUMENT_DELETED"]);
  });

  it("lists a matter's documents and reads only within the caller's scope", async () => {
    const list = (await t.app.inject(`/api/v1/matters/${matter.slug}/documents`)).json();
    expect(list.items.map((d: Doc) => d.id)).toContain(decreeDoc.id);
    const monitor = await t.tokenFor("monitor", "mo-docs");
    const asMonitor = (url: string) => t.anonymous({ url, headers: { authorization: `Bearer ${monitor}` } });
    expect((await asMonitor(`/api/v1/documents/${decreeDoc.id}`)).statusCode).toBe(404);
    expect((await asMonitor(`/api/v1/documents/${decreeDoc.id}/file`)).statusCode).toBe(404);
    expect((await asMonitor(`/api/v1/documents/${decreeDoc.id}/pages/1`)).statusCode).toBe(404);
    const assign = await t.app.inject({
      method: "PUT",
      url: `/api/v1/matters/${matter.slug}/assignments/mo-docs`,
      headers: await monitorIfMatch(t.app, "mo-docs"),
    });
    expect(assign.statusCode, assign.body).toBeLessThan(300);
    const seen = (await asMonitor(`/api/v1/documents/${decreeDoc.id}`)).json();
    expect(seen.id).toBe(decreeDoc.id);
    // The same file on a matter the monitor is not assigned to is not named.
    expect(seen.sameFile).toEqual([]);
    expect((await asMonitor(`/api/v1/documents?matter=${matter.slug}`)).json().total).toBeGreaterThan(0);
    expect(
      (await asMonitor("/api/v1/documents"))
        .json()
        .items.every((d: { matter: { slug: string } | null }) => d.matter?.slug === matter.slug),
    ).toBe(true);
    const viewer = await t.tokenFor("viewer");
    const form = new FormData();
    form.append("file", new Blob(["x"]), "x.txt");
    const denied = await t.anonymous({
      method: "POST",
      url: `/api/v1/matters/${matter.slug}/documents`,
      body: form,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(denied.statusCode).toBe(403);
  });

  it("needs the anti-CSRF header for uploads with a session cookie", async () => {
    const signIn = await t.anonymous({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: "tester", password: "test-password-123" },
    });
    const cookie = `accord_session=${signIn.cookies.find((c) => c.name === "accord_session")!.value}`;
    const form = () => {
      const f = new FormData();
      f.append("file", new Blob(["csrf check text"]), "csrf.txt");
      return f;
    };
    const url = `/api/v1/matters/${matter.slug}/documents`;
    const without = await t.anonymous({ method: "POST", url, body: form(), headers: { cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe("csrf_failed");
    const withProof = await t.anonymous({
      method: "POST",
      url,
      body: form(),
      headers: { cookie, "x-csrf-token": signIn.json().csrfToken },
    });
    expect(withProof.statusCode).toBe(201);
  });

  it("resumes jobs a dead process left running, and gives up on one that keeps dying", async () => {
    const res = await upload(matter.slug, [
      { name: "resume.txt", bytes: "Resumed after a crash" },
      { name: "doomed.txt", bytes: "Crashes every time" },
    ]);
    const [resumed, doomed] = res.json().items.map((i: { document: Doc }) => i.document.id) as [
      string,
      string,
    ];
    // As a process killed mid-extraction leaves them.
    await t.database.db.execute(
      sql`update jobs set status = 'running', locked_at = now(), locked_by = 'dead', attempts = 1 where document_id = ${resumed}`,
    );
    await t.database.db.execute(
      sql`update jobs set status = 'running', locked_at = now(), locked_by = 'dead', attempts = ${MAX_ATTEMPTS} where document_id = ${doomed}`,
    );
    await t.database.db.execute(
      sql`update documents set status = 'extracting' where id in (${resumed}, ${doomed})`,
    );
    // Another server's job with a fresh heartbeat is left alone on PostgreSQL; ours are orphans.
    expect(await requeueOrphanedJobs(t.database.db, false)).toBe(0);
    expect(await requeueOrphanedJobs(t.database.db, true)).toBe(2);
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
    expect((await t.app.inject(`/api/v1/documents/${resumed}`)).json()).toMatchObject({
      status: "ready",
      pageCount: 1,
    });
    expect((await t.app.inject(`/api/v1/documents/${doomed}`)).json()).toMatchObject({
      status: "failed",
      failure: expect.stringContaining(`interrupted ${MAX_ATTEMPTS} times`),
    });
  });

  it("runs jobs in the background when woken, and stops cleanly", async () => {
    const runner = startJobRunner({
      db: t.database.db,
      dataDir: t.dataDir,
      soleOwner: ENGINE === "pglite",
      pollMs: 60_000,
    });
    try {
      const res = await upload(matter.slug, [{ name: "background.txt", bytes: "Read in the background" }]);
      const id = res.json().items[0].document.id;
      runner.wake();
      let status = "";
      for (let i = 0; i < 100 && status !== "ready"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await queryOne<{ status: string }>(
          t.database.db,
          sql`select status from documents where id = ${id}`,
        ))!.status;
      }
      expect(status).toBe("ready");
      // Its queue empty, the runner keeps one warm worker, not the two extraction may use.
      await expect.poll(() => spareCount(), { timeout: 10_000, interval: 50 }).toBe(1);
      await spareReady();
      await new Promise((r) => setTimeout(r, 200));
      expect(spareCount()).toBe(1);
    } finally {
      await runner.stop();
    }
  });
});
