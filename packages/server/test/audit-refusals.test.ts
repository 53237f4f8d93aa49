import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { queryRows } from "../src/db/sql.js";
import { DENIAL_WINDOW_MS, verifyAuditChain } from "../src/modules/audit/index.js";
import { buildTestApp, ENGINE, type TestApp } from "./helpers.js";

interface Entry {
  actor: string;
  actorRole: string | null;
  requestId: string | null;
  after: { method: string; route: string; code: string; repeated?: number };
}

/**
 * RELIABILITY-CHECKS L4 (issue 16, item 11): a refusal by policy (403) is recorded once, with its
 * request id; identical refusals in a loop are counted, not each recorded.
 */
describe(`refusals by policy are audited (${ENGINE})`, () => {
  let t: TestApp;
  let nowMs = Date.parse("2030-03-01T10:00:00Z");
  let viewer: string;
  const denials = () =>
    queryRows<Entry>(
      t.database.db,
      sql`select actor, actor_role as "actorRole", request_id as "requestId", after from audit_entries
          where action = 'ACCESS_DENIED' order by id`,
    );
  const createMatterAsViewer = () =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      headers: { authorization: `Bearer ${viewer}` },
      payload: {
        slug: "not-allowed",
        kind: "consent_decree",
        status: "active",
        title: "No",
        jurisdictionId: null,
      },
    });

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(nowMs) });
    viewer = await t.tokenFor("viewer", "refused-viewer");
  });
  afterAll(() => t.close());

  it("L4: records a 403 once, with the request id, and nothing else", async () => {
    const res = await createMatterAsViewer();
    expect(res.statusCode).toBe(403);
    expect(await denials()).toEqual([
      {
        actor: "refused-viewer",
        actorRole: "viewer",
        requestId: res.headers["x-request-id"],
        after: { method: "POST", route: "/api/v1/matters", code: "forbidden" },
      },
    ]);
    const changes = await queryRows(
      t.database.db,
      sql`select 1 from audit_entries where action = 'MATTER_CREATED'`,
    );
    expect(changes).toEqual([]);
    // Administrators find it in the audit log.
    const listed = await t.app.inject("/api/v1/audit?action=ACCESS_DENIED");
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().total).toBe(1);
  });

  it("L4: identical refusals in a loop are counted, not flooded; another refusal has its own entry", async () => {
    for (let i = 0; i < 5; i++) expect((await createMatterAsViewer()).statusCode).toBe(403);
    expect(await denials()).toHaveLength(1);
    const other = await t.app.inject({
      method: "GET",
      url: "/api/v1/users",
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(other.statusCode).toBe(403);
    expect((await denials()).at(-1)?.after).toEqual({
      method: "GET",
      route: "/api/v1/users",
      code: "forbidden",
    });
    // After the window: the next one is recorded, with the five left out.
    nowMs += DENIAL_WINDOW_MS + 1;
    const later = await createMatterAsViewer();
    const all = await denials();
    expect(all).toHaveLength(3);
    expect(all.at(-1)).toMatchObject({
      requestId: later.headers["x-request-id"],
      after: { method: "POST", route: "/api/v1/matters", code: "forbidden", repeated: 5 },
    });
    expect((await verifyAuditChain(systemContext(t.database.db, "test"))).broken).toBeNull();
  });
});
