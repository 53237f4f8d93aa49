import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_COMPLIANCE_LEVELS, GRID_EXCERPT_LENGTH, parseCsvRecords } from "@accord/domain";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import {
  countRollups,
  getMatterCompliance,
  matterComplianceView,
  refreshComplianceRollups,
} from "../src/modules/compliance/index.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/** Compliance: scales, periods, the rating grid, CSV imports, roll-ups, the views, and who may rate. */

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../data");
const TODAY = "2025-03-01";

interface ProvisionSpec {
  number: number;
  /** [number, title] of its first-level section. */
  section?: [string, string];
  topics?: string[];
}

describe(`compliance (${ENGINE})`, () => {
  let t: TestApp;
  /** Reads as Accord itself on the test's day (the views count overdue deadlines from it). */
  const reader = () => systemContext(t.database.db, "test", () => new Date(TODAY));
  const token = {} as Record<"monitor" | "reviewer" | "viewer", string>;

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`) });
    token.monitor = await t.tokenFor("monitor", "mona");
    token.reviewer = await t.tokenFor("reviewer", "rex");
    token.viewer = await t.tokenFor("viewer", "val");
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
  const as = (who: keyof typeof token, method: string, url: string, payload?: unknown, headers = {}) =>
    t.anonymous({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${token[who]}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const ok = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await call(method, url, payload, headers);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
    return res.json();
  };
  /** If-Match with the ETag a GET of the record gives now (the matter, for an import or a termination). */
  const readTag = async (url: string) => {
    const res = await call("GET", url);
    expect(res.statusCode, res.body).toBe(200);
    return { "if-match": res.headers.etag as string };
  };
  const matterTag = (slug: string) => readTag(`/api/v1/matters/${slug}`);
  const provisionTag = (id: string) => readTag(`/api/v1/provisions/${id}`);

  /** Provisions inserted straight into the table, as an accepted parse would leave them. */
  async function insertProvisions(matterId: string, specs: ProvisionSpec[]): Promise<Map<number, string>> {
    const rows = specs.map((s) => ({
      n: s.number,
      sections: s.section ? [{ number: s.section[0], title: s.section[1], level: 1 }] : [],
      topics: (s.topics ?? []).map((topic) => ({ topic, score: 3, because: [] })),
    }));
    const inserted = await queryRows<{ id: string; number: number }>(
      t.database.db,
      sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
          select ${matterId}, (x->>'n')::int, '¶ ' || (x->>'n'), x->'sections', '¶ ' || (x->>'n'),
            'The text of paragraph ' || (x->>'n'), x->'topics'
          from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as x
          returning id, number`,
    );
    return new Map(inserted.map((r) => [r.number, r.id]));
  }

  /** A document of the matter (its file need not exist for ratings to cite it). */
  async function insertDocument(matterId: string | null, title: string): Promise<string> {
    const sha = randomUUID().replaceAll("-", "").padEnd(64, "0");
    await t.database.db.execute(
      sql`insert into blobs (sha256, size, mime) values (${sha}, 10, 'text/plain')`,
    );
    const row = await queryOne<{ id: string }>(
      t.database.db,
      sql`insert into documents (matter_id, sha256, kind, title, filename, status)
          values (${matterId}, ${sha}, 'monitor_report', ${title}, ${`${title}.txt`}, 'ready') returning id`,
    );
    return row!.id;
  }

  const createPeriod = (slug: string, label: string, endsOn: string, reportDocumentId?: string) =>
    ok("POST", `/api/v1/matters/${slug}/periods`, {
      label,
      endsOn,
      ...(reportDocumentId ? { reportDocumentId } : {}),
    });

  const countAssessments = async (matterId: string) =>
    (
      await queryOne<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from assessments a join provisions p on p.id = a.provision_id where p.matter_id = ${matterId}`,
      )
    )?.n;

  const storedRollups = (matterId: string) =>
    queryRows<{ periodId: string; level: string; topic: string; section: string; count: number }>(
      t.database.db,
      sql`select period_id as "periodId", level, topic, section, count from compliance_rollups
          where matter_id = ${matterId} order by 1, 2, 3, 4`,
    );

  /** The view from the packed summary is the view counted afresh. */
  const expectSummaryFresh = async (slug: string) => {
    const view = (live: boolean) => getMatterCompliance(reader(), slug, {}, true, { live });
    expect(await view(false)).toEqual(await view(true));
  };

  const storedStates = (matterId: string) =>
    queryRows(
      t.database.db,
      sql`select provision_id, latest_level, latest_ends_on, last_below_on, run_started_on
          from compliance_provision_states where matter_id = ${matterId} order by provision_id`,
    );

  // ------------------------------------------------------------------ scales

  it("gives a matter the default scale until its monitor's is set, and keeps levels in use", async () => {
    const m = await buildMatter(t.app);
    const res = await call("GET", `/api/v1/matters/${m.slug}/compliance-scale`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"0"');
    expect(res.json()).toMatchObject({
      isDefault: true,
      version: 0,
      sustainment: null,
      abilities: { edit: true },
    });
    expect(res.json().levels.map((l: { code: string }) => l.code)).toEqual([
      "not_yet_assessed",
      "not_in_compliance",
      "preliminary",
      "secondary",
      "full",
    ]);

    const albuquerque = {
      levels: [
        { code: "none", label: "Not in compliance", normalized: 0 },
        { code: "primary", label: "Primary", normalized: 0.33 },
        { code: "secondary", label: "Secondary", normalized: 0.67 },
        { code: "operational", label: "Operational", normalized: 1, full: true },
      ],
      sustainment: { level: "operational", years: 2 },
    };
    const url = `/api/v1/matters/${m.slug}/compliance-scale`;
    expect((await call("PUT", url, albuquerque)).statusCode).toBe(428);
    expect((await call("PUT", url, albuquerque, { "if-match": '"3"' })).statusCode).toBe(412);
    const set = await call("PUT", url, albuquerque, { "if-match": '"0"' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      isDefault: false,
      version: 1,
      sustainment: { level: "operational", years: 2 },
    });
    expect(set.json().levels[0]).toEqual({
      code: "none",
      label: "Not in compliance",
      normalized: 0,
      full: false,
      rated: true,
    });

    const bad = await call(
      "PUT",
      url,
      {
        levels: [
          { code: "a", label: "A", normalized: 0 },
          { code: "a", label: "B" },
        ],
      },
      { "if-match": '"1"' },
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["levels.1.code", "levels.1.normalized", "levels"]));

    // A level that ratings use cannot be removed; the answer says how many use it.
    const provisions = await insertProvisions(m.id, [{ number: 1 }, { number: 2 }]);
    const period = await createPeriod(m.slug, "First", "2024-06-30");
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [...provisions.values()].map((provisionId) => ({
        provisionId,
        periodId: period.id,
        level: "primary",
      })),
    });
    const without = { ...albuquerque, levels: albuquerque.levels.filter((l) => l.code !== "primary") };
    const refused = await call("PUT", url, without, { "if-match": '"1"' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "level_in_use" });
    expect(refused.json().detail).toContain('"primary" (2 ratings)');
    const relabelled = await call(
      "PUT",
      url,
      {
        ...albuquerque,
        levels: albuquerque.levels.map((l) => (l.code === "none" ? { ...l, label: "Non-compliant" } : l)),
      },
      { "if-match": '"1"' },
    );
    expect(relabelled.statusCode).toBe(200);
    expect(relabelled.json().version).toBe(2);
  });

  // ------------------------------------------------------------------ periods

  it("keeps reporting periods: unique labels, a report of the same matter, versions, deletion with ratings", async () => {
    const m = await buildMatter(t.app);
    const other = await buildMatter(t.app);
    const report = await insertDocument(m.id, "Monitor's first report");
    const foreign = await insertDocument(other.id, "Someone else's report");
    const first = await createPeriod(m.slug, "First report", "2024-06-30", report);
    expect(first).toMatchObject({ label: "First report", endsOn: "2024-06-30", ratings: 0, version: 1 });
    expect(first.reportDocument).toEqual({ id: report, title: "Monitor's first report" });
    const dup = await call("POST", `/api/v1/matters/${m.slug}/periods`, {
      label: "first REPORT",
      endsOn: "2024-12-31",
    });
    expect(dup.statusCode).toBe(409);
    const wrongDoc = await call("POST", `/api/v1/matters/${m.slug}/periods`, {
      label: "Second",
      endsOn: "2024-12-31",
      reportDocumentId: foreign,
    });
    expect(wrongDoc.statusCode).toBe(400);
    expect(wrongDoc.json().errors[0].path).toBe("reportDocumentId");
    const backwards = await call("POST", `/api/v1/matters/${m.slug}/periods`, {
      label: "Backwards",
      startsOn: "2025-01-01",
      endsOn: "2024-12-31",
    });
    expect(backwards.statusCode).toBe(400);

    const patched = await call(
      "PATCH",
      `/api/v1/periods/${first.id}`,
      { startsOn: "2024-01-01" },
      { "if-match": '"1"' },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ startsOn: "2024-01-01", version: 2 });
    expect(
      (await call("PATCH", `/api/v1/periods/${first.id}`, { label: "X" }, { "if-match": '"1"' })).statusCode,
    ).toBe(412);

    const [provisionId] = (await insertProvisions(m.id, [{ number: 7 }])).values();
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [{ provisionId, periodId: first.id, level: "full" }],
    });
    const list = await ok("GET", `/api/v1/matters/${m.slug}/periods`);
    expect(list.items.map((p: { label: string; ratings: number }) => [p.label, p.ratings])).toEqual([
      ["First report", 1],
    ]);
    const held = await call("DELETE", `/api/v1/periods/${first.id}`, undefined, { "if-match": '"2"' });
    expect(held.statusCode).toBe(409);
    expect(held.json().detail).toContain("holds 1 rating");
    const gone = await call("DELETE", `/api/v1/periods/${first.id}?withRatings=true`, undefined, {
      "if-match": '"2"',
    });
    expect(gone.statusCode).toBe(204);
    expect(await countAssessments(m.id)).toBe(0);
    expect(await storedRollups(m.id)).toEqual([]);
  });

  // ------------------------------------------------------------------ the grid

  it("bulk-sets a level from the grid, filtered by section and topic, in one audited request", async () => {
    const m = await buildMatter(t.app);
    const ids = await insertProvisions(m.id, [
      { number: 1, section: ["I", "Policies"], topics: ["use_of_force"] },
      { number: 2, section: ["I", "Policies"], topics: ["training"] },
      { number: 3, section: ["II", "Training"], topics: ["training"] },
    ]);
    const report = await insertDocument(m.id, "Report");
    const period = await createPeriod(m.slug, "First", "2024-06-30", report);

    const grid = await ok("GET", `/api/v1/matters/${m.slug}/assessments?section=I`);
    expect(grid.period.id).toBe(period.id);
    expect(grid.abilities).toEqual({ rate: true });
    expect(grid.items.map((i: { provision: { number: number } }) => i.provision.number)).toEqual([1, 2]);
    expect(grid.items[0]).toMatchObject({
      provision: { label: "¶ 1", section: "I. Policies", topics: ["use_of_force"] },
      assessment: null,
    });

    // Bulk-set the section's rows to one level, each with its rationale and evidence.
    const items = grid.items.map((i: { provision: { id: string; number: number } }) => ({
      provisionId: i.provision.id,
      periodId: period.id,
      level: "secondary",
      rationale: `Policy for ¶ ${i.provision.number} approved`,
      evidence: [{ documentId: report, page: 10 + i.provision.number }],
    }));
    expect(await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, { items })).toEqual({
      created: 2,
      updated: 0,
      removed: 0,
      unchanged: 0,
    });
    // The same again changes nothing; a level alone keeps rationale and evidence; null removes.
    expect((await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, { items })).unchanged).toBe(2);
    expect(
      await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
        items: [
          { provisionId: ids.get(1), periodId: period.id, level: "full" },
          { provisionId: ids.get(2), periodId: period.id, level: null },
          { provisionId: ids.get(3), periodId: period.id, level: null },
        ],
      }),
    ).toEqual({ created: 0, updated: 1, removed: 1, unchanged: 1 });
    const after = await ok("GET", `/api/v1/matters/${m.slug}/assessments?topic=use_of_force&period=first`);
    expect(after.items).toHaveLength(1);
    expect(after.items[0].assessment).toMatchObject({
      level: "full",
      rationale: "Policy for ¶ 1 approved",
      evidence: [{ documentId: report, page: 11 }],
      ratedBy: "tester",
      version: 2,
    });
    const audit = await ok("GET", `/api/v1/audit?action=ASSESSMENTS_SAVED&entityId=${m.id}`);
    // Three requests changed ratings (the one that changed nothing left no entry).
    expect(audit.items.filter((e: { entityId: string }) => e.entityId === m.id)).toHaveLength(2);
    expect(await storedRollups(m.id)).toEqual(await countRollups(t.database.db, m.id));
  });

  it("gives each row the opening of its text, and leaves headings and definitions out unless asked", async () => {
    const m = await buildMatter(t.app);
    const long = `The Department will\n   revise its policies ${"and train every officer on them ".repeat(10)}within a year.`;
    await t.database.db.execute(
      sql`insert into provisions (matter_id, number, label, position, depth, heading, is_definition, path, text, sections)
          values
            (${m.id}, null, 'I', 1, 0, true, false, 'I', 'DEFINITIONS', '[]'),
            (${m.id}, null, 'I.a', 2, 1, false, true, 'I › I.a', '"Officer" means a sworn member.', '[{"number":"I","title":"Definitions","level":1}]'),
            (${m.id}, null, 'II', 3, 0, true, false, 'II', 'USE OF FORCE', '[]'),
            (${m.id}, null, 'II.a', 4, 1, false, false, 'II › II.a', ${long}, '[{"number":"II","title":"Use of Force","level":1}]'),
            (${m.id}, null, 'II.b', 5, 1, false, false, 'II › II.b', 'Officers will report force.', '[{"number":"II","title":"Use of Force","level":1}]')`,
    );
    await createPeriod(m.slug, "First", "2024-06-30");
    type Row = { provision: Record<string, unknown> };
    const labels = (g: { items: Row[] }) => g.items.map((i) => i.provision.label);

    const grid = await ok("GET", `/api/v1/matters/${m.slug}/assessments`);
    expect(labels(grid)).toEqual(["II.a", "II.b"]);
    expect(grid.total).toBe(2);
    expect(grid.left).toEqual({ headings: 2, definitions: 1 });
    const [first, second] = grid.items as Row[];
    // One line of text, whitespace collapsed, cut at the excerpt's length; the rest on its page.
    expect(first!.provision).toMatchObject({
      number: null,
      depth: 1,
      heading: false,
      definition: false,
      truncated: true,
    });
    expect(first!.provision.excerpt).toBe(long.replace(/\s+/g, " ").slice(0, GRID_EXCERPT_LENGTH));
    expect(second!.provision).toMatchObject({ excerpt: "Officers will report force.", truncated: false });

    // Asked for, headings come back as section rows and definitions as rows, in the outline's order.
    const all = await ok("GET", `/api/v1/matters/${m.slug}/assessments?include=headings,definitions`);
    expect(labels(all)).toEqual(["I", "I.a", "II", "II.a", "II.b"]);
    expect(all.left).toEqual({ headings: 0, definitions: 0 });
    expect(all.items.map((i: Row) => [i.provision.heading, i.provision.definition])).toEqual([
      [true, false],
      [false, true],
      [true, false],
      [false, false],
      [false, false],
    ]);
    const defs = await ok("GET", `/api/v1/matters/${m.slug}/assessments?include=definitions`);
    expect(labels(defs)).toEqual(["I.a", "II.a", "II.b"]);
    expect(defs.left).toEqual({ headings: 2, definitions: 0 });
    // The counts of what is left out follow the other filters.
    const section = await ok("GET", `/api/v1/matters/${m.slug}/assessments?section=I`);
    expect(section).toMatchObject({ total: 0, left: { headings: 0, definitions: 1 } });
    const bad = await call("GET", `/api/v1/matters/${m.slug}/assessments?include=footnotes`);
    expect(bad.statusCode).toBe(400);
  });

  it("refuses a save based on a rating someone changed meanwhile (412), writing nothing", async () => {
    const m = await buildMatter(t.app);
    const ids = await insertProvisions(m.id, [{ number: 1 }, { number: 2 }]);
    const period = await createPeriod(m.slug, "First", "2024-06-30");
    const url = `/api/v1/matters/${m.slug}/assessments`;
    const row = (n: number, level: string, version?: number) => ({
      provisionId: ids.get(n),
      periodId: period.id,
      level,
      ...(version === undefined ? {} : { version }),
    });
    // Version 0: no rating yet.
    expect((await ok("PUT", url, { items: [row(1, "preliminary", 0)] })).created).toBe(1);
    // Someone else rates ¶ 1 again (version 2) and ¶ 2 (version 1).
    await ok("PUT", url, { items: [row(1, "secondary"), row(2, "full")] });
    const stale = await call("PUT", url, { items: [row(1, "full", 1), row(2, "secondary", 0)] });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({
      code: "version_conflict",
      errors: [{ path: "items.0.version" }, { path: "items.1.version" }],
      current: {
        items: [
          { provisionId: ids.get(1), assessment: { level: "secondary", version: 2 } },
          { provisionId: ids.get(2), assessment: { level: "full", version: 1 } },
        ],
      },
    });
    const grid = await ok("GET", url);
    expect(grid.items.map((i: { assessment: { level: string } }) => i.assessment.level)).toEqual([
      "secondary",
      "full",
    ]);
    // Based on the current versions, the same save goes through.
    expect((await ok("PUT", url, { items: [row(1, "full", 2), row(2, "secondary", 1)] })).updated).toBe(2);
  });

  it("refuses a bulk save with a bad row, naming it, and writes nothing", async () => {
    const m = await buildMatter(t.app);
    const other = await buildMatter(t.app);
    const ids = await insertProvisions(m.id, [{ number: 1 }, { number: 2 }]);
    const [foreignProvision] = (await insertProvisions(other.id, [{ number: 1 }])).values();
    const foreignDoc = await insertDocument(other.id, "Elsewhere");
    const period = await createPeriod(m.slug, "First", "2024-06-30");
    const res = await call("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [
        { provisionId: ids.get(1), periodId: period.id, level: "full" },
        { provisionId: ids.get(2), periodId: period.id, level: "Substantal" },
        { provisionId: foreignProvision, periodId: period.id, level: "full" },
        {
          provisionId: ids.get(1),
          periodId: period.id,
          level: "full",
          evidence: [{ documentId: foreignDoc }],
        },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(
      /^Invalid rating at items\.1\.level: "Substantal" is not a level of this matter's scale; the levels are not_yet_assessed \(Not yet assessed\), .*full \(Full\) \(and 3 more\); nothing was saved$/,
    );
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      "items.1.level",
      "items.2.provisionId",
      "items.3.evidence",
      "items.3.provisionId",
    ]);
    expect(res.json().errors[3].message).toContain("as items.0");
    expect(await countAssessments(m.id)).toBe(0);
    const tooMany = await call("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: Array.from({ length: 5001 }, () => ({
        provisionId: ids.get(1),
        periodId: period.id,
        level: "full",
      })),
    });
    expect(tooMany.statusCode).toBe(400);
  });

  // ------------------------------------------------------------------ CSV import

  it("imports a monitor's CSV in one transaction: a bad row is named and nothing is written", async () => {
    const m = await buildMatter(t.app);
    await insertProvisions(
      m.id,
      [1, 2, 3, 4, 5].map((number) => ({ number })),
    );
    const report = await insertDocument(m.id, "First monitor report");
    const first = await createPeriod(m.slug, "First report", "2024-06-30", report);
    const url = `/api/v1/matters/${m.slug}/assessments/import`;
    const csv = (level: string) =>
      [
        "paragraph,status,rationale,page,reviewer",
        "¶ 1,Full,Done,3,x",
        "2,secondary,,4,x",
        `3,${level},,5,x`,
        "4,PRELIMINARY,,6,x",
        "",
      ].join("\r\n");

    const bad = await call("POST", `${url}?period=First%20report`, csv("Substantal"), {
      "content-type": "text/csv",
      ...(await matterTag(m.slug)),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe("import_invalid");
    expect(bad.json().detail).toBe(
      "The CSV file is invalid at row 4, field level: 'Substantal' is not a level of this matter's scale; the levels are not_yet_assessed (Not yet assessed), not_in_compliance (Not in compliance), preliminary (Preliminary), secondary (Secondary), full (Full); nothing was imported",
    );
    expect(await countAssessments(m.id)).toBe(0);

    const unknown = await call(
      "POST",
      url,
      { csv: "paragraph,level,period\n9,full,First report\n1,full,Third report\n" },
      await matterTag(m.slug),
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors.map((e: { path: string }) => e.path)).toEqual([
      "row 2, field paragraph",
      "row 3, field period",
    ]);
    const noLevel = await call(
      "POST",
      url,
      { csv: "paragraph,rationale\n1,x\n", period: "First report" },
      await matterTag(m.slug),
    );
    expect(noLevel.json().errors[0]).toMatchObject({ path: "row 1" });
    expect(await countAssessments(m.id)).toBe(0);

    const good = await call("POST", `${url}?period=First%20report`, csv("not in compliance"), {
      "content-type": "text/csv",
      "if-match": `"${m.version}"`,
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({
      created: 4,
      updated: 0,
      removed: 0,
      unchanged: 0,
      rows: 4,
      ignoredColumns: ["reviewer"],
      version: m.version + 1,
    });
    const grid = await ok("GET", `/api/v1/matters/${m.slug}/assessments?period=${first.id}`);
    expect(grid.items[0].assessment).toMatchObject({
      level: "full",
      rationale: "Done",
      evidence: [{ documentId: report, page: 3 }],
    });
    expect(grid.items[2].assessment.level).toBe("not_in_compliance");
    expect(grid.items[4].assessment).toBeNull();
    const audit = await ok("GET", "/api/v1/audit?action=ASSESSMENTS_IMPORTED");
    expect(audit.items.filter((e: { entityId: string }) => e.entityId === m.id)).toHaveLength(1);
  });

  it("a database failure partway through an import leaves the ratings, roll-ups and audit as they were", async () => {
    const m = await buildMatter(t.app);
    await insertProvisions(
      m.id,
      [1, 2, 3, 4, 5].map((number) => ({ number, topics: ["training"] })),
    );
    await createPeriod(m.slug, "First report", "2024-06-30");
    const url = `/api/v1/matters/${m.slug}/assessments/import?period=First%20report`;
    const post = async (csv: string) =>
      call("POST", url, csv, { "content-type": "text/csv", ...(await matterTag(m.slug)) });
    expect((await post("paragraph,level\n1,preliminary\n2,preliminary\n")).statusCode).toBe(200);
    const before = {
      grid: await ok("GET", `/api/v1/matters/${m.slug}/assessments?period=First%20report`),
      rollups: await storedRollups(m.id),
      audit: (await ok("GET", "/api/v1/audit?action=ASSESSMENTS_IMPORTED")).items.length,
    };
    // The database refuses row 4 while the import writes it (rows 1–3 already updated or added).
    const run = (statement: string) => t.database.db.execute(sql.raw(statement));
    await run(`create function accord_test_refuse() returns trigger language plpgsql as $$
      begin if new.rationale = 'refuse me' then raise exception 'forced failure'; end if; return new; end $$`);
    await run(`create trigger accord_test_refuse before insert or update on assessments
      for each row execute function accord_test_refuse()`);
    try {
      const res = await post(
        "paragraph,level,rationale\n1,full,up\n2,full,up\n3,secondary,new\n4,full,refuse me\n5,full,new\n",
      );
      expect(res.statusCode).toBe(500);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    } finally {
      await run("drop trigger accord_test_refuse on assessments");
      await run("drop function accord_test_refuse()");
    }
    expect(await ok("GET", `/api/v1/matters/${m.slug}/assessments?period=First%20report`)).toEqual(
      before.grid,
    );
    expect(await storedRollups(m.id)).toEqual(before.rollups);
    expect((await ok("GET", "/api/v1/audit?action=ASSESSMENTS_IMPORTED")).items.length).toBe(before.audit);
    expect(await countAssessments(m.id)).toBe(2);
    await expectSummaryFresh(m.slug);
  });

  // ------------------------------------------------------------------ roll-ups and the views

  /** Five provisions over two sections (and one with none), three periods, the default scale. */
  async function buildHandMadeMatter() {
    const m = await buildMatter(t.app);
    const p = await insertProvisions(m.id, [
      { number: 1, section: ["I", "Policies"], topics: ["use_of_force", "training"] },
      { number: 2, section: ["I", "Policies"], topics: ["use_of_force"] },
      { number: 3, section: ["II", "Training"], topics: ["training"] },
      { number: 4, section: ["II", "Training"] },
      { number: 5, topics: ["supervision"] },
    ]);
    const p1 = await createPeriod(m.slug, "P1", "2024-06-30");
    const p2 = await createPeriod(m.slug, "P2", "2024-12-31");
    const p3 = await createPeriod(m.slug, "P3", "2025-06-30");
    const rate = (period: { id: string }, levels: Record<number, string | null>) =>
      ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
        items: Object.entries(levels).map(([n, level]) => ({
          provisionId: p.get(Number(n)),
          periodId: period.id,
          level,
        })),
      });
    await rate(p1, {
      1: "full",
      2: "secondary",
      3: "preliminary",
      4: "not_in_compliance",
      5: "not_yet_assessed",
    });
    await rate(p2, { 1: "full", 2: "full", 3: "secondary", 4: "preliminary" });
    // Backsliding: ¶ 2 from full to secondary, ¶ 3 from Secondary back to Preliminary.
    await rate(p3, { 1: "full", 2: "secondary", 3: "preliminary", 4: "not_yet_assessed", 5: "preliminary" });
    return { m, p, p1, p2, p3 };
  }

  /** The non-zero counts of a period's figures, by level code. */
  const countsOf = (codes: string[], f: { counts: number[] }) =>
    Object.fromEntries(codes.map((code, i) => [code, f.counts[i]]).filter(([, n]) => n));

  it("rolls ratings up per period, topic and section, equal to hand-computed figures", async () => {
    const { m, p1, p2, p3 } = await buildHandMadeMatter();
    const c = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    expect(c.provisions).toBe(5);
    expect(c.periods.map((p: { label: string }) => p.label)).toEqual(["P1", "P2", "P3"]);
    expect(c.levels).toEqual(["not_yet_assessed", "not_in_compliance", "preliminary", "secondary", "full"]);
    const levelsOf = (f: { counts: number[] }) => countsOf(c.levels, f);
    const [f1, f2, f3] = c.byPeriod;
    expect(f1).toEqual({
      periodId: p1.id,
      total: 5,
      rated: 4,
      counts: [1, 1, 1, 1, 1],
      shares: [0.2, 0.2, 0.2, 0.2, 0.2],
      score: 0.5,
      shareFull: 0.25,
    });
    // (1 + 1 + 0.67 + 0.33) / 4
    expect(f2).toMatchObject({ periodId: p2.id, total: 4, rated: 4, score: 0.75, shareFull: 0.5 });
    expect(levelsOf(f2)).toEqual({ full: 2, secondary: 1, preliminary: 1 });
    // (1 + 0.67 + 0.33 + 0.33) / 4
    expect(f3).toMatchObject({ periodId: p3.id, total: 5, rated: 4, score: 0.5825, shareFull: 0.25 });

    const topic = (name: string) => c.byTopic.find((x: { topic: string }) => x.topic === name).periods;
    expect(c.byTopic.map((x: { topic: string }) => x.topic)).toEqual([
      "supervision",
      "training",
      "use_of_force",
    ]);
    expect(topic("use_of_force")[0]).toMatchObject({ total: 2, rated: 2, score: 0.835, shareFull: 0.5 });
    expect(topic("use_of_force")[1]).toMatchObject({ total: 2, score: 1, shareFull: 1 });
    expect(topic("training")[0]).toMatchObject({ total: 2, score: 0.665, shareFull: 0.5 });
    expect(topic("supervision")[0]).toMatchObject({ total: 1, rated: 0, score: null, shareFull: null });
    expect(topic("supervision")[1]).toMatchObject({ total: 0, score: null });

    const section = (name: string) =>
      c.bySection.find((x: { section: string }) => x.section === name).periods;
    expect(c.bySection.map((x: { section: string }) => x.section)).toEqual([
      "I. Policies",
      "II. Training",
      "(no section)",
    ]);
    expect(levelsOf(section("I. Policies")[0])).toEqual({ full: 1, secondary: 1 });
    expect(section("II. Training")[0]).toMatchObject({ total: 2, rated: 2, score: 0.165, shareFull: 0 });
    expect(levelsOf(section("(no section)")[2])).toEqual({ preliminary: 1 });

    // The roll-up table is what a raw count of the ratings gives.
    expect(await storedRollups(m.id)).toEqual(await countRollups(t.database.db, m.id));
  });

  it("a topic correction recounts the stored roll-ups in the same change", async () => {
    const { m, p } = await buildHandMadeMatter();
    const id = p.get(4)!;
    const res = await call(
      "PUT",
      `/api/v1/provisions/${id}/topics`,
      { topics: ["supervision"] },
      { "if-match": '"1"' },
    );
    expect(res.statusCode).toBe(200);
    // Stored, not counted afresh: the table itself now files ¶ 4 under supervision.
    expect(await storedRollups(m.id)).toEqual(await countRollups(t.database.db, m.id));
    const supervision = (await storedRollups(m.id)).filter((r) => r.topic === "supervision");
    expect(supervision.reduce((n, r) => n + r.count, 0)).toBe(5);
    const c = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    const first = c.byTopic.find((x: { topic: string }) => x.topic === "supervision").periods[0];
    expect(first).toMatchObject({ total: 2, rated: 1 });
    await expectSummaryFresh(m.slug);
  });

  it("serves a decree's view again only while nothing it is made from has changed", async () => {
    const { m, p, p3 } = await buildHandMadeMatter();
    const view = () => matterComplianceView(reader(), m.slug, {}, true);
    const live = () => getMatterCompliance(reader(), m.slug, {}, true, { live: true });
    const generation = async () =>
      Number(
        (
          await queryOne<{ g: number }>(
            t.database.db,
            sql`select generation as g from compliance_generations where matter_id = ${m.id}`,
          )
        )?.g,
      );
    const first = await view();
    expect(await view()).toBe(first); // the same object: served from the cache
    expect(first).toEqual(await live());
    // Each change moves the counter; the next view is computed afresh and equals the live one.
    const order = await buildEvent(t.app, {
      matterId: m.id,
      kind: "order",
      date: "2025-01-10",
      title: "Order",
    });
    const changes: [string, () => Promise<unknown>][] = [
      [
        "a rating",
        () =>
          ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
            items: [{ provisionId: p.get(4), periodId: p3.id, level: "full" }],
          }),
      ],
      ["a period", () => createPeriod(m.slug, "P4", "2025-12-31")],
      [
        "the scale",
        () =>
          call(
            "PUT",
            `/api/v1/matters/${m.slug}/compliance-scale`,
            {
              levels: DEFAULT_COMPLIANCE_LEVELS,
              sustainment: { level: "full", years: 1 },
            },
            { "if-match": '"0"' },
          ),
      ],
      [
        "a topic correction",
        () =>
          call(
            "PUT",
            `/api/v1/provisions/${p.get(5)}/topics`,
            { topics: ["training"] },
            { "if-match": '"1"' },
          ),
      ],
      [
        "a court's start date",
        async () =>
          call(
            "PUT",
            `/api/v1/provisions/${p.get(3)}/sustainment-start`,
            { date: "2024-01-01", eventId: order.id },
            await provisionTag(p.get(3)!),
          ),
      ],
      [
        "the order's title",
        () =>
          call(
            "PATCH",
            `/api/v1/events/${order.id}`,
            { title: "Order on sustainment" },
            { "if-match": `"${order.version}"` },
          ),
      ],
      [
        "the matter's entered date",
        async () => {
          const now = await ok("GET", `/api/v1/matters/${m.slug}`);
          return call(
            "PATCH",
            `/api/v1/matters/${m.slug}`,
            { enteredOn: "2020-02-02" },
            { "if-match": `"${now.version}"` },
          );
        },
      ],
    ];
    let before = first;
    for (const [what, change] of changes) {
      const g = await generation();
      const res = (await change()) as { statusCode?: number; body?: string } | undefined;
      if (res?.statusCode !== undefined) expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
      expect(await generation(), what).toBeGreaterThan(g);
      const next = await view();
      expect(next, what).not.toBe(before);
      expect(next, what).toEqual(await live());
      before = next;
    }
    // A rating saved stores the view's figures with the summary, at the generation it leaves.
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: [{ provisionId: p.get(4), periodId: p3.id, level: "secondary" }],
    });
    const stored = await queryOne<{ fresh: boolean; view: string }>(
      t.database.db,
      sql`select s.view_generation = g.generation as fresh, s.view from compliance_matter_summaries s
          join compliance_generations g using (matter_id) where s.matter_id = ${m.id}`,
    );
    expect(stored?.fresh).toBe(true);
    const fresh = await live();
    expect(JSON.parse(stored!.view)).toEqual({
      periods: fresh.periods,
      levels: fresh.levels,
      provisions: fresh.provisions,
      byPeriod: fresh.byPeriod,
      byTopic: fresh.byTopic,
      bySection: fresh.bySection,
      otherRaters: fresh.otherRaters,
      movement: fresh.movement,
      trajectory: fresh.trajectory,
    });
    expect(await view()).toEqual(fresh);
    // Other periods than the latest two are counted from the summary, not taken from the stored view.
    const p1 = fresh.periods[0]!.id;
    expect(await matterComplianceView(reader(), m.slug, { from: p1, to: p3.id }, true)).toEqual(
      await getMatterCompliance(reader(), m.slug, { from: p1, to: p3.id }, true, {
        live: true,
      }),
    );
    // Reading moves nothing.
    const g = await generation();
    await view();
    await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    expect(await generation()).toBe(g);
  });

  it("says what moved between two periods: improved, backslid, unchanged, newly rated", async () => {
    const { m, p1, p2, p3 } = await buildHandMadeMatter();
    const latest = (await ok("GET", `/api/v1/matters/${m.slug}/compliance`)).movement;
    expect(latest.from.id).toBe(p2.id);
    expect(latest.to.id).toBe(p3.id);
    expect(latest.counts).toEqual({
      improved: 0,
      backslid: 2,
      unchanged: 1,
      newlyRated: 1,
      noLongerRated: 1,
    });
    expect(latest.transitions).toEqual([
      { kind: "backslid", from: "full", to: "secondary", count: 1, provisions: [2] },
      { kind: "backslid", from: "secondary", to: "preliminary", count: 1, provisions: [3] },
      { kind: "unchanged", from: "full", to: "full", count: 1, provisions: [1] },
      { kind: "newly_rated", from: null, to: "preliminary", count: 1, provisions: [5] },
      { kind: "no_longer_rated", from: "preliminary", to: "not_yet_assessed", count: 1, provisions: [4] },
    ]);

    const early = (await ok("GET", `/api/v1/matters/${m.slug}/compliance?from=${p1.id}&to=${p2.id}`))
      .movement;
    expect(early.counts).toEqual({ improved: 3, backslid: 0, unchanged: 1, newlyRated: 0, noLongerRated: 0 });
    const moved = (kind: string) =>
      early.transitions
        .filter((x: { kind: string }) => x.kind === kind)
        .flatMap((x: { provisions: number[] }) => x.provisions)
        .sort();
    expect(moved("improved")).toEqual([2, 3, 4]);
    expect(moved("unchanged")).toEqual([1]);
    const wrong = await call("GET", `/api/v1/matters/${m.slug}/compliance?to=${randomUUID()}`);
    expect(wrong.statusCode).toBe(404);

    // A trajectory of 25%, 50%, 25% at full: no progress at the current pace.
    const { trajectory } = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    expect(trajectory.points.map((x: { shareFull: number }) => x.shareFull)).toEqual([0.25, 0.5, 0.25]);
    expect(trajectory.forecast).toMatchObject({ status: "no_progress", reachesFullOn: null, periodsUsed: 3 });
    expect(trajectory.forecast.statement).toMatch(
      /^No clear progress at the current pace: .* includes no progress at all/,
    );
  });

  it("forecasts full compliance from a steady trajectory, with its uncertainty", async () => {
    const m = await buildMatter(t.app);
    const ids = [
      ...(
        await insertProvisions(
          m.id,
          Array.from({ length: 10 }, (_, i) => ({ number: i + 1 })),
        )
      ).values(),
    ];
    // 10%, 30%, 40%, 60% of provisions at full, a year apart.
    const shares = [1, 3, 4, 6];
    for (const [k, full] of shares.entries()) {
      const period = await createPeriod(m.slug, `Y${k}`, `${2021 + k}-06-30`);
      await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
        items: ids.map((provisionId, i) => ({
          provisionId,
          periodId: period.id,
          level: i < full ? "full" : "secondary",
        })),
      });
    }
    const { forecast } = (await ok("GET", `/api/v1/matters/${m.slug}/compliance`)).trajectory;
    // Least squares on (0, .1), (1, .3), (2, .4), (3, .6): 16 points a year, reaching 100% 2.6 years after 2024-06-30.
    expect(forecast.status).toBe("forecast");
    expect(forecast.slopePerYear).toBeCloseTo(0.16, 3);
    expect(forecast.reachesFullOn.slice(0, 7)).toBe("2027-01");
    expect(forecast.range.earliest < forecast.reachesFullOn).toBe(true);
    expect(forecast.range.latest > forecast.reachesFullOn).toBe(true);
    expect(forecast.statement).toContain("around January 2027");
    expect(forecast.statement).toContain("95% range");
  });

  it("computes sustainment clocks with a two-year rule, a court's backdate and a terminated section", async () => {
    const m = await buildMatter(t.app, { enteredOn: "2021-01-15" });
    const p = await insertProvisions(m.id, [
      { number: 1, section: ["IV", "Force"] },
      { number: 2, section: ["IV", "Force"] },
      { number: 3, section: ["V", "Stops"] },
    ]);
    const scale = await call(
      "PUT",
      `/api/v1/matters/${m.slug}/compliance-scale`,
      {
        levels: [
          { code: "partial", label: "Partial Compliance", normalized: 0.5 },
          { code: "substantial", label: "Substantial Compliance", normalized: 1, full: true },
        ],
        sustainment: { level: "substantial", years: 2 },
      },
      { "if-match": '"0"' },
    );
    expect(scale.statusCode).toBe(200);
    const ends = ["2022-06-30", "2022-12-31", "2023-06-30", "2023-12-31", "2024-06-30"];
    const periods: { id: string }[] = [];
    for (const [k, endsOn] of ends.entries()) periods.push(await createPeriod(m.slug, `R${k + 1}`, endsOn));
    const levels: Record<number, string[]> = {
      1: ["partial", "substantial", "substantial", "substantial", "substantial"],
      2: ["substantial", "partial", "partial", "substantial", "substantial"],
      3: ["partial", "partial", "partial", "partial", "partial"],
    };
    await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
      items: Object.entries(levels).flatMap(([n, ls]) =>
        ls.map((level, k) => ({ provisionId: p.get(Number(n)), periodId: periods[k]!.id, level })),
      ),
    });
    const read = async () => (await ok("GET", `/api/v1/matters/${m.slug}/compliance`)).sustainment;
    let s = await read();
    expect(s.rule).toEqual({ level: "substantial", years: 2 });
    const byNumber = (n: number) =>
      s.clocks.find((x: { provisions: { number: number | null }[] }) =>
        x.provisions.some((p) => p.number === n),
      );
    // ¶ 1: substantial since the period ending 2022-12-31, two years held by the end of 2024.
    expect(byNumber(1)).toMatchObject({
      startedOn: "2022-12-31",
      source: "ratings",
      earliestEndOn: "2024-12-31",
      sustained: true,
    });
    expect(byNumber(2)).toMatchObject({
      startedOn: "2023-12-31",
      earliestEndOn: "2025-12-31",
      sustained: false,
    });
    expect(byNumber(3)).toBeUndefined();
    expect(s.withoutClock).toEqual([{ number: 3, label: "¶ 3" }]);
    expect(s.sections).toEqual([
      expect.objectContaining({
        section: "IV. Force",
        provisions: 2,
        withClock: 2,
        sustained: 1,
        earliestEndOn: "2025-12-31",
        terminated: false,
      }),
      expect.objectContaining({
        section: "V. Stops",
        provisions: 1,
        withClock: 0,
        earliestEndOn: null,
        terminated: false,
      }),
    ]);
    expect(s.decree).toEqual({
      provisions: 3,
      withClock: 2,
      sustained: 1,
      terminated: 0,
      earliestEndOn: null,
    });

    // The court backdates ¶ 2's clock to 2023-01-01 (its order of 2024-07-15 overrules the two partial ratings before it).
    const order = await buildEvent(t.app, {
      matterId: m.id,
      kind: "order",
      date: "2024-07-15",
      title: "Order on sustained compliance",
    });
    const stranger = await buildEvent(t.app, { kind: "order", date: "2024-07-15" });
    const refused = await call(
      "PUT",
      `/api/v1/provisions/${p.get(2)}/sustainment-start`,
      { date: "2023-01-01", eventId: stranger.id },
      await provisionTag(p.get(2)!),
    );
    expect(refused.statusCode).toBe(400);
    const tag = await provisionTag(p.get(2)!);
    const backdated = await call(
      "PUT",
      `/api/v1/provisions/${p.get(2)}/sustainment-start`,
      { date: "2023-01-01", eventId: order.id },
      tag,
    );
    expect(backdated.statusCode).toBe(200);
    expect(backdated.json()).toEqual({
      provisionId: p.get(2),
      startsOn: "2023-01-01",
      eventId: order.id,
      version: Number(JSON.parse(tag["if-match"])) + 1,
    });
    s = await read();
    expect(byNumber(2)).toMatchObject({
      startedOn: "2023-01-01",
      source: "court_order",
      courtOrder: { id: order.id, date: "2024-07-15" },
      earliestEndOn: "2025-01-01",
      sustained: true,
    });
    expect(s.sections[0]).toMatchObject({ sustained: 2, earliestEndOn: "2025-01-01" });
    await expectSummaryFresh(m.slug);

    // The court terminates section V: the decree could then end when section IV does.
    const termination = await buildEvent(t.app, {
      matterId: m.id,
      kind: "partial_termination",
      date: "2025-02-01",
      title: "Section V terminated",
    });
    const matterRead = await matterTag(m.slug);
    const ended = await call(
      "PUT",
      `/api/v1/matters/${m.slug}/sections/V/termination`,
      { on: "2025-02-01", eventId: termination.id },
      matterRead,
    );
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({
      section: "V. Stops",
      provisions: 1,
      terminatedOn: "2025-02-01",
      eventId: termination.id,
      version: Number(JSON.parse(matterRead["if-match"])) + 1,
    });
    expect(
      (
        await call(
          "PUT",
          `/api/v1/matters/${m.slug}/sections/IX/termination`,
          { on: "2025-02-01", eventId: termination.id },
          await matterTag(m.slug),
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call(
          "PUT",
          `/api/v1/matters/${m.slug}/sections/V/termination`,
          { on: "2025-02-01" },
          await matterTag(m.slug),
        )
      ).statusCode,
    ).toBe(400);
    s = await read();
    expect(s.sections[1]).toMatchObject({
      section: "V. Stops",
      terminated: true,
      terminatedOn: "2025-02-01",
      terminatedBy: { id: termination.id, title: "Section V terminated" },
      earliestEndOn: null,
    });
    expect(byNumber(3)).toBeUndefined();
    expect(s.withoutClock).toEqual([]);
    expect(s.decree).toMatchObject({ terminated: 1, earliestEndOn: "2025-01-01" });
    await expectSummaryFresh(m.slug);
    // Provisions changed behind the compliance module's back: the view counts afresh.
    await t.database.db.execute(
      sql`update provisions set terminated_on = null, version = version + 1 where matter_id = ${m.id}`,
    );
    expect((await read()).decree).toMatchObject({ terminated: 0, earliestEndOn: null });
    const history = await ok("GET", `/api/v1/history/matter/${m.slug}`);
    expect(history.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["SECTION_TERMINATED"]),
    );
  });

  it("keeps the roll-ups equal to a raw count of the ratings after any sequence of saves", async () => {
    const codes = ["not_yet_assessed", "not_in_compliance", "preliminary", "secondary", "full", null];
    const op = fc.record({ provision: fc.nat(5), period: fc.nat(2), level: fc.constantFrom(...codes) });
    const batch = fc.uniqueArray(op, {
      selector: (o) => `${o.provision}|${o.period}`,
      minLength: 1,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 5 }), async (batches) => {
        const m = await buildMatter(t.app);
        const p = [
          ...(
            await insertProvisions(m.id, [
              { number: 1, section: ["I", "A"], topics: ["use_of_force", "training"] },
              { number: 2, section: ["I", "A"], topics: ["training"] },
              { number: 3, section: ["II", "B"] },
              { number: 4, topics: ["supervision", "use_of_force", "training"] },
              { number: 5, section: ["II", "B"], topics: ["use_of_force"] },
              { number: 6 },
            ])
          ).values(),
        ];
        await ok(
          "PUT",
          `/api/v1/matters/${m.slug}/compliance-scale`,
          { levels: DEFAULT_COMPLIANCE_LEVELS, sustainment: { level: "secondary", years: 2 } },
          { "if-match": '"0"' },
        );
        const periods = [
          await createPeriod(m.slug, "A", "2024-01-31"),
          await createPeriod(m.slug, "B", "2024-07-31"),
          await createPeriod(m.slug, "C", "2025-01-31"),
        ];
        for (const b of batches) {
          await ok("PUT", `/api/v1/matters/${m.slug}/assessments`, {
            items: b.map((o) => ({
              provisionId: p[o.provision],
              periodId: periods[o.period]!.id,
              level: o.level,
            })),
          });
        }
        expect(await storedRollups(m.id)).toEqual(await countRollups(t.database.db, m.id));
        // The provisions' sustainment states equal those recounted from scratch.
        await expectSummaryFresh(m.slug);
        const before = await storedStates(m.id);
        await t.database.db.transaction((tx) => refreshComplianceRollups(tx, m.id));
        expect(before).toEqual(await storedStates(m.id));
      }),
      { numRuns: 8, seed: 20250301 },
    );
  });

  // ------------------------------------------------------------------ who may rate

  it("lets an assigned monitor rate, hides other matters from them (404), and refuses reviewers (403)", async () => {
    const mine = await buildMatter(t.app, { title: "Assigned decree" });
    const theirs = await buildMatter(t.app, { title: "Someone else's decree" });
    const [a] = (await insertProvisions(mine.id, [{ number: 1, topics: ["training"] }])).values();
    const [b] = (await insertProvisions(theirs.id, [{ number: 1 }])).values();
    // Assigning changes the monitor: If-Match names the monitor's version.
    const mona = await t.app.inject("/api/v1/users/mona");
    await ok("PUT", `/api/v1/matters/${mine.slug}/assignments/mona`, undefined, {
      "if-match": mona.headers.etag as string,
    });
    const pa = await as("monitor", "POST", `/api/v1/matters/${mine.slug}/periods`, {
      label: "First",
      endsOn: "2024-06-30",
    });
    expect(pa.statusCode).toBe(201);
    const pb = await createPeriod(theirs.slug, "First", "2024-06-30");

    const rated = await as("monitor", "PUT", `/api/v1/matters/${mine.slug}/assessments`, {
      items: [{ provisionId: a, periodId: pa.json().id, level: "full" }],
    });
    expect(rated.statusCode).toBe(200);
    const grid = await as("monitor", "GET", `/api/v1/matters/${mine.slug}/assessments`);
    expect(grid.json().items[0].assessment).toMatchObject({ level: "full", ratedBy: "mona" });
    expect(grid.json().abilities).toEqual({ rate: true });

    const outside = [
      await as("monitor", "PUT", `/api/v1/matters/${theirs.slug}/assessments`, {
        items: [{ provisionId: b, periodId: pb.id, level: "full" }],
      }),
      await as("monitor", "GET", `/api/v1/matters/${theirs.slug}/compliance`),
      await as("monitor", "GET", `/api/v1/matters/${theirs.slug}/assessments`),
      await as("monitor", "POST", `/api/v1/matters/${theirs.slug}/periods`, {
        label: "X",
        endsOn: "2024-06-30",
      }),
      await as("monitor", "PATCH", `/api/v1/periods/${pb.id}`, { label: "X" }, { "if-match": '"1"' }),
      await as(
        "monitor",
        "PUT",
        `/api/v1/provisions/${b}/sustainment-start`,
        { date: null },
        { "if-match": '"1"' },
      ),
      await as(
        "monitor",
        "POST",
        `/api/v1/matters/${theirs.slug}/assessments/import`,
        { csv: "paragraph,level\n1,full\n", period: "First" },
        { "if-match": `"${theirs.version}"` },
      ),
    ];
    expect(outside.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect(await countAssessments(theirs.id)).toBe(0);

    const reviewer = await as("reviewer", "PUT", `/api/v1/matters/${mine.slug}/assessments`, {
      items: [{ provisionId: a, periodId: pa.json().id, level: "preliminary" }],
    });
    expect(reviewer.statusCode).toBe(403);
    const viewerGrid = await as("viewer", "GET", `/api/v1/matters/${mine.slug}/assessments`);
    expect(viewerGrid.statusCode).toBe(200);
    expect(viewerGrid.json().abilities).toEqual({ rate: false });

    // Across decrees, a monitor sees their own matters only.
    await ok("PUT", `/api/v1/matters/${theirs.slug}/assessments`, {
      items: [{ provisionId: b, periodId: pb.id, level: "preliminary" }],
    });
    const all = (await as("monitor", "GET", "/api/v1/compliance")).json();
    expect(all.matters.map((x: { matter: { slug: string } }) => x.matter.slug)).toEqual([mine.slug]);
    expect(all.matters[0]).toMatchObject({
      total: 1,
      rated: 1,
      score: 1,
      shareFull: 1,
      period: { label: "First" },
    });
    expect(all.byTopic).toEqual([
      { topic: "training", matters: 1, rated: 1, full: 1, shareFull: 1, score: 1 },
    ]);
    const everything = await ok("GET", "/api/v1/compliance");
    const slugs = everything.matters.map((x: { matter: { slug: string } }) => x.matter.slug);
    expect(slugs).toEqual(expect.arrayContaining([mine.slug, theirs.slug]));
    expect(
      everything.matters.find((x: { matter: { slug: string } }) => x.matter.slug === theirs.slug),
    ).toMatchObject({
      score: 0.33,
      shareFull: 0,
    });
  });

  it("describes its routes in the OpenAPI document", async () => {
    const doc = (await t.app.inject("/api/openapi.json")).json();
    for (const path of [
      "/api/v1/matters/{key}/compliance-scale",
      "/api/v1/matters/{key}/periods",
      "/api/v1/periods/{id}",
      "/api/v1/matters/{key}/assessments",
      "/api/v1/matters/{key}/assessments/import",
      "/api/v1/matters/{key}/compliance",
      "/api/v1/compliance",
      "/api/v1/provisions/{id}/sustainment-start",
      "/api/v1/matters/{key}/sections/{number}/termination",
    ])
      expect(doc.paths[path], path).toBeDefined();
  });

  // ------------------------------------------------------------------ a real monitor's report

  it("imports the Fulton County monitor's 282 ratings onto the decree's paragraphs, and the roll-up matches the report", async () => {
    const csv = readFileSync(
      join(dataDir, "monitoring/fulton_county_jail/monitor_report_2_provision_ratings.csv"),
      "utf8",
    );
    const records = parseCsvRecords(csv);
    const expected: Record<string, number> = {};
    for (const r of records) expected[r.compliance_status!] = (expected[r.compliance_status!] ?? 0) + 1;
    expect(records).toHaveLength(282);

    // The report's own summary table ("Compliance Status of Substantive Provisions", report p. 297).
    const report = readFileSync(join(dataDir, "documents/monitor_report_2_doc18-1_2026-02-20.txt"), "utf8");
    const table = report.slice(report.lastIndexOf("Compliance Status of Substantive Provisions"));
    const summary = [
      ...table.matchAll(
        /(\d{1,3})\s+(Partial Compliance|Non Compliance|Not Rated|Substantial Compliance)\s*$/gm,
      ),
    ];
    const fromTable: Record<string, number> = {};
    for (const [, , status] of summary) fromTable[status!] = (fromTable[status!] ?? 0) + 1;
    expect(summary).toHaveLength(282);
    expect(fromTable).toEqual(expected);

    const m = await buildMatter(t.app, { title: "United States v. Fulton County", enteredOn: "2025-01-06" });
    // The decree's 369 numbered paragraphs.
    await insertProvisions(
      m.id,
      Array.from({ length: 369 }, (_, i) => ({ number: i + 1 })),
    );
    const scale = await call(
      "PUT",
      `/api/v1/matters/${m.slug}/compliance-scale`,
      {
        levels: [
          { code: "not_rated", label: "Not rated", rated: false },
          { code: "non_compliance", label: "Non-compliance", normalized: 0 },
          { code: "partial", label: "Partial compliance", normalized: 0.5 },
          { code: "substantial", label: "Substantial compliance", normalized: 1, full: true },
        ],
      },
      { "if-match": '"0"' },
    );
    expect(scale.statusCode).toBe(200);
    const doc = await insertDocument(m.id, "Monitor's Second Report");
    const period = await createPeriod(m.slug, "Second report", "2026-02-20", doc);
    const res = await call(
      "POST",
      `/api/v1/matters/${m.slug}/assessments/import?period=Second%20report`,
      csv,
      {
        "content-type": "text/csv",
        ...(await matterTag(m.slug)),
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 282, rows: 282 });
    expect(res.json().ignoredColumns).toEqual([
      "case",
      "report",
      "status_in_body",
      "status_in_summary_table",
    ]);

    const c = await ok("GET", `/api/v1/matters/${m.slug}/compliance`);
    const counts = countsOf(c.levels, c.byPeriod[0]);
    expect(counts).toEqual({
      not_rated: expected["Not Rated"],
      non_compliance: expected["Non Compliance"],
      partial: expected["Partial Compliance"],
      substantial: expected["Substantial Compliance"],
    });
    expect(counts).toEqual({ not_rated: 24, non_compliance: 79, partial: 171, substantial: 8 });
    expect(c.byPeriod[0]).toMatchObject({
      total: 282,
      rated: 258,
      shareFull: Math.round((8 / 258) * 10_000) / 10_000,
    });
    // Each rating cites the report and its page.
    const grid = await ok("GET", `/api/v1/matters/${m.slug}/assessments?period=${period.id}`);
    const p35 = grid.items.find((i: { provision: { number: number } }) => i.provision.number === 35);
    expect(p35.assessment).toMatchObject({ level: "partial", evidence: [{ documentId: doc, page: 55 }] });
    expect(grid.items.filter((i: { assessment: unknown }) => i.assessment).length).toBe(282);
  });
});
