import { randomUUID } from "node:crypto";
import { type Provision, RATERS } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { countRollups, getMatterCompliance } from "../src/modules/compliance/index.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Ratings by several raters: the monitor's, the department's, the city's self-assessment. Each
 * rater's rating of a provision in a period is stored beside the others, the provision's page shows
 * them side by side and flags where they disagree, and the official figures count the monitor's.
 */

const TODAY = "2025-03-01";

describe(`ratings by rater (${ENGINE})`, () => {
  let t: TestApp;
  const reader = () => systemContext(t.database.db, "test", () => new Date(TODAY));

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`) });
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers,
      ...(payload === undefined
        ? {}
        : typeof payload === "string"
          ? { payload }
          : { payload: payload as object }),
    });
  const ok = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await call(method, url, payload, headers);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
    return res.json();
  };

  /** A matter with paragraphs ¶ 1 … ¶ n, a heading "II" over them, two periods and a report. */
  async function setUp(n = 3) {
    const m = await buildMatter(t.app);
    const heading = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into provisions (matter_id, label, path, text, heading, position)
          values (${m.id}, 'II', 'II', 'II. USE OF FORCE', true, 0) returning id`,
    );
    const rows = await queryRows<{ id: string; number: number }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, path, text, position, parent_id, depth)
          select ${m.id}, i, '¶ ' || i, '¶ ' || i, 'The text of paragraph ' || i, i, ${heading!.id}, 1
          from generate_series(1, ${n}) i returning id, number`,
    );
    const sha = randomUUID().replaceAll("-", "").padEnd(64, "0");
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, 10, 'text/plain')`,
    );
    const report = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status)
          values (${m.id}, ${sha}, 'monitor_report', 'Third assessment report', 'third.txt', 'ready') returning id`,
    );
    const p1 = await ok("POST", `/api/v1/matters/${m.slug}/periods`, { label: "P1", endsOn: "2024-06-30" });
    const p2 = await ok("POST", `/api/v1/matters/${m.slug}/periods`, {
      label: "P2",
      endsOn: "2024-12-31",
      reportDocumentId: report!.id,
    });
    const ids = new Map(rows.map((r) => [r.number, r.id]));
    return { m, heading: heading!.id, p: (i: number) => ids.get(i)!, p1, p2, report: report!.id };
  }

  const save = (slug: string, items: unknown[]) =>
    call("PUT", `/api/v1/matters/${slug}/assessments`, { items });

  it("stores each rater's rating of one provision in one period, and the page shows them side by side", async () => {
    const { m, p, p2, report } = await setUp();
    const saved = await save(m.slug, [
      {
        provisionId: p(1),
        periodId: p2.id,
        level: "secondary",
        evidence: [{ documentId: report, page: 12 }],
      },
      {
        provisionId: p(1),
        periodId: p2.id,
        rater: "department",
        level: "preliminary",
        rationale: "Policy not yet trained",
        evidence: [{ documentId: report, page: 13 }],
      },
      { provisionId: p(2), periodId: p2.id, rater: "monitor", level: "full" },
      { provisionId: p(2), periodId: p2.id, rater: "city", level: "full" },
    ]);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ created: 4, updated: 0, removed: 0, unchanged: 0 });
    const stored = await queryRows<{ rater: string; level: string }>(
      t.database.db,
      sql`select rater, level from assessments where provision_id = ${p(1)} order by rater`,
    );
    expect(stored).toEqual([
      { rater: "department", level: "preliminary" },
      { rater: "monitor", level: "secondary" },
    ]);

    // The grid is one rater's: the monitor's by default.
    const grid = await ok("GET", `/api/v1/matters/${m.slug}/assessments?period=P2`);
    expect(grid.rater).toBe("monitor");
    expect(grid.items).toHaveLength(3);
    expect(grid.items[0].assessment).toMatchObject({ rater: "monitor", level: "secondary" });
    const dept = await ok("GET", `/api/v1/matters/${m.slug}/assessments?period=P2&rater=department`);
    expect(
      dept.items.map((i: { assessment: { level: string } | null }) => i.assessment?.level ?? null),
    ).toEqual(["preliminary", null, null]);
    expect((await call("GET", `/api/v1/matters/${m.slug}/assessments?rater=press`)).statusCode).toBe(400);

    const page: Provision = await ok("GET", `/api/v1/provisions/${p(1)}`);
    expect(page.ratings.map((r: Provision["ratings"][number]) => [r.rater, r.level])).toEqual([
      ["monitor", "secondary"],
      ["department", "preliminary"],
    ]);
    expect(page.ratingPeriods).toEqual([
      {
        periodId: p2.id,
        periodLabel: "P2",
        endsOn: "2024-12-31",
        disagreement: true,
        ratings: [
          expect.objectContaining({
            rater: "monitor",
            level: "secondary",
            levelLabel: "Secondary",
            normalized: 0.67,
            evidence: [{ documentId: report, page: 12, title: "Third assessment report" }],
          }),
          expect.objectContaining({
            rater: "department",
            level: "preliminary",
            levelLabel: "Preliminary",
            normalized: 0.33,
            rationale: "Policy not yet trained",
            evidence: [{ documentId: report, page: 13, title: "Third assessment report" }],
          }),
        ],
      },
    ]);
    // Two raters at the same place on the scale agree.
    const agreed: Provision = await ok("GET", `/api/v1/provisions/${p(2)}`);
    expect(agreed.ratingPeriods.map((r: Provision["ratingPeriods"][number]) => r.disagreement)).toEqual([
      false,
    ]);
    expect(agreed.ratingPeriods[0]!.ratings.map((r: { rater: string }) => r.rater)).toEqual([
      "monitor",
      "city",
    ]);
    // "Not yet assessed" is no rating: it disagrees with nothing.
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [{ provisionId: p(2), periodId: p2.id, rater: "other", level: "not_yet_assessed" }],
    });
    const unassessed: Provision = await ok("GET", `/api/v1/provisions/${p(2)}`);
    expect(unassessed.ratingPeriods[0]).toMatchObject({ disagreement: false });
    expect(unassessed.ratingPeriods[0]!.ratings.map((r: { rater: string }) => r.rater)).toEqual([
      "monitor",
      "city",
      "other",
    ]);
  });

  it("keeps one rating per provision, period and rater", async () => {
    const { m, p, p2 } = await setUp();
    const twice = await save(m.slug, [
      { provisionId: p(1), periodId: p2.id, rater: "city", level: "full" },
      { provisionId: p(1), periodId: p2.id, rater: "city", level: "secondary" },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0]).toMatchObject({
      path: "items.1.provisionId",
      message: expect.stringContaining("same provision for the same period and rater as items.0"),
    });
    expect(
      (await save(m.slug, [{ provisionId: p(1), periodId: p2.id, rater: "city", level: "full" }])).statusCode,
    ).toBe(200);
    // A second save of the same rater updates its rating; another rater's is a rating of its own.
    expect(
      (
        await save(m.slug, [{ provisionId: p(1), periodId: p2.id, rater: "city", level: "secondary" }])
      ).json(),
    ).toMatchObject({ created: 0, updated: 1 });
    expect(
      (await save(m.slug, [{ provisionId: p(1), periodId: p2.id, level: "secondary" }])).json(),
    ).toMatchObject({ created: 1, updated: 0 });
    // The database holds the rule too, and only the domain's raters.
    await expect(
      t.database.db.execute(
        sql`insert into assessments (provision_id, period_id, rater, level) values (${p(1)}, ${p2.id}, 'city', 'full')`,
      ),
    ).rejects.toThrow();
    for (const rater of RATERS)
      await t.database.db.execute(
        sql`insert into assessments (provision_id, period_id, rater, level) values (${p(3)}, ${p2.id}, ${rater}, 'full')
            on conflict do nothing`,
      );
    await expect(
      t.database.db.execute(
        sql`insert into assessments (provision_id, period_id, rater, level) values (${p(3)}, ${p2.id}, 'press', 'full')`,
      ),
    ).rejects.toThrow();
    expect(
      (await save(m.slug, [{ provisionId: p(2), periodId: p2.id, rater: "press", level: "full" }]))
        .statusCode,
    ).toBe(400);
  });

  it("counts the monitor's ratings in the official figures and lists the others beside them", async () => {
    const { m, p, p1, p2 } = await setUp(4);
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [
        { provisionId: p(1), periodId: p1.id, level: "preliminary" },
        { provisionId: p(1), periodId: p2.id, level: "full" },
        { provisionId: p(2), periodId: p2.id, level: "secondary" },
        // The department agrees on ¶ 1, rates ¶ 2 lower, and rates ¶ 3 and ¶ 4, which the monitor did not.
        { provisionId: p(1), periodId: p2.id, rater: "department", level: "full" },
        { provisionId: p(2), periodId: p2.id, rater: "department", level: "not_in_compliance" },
        { provisionId: p(3), periodId: p2.id, rater: "department", level: "full" },
        { provisionId: p(4), periodId: p2.id, rater: "department", level: "full" },
        { provisionId: p(4), periodId: p1.id, rater: "city", level: "full" },
      ],
    });
    const view = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    const full = view.levels.indexOf("full");
    expect(view.byPeriod.map((f: { total: number }) => f.total)).toEqual([1, 2]);
    expect(view.byPeriod[1].counts[full]).toBe(1);
    expect(view.movement.counts).toMatchObject({ improved: 1, newlyRated: 1, backslid: 0 });
    // The other raters' ratings are not mixed in, and not silently dropped either.
    expect(view.otherRaters).toEqual([
      { periodId: p1.id, rater: "city", ratings: 1, withoutMonitor: 1 },
      { periodId: p2.id, rater: "department", ratings: 4, withoutMonitor: 2 },
    ]);
    // The roll-ups kept with every save equal those counted afresh, and the stored view the live one.
    const stored = await queryRows(
      t.database.db,
      sql`select period_id as "periodId", level, topic, section, count from compliance_rollups
          where matter_id = ${m.id} order by 1, 2, 3, 4`,
    );
    expect(stored).toEqual(await countRollups(t.database.db, m.id));
    expect(await getMatterCompliance(reader(), m.slug, {}, true)).toEqual(
      await getMatterCompliance(reader(), m.slug, {}, true, { live: true }),
    );
    // The periods count every rater's ratings (deleting one deletes them all).
    const periods = await ok("GET", `/api/v1/matters/${m.slug}/periods`);
    expect(periods.items.map((x: { ratings: number }) => x.ratings)).toEqual([2, 6]);

    // Changing only the department's ratings moves no figure, but the list of them.
    const before = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [{ provisionId: p(3), periodId: p2.id, rater: "department", level: null }],
    });
    const after = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    expect(after.byPeriod).toEqual(before.byPeriod);
    expect(after.otherRaters[1]).toEqual({
      periodId: p2.id,
      rater: "department",
      ratings: 3,
      withoutMonitor: 1,
    });
    expect(await getMatterCompliance(reader(), m.slug, {}, true)).toEqual(
      await getMatterCompliance(reader(), m.slug, {}, true, { live: true }),
    );
  });

  it("rates any node, a heading too (a section rated as a whole), in the grid, one by one and in an import", async () => {
    const { m, heading, p, p2 } = await setUp();
    const grid = await save(m.slug, [
      { provisionId: p(1), periodId: p2.id, level: "full" },
      { provisionId: heading, periodId: p2.id, level: "secondary", rater: "department" },
    ]);
    expect(grid.statusCode, grid.body).toBe(200);

    const one = await call(
      "PUT",
      `/api/v1/provisions/${heading}/ratings/${p2.id}/monitor`,
      { level: "full" },
      { "if-match": '"0"' },
    );
    expect(one.statusCode, one.body).toBe(200);

    const csv = await call(
      "POST",
      `/api/v1/matters/${m.slug}/assessments/import?period=P2&rater=city`,
      "paragraph,level\n1,full\nII,secondary\n",
      {
        "content-type": "text/csv",
        "if-match": (await call("GET", `/api/v1/matters/${m.slug}`)).headers.etag as string,
      },
    );
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = await queryRows<{ label: string; rater: string; level: string }>(
      t.database.db,
      sql`select x.label, a.rater, a.level from assessments a join provisions x on x.id = a.provision_id
          where x.matter_id = ${m.id} order by x.label, a.rater`,
    );
    expect(rows).toEqual([
      { label: "II", rater: "city", level: "secondary" },
      { label: "II", rater: "department", level: "secondary" },
      { label: "II", rater: "monitor", level: "full" },
      { label: "¶ 1", rater: "city", level: "full" },
      { label: "¶ 1", rater: "monitor", level: "full" },
    ]);
    // The heading's monitor rating counts in the figures like any other.
    const full = await queryOne<{ n: number }>(
      t.database.db,
      sql`select count::int as n from compliance_rollups where matter_id = ${m.id} and period_id = ${p2.id}
          and level = 'full' and topic = '' and section = ''`,
    );
    expect(full?.n).toBe(2);
  });

  it("saves and removes one rater's rating with If-Match", async () => {
    const { m, p, p2, report } = await setUp();
    const url = `/api/v1/provisions/${p(1)}/ratings/${p2.id}/department`;
    const body = { level: "secondary", evidence: [{ documentId: report, page: 4 }] };
    expect((await call("PUT", url, body)).statusCode).toBe(428);
    expect((await call("PUT", url, body, { "if-match": '"2"' })).statusCode).toBe(412);
    const created = await call("PUT", url, body, { "if-match": '"0"' });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toMatchObject({
      provisionId: p(1),
      periodId: p2.id,
      rater: "department",
      level: "secondary",
      evidence: [{ documentId: report, page: 4 }],
      version: 1,
    });
    // A second write from the same version loses, and is told the current rating.
    expect((await call("PUT", url, { level: "full" }, { "if-match": '"1"' })).statusCode).toBe(200);
    const stale = await call("PUT", url, { level: "preliminary" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().current).toMatchObject({ rater: "department", level: "full", version: 2 });
    // The evidence was kept; the monitor's rating of the same provision is another record.
    expect((await ok("GET", `/api/v1/provisions/${p(1)}`)).ratings).toEqual([
      expect.objectContaining({
        rater: "department",
        level: "full",
        evidence: [expect.objectContaining({ page: 4 })],
      }),
    ]);
    const bad = await call("PUT", url, { level: "excellent" }, { "if-match": '"2"' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("level");
    expect(
      (await call("PUT", `/api/v1/provisions/${p(1)}/ratings/${p2.id}/press`, body, { "if-match": '"0"' }))
        .statusCode,
    ).toBe(400);
    // Removing: If-Match too.
    expect((await call("DELETE", url, undefined, { "if-match": '"1"' })).statusCode).toBe(412);
    expect((await call("DELETE", url, undefined, { "if-match": '"2"' })).statusCode).toBe(204);
    expect((await call("DELETE", url, undefined, { "if-match": '"2"' })).statusCode).toBe(404);
    const audit = await ok("GET", `/api/v1/audit?entity=matter&entityId=${m.id}`);
    expect(
      audit.items
        .filter((a: { action: string }) => a.action === "ASSESSMENTS_SAVED")
        .map((a: { after: { ratings: { rater: string }[] } }) => a.after.ratings[0]!.rater),
    ).toEqual(["department", "department", "department"]);
  });

  it("imports a table with a rater column, and names a row with an unknown rater", async () => {
    const { m, p, p2 } = await setUp();
    const url = `/api/v1/matters/${m.slug}/assessments/import?period=P2`;
    /** Each import made from the matter as it now stands (If-Match: its ETag). */
    const post = async (csv: string, query = "") =>
      call("POST", `${url}${query}`, csv, {
        "content-type": "text/csv",
        "if-match": (await call("GET", `/api/v1/matters/${m.slug}`)).headers.etag as string,
      });
    const table = [
      "Paragraph,Rater,Compliance Status,Page",
      "1,Independent Auditor,Partial,7",
      "1,DOJ,Not in compliance,7",
      "2,monitor,Full,8",
      "2,City's self-assessment,Full,8",
    ].join("\n");
    // "Partial" is no level of the default scale: the whole file is refused first.
    const refused = await post(table);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: "row 2, field level" })]);
    const imported = await post(table.replace("Partial", "Secondary"));
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ created: 4, rows: 4, ignoredColumns: [] });
    const page: Provision = await ok("GET", `/api/v1/provisions/${p(1)}`);
    expect(page.ratingPeriods[0]).toMatchObject({
      periodId: p2.id,
      disagreement: true,
      ratings: [
        { rater: "monitor", level: "secondary", evidence: [expect.objectContaining({ page: 7 })] },
        { rater: "department", level: "not_in_compliance" },
      ],
    });
    const unknown = await post("paragraph,rater,level\n3,department,full\n3,the press,full\n");
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      code: "import_invalid",
      errors: [
        {
          path: "row 3, field rater",
          message: expect.stringContaining('"the press" is not a rater'),
          allowed: [...RATERS],
        },
      ],
    });
    // Rows without a rater column are the rater named in the request (default: the monitor).
    const asCity = await post("paragraph,level\n3,preliminary\n", "&rater=city");
    expect(asCity.json()).toMatchObject({ created: 1 });
    const p3: Provision = await ok("GET", `/api/v1/provisions/${p(3)}`);
    expect(p3.ratings.map((r: { rater: string }) => r.rater)).toEqual(["city"]);
    expect((await post("paragraph,level\n3,preliminary\n", "&rater=press")).statusCode).toBe(400);
  });
});
