import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { addDocuments } from "../src/modules/documents/commands/add-documents.js";
import { deleteDocument } from "../src/modules/documents/commands/delete-document.js";
import { BlobStore } from "../src/modules/documents/storage.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Issue 16, item 9: the blob store and the rows that record it stay in step — a rejected upload
 * leaves no file, an upload of several files is all or nothing, a delete racing an add of the
 * same bytes never removes a file a document now needs, and `.part` files a crash left are
 * swept at the next start.
 */
describe(`the blob store and its rows (${ENGINE})`, () => {
  let t: TestApp;
  let store: BlobStore;
  beforeAll(async () => {
    t = await buildTestApp();
    store = new BlobStore(t.dataDir);
  });
  afterAll(() => t?.close());

  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const upload = (slug: string, files: { name: string; bytes: string }[]) => {
    const form = new FormData();
    form.append("kind", "memo");
    for (const f of files) form.append("file", new Blob([f.bytes]), f.name);
    return t.app.inject({ method: "POST", url: `/api/v1/matters/${slug}/documents`, body: form });
  };
  const tmpFiles = () => (existsSync(store.tmpDir) ? readdirSync(store.tmpDir) : []);
  const blobRow = (hash: string) => queryOne(t.database.db, sql`select 1 from blobs where sha256 = ${hash}`);
  /** Makes the database refuse a document of this file name, as any failure inside the transaction would. */
  async function refusing<T>(filename: string, run: () => Promise<T>): Promise<T> {
    const exec = (s: string) => t.database.db.execute(sql.raw(s));
    await exec(`create function accord_test_refuse_doc() returns trigger language plpgsql as $$
      begin if new.filename = '${filename}' then raise exception 'forced failure'; end if; return new; end $$`);
    await exec(`create trigger accord_test_refuse_doc before insert on documents
      for each row execute function accord_test_refuse_doc()`);
    try {
      return await run();
    } finally {
      await exec("drop trigger accord_test_refuse_doc on documents");
      await exec("drop function accord_test_refuse_doc()");
    }
  }

  it("a rejected upload leaves no file in the store, nor in its temporary folder", async () => {
    const m = await buildMatter(t.app);
    const bytes = "A memo the database will refuse to record.";
    const res = await refusing("refused.txt", () => upload(m.slug, [{ name: "refused.txt", bytes }]));
    expect(res.statusCode).toBe(500);
    expect(await blobRow(sha(bytes))).toBeUndefined();
    expect(store.has(sha(bytes))).toBe(false);
    expect(tmpFiles()).toEqual([]);
  });

  it("an upload of several files is all or nothing", async () => {
    const m = await buildMatter(t.app);
    const first = "The first memo of a two-file upload.";
    const second = "The second memo, which the database refuses.";
    const res = await refusing("second.txt", () =>
      upload(m.slug, [
        { name: "first.txt", bytes: first },
        { name: "second.txt", bytes: second },
      ]),
    );
    expect(res.statusCode).toBe(500);
    const docs = await queryRows(t.database.db, sql`select id from documents where matter_id = ${m.id}`);
    expect(docs).toEqual([]);
    for (const b of [first, second]) {
      expect(await blobRow(sha(b))).toBeUndefined();
      expect(store.has(sha(b))).toBe(false);
    }
    // The same two, accepted, land together.
    const ok = await upload(m.slug, [
      { name: "first.txt", bytes: first },
      { name: "second.txt", bytes: second },
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
    for (const b of [first, second]) expect(store.has(sha(b))).toBe(true);
  });

  it("a rejected upload never removes a file that another document already uses", async () => {
    const m = await buildMatter(t.app);
    const bytes = "Bytes already stored for another matter.";
    expect((await upload(m.slug, [{ name: "kept.txt", bytes }])).statusCode).toBe(201);
    const other = await buildMatter(t.app);
    const res = await refusing("again.txt", () => upload(other.slug, [{ name: "again.txt", bytes }]));
    expect(res.statusCode).toBe(500);
    expect(store.has(sha(bytes))).toBe(true);
  });

  it("a delete racing an add of the same bytes never leaves a recorded blob without its file", async () => {
    const ctx = systemContext(t.database.db, "test");
    for (let round = 0; round < 5; round++) {
      const a = await buildMatter(t.app);
      const b = await buildMatter(t.app);
      const bytes = `The same bytes, deleted from one matter while added to another (${round}).`;
      const stage = () => store.stage(Readable.from([Buffer.from(bytes)]), "same.txt", 1024 * 1024);
      const first = await stage();
      const [added] = await addDocuments(
        { matterKey: a.id, files: [{ staged: first, filename: "same.txt" }], meta: { kind: "memo" }, store },
        ctx,
      );
      const again = await stage();
      try {
        await Promise.all([
          deleteDocument({ id: added!.document.id, version: added!.document.version, store }, ctx),
          addDocuments(
            {
              matterKey: b.id,
              files: [{ staged: again, filename: "same.txt" }],
              meta: { kind: "memo" },
              store,
            },
            ctx,
          ),
        ]);
      } finally {
        await store.discard(again);
      }
      // The second document exists, so must its file.
      expect(await blobRow(sha(bytes)), `round ${round}`).toBeDefined();
      expect(store.has(sha(bytes)), `round ${round}`).toBe(true);
    }
  });

  it("sweeps the .part files a crashed process left, and only those", async () => {
    const dir = join(t.dataDir, "sweep");
    const swept = new BlobStore(dir);
    mkdirSync(swept.tmpDir, { recursive: true });
    const dead = join(swept.tmpDir, "from-a-crash.part");
    const live = join(swept.tmpDir, "being-written.part");
    writeFileSync(dead, "half an upload");
    writeFileSync(live, "an upload in progress");
    const start = new Date();
    utimesSync(dead, new Date(start.getTime() - 60_000), new Date(start.getTime() - 60_000));
    expect(await swept.sweepStaged(new Date(start.getTime() - 1000))).toBe(1);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it("sweeps them when the server starts", async () => {
    const tmp = join(t.dataDir, "blobs", "tmp");
    mkdirSync(tmp, { recursive: true });
    const dead = join(tmp, "left-by-a-crash.part");
    writeFileSync(dead, "half an upload");
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(dead, old, old);
    const again = await buildTestApp({ dataDir: t.dataDir });
    try {
      expect(existsSync(dead)).toBe(false);
    } finally {
      await again.close();
    }
  });
});
