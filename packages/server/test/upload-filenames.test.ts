import { readdirSync, realpathSync } from "node:fs";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/**
 * A multipart body written byte by byte, so the filename reaches the server exactly as a hostile
 * client sends it (FormData would escape quotes and line breaks on its way).
 */
function multipart(filename: string, content: string) {
  const boundary = `----accord${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`,
    ),
    Buffer.from(filename, "utf8"),
    Buffer.from(`"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

const HOSTILE = [
  "../../etc/passwd",
  "..\\..\\win.ini",
  "%2e%2e%2fsecret.txt",
  "%2e%2e%2f",
  "evil\u0000.txt",
  `${"a".repeat(500)}.txt`,
  "invoice\u202Etxt.exe",
  "..",
  "/etc/shadow",
  "C:\\Windows\\system.ini",
  'quote";name=x.txt',
  "it's (draft) *final*.txt",
];

/** Control characters, and the Unicode direction marks and overrides. */
const unsafeInName = (c: string) => {
  const n = c.codePointAt(0) ?? 0;
  return (
    n < 0x20 ||
    (n >= 0x7f && n <= 0x9f) ||
    [0x61c, 0x200e, 0x200f].includes(n) ||
    (n >= 0x202a && n <= 0x202e) ||
    (n >= 0x2066 && n <= 0x2069)
  );
};

/** Every file below a folder (its full paths). */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe(`U4: hostile upload filenames (${ENGINE})`, () => {
  it("U4: stores each file under the blob root by its hash and keeps only a sanitized name", async () => {
    const matter = await buildMatter(t.app);
    const ids: string[] = [];
    for (const [i, name] of HOSTILE.entries()) {
      const { body, contentType } = multipart(name, `Hostile name number ${i}: ${JSON.stringify(name)}`);
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/matters/${matter.slug}/documents`,
        payload: body,
        headers: { "content-type": contentType },
      });
      expect(res.statusCode, `${JSON.stringify(name)}: ${res.body}`).toBe(201);
      ids.push(res.json().items[0].document.id);
    }
    await runPendingJobs({ db: t.database.db, dataDir: t.dataDir });

    // Nothing outside the blob store; inside it, only <aa>/<bb>/<sha256> files, whose real paths
    // are under the root.
    const root = realpathSync(join(t.dataDir, "blobs"));
    const outside = filesUnder(t.dataDir).filter((f) => !f.startsWith(join(t.dataDir, "blobs") + sep));
    expect(outside).toEqual([]);
    const stored = filesUnder(root).filter((f) => !f.startsWith(join(root, "tmp") + sep));
    expect(stored.length).toBeGreaterThanOrEqual(HOSTILE.length);
    for (const file of stored) {
      expect(realpathSync(file).startsWith(root + sep)).toBe(true);
      expect(file.slice(root.length + 1)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    }

    for (const [i, id] of ids.entries()) {
      const doc = (await t.app.inject(`/api/v1/documents/${id}`)).json() as {
        filename: string;
        title: string;
        sha256: string;
      };
      const sent = HOSTILE[i]!;
      // The name kept is metadata only: one path segment, no control or direction-override
      // characters, at most 255 characters.
      for (const kept of [doc.filename, doc.title]) {
        expect(kept, sent).not.toMatch(/[/\\]/);
        expect([...kept].filter(unsafeInName), sent).toEqual([]);
        expect(kept.length).toBeLessThanOrEqual(500);
        expect(kept).not.toBe("..");
      }
      expect(doc.filename.length).toBeLessThanOrEqual(255);
      const onDisk = join(root, doc.sha256.slice(0, 2), doc.sha256.slice(2, 4), doc.sha256);
      expect(realpathSync(onDisk)).toBe(onDisk);

      // The download's Content-Disposition: one header line, a quoted ASCII fallback with no
      // quote, backslash or control character, and the UTF-8 form percent-encoded (RFC 5987).
      for (const q of ["", "?download=1"]) {
        const file = await t.app.inject(`/api/v1/documents/${id}/file${q}`);
        expect(file.statusCode).toBe(200);
        const cd = file.headers["content-disposition"] as string;
        expect(cd, sent).toMatch(
          /^(inline|attachment); filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/,
        );
        expect(decodeURIComponent(cd.split("''")[1]!)).toBe(doc.filename);
        expect(file.headers["x-content-type-options"]).toBe("nosniff");
      }
    }
  });
});
