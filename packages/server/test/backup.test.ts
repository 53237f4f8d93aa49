import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { hashFile, type Manifest, tableChecksum, takeBackup } from "../src/backup/backup.js";
import { RestoreRefusedError, restoreBackup } from "../src/backup/restore.js";
import { systemContext } from "../src/context/command-context.js";
import { queryOne } from "../src/db/sql.js";
import { verifyAuditChain } from "../src/modules/audit/index.js";
import { OTHER_DECREE, pdfOf } from "./document-fixtures.js";
import { emptyTarget } from "./empty-target.js";
import {
  buildMatter,
  buildTestApp,
  createUserWithToken,
  ENGINE,
  parseAndAccept,
  type TestApp,
  uploadTextDocument,
} from "./helpers.js";

const readJsonLines = (dir: string, file: string) =>
  readFileSync(join(dir, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * Promise P4 (RELIABILITY-CHECKS D6): a backup taken while a writer runs restores into an empty
 * instance with identical row counts and checksums, identical files, and an audit chain that verifies.
 */
describe(`backups that restore (${ENGINE})`, () => {
  let t: TestApp;
  let slug: string;
  const work = mkdtempSync(join(tmpdir(), "accord-backups-"));
  const out = join(work, "backup");
  let manifest: Manifest;
  const targets: Awaited<ReturnType<typeof emptyTarget>>[] = [];
  const target = async () => {
    const made = await emptyTarget();
    targets.push(made);
    return made;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    slug = (await buildMatter(t.app, { title: "Backed-up decree" })).slug;
    // 20 PDFs, and a decree read into provisions.
    const form = new FormData();
    form.append("kind", "monitor_report");
    for (let i = 0; i < 20; i++)
      form.append(
        "file",
        new Blob([await pdfOf([`Monitor report ${i}`, `Page two of report ${i}`])]),
        `r${i}.pdf`,
      );
    const up = await t.app.inject({ method: "POST", url: `/api/v1/matters/${slug}/documents`, body: form });
    expect(up.statusCode, up.body).toBe(201);
    const decree = await uploadTextDocument(t, slug, OTHER_DECREE, {
      kind: "decree",
      filename: "decree.txt",
    });
    await parseAndAccept(t.app, decree, slug);
    // 1,000 more audit entries, each extending the chain.
    await t.database.db.execute(sql`do $$ begin
        for i in 1..1000 loop
          insert into audit_entries (actor, action, entity, request_id) values ('test', 'MATTER_UPDATED', 'matter', 'seed-' || i);
        end loop; end $$`);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    for (const made of targets) await made.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it("D6: backs up while a writer runs and restores identically into an empty instance", async () => {
    // A writer: each matter is created with its audit entry in one transaction.
    let written = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        await buildMatter(t.app, { title: `Written during the backup ${written}` });
        written++;
      }
    })();
    while (written < 2) await new Promise((r) => setTimeout(r, 5));
    manifest = await takeBackup({ ...t.database, dataDir: t.dataDir }, out);
    const atBackup = written;
    while (written < atBackup + 2) await new Promise((r) => setTimeout(r, 5));
    stop = true;
    await writer;

    const byName = new Map(manifest.tables.map((x) => [x.name, x]));
    for (const name of [
      "users",
      "audit_entries",
      "documents",
      "blobs",
      "provisions",
      "matters",
      "review_cycles",
    ])
      expect(byName.has(name), name).toBe(true);
    expect(byName.get("audit_entries")!.rows).toBeGreaterThan(1000);
    expect(manifest.files.length).toBeGreaterThanOrEqual(21);
    expect(byName.get("provisions")!.rows).toBeGreaterThan(0);
    // Transactionally consistent: every matter in the backup has its creation's audit entry.
    const audited = new Set(
      readJsonLines(out, "tables/audit_entries.jsonl")
        .filter((a) => a.action === "MATTER_CREATED")
        .map((a) => a.entity_id),
    );
    const matters = readJsonLines(out, "tables/matters.jsonl");
    expect(matters.length).toBe(byName.get("matters")!.rows);
    for (const m of matters) expect(audited.has(m.id), `matter ${m.slug as string}`).toBe(true);
    // The live database moved on after the snapshot.
    const live = await tableChecksum(t.database.db, "matters");
    expect(live.rows).toBeGreaterThan(byName.get("matters")!.rows);

    const into = await target();
    const result = await restoreBackup(out, { dataDir: into.dataDir, databaseUrl: into.databaseUrl });
    expect(result.auditBroken).toBeNull();
    const restored = await into.open();
    try {
      for (const table of manifest.tables)
        expect(await tableChecksum(restored.db, table.name), table.name).toEqual({
          rows: table.rows,
          checksum: table.checksum,
        });
      for (const file of manifest.files)
        expect(await hashFile(join(into.dataDir, file.path))).toBe(file.sha256);
      const chain = await verifyAuditChain(systemContext(restored.db, "test"));
      expect(chain).toEqual({ entries: byName.get("audit_entries")!.rows, broken: null });
      // The app runs on it, and new entries extend the restored chain.
      const app = await buildApp({ db: restored.db, engine: restored.engine, dataDir: into.dataDir });
      const token = await createUserWithToken(restored.db, "admin", "after-restore");
      const res = await app.inject({
        url: `/api/v1/matters/${slug}/documents`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      const download = await app.inject({
        url: `/api/v1/documents/${res.json().items[0].id}/file`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(download.statusCode).toBe(200);
      await app.close();
      expect((await verifyAuditChain(systemContext(restored.db, "test"))).broken).toBeNull();
      const after = await queryOne<{ n: number }>(
        restored.db,
        sql`select count(*)::int as n from audit_entries`,
      );
      expect(after!.n).toBeGreaterThan(byName.get("audit_entries")!.rows);
    } finally {
      await restored.close();
    }
  }, 180_000);

  it("D6: refuses to restore into an instance that is not empty", async () => {
    const into = await target();
    await restoreBackup(out, { dataDir: into.dataDir, databaseUrl: into.databaseUrl });
    const again = await restoreBackup(out, { dataDir: into.dataDir, databaseUrl: into.databaseUrl }).catch(
      (e: Error) => e,
    );
    expect(again).toBeInstanceOf(RestoreRefusedError);
    expect((again as Error).message).toMatch(/Refusing to restore: .*already holds/);
  }, 120_000);

  it("D6: refuses a damaged backup, naming the file, and writes nothing", async () => {
    const damaged = (file: string) => {
      const copy = join(work, `damaged-${randomUUID()}`);
      cpSync(out, copy, { recursive: true });
      const path = join(copy, file);
      const bytes = readFileSync(path);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] ?? 0) ^ 0xff;
      writeFileSync(path, bytes);
      return copy;
    };
    const into = await target();
    for (const file of [manifest.files[3]!.path, "tables/users.jsonl"]) {
      const error = await restoreBackup(damaged(file), {
        dataDir: into.dataDir,
        databaseUrl: into.databaseUrl,
      }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(RestoreRefusedError);
      expect((error as Error).message).toContain(`The backup is damaged: ${file} does not match its sha256`);
    }
    expect(existsSync(join(into.dataDir, "db"))).toBe(false);
    expect(existsSync(join(into.dataDir, "blobs")) ? readdirSync(join(into.dataDir, "blobs")) : []).toEqual(
      [],
    );
    // The target is still empty: the good backup restores into it.
    await restoreBackup(out, { dataDir: into.dataDir, databaseUrl: into.databaseUrl });
  }, 120_000);
});
