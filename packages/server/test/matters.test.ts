import { MATTER_KINDS } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildAgency,
  buildEvent,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
  uniqueSlug,
} from "./helpers.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe(`matters API (${ENGINE})`, () => {
  it("answers /healthz", async () => {
    const res = await t.anonymous("/healthz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", engine: ENGINE });
  });

  it("refuses a NUL byte anywhere in a request with 400, not 500", async () => {
    const query = await t.app.inject("/api/v1/matters?jurisdiction=%00");
    expect(query.statusCode).toBe(400);
    expect(query.json().code).toBe("invalid_text");
    const j = await buildJurisdiction(t.app);
    const body = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: uniqueSlug("nul"),
        kind: "consent_decree",
        status: "active",
        title: "A\u0000B",
        jurisdictionId: j.id,
      },
    });
    expect(body.statusCode).toBe(400);
  });

  it("answers an invalid body with sentences about its fields (issue 17)", async () => {
    const j = await buildJurisdiction(t.app);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: uniqueSlug("long"),
        kind: "consent_decree",
        status: "active",
        title: "x".repeat(10_000),
        jurisdictionId: j.id,
        enteredOn: "2017-02-30",
      },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors).toEqual([
      { path: "title", message: "Title can be at most 300 characters" },
      { path: "enteredOn", message: "2017-02-30 is not a day of the calendar" },
    ]);
    expect(problem.detail).toBe("Title can be at most 300 characters (and 1 more problem)");
  });

  it("creates a matter and reads it by id and by slug with an ETag", async () => {
    const j = await buildJurisdiction(t.app, { name: "Baltimore", stateCode: "MD" });
    const a = await buildAgency(t.app, { jurisdictionId: j.id, name: "Baltimore Police Department" });
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: uniqueSlug("bpd"),
        kind: "consent_decree",
        status: "active",
        title: "Baltimore consent decree",
        jurisdictionId: j.id,
        agencyIds: [a.id],
        openedOn: "2015-05",
        enteredOn: "2017-04-07",
        sources: [{ citation: "Baltimore Sun, 7 April 2017", url: "https://www.baltimoresun.com/x" }],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const created = res.json();
    expect(created).toMatchObject({
      version: 1,
      openedOn: "2015-05",
      agencies: [{ id: a.id, name: "Baltimore Police Department" }],
    });
    for (const key of [created.id, created.slug]) {
      const got = await t.app.inject(`/api/v1/matters/${key}`);
      expect(got.statusCode).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.json().jurisdiction).toMatchObject({ id: j.id, name: "Baltimore", stateCode: "MD" });
    }
  });

  it("updates with If-Match; a stale version gets 412 with the current record; none gets 428", async () => {
    const m = await buildMatter(t.app);
    const ok = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { monitor: "Jane Monitor" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ monitor: "Jane Monitor", version: 2 });
    expect(ok.headers.etag).toBe('"2"');

    const stale = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { monitor: "Someone Else" },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers["content-type"]).toContain("application/problem+json");
    expect(stale.json()).toMatchObject({
      code: "version_conflict",
      status: 412,
      current: { version: 2, monitor: "Jane Monitor" },
    });

    const missing = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      payload: { monitor: "X" },
    });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().code).toBe("if_match_required");

    const after = await t.app.inject(`/api/v1/matters/${m.id}`);
    expect(after.json()).toMatchObject({ monitor: "Jane Monitor", version: 2 });
  });

  it("keeps agencies and sources that an update leaves out", async () => {
    const a = await buildAgency(t.app);
    const m = await buildMatter(t.app, { agencyIds: [a.id], sources: [{ citation: "A court filing" }] });
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { monitor: "Only this changes" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ agencies: [{ id: a.id }], sources: [{ citation: "A court filing" }] });
  });

  it("lets exactly one of two concurrent edits from the same version win", async () => {
    const m = await buildMatter(t.app);
    const edit = (judge: string) =>
      t.app.inject({
        method: "PATCH",
        url: `/api/v1/matters/${m.id}`,
        headers: { "if-match": '"1"' },
        payload: { judge },
      });
    const results = await Promise.all([edit("Judge A"), edit("Judge B")]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 412]);
    const winner = results.find((r) => r.statusCode === 200)!.json().judge;
    expect((await t.app.inject(`/api/v1/matters/${m.id}`)).json()).toMatchObject({
      judge: winner,
      version: 2,
    });
  });

  it("answers 404 as problem+json for an unknown id or slug", async () => {
    for (const key of ["no-such-matter", "00000000-0000-4000-8000-000000000000"]) {
      const res = await t.app.inject(`/api/v1/matters/${key}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, code: "not_found", title: "Not found" });
    }
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      headers: { "content-type": "application/json" },
      payload: '{"slug": "x", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "malformed_json", status: 400 });
  });

  it("refuses an invalid enum value naming the allowed values", async () => {
    const j = await buildJurisdiction(t.app);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: { slug: uniqueSlug("m"), kind: "treaty", status: "active", title: "T", jurisdictionId: j.id },
    });
    expect(res.statusCode).toBe(400);
    const kindError = res.json().errors.find((e: { path: string }) => e.path === "kind");
    expect(kindError.allowed).toContain("consent_decree");
    expect(kindError.allowed).toEqual([...MATTER_KINDS]);
  });

  it("refuses unknown fields instead of dropping them", async () => {
    const j = await buildJurisdiction(t.app);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: uniqueSlug("m"),
        kind: "grant",
        status: "awarded",
        title: "T",
        jurisdictionId: j.id,
        version: 99,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toMatch(/^version: not a field here$/);
  });

  it("names every failing field", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: "Bad Slug",
        kind: "grant",
        status: "awarded",
        title: "",
        jurisdictionId: "nope",
        openedOn: "2017-13-01",
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(["jurisdictionId", "openedOn", "slug", "title"]);
  });

  it("refuses a status the kind does not have, and a transition its lifecycle forbids", async () => {
    const j = await buildJurisdiction(t.app);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: uniqueSlug("m"),
        kind: "consent_decree",
        status: "findings_issued",
        title: "T",
        jurisdictionId: j.id,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: "status" });
    expect(bad.json().errors[0].allowed).toContain("active");

    const m = await buildMatter(t.app, { status: "terminated" });
    const back = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { status: "active" },
    });
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe("status_transition_not_allowed");
  });

  it("refuses a javascript: link in a source", async () => {
    const j = await buildJurisdiction(t.app);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: {
        slug: uniqueSlug("m"),
        kind: "grant",
        status: "awarded",
        title: "T",
        jurisdictionId: j.id,
        sources: [{ citation: "x", url: "javascript:alert(1)" }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe("sources.0.url");
  });

  it("refuses a duplicate slug with 409", async () => {
    const m = await buildMatter(t.app);
    const j = await buildJurisdiction(t.app);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      payload: { slug: m.slug, kind: "grant", status: "awarded", title: "T", jurisdictionId: j.id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("slug_taken");
  });

  it("deletes with If-Match, and a failed write leaves neither the change nor its audit entry", async () => {
    const m = await buildMatter(t.app);
    const stale = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"7"' },
    });
    expect(stale.statusCode).toBe(412);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
    });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject(`/api/v1/matters/${m.id}`)).statusCode).toBe(404);
  });

  it("rolls the change back when its audit entry cannot be written", async () => {
    const m = await buildMatter(t.app);
    const db = t.database.db;
    await db.execute(
      sql`alter table audit_entries add constraint audit_fault check (action <> 'MATTER_UPDATED') not valid`,
    );
    try {
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/matters/${m.id}`,
        headers: { "if-match": '"1"' },
        payload: { title: "Changed title" },
      });
      expect(res.statusCode).toBe(500);
      // The raw database error (with its SQL) is not leaked.
      expect(res.body).not.toMatch(/audit_fault|insert into/i);
    } finally {
      await db.execute(sql`alter table audit_entries drop constraint audit_fault`);
    }
    const after = (await t.app.inject(`/api/v1/matters/${m.id}`)).json();
    expect(after).toMatchObject({ title: "Testville consent decree", version: 1 });
  });

  it("records exactly one audit entry per change", async () => {
    const m = await buildMatter(t.app);
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${m.id}`,
      headers: { "if-match": '"1"' },
      payload: { judge: "J" },
    });
    const rows = (await t.database.db.execute(
      sql`select action, actor, before is not null as "hasBefore", after->>'judge' as judge from audit_entries where entity_id = ${m.id} order by id`,
    )) as unknown as { rows: { action: string; actor: string; hasBefore: boolean; judge: string | null }[] };
    expect(rows.rows).toEqual([
      { action: "MATTER_CREATED", actor: "tester", hasBefore: false, judge: null },
      { action: "MATTER_UPDATED", actor: "tester", hasBefore: true, judge: "J" },
    ]);
  });

  it("relates an investigation to the decree it led to, seen from both sides", async () => {
    const j = await buildJurisdiction(t.app);
    const inv = await buildMatter(t.app, {
      jurisdictionId: j.id,
      kind: "pattern_or_practice_investigation",
      status: "resolved_by_agreement",
    });
    const decree = await buildMatter(t.app, { jurisdictionId: j.id });
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/matters/${inv.id}/related`,
      headers: { "if-match": `"${inv.version}"` },
      payload: { relatedId: decree.id, relation: "led_to" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().related).toEqual([
      expect.objectContaining({ id: decree.id, relation: "led_to", direction: "from" }),
    ]);
    const fromDecree = (await t.app.inject(`/api/v1/matters/${decree.slug}`)).json();
    expect(fromDecree.related).toEqual([expect.objectContaining({ id: inv.id, direction: "to" })]);
    const unrelated = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/matters/${decree.id}/related/${inv.id}`,
      headers: { "if-match": `"${fromDecree.version}"` },
    });
    expect(unrelated.json().related).toEqual([]);
  });

  it("shows a postponed hearing with its original and new dates on the matter's timeline", async () => {
    const m = await buildMatter(t.app);
    await buildEvent(t.app, {
      matterId: m.id,
      kind: "hearing",
      date: "2017-04-06",
      status: "postponed",
      newDate: "2017-05-06",
      title: "Fairness hearing",
    });
    await buildEvent(t.app, {
      matterId: m.id,
      kind: "decree_entered",
      date: "2017-04",
      title: "Decree entered",
    });
    const timeline = (await t.app.inject(`/api/v1/matters/${m.id}`)).json().events;
    expect(timeline.map((e: { date: string }) => e.date)).toEqual(["2017-04", "2017-04-06"]);
    expect(timeline[1]).toMatchObject({ status: "postponed", date: "2017-04-06", newDate: "2017-05-06" });
  });

  it("refuses a new date on an event that was not postponed", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: {
        slug: uniqueSlug("e"),
        kind: "hearing",
        date: "2030-01-01",
        status: "held",
        newDate: "2030-02-01",
        title: "H",
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe("newDate");
  });

  it("publishes the OpenAPI document with the routes", async () => {
    const res = await t.app.inject("/api/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/matters",
        "/api/v1/matters/{key}",
        "/api/v1/events",
        "/api/v1/jurisdictions",
        "/api/v1/agencies",
        "/api/v1/dashboard",
      ]),
    );
    expect(Object.keys(doc.paths["/api/v1/matters/{key}"])).toEqual(
      expect.arrayContaining(["get", "patch", "delete"]),
    );
  });

  it("sets a strict content security policy", async () => {
    const res = await t.app.inject("/healthz");
    expect(res.headers["content-security-policy"]).toMatch(/base-uri 'none'/);
    expect(res.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(res.headers["content-security-policy"]).not.toMatch(/unsafe-eval/);
  });
});
