import { existsSync, readdirSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { pdfWithJavaScript } from "./document-fixtures.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/** Uploads at and past their limits (U1), files that lie about their type (U2), downloads (U5), the multipart parser (U6). */

/** A small limit, so a file at it is quick to send. */
const LIMIT = 8 * 1024;

let t: TestApp;
let matter: { id: string; slug: string };
beforeAll(async () => {
  t = await buildTestApp({ uploadLimitBytes: LIMIT });
  matter = await buildMatter(t.app, { title: "Upload limits decree" });
});
afterAll(() => t.close());

const uploadUrl = () => `/api/v1/matters/${matter.slug}/documents`;

function upload(files: { name: string; bytes: Buffer | string }[], fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append("file", new Blob([f.bytes]), f.name);
  return t.app.inject({ method: "POST", url: uploadUrl(), body: form });
}

/** A multipart body written by hand: each part's header lines, then its bytes. */
function multipart(boundary: string, parts: { headers: string[]; body: Buffer | string }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts)
    chunks.push(
      Buffer.from(`--${boundary}\r\n${p.headers.join("\r\n")}\r\n\r\n`),
      Buffer.from(p.body),
      Buffer.from("\r\n"),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const sendMultipart = (boundary: string, payload: Buffer) =>
  t.app.inject({
    method: "POST",
    url: uploadUrl(),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload,
  });

const documentCount = async () =>
  (await queryOne<{ n: number }>(t.database.db, sql`select count(*)::int as n from documents`))!.n;
const stagedFiles = () => {
  const tmp = join(t.dataDir, "blobs", "tmp");
  return existsSync(tmp) ? readdirSync(tmp) : [];
};
/** Every file in the store (blobs/aa/bb/<sha256>), staging left out. */
const storedFiles = () => {
  const root = join(t.dataDir, "blobs");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !f.parentPath.endsWith("tmp"))
    .map((f) => f.name);
};

/** The first bytes of a PNG image: its signature and header chunk (what a sniffer reads). */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);

describe(`upload limits (${ENGINE})`, () => {
  it("U1: a file of exactly the limit → 201; one byte more → 413, no row, no file, empty staging", async () => {
    const exact = await upload([{ name: "exact.txt", bytes: Buffer.alloc(LIMIT, "a") }]);
    expect(exact.statusCode, exact.body).toBe(201);
    expect(exact.json().items[0].document).toMatchObject({ size: LIMIT, status: "queued" });
    const documents = await documentCount();
    const files = storedFiles();
    const over = await upload([{ name: "over.txt", bytes: Buffer.alloc(LIMIT + 1, "b") }]);
    expect(over.statusCode, over.body).toBe(413);
    expect(over.json()).toMatchObject({
      code: "payload_too_large",
      detail: expect.stringContaining("over.txt"),
    });
    expect(await documentCount()).toBe(documents);
    expect(storedFiles()).toEqual(files);
    expect(stagedFiles()).toEqual([]);
  });
});

describe(`files that lie about their type (${ENGINE})`, () => {
  it("U2: a PNG or HTML named .pdf and a PDF named .html are failed documents; a PDF/ZIP polyglot is read as the PDF it is, and nothing in it runs", async () => {
    const marker = join(tmpdir(), `accord-u2-ran-${process.pid}-${Date.now()}`);
    // A PDF with document JavaScript, a ZIP archive appended (its directory is at the end, where
    // ZIP readers look), and a script of HTML after it.
    const polyglot = Buffer.concat([
      pdfWithJavaScript(marker),
      Buffer.from(zipSync({ "payload.html": new TextEncoder().encode("<script>alert(1)</script>") })),
      Buffer.from("<html><script>globalThis.pwned = true</script></html>"),
    ]);
    const res = await upload([
      { name: "scan.pdf", bytes: PNG },
      { name: "page.pdf", bytes: "<!doctype html><html><script>alert(1)</script></html>" },
      { name: "x.html", bytes: pdfWithJavaScript(`${marker}-html`) },
      { name: "polyglot.pdf", bytes: polyglot },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const uploaded = Object.fromEntries(
      (res.json().items as { document: { id: string; filename: string } }[]).map((i) => [
        i.document.filename,
        i.document,
      ]),
    );
    expect(uploaded["scan.pdf"]).toMatchObject({
      status: "failed",
      failure: "The file is named .pdf but it is a PNG image",
    });
    expect(uploaded["page.pdf"]).toMatchObject({
      status: "failed",
      failure: "The file is named .pdf but it is an HTML page",
    });
    expect(uploaded["x.html"]).toMatchObject({
      status: "failed",
      failure: "The file is named .html but it is a PDF",
      mime: "application/pdf",
    });
    expect(uploaded["polyglot.pdf"]).toMatchObject({ status: "queued", mime: "application/pdf" });
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });
    const polyglotId = uploaded["polyglot.pdf"]!.id as string;
    const read = (await t.app.inject(`/api/v1/documents/${polyglotId}`)).json();
    expect(read).toMatchObject({ status: "ready", pageCount: 1 });
    expect((await t.app.inject(`/api/v1/documents/${polyglotId}/pages/1`)).json().text).toBe(
      "Scripted page text stays readable",
    );
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}-html`)).toBe(false);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    // Served as the PDF it is, never sniffed into HTML, its scripts held by the CSP.
    const file = await t.app.inject(`/api/v1/documents/${polyglotId}/file`);
    expect(file.headers["content-type"]).toBe("application/pdf");
    expect(file.headers["x-content-type-options"]).toBe("nosniff");
    expect(file.headers["content-security-policy"]).toBe("default-src 'none'; object-src 'self'");
  });
});

describe(`downloads (${ENGINE})`, () => {
  it("U5: a download is no-store and nosniff, with one safe Content-Disposition; another matter's document is 404 to a monitor", async () => {
    const res = await upload([
      { name: 'a";\r\nX-Injected: 1.pdf', bytes: "not a pdf at all" },
      { name: "Ünïcødé.txt", bytes: "Unicode name" },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const [odd, unicode] = res
      .json()
      .items.map((i: { document: { id: string } }) => i.document.id) as string[];
    for (const [id, download] of [
      [odd, "1"],
      [unicode, "1"],
      [unicode, "0"],
    ] as const) {
      const file = await t.app.inject(`/api/v1/documents/${id}/file?download=${download}`);
      expect(file.statusCode).toBe(200);
      expect(file.headers["cache-control"]).toBe("no-store");
      expect(file.headers["x-content-type-options"]).toBe("nosniff");
      expect(file.headers["x-injected"]).toBeUndefined();
      // One header (several would be an array here), and nothing the name could have added.
      expect(typeof file.headers["content-disposition"]).toBe("string");
      const cd = String(file.headers["content-disposition"]);
      expect(cd).toMatch(
        /^(attachment|inline); filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+$/,
      );
      expect(cd).not.toMatch(/[\r\n]/);
      if (download === "1") expect(cd).toMatch(/^attachment;/);
      // Anything not opened inline is sandboxed besides.
      if (cd.startsWith("attachment")) expect(file.headers["content-security-policy"]).toMatch(/sandbox/);
    }
    const unicodeFile = await t.app.inject(`/api/v1/documents/${unicode}/file?download=1`);
    expect(decodeURIComponent(String(unicodeFile.headers["content-disposition"]).split("''")[1]!)).toBe(
      "Ünïcødé.txt",
    );
    const monitor = await t.tokenFor("monitor");
    const other = await t.anonymous({
      url: `/api/v1/documents/${unicode}/file`,
      headers: { authorization: `Bearer ${monitor}` },
    });
    expect(other.statusCode).toBe(404);
  });
});

/** Polls until `done` holds, for at most `ms`; answers whether it did. */
async function waitFor(done: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return done();
}

describe(`the multipart parser (${ENGINE})`, () => {
  it("U6: a client that aborts mid-upload, before or past the limit, leaves no file, no row, and a server that answers", async () => {
    const token = await t.tokenFor("admin");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const before = await documentCount();
    const boundary = "u6-abort-boundary";
    for (const sent of [LIMIT / 2, LIMIT + 4096]) {
      const req = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: uploadUrl(),
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "transfer-encoding": "chunked",
        },
      });
      req.on("error", () => {});
      let answered: number | undefined;
      req.on("response", (res) => {
        answered = res.statusCode;
        res.resume();
      });
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="aborted.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      );
      req.write(Buffer.alloc(sent, "z"));
      // The server has the bytes (a staged file, or the 413 past the limit) before the client goes.
      expect(await waitFor(() => stagedFiles().length > 0 || answered !== undefined)).toBe(true);
      // Under the limit nothing was answered yet: the client leaves in the middle of the file.
      if (sent < LIMIT) expect(answered).toBeUndefined();
      req.destroy();
      // The upload's handler settles: its staged file is removed, no document is made.
      expect(await waitFor(() => stagedFiles().length === 0), `${sent} bytes: ${stagedFiles()}`).toBe(true);
      expect(await documentCount()).toBe(before);
    }
    expect((await t.app.inject("/healthz")).statusCode).toBe(200);
    const after = await upload([{ name: "after-abort.txt", bytes: "The server still takes uploads." }]);
    expect(after.statusCode, after.body).toBe(201);
  });

  it("U6: a thousand empty fields or files → 413, nothing added", async () => {
    const before = await documentCount();
    const fields = new FormData();
    for (let i = 0; i < 1000; i++) fields.append("title", "");
    fields.append("file", new Blob(["one file"]), "fields.txt");
    const manyFields = await t.app.inject({ method: "POST", url: uploadUrl(), body: fields });
    expect(manyFields.statusCode, manyFields.body).toBe(413);
    expect(manyFields.json().code).toBe("too_many_parts");
    const files = new FormData();
    for (let i = 0; i < 1000; i++) files.append("file", new Blob([]), `empty-${i}.txt`);
    const manyFiles = await t.app.inject({ method: "POST", url: uploadUrl(), body: files });
    expect(manyFiles.statusCode, manyFiles.body).toBe(413);
    expect(manyFiles.json().code).toBe("too_many_files");
    expect(await documentCount()).toBe(before);
    expect(stagedFiles()).toEqual([]);
  });

  it("U6: a 252-byte boundary is parsed without a CPU spin", async () => {
    // Text full of the boundary's first bytes, the search's worst case; a different file each time.
    const text = (n: number) =>
      `${n}\r\n${`${"-".repeat(200)}${"b".repeat(250)}\r\n`.repeat(20)}`.slice(0, LIMIT);
    const timed = async (boundary: string, n: number) => {
      const body = multipart(boundary, [
        {
          headers: [`Content-Disposition: form-data; name="file"; filename="boundary-${n}.txt"`],
          body: text(n),
        },
      ]);
      const started = performance.now();
      const res = await sendMultipart(boundary, body);
      expect(res.statusCode, res.body).toBe(201);
      return performance.now() - started;
    };
    // The same upload with an ordinary boundary first (warm), as the yardstick.
    await timed("short-boundary", 1);
    const short = await timed("short-boundary", 2);
    const long = await timed("b".repeat(252), 3);
    expect(long).toBeLessThan(short + 1000);
  });

  it("U6: a part header or field named __proto__ pollutes nothing and the server stays up", async () => {
    const boundary = "u6-proto-boundary";
    const withHeader = await sendMultipart(
      boundary,
      multipart(boundary, [
        {
          headers: [
            'Content-Disposition: form-data; name="file"; filename="proto.txt"',
            "__proto__: polluted",
            "constructor: polluted",
            "Content-Type: text/plain",
          ],
          body: "A part with odd headers.",
        },
      ]),
    );
    // Taken as any other upload: the odd header lines are ignored.
    expect(withHeader.statusCode, withHeader.body).toBe(201);
    const withField = await sendMultipart(
      boundary,
      multipart(boundary, [
        { headers: ['Content-Disposition: form-data; name="__proto__"'], body: '{"polluted": true}' },
        { headers: ['Content-Disposition: form-data; name="file"; filename="proto2.txt"'], body: "Text." },
      ]),
    );
    expect(withField.statusCode, withField.body).toBe(400);
    // The multipart plugin refuses the name itself (FST_PROTO_VIOLATION).
    expect(withField.json()).toMatchObject({ code: "bad_request", status: 400 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect((await t.app.inject("/healthz")).statusCode).toBe(200);
    expect(stagedFiles()).toEqual([]);
  });
});
