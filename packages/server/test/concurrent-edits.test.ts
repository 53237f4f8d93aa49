import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../src/db/sql.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * C2: callers who read the same version and all send their change at once. Exactly one wins;
 * every other gets 412 (never 409, never a silent overwrite), with the record as it now stands,
 * and the audit log holds one entry for the one change made.
 */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const CALLERS = 20;

const auditCount = async (entityId: string) =>
  (await queryOne<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from audit_entries where entity = 'matter' and entity_id = ${entityId}`,
  ))!.n;

describe(`C2: concurrent edits of one version (${ENGINE})`, () => {
  it(`C2: ${CALLERS} callers PATCH the same version at once: one 200, the others 412, one audit entry`, async () => {
    const m = await buildMatter(t.app, { title: "Concurrent edits matter" });
    const before = await auditCount(m.id);
    const answers = await Promise.all(
      Array.from({ length: CALLERS }, (_, i) =>
        t.app.inject({
          method: "PATCH",
          url: `/api/v1/matters/${m.slug}`,
          headers: { "if-match": `"${m.version}"` },
          payload: { judge: `Judge ${i}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(CALLERS - 1);

    const winner = answers.findIndex((a) => a.statusCode === 200);
    const now = (await t.app.inject(`/api/v1/matters/${m.slug}`)).json();
    expect(now.version).toBe(m.version + 1);
    expect(now.judge).toBe(`Judge ${winner}`);
    for (const lost of answers.filter((a) => a.statusCode === 412)) {
      expect(lost.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(lost.json()).toMatchObject({ code: "version_conflict", current: { version: m.version + 1 } });
    }
    expect(await auditCount(m.id)).toBe(before + 1);
  });
});
