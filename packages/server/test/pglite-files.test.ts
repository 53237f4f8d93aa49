import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/open.js";
import {
  makePgliteTemplate,
  pgliteDirDamage,
  pgliteVersion,
  seedFromTemplate,
} from "../src/db/pglite-files.js";
import { queryOne } from "../src/db/sql.js";

// The embedded database only (scripts/test.sh leaves it out of the PostgreSQL run): how a new
// PGlite data directory is made and started.
describe("a new embedded database from the build's template", () => {
  let root: string;
  let template: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "accord-pglite-files-"));
    template = join(root, "template");
    await makePgliteTemplate(template);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("copies the template into a directory with no database, and PGlite opens it as its own", async () => {
    const dir = join(root, "fresh", "db");
    expect(seedFromTemplate(dir, template)).toBe(true);
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
    expect(existsSync(join(dir, "ACCORD_PGLITE_VERSION"))).toBe(false);
    // Nothing of the copy in progress is left beside it.
    expect(readdirSync(join(root, "fresh"))).toEqual(["db"]);
    const database = await openDatabase({ pgliteDir: dir, pgliteSharedBuffers: "16MB" });
    try {
      await database.migrate();
      const row = await queryOne<{ shared_buffers: string }>(database.db, sql`show shared_buffers`);
      expect(row?.shared_buffers).toBe("16MB");
      const users = await queryOne<{ n: number }>(database.db, sql`select count(*)::int as n from users`);
      expect(users?.n).toBe(0);
    } finally {
      await database.close();
    }
  }, 120_000);

  it("leaves a directory that already holds a database alone", async () => {
    const dir = join(root, "existing");
    mkdirSync(dir);
    writeFileSync(join(dir, "PG_VERSION"), "17\n");
    expect(seedFromTemplate(dir, template)).toBe(false);
    expect(readdirSync(dir)).toEqual(["PG_VERSION"]);
  });

  it("does not use a template made by another PGlite version, or without its stamp", () => {
    const other = join(root, "other-template");
    mkdirSync(other);
    writeFileSync(join(other, "PG_VERSION"), "17\n");
    expect(seedFromTemplate(join(root, "a"), other)).toBe(false);
    writeFileSync(join(other, "ACCORD_PGLITE_VERSION"), `0.0.0-not-${pgliteVersion()}\n`);
    expect(seedFromTemplate(join(root, "b"), other)).toBe(false);
    expect(existsSync(join(root, "a")) || existsSync(join(root, "b"))).toBe(false);
  });

  it("D4 (c): tells a damaged or half-made directory from a whole or empty one, reading only", () => {
    expect(pgliteDirDamage(join(root, "absent"))).toBeNull();
    mkdirSync(join(root, "empty"));
    expect(pgliteDirDamage(join(root, "empty"))).toBeNull();
    expect(pgliteDirDamage(template)).toBeNull();
    const copy = (name: string, damage: (dir: string) => void) => {
      const dir = join(root, "damaged", name);
      cpSync(template, dir, { recursive: true });
      damage(dir);
      return pgliteDirDamage(dir);
    };
    const segment = (dir: string) =>
      join(dir, "pg_wal", readdirSync(join(dir, "pg_wal")).find((f) => /^[0-9A-F]{24}$/.test(f))!);
    expect(copy("no-version", (d) => rmSync(join(d, "PG_VERSION")))).toMatch(
      /incomplete \(PG_VERSION missing\)/,
    );
    expect(copy("cut-control", (d) => truncateSync(join(d, "global", "pg_control"), 100))).toMatch(
      /global\/pg_control is 100 bytes long/,
    );
    expect(copy("cut-wal", (d) => truncateSync(segment(d), 5_000))).toMatch(
      /pg_wal\/[0-9A-F]{24} is cut short \(5000 bytes\)/,
    );
    expect(copy("no-segment", (d) => rmSync(segment(d)))).toMatch(/has no segment/);
  });
});
