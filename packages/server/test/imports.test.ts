import { createHash } from "node:crypto";
import type { ImportList, ImportRecord } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { runImport } from "../src/modules/imports/index.js";
import { buildJurisdiction, buildMatter, buildTestApp, ENGINE, type TestApp, uniqueSlug } from "./helpers.js";

/**
 * D1 and D2 (RELIABILITY-CHECKS.md) for the two HTTP CSV imports, statistics and a monitor
 * report's ratings: a bad row or a database fault deep in a 5,000-row file writes nothing and
 * leaves a `failed` record with an IMPORT_FAILED audit entry (the list's `import.failed`); an
 * Idempotency-Key makes a retry answer the first answer without importing again. The crash of the
 * server mid-import is process.test.ts's D2.
 */

let t: TestApp;
/** The app's clock: the test moves it a day on to see keys expire. */
let now = Date.parse("2026-03-02T12:00:00Z");
const token = {} as Record<"reviewer" | "monitor" | "viewer" | "admin2", string>;
beforeAll(async () => {
  t = await buildTestApp({ clock: () => new Date(now) });
  token.reviewer = await t.tokenFor("reviewer", uniqueSlug("rex"));
  token.monitor = await t.tokenFor("monitor", "imon");
  token.viewer = await t.tokenFor("viewer", uniqueSlug("val"));
  token.admin2 = await t.tokenFor("admin", uniqueSlug("ada"));
});
afterAll(async () => {
  await t?.close();
});

const ROWS = 5_000;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const run = (statement: string) => t.database.db.execute(sql.raw(statement));

const post = (url: string, csv: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url, headers: { "content-type": "text/csv", ...headers }, payload: csv });
const as = (who: keyof typeof token, url: string) =>
  t.app.inject({ url, headers: { authorization: `Bearer ${token[who]}` } });

/** The import record of a file (by its hash), as GET /imports lists it. */
async function recordOf(csv: string): Promise<ImportRecord[]> {
  const res = await t.app.inject("/api/v1/imports?limit=500");
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as ImportList).items.filter((i) => i.fileSha256 === sha256(csv));
}

const auditOf = (importId: string) =>
  queryRows<{ action: string; after: Record<string, unknown> }>(
    t.database.db,
    sql`select action, after from audit_entries where entity = 'import' and entity_id = ${importId}`,
  );

/** A statistics CSV of 5,000 rows for one place: a metric of its own, a year each (1000, 1001…). */
function statisticsCsv(metric: string, place: string, change: (n: number, row: string[]) => void = () => {}) {
  const lines = ["metric,jurisdiction,period,value,note"];
  for (let i = 0; i < ROWS; i++) {
    const row = [metric, place, String(1000 + i), String(i), ""];
    // n: the row's number as a spreadsheet shows it (the header is row 1).
    change(i + 2, row);
    lines.push(row.join(","));
  }
  return `${lines.join("\n")}\n`;
}

const statValues = async (metric: string) =>
  (await queryOne<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from stat_values where metric = ${metric}`,
  ))!.n;

/** A trigger of this test's database that refuses the row whose note is `refuse me`, dropped after. */
async function withFault<T>(table: string, column: string, work: () => Promise<T>): Promise<T> {
  const fn = `accord_test_fault_${table}`;
  await run(`create function ${fn}() returns trigger language plpgsql as $$
    begin if new.${column} = 'refuse me' then raise exception 'forced failure at the marked row'; end if;
    return new; end $$`);
  await run(`create trigger ${fn} before insert or update on ${table} for each row execute function ${fn}()`);
  try {
    return await work();
  } finally {
    await run(`drop trigger ${fn} on ${table}`);
    await run(`drop function ${fn}()`);
  }
}

describe(`imports (${ENGINE})`, () => {
  it("D1: a 5,000-row statistics CSV with a bad row at 2,501 answers 422 naming it, writes nothing, records failed", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Importville") });
    const metric = `d1_bad_row_${process.pid}`;
    const csv = statisticsCsv(metric, town.slug, (n, row) => {
      if (n === 2501) row[3] = "many";
    });
    const res = await post("/api/v1/statistics/import", csv);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ code: "import_invalid", errors: [{ path: "row 2501.value" }] });
    expect(res.json().errors).toHaveLength(1);
    expect(await statValues(metric)).toBe(0);

    const [record, ...more] = await recordOf(csv);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      kind: "statistics",
      status: "failed",
      actor: "tester",
      fileBytes: Buffer.byteLength(csv),
      rowCount: ROWS,
      rowsWritten: 0,
      idempotencyKey: null,
      errorReport: {
        code: "import_invalid",
        errors: [{ path: "row 2501.value", message: '"many" is not a number' }],
        errorCount: 1,
      },
    });
    expect(await auditOf(record!.id)).toEqual([
      {
        action: "IMPORT_FAILED",
        after: { kind: "statistics", code: "import_invalid", rowCount: ROWS, errorCount: 1, matterId: null },
      },
    ]);
    // The same file made good imports every row, and its record says so.
    const good = statisticsCsv(metric, town.slug);
    const ok = await post("/api/v1/statistics/import", good);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await statValues(metric)).toBe(ROWS);
    const [done] = await recordOf(good);
    expect(done).toMatchObject({ status: "succeeded", rowCount: ROWS, rowsWritten: ROWS, errorReport: null });
    expect(await auditOf(done!.id)).toEqual([]);
    const one = await t.app.inject(`/api/v1/imports/${done!.id}`);
    expect(one.json()).toEqual(done);
  }, 60_000);

  it("D1: a database error on row 4,000 of a statistics import answers 500 problem+json, writes nothing, records failed", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Faultville") });
    const metric = `d1_fault_${process.pid}`;
    const csv = statisticsCsv(metric, town.slug, (n, row) => {
      if (n === 4001) row[4] = "refuse me"; // the 4,000th row
    });
    const res = await withFault("stat_values", "note", () => post("/api/v1/statistics/import", csv));
    // A fault of the database, not of the file: the server's error, and no SQL in the answer.
    expect(res.statusCode).toBe(500);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json().code).toBe("internal_error");
    expect(res.body).not.toContain("forced failure");
    expect(await statValues(metric)).toBe(0);
    const sources = await queryOne<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_entries where action = 'STATISTICS_IMPORTED' and after->'source'->>'name' like ${`%${metric}%`}`,
    );
    expect(sources!.n).toBe(0);
    const [record] = await recordOf(csv);
    expect(record).toMatchObject({
      status: "failed",
      rowCount: ROWS,
      rowsWritten: 0,
      errorReport: { code: "internal_error", detail: expect.stringContaining("SQLSTATE P0001"), errors: [] },
    });
    expect((await auditOf(record!.id)).map((a) => a.action)).toEqual(["IMPORT_FAILED"]);
  }, 60_000);

  /** A matter with 1,000 numbered provisions and five reporting periods: 5,000 ratings to import. */
  async function decree() {
    const m = await buildMatter(t.app);
    await t.database.db.execute(
      sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
        select ${m.id}, n, '¶ ' || n, '[]'::jsonb, '¶ ' || n, 'The text of paragraph ' || n, '[]'::jsonb
        from generate_series(1, 1000) as n`,
    );
    for (const p of [1, 2, 3, 4, 5]) {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/matters/${m.slug}/periods`,
        payload: { label: `Report ${p}`, endsOn: `202${p}-06-30` },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const ifMatch = async () => ({
      "if-match": (await t.app.inject(`/api/v1/matters/${m.slug}`)).headers.etag as string,
    });
    return { m, ifMatch, url: `/api/v1/matters/${m.slug}/assessments/import` };
  }

  function assessmentsCsv(change: (n: number, row: string[]) => void = () => {}) {
    const lines = ["paragraph,period,level,rationale"];
    for (let i = 0; i < ROWS; i++) {
      const row = [String((i % 1000) + 1), `Report ${Math.floor(i / 1000) + 1}`, "preliminary", ""];
      change(i + 2, row);
      lines.push(row.join(","));
    }
    return `${lines.join("\n")}\n`;
  }

  const ratings = async (matterId: string) =>
    (await queryOne<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from assessments a join provisions p on p.id = a.provision_id where p.matter_id = ${matterId}`,
    ))!.n;

  it("D1: a 5,000-row ratings CSV with a bad row at 2,501, then a database error on row 4,000: nothing written, both recorded failed", async () => {
    const { m, ifMatch, url } = await decree();
    const bad = assessmentsCsv((n, row) => {
      if (n === 2501) row[2] = "Substantial";
    });
    const res = await post(url, bad, await ifMatch());
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(["row 2501, field level"]);
    expect(await ratings(m.id)).toBe(0);
    const [failed] = await recordOf(bad);
    expect(failed).toMatchObject({
      kind: "assessments",
      status: "failed",
      matterId: m.id,
      rowCount: ROWS,
      rowsWritten: 0,
      errorReport: { code: "import_invalid", errorCount: 1 },
    });
    expect(await auditOf(failed!.id)).toEqual([
      {
        action: "IMPORT_FAILED",
        after: { kind: "assessments", code: "import_invalid", rowCount: ROWS, errorCount: 1, matterId: m.id },
      },
    ]);

    const faulty = assessmentsCsv((n, row) => {
      if (n === 4001) row[3] = "refuse me";
    });
    const fault = await withFault("assessments", "rationale", async () => post(url, faulty, await ifMatch()));
    expect(fault.statusCode).toBe(500);
    expect(fault.headers["content-type"]).toContain("application/problem+json");
    expect(await ratings(m.id)).toBe(0);
    const [faultRecord] = await recordOf(faulty);
    expect(faultRecord).toMatchObject({
      status: "failed",
      rowsWritten: 0,
      errorReport: { code: "internal_error" },
    });
    expect((await auditOf(faultRecord!.id)).map((a) => a.action)).toEqual(["IMPORT_FAILED"]);

    const good = assessmentsCsv();
    const ok = await post(url, good, await ifMatch());
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ created: ROWS, rows: ROWS });
    expect(await ratings(m.id)).toBe(ROWS);
    expect((await recordOf(good))[0]).toMatchObject({
      status: "succeeded",
      matterId: m.id,
      rowsWritten: ROWS,
    });
  }, 120_000);

  it("D2: with an Idempotency-Key a retry replays the first answer; another body is refused; keys are per user and expire", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Retryville") });
    const metric = `d2_key_${process.pid}`;
    const csv = `metric,jurisdiction,period,value\n${metric},${town.slug},2020,5\n${metric},${town.slug},2021,6\n`;
    const key = { "idempotency-key": `"${uniqueSlug("key")}"` };
    const auditCount = async () =>
      (await queryOne<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_entries`))!.n;

    const first = await post("/api/v1/statistics/import", csv, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const audits = await auditCount();
    const again = await post("/api/v1/statistics/import", csv, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toEqual(first.json());
    expect(await statValues(metric)).toBe(2);
    expect(await auditCount()).toBe(audits);
    const [record, ...others] = await recordOf(csv);
    expect(others).toEqual([]);
    expect(record!.idempotencyKey).toBe(key["idempotency-key"].replaceAll('"', ""));

    // The same key with another file (or other parameters): 422, nothing imported or recorded.
    const other = await post("/api/v1/statistics/import", csv.replace(",6\n", ",7\n"), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe("idempotency_key_reused");
    const otherSource = await post("/api/v1/statistics/import?source=Another", csv, key);
    expect(otherSource.json().code).toBe("idempotency_key_reused");
    expect(await statValues(metric)).toBe(2);
    expect(await recordOf(csv.replace(",6\n", ",7\n"))).toEqual([]);

    // Keys are per user: another user's same key is a new import.
    const theirs = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import?source=Theirs",
      headers: { "content-type": "text/csv", authorization: `Bearer ${token.admin2}`, ...key },
      payload: csv,
    });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers["idempotent-replayed"]).toBeUndefined();

    // A refusal of the request is replayed too; a day on, the key is forgotten and the file runs again.
    const badKey = { "idempotency-key": uniqueSlug("bad") };
    const badCsv = `metric,jurisdiction,period,value\n${metric},${town.slug},2022,lots\n`;
    const refused = await post("/api/v1/statistics/import", badCsv, badKey);
    expect(refused.statusCode).toBe(422);
    const refusedAgain = await post("/api/v1/statistics/import", badCsv, badKey);
    expect(refusedAgain.statusCode).toBe(422);
    expect(refusedAgain.headers["idempotent-replayed"]).toBe("true");
    expect(refusedAgain.json().errors).toEqual(refused.json().errors);
    expect(await recordOf(badCsv)).toHaveLength(1);

    now += 24 * 60 * 60 * 1000 + 60_000;
    try {
      const later = await post("/api/v1/statistics/import", csv, key);
      expect(later.statusCode).toBe(201);
      expect(later.headers["idempotent-replayed"]).toBeUndefined();
      const kept = await queryOne<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from imports where idempotency_key is not null and finished_at < ${new Date(now - 24 * 60 * 60 * 1000).toISOString()}::timestamptz`,
      );
      expect(kept!.n).toBe(0);
      // The records stay, without their key (mine and the other user's, a day old).
      expect((await recordOf(csv)).map((r) => r.idempotencyKey).sort()).toEqual([
        key["idempotency-key"].replaceAll('"', ""),
        null,
        null,
      ]);
    } finally {
      now -= 24 * 60 * 60 * 1000 + 60_000;
    }
  }, 60_000);

  it("D2: a request while the same key's import runs answers 409; a malformed key 400", async () => {
    // Held open by the test: the first import with the key has not answered yet.
    const user = await queryOne<{ id: string }>(
      t.database.db,
      sql`select id from users where username = 'tester'`,
    );
    const ctx = { ...systemContext(t.database.db, "test"), actorId: user!.id };
    const key = uniqueSlug("held");
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const request = { kind: "statistics" as const, csv: "x", parameters: {}, idempotencyKey: key };
    const first = runImport(request, ctx, async () => {
      await held;
      return { status: 201, body: {} };
    });
    await expect(runImport(request, ctx, async () => ({ status: 201, body: {} }))).rejects.toMatchObject({
      code: "idempotency_key_in_flight",
      status: 409,
    });
    release();
    expect(await first).toEqual({ status: 201, body: {}, replayed: false });

    // Over HTTP, two at once: one imports; the other is refused while it runs (409), or, where the
    // database serves one request at a time (PGlite), waits and replays its answer.
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Busyville") });
    const metric = `d2_busy_${process.pid}`;
    const csv = statisticsCsv(metric, town.slug);
    const busyKey = { "idempotency-key": uniqueSlug("busy") };
    const answers = await Promise.all([
      post("/api/v1/statistics/import", csv, busyKey),
      post("/api/v1/statistics/import", csv, busyKey),
    ]);
    const outcome = answers
      .map((a) => (a.headers["idempotent-replayed"] ? "replayed" : String(a.statusCode)))
      .sort();
    expect([
      ["201", "409"],
      ["201", "replayed"],
    ]).toContainEqual(outcome);
    const busy = answers.find((a) => a.statusCode === 409);
    if (busy) {
      expect(busy.headers["content-type"]).toContain("application/problem+json");
      expect(busy.json().code).toBe("idempotency_key_in_flight");
    }
    expect(await statValues(metric)).toBe(ROWS);
    expect(await recordOf(csv)).toHaveLength(1);
    expect((await post("/api/v1/statistics/import", csv, busyKey)).headers["idempotent-replayed"]).toBe(
      "true",
    );
    expect((await post("/api/v1/statistics/import", csv, { "idempotency-key": '"a b"' })).statusCode).toBe(
      400,
    );
  }, 60_000);

  it("D2: a server failure keeps no key: the retry with the same key runs again", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Againville") });
    const metric = `d2_again_${process.pid}`;
    const csv = `metric,jurisdiction,period,value,note\n${metric},${town.slug},2020,5,refuse me\n`;
    const key = { "idempotency-key": uniqueSlug("again") };
    const failed = await withFault("stat_values", "note", () => post("/api/v1/statistics/import", csv, key));
    expect(failed.statusCode).toBe(500);
    const retry = await post("/api/v1/statistics/import", csv, key);
    expect(retry.statusCode, retry.body).toBe(201);
    expect((await recordOf(csv)).map((r) => [r.status, r.idempotencyKey]).sort()).toEqual([
      ["failed", null],
      ["succeeded", key["idempotency-key"]],
    ]);
  });

  it("D1: a request refused before its file is read (a viewer's) is no import: no record, no entry, no key kept", async () => {
    const town = await buildJurisdiction(t.app, { name: uniqueSlug("Refusedtown") });
    const csv = `metric,jurisdiction,period,value\nd1_refused_${process.pid},${town.slug},2020,5\n`;
    const key = uniqueSlug("refused");
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import",
      headers: {
        "content-type": "text/csv",
        authorization: `Bearer ${token.viewer}`,
        "idempotency-key": key,
      },
      payload: csv,
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(await recordOf(csv)).toEqual([]);
    expect(await queryRows(t.database.db, sql`select 1 from imports where idempotency_key = ${key}`)).toEqual(
      [],
    );
  });

  it("lists imports to those who may make them: their own, statistics to who may import them, ratings in scope", async () => {
    const reviewerCsv = `metric,jurisdiction,period,value\nd2_scope_${process.pid},${(await buildJurisdiction(t.app)).slug},2020,1\n`;
    const byReviewer = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import",
      headers: { "content-type": "text/csv", authorization: `Bearer ${token.reviewer}` },
      payload: reviewerCsv,
    });
    expect(byReviewer.statusCode).toBe(201);
    const mine = await t.app.inject({
      method: "POST",
      url: "/api/v1/statistics/import",
      headers: { "content-type": "text/csv" },
      payload: "metric\n",
    });
    expect(mine.statusCode).toBe(422);

    const list = async (who: keyof typeof token, query = "") => {
      const res = await as(who, `/api/v1/imports?limit=500${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as ImportList).items;
    };
    const reviewerSees = await list("reviewer", "&kind=statistics");
    expect(reviewerSees.some((i) => i.fileSha256 === sha256(reviewerCsv))).toBe(true);
    expect(reviewerSees.some((i) => i.fileSha256 === sha256("metric\n"))).toBe(true);
    expect((await list("reviewer")).every((i) => i.kind === "statistics")).toBe(true);
    expect((await list("reviewer", "&status=failed")).every((i) => i.status === "failed")).toBe(true);
    // A viewer imports nothing and sees nothing; a monitor sees no statistics and no ratings of matters not theirs.
    expect(await list("viewer")).toEqual([]);
    expect(await list("monitor")).toEqual([]);
    // A monitor sees the ratings imports of the matters assigned to them, not of the others.
    const ratingsImport = async (assigned: boolean) => {
      const m = await buildMatter(t.app);
      await t.database.db.execute(
        sql`insert into provisions (matter_id, number, label, sections, path, text, topics)
          values (${m.id}, 1, '¶ 1', '[]'::jsonb, '¶ 1', 'The text', '[]'::jsonb)`,
      );
      if (assigned) {
        const imon = await t.app.inject("/api/v1/users/imon");
        const put = await t.app.inject({
          method: "PUT",
          url: `/api/v1/matters/${m.slug}/assignments/imon`,
          headers: { "if-match": imon.headers.etag as string },
        });
        expect(put.statusCode, put.body).toBeLessThan(300);
      }
      const period = await t.app.inject({
        method: "POST",
        url: `/api/v1/matters/${m.slug}/periods`,
        payload: { label: "First", endsOn: "2024-06-30" },
      });
      expect(period.statusCode, period.body).toBe(201);
      const etag = (await t.app.inject(`/api/v1/matters/${m.slug}`)).headers.etag as string;
      const res = await post(
        `/api/v1/matters/${m.slug}/assessments/import?period=First`,
        "paragraph,level\n1,full\n",
        {
          "if-match": etag,
        },
      );
      expect(res.statusCode, res.body).toBe(200);
      return m.id;
    };
    const theirs = await ratingsImport(true);
    const notTheirs = await ratingsImport(false);
    const monitorSees = (await list("monitor")).map((i) => i.matterId);
    expect(monitorSees).toContain(theirs);
    expect(monitorSees).not.toContain(notTheirs);
    expect((await list("monitor")).every((i) => i.kind === "assessments")).toBe(true);
    const [someone] = await list("reviewer");
    expect((await as("viewer", `/api/v1/imports/${someone!.id}`)).statusCode).toBe(404);
    expect((await as("reviewer", `/api/v1/imports/${someone!.id}`)).statusCode).toBe(200);
    expect((await t.anonymous({ url: "/api/v1/imports" })).statusCode).toBe(401);
  });
});
