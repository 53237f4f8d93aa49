import { MatterListQuerySchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { findMatters } from "../src/modules/matters/queries.js";
import {
  buildAgency,
  buildEvent,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
} from "./helpers.js";

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp({ clock: () => new Date("2025-06-01T12:00:00Z") });
  const app = t.app;
  const baltimore = await buildJurisdiction(app, { name: "Baltimore", stateCode: "MD" });
  const pg = await buildJurisdiction(app, {
    name: "Prince George's County",
    kind: "county",
    stateCode: "MD",
  });
  const chicago = await buildJurisdiction(app, { name: "Chicago", stateCode: "IL" });
  const bpd = await buildAgency(app, {
    jurisdictionId: baltimore.id,
    name: "Baltimore Police Department",
    kind: "police",
  });
  const pgso = await buildAgency(app, {
    jurisdictionId: pg.id,
    name: "Prince George's County Sheriff's Office",
    kind: "sheriff",
  });
  ids.bpdSlug = bpd.slug;
  ids.baltimore = baltimore.id;
  ids.baltimoreSlug = baltimore.slug;
  const cpd = await buildAgency(app, {
    jurisdictionId: chicago.id,
    name: "Chicago Police Department",
    kind: "police",
  });
  ids.bInv = (
    await buildMatter(app, {
      jurisdictionId: baltimore.id,
      agencyIds: [bpd.id],
      kind: "pattern_or_practice_investigation",
      status: "resolved_by_agreement",
      title: "Investigation of the Baltimore Police Department",
      openedOn: "2015-05-08",
    })
  ).id;
  ids.bDecree = (
    await buildMatter(app, {
      jurisdictionId: baltimore.id,
      agencyIds: [bpd.id],
      kind: "consent_decree",
      status: "active",
      title: "Baltimore consent decree",
      agreementOn: "2017-01-12",
      enteredOn: "2017-04-07",
    })
  ).id;
  ids.pgDecree = (
    await buildMatter(app, {
      jurisdictionId: pg.id,
      agencyIds: [pgso.id],
      kind: "consent_decree",
      status: "terminated",
      title: "Prince George's County canine decree",
      openedOn: "1999-07",
      agreementOn: "2004-03",
      endedOn: "2007-03-12",
    })
  ).id;
  ids.cInv = (
    await buildMatter(app, {
      jurisdictionId: chicago.id,
      agencyIds: [cpd.id],
      kind: "pattern_or_practice_investigation",
      status: "findings_issued",
      title: "Investigation of the Chicago Police Department",
      openedOn: "2015-12-07",
    })
  ).id;
  await buildEvent(app, {
    matterId: ids.bDecree,
    kind: "hearing",
    date: "2025-07-01",
    status: "scheduled",
    title: "Quarterly hearing",
  });
  await buildEvent(app, {
    matterId: ids.bDecree,
    kind: "hearing",
    date: "2025-05-01",
    status: "postponed",
    newDate: "2025-09-01",
    title: "Postponed hearing",
  });
  await buildEvent(app, {
    matterId: ids.bDecree,
    kind: "hearing",
    date: "2025-01-01",
    status: "held",
    title: "Old hearing",
  });
  await buildEvent(app, { kind: "memo", date: "2017-03-31", title: "Review memo" });
});
afterAll(async () => {
  await t?.close();
});

const list = async (query: string) => {
  const res = await t.app.inject(`/api/v1/matters?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: { id: string; title: string; agencies: { name: string }[] }[];
    total: number;
  };
};

describe(`matters list (${ENGINE})`, () => {
  it("filters by kind and state together", async () => {
    const r = await list("kind=consent_decree&state=MD&sort=title");
    expect(r.items.map((m) => m.id)).toEqual([ids.bDecree, ids.pgDecree]);
    expect(r.total).toBe(2);
  });

  it("accepts repeated and comma-separated list values", async () => {
    const a = await list("state=MD&state=IL");
    const b = await list("state=MD,IL");
    expect(a.total).toBe(4);
    expect(b.items.map((m) => m.id)).toEqual(a.items.map((m) => m.id));
  });

  it("finds 'baltimore police' by full-text search over agencies and jurisdictions", async () => {
    const r = await list("q=baltimore%20police");
    expect(r.items.map((m) => m.id).sort()).toEqual([ids.bInv, ids.bDecree].sort());
    expect(r.items[0]!.agencies[0]!.name).toBe("Baltimore Police Department");
    expect((await list("q=balt")).total).toBe(2);
    expect((await list("q=prince%20george")).items.map((m) => m.id)).toEqual([ids.pgDecree]);
    expect((await list("q=nowhere%20at%20all")).total).toBe(0);
  });

  it("filters by agency kind, status and year range", async () => {
    expect((await list("agencyKind=sheriff")).items.map((m) => m.id)).toEqual([ids.pgDecree]);
    expect((await list(`agency=${ids.bpdSlug}&sort=title`)).items.map((m) => m.id)).toEqual([
      ids.bDecree,
      ids.bInv,
    ]);
    expect((await list("status=findings_issued,terminated&sort=title")).items.map((m) => m.id)).toEqual([
      ids.cInv,
      ids.pgDecree,
    ]);
    const r = await list("from=2015&to=2016&sort=openedOn");
    expect(r.items.map((m) => m.id)).toEqual([ids.bInv, ids.cInv]);
    // A matter with no opening date falls back to its agreement date for the range.
    expect((await list("from=2017&to=2017")).items.map((m) => m.id)).toEqual([ids.bDecree]);
  });

  it("sorts by any column both ways, with missing dates last", async () => {
    const asc = await list("sort=title");
    expect(asc.items.map((m) => m.title)).toEqual([...asc.items.map((m) => m.title)].sort());
    const byEnded = await list("sort=-endedOn");
    expect(byEnded.items[0]!.id).toBe(ids.pgDecree);
    const byState = await list("sort=state");
    expect(byState.items[0]!.id).toBe(ids.cInv);
  });

  it("pages on the server with the total", async () => {
    const p1 = await list("sort=title&limit=3&offset=0");
    const p2 = await list("sort=title&limit=3&offset=3");
    expect(p1.items).toHaveLength(3);
    expect(p2.items).toHaveLength(1);
    expect(p1.total).toBe(4);
    expect(p2.total).toBe(4);
    const beyond = await list("sort=title&limit=3&offset=9");
    expect(beyond).toMatchObject({ items: [], total: 4 });
  });

  it("counts every match of a full page under its filters, past the end too", async () => {
    // A full page counts the matches; a page past the end counts those before it.
    for (const [query, total] of [
      ["state=MD&limit=1", 3],
      [`jurisdiction=${ids.baltimoreSlug}&limit=1&sort=-state`, 2],
      [`jurisdiction=${ids.baltimore}&limit=1&sort=jurisdiction`, 2],
      ["q=police&kind=pattern_or_practice_investigation&limit=1", 2],
      ["q=police&state=MD&limit=2&offset=2", 2],
      ["state=MD,IL&kind=consent_decree&limit=1&offset=5", 2],
    ] as const) {
      const r = await list(query);
      expect(r.total, query).toBe(total);
      expect(r.items.length, query).toBe(
        Math.max(
          0,
          Math.min(
            Number(/limit=(\d+)/.exec(query)![1]),
            total - Number(/offset=(\d+)/.exec(query)?.[1] ?? 0),
          ),
        ),
      );
    }
  });

  it("counts at most the cap past the offset, says when it stopped, and ranks only those", async () => {
    // Under the cap (1,000) every total is exact.
    expect(await list("state=MD,IL&limit=1")).toMatchObject({ total: 4, totalCapped: false });
    const ctx = systemContext(t.database.db, "test");
    const find = (query: string, cap: number) =>
      findMatters(ctx, MatterListQuerySchema.parse(Object.fromEntries(new URLSearchParams(query))), { cap });
    // A cap of one past the offset: more match, so the total is that bound and says so.
    expect(await find("state=MD,IL&limit=1&sort=title", 1)).toMatchObject({ total: 1, totalCapped: true });
    expect(await find("state=MD,IL&limit=1&offset=2&sort=title", 1)).toMatchObject({
      total: 3,
      totalCapped: true,
    });
    // Counting reaches the last match: exact again, and the pages are the same as uncapped.
    const last = await find("state=MD,IL&limit=1&offset=3&sort=title", 1);
    expect(last).toMatchObject({ total: 4, totalCapped: false });
    expect(last.items.map((m) => m.id)).toEqual(
      (await list("state=MD,IL&limit=1&offset=3&sort=title")).items.map((m) => m.id),
    );
    // Never fewer than a page: a page of 3 counts 3 past the offset.
    expect(await find("state=MD,IL&limit=3", 1)).toMatchObject({ total: 3, totalCapped: true });
    // Searched with no sort, the best match of all (two hits in the title and the agency, then
    // the title) is Baltimore's investigation; capped at one, only the latest opened match
    // (Chicago's, 2015-12) is ranked.
    expect((await list("q=police&limit=1")).items.map((m) => m.id)).toEqual([ids.bInv]);
    const ranked = await find("q=police&limit=1", 1);
    expect(ranked).toMatchObject({ total: 1, totalCapped: true });
    expect(ranked.items.map((m) => m.id)).toEqual([ids.cInv]);
    expect((await find("q=police&limit=1", 3)).items.map((m) => m.id)).toEqual([ids.bInv]);
    // As of a day too: three had begun by mid-2016 (the Baltimore decree's dates are later).
    const asOf = await find("asOf=2016-06-30&limit=1&sort=title", 1);
    expect(asOf).toMatchObject({ total: 1, totalCapped: true });
    expect((await find("asOf=2016-06-30&limit=1&sort=title", 5)).totalCapped).toBe(false);
    expect((await find("q=police&asOf=2016-06-30&limit=1", 1)).items.map((m) => m.id)).toEqual([ids.cInv]);
  });

  it("filters a list as of a day like the whole list as of that day", async () => {
    const all = await t.app.inject("/api/v1/matters?asOf=2016-06-30&sort=status&limit=500");
    type Item = { id: string; jurisdiction: { stateCode: string }; statusAsOf: { status: string } };
    const items = (all.json() as { items: Item[] }).items;
    for (const query of [
      "state=MD",
      "q=police&state=MD,IL",
      "kind=consent_decree",
      `jurisdiction=${ids.baltimoreSlug}`,
    ]) {
      const page = await list(`asOf=2016-06-30&sort=status&limit=500&${query}`);
      const p = new URLSearchParams(query);
      const expected = items.filter(
        (m) =>
          (!p.get("state") || p.get("state")!.split(",").includes(m.jurisdiction.stateCode)) &&
          (!p.get("kind") || [ids.bDecree, ids.pgDecree].includes(m.id)) &&
          (!p.get("jurisdiction") || [ids.bInv, ids.bDecree].includes(m.id)) &&
          (!p.get("q") || [ids.bInv, ids.bDecree, ids.cInv].includes(m.id)),
      );
      expect(
        page.items.map((m) => m.id),
        query,
      ).toEqual(expected.map((m) => m.id));
      expect(page.total, query).toBe(expected.length);
    }
  });

  it("refuses an unknown sort field naming the allowed ones", async () => {
    const res = await t.app.inject("/api/v1/matters?sort=colour");
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].allowed).toContain("-openedOn");
  });

  it("downloads the current selection as CSV", async () => {
    const res = await t.app.inject("/api/v1/matters.csv?kind=consent_decree&state=MD&sort=title");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toContain("attachment");
    const lines = res.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "slug,kind,status,title,jurisdiction,state,agencies,authority,court,caseNumber,judge,monitor,openedOn,findingsOn,agreementOn,enteredOn,endedOn,statusNote,summary,public",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("Baltimore consent decree");
    expect(lines[2]).toContain('"Prince George\'s County canine decree"'.replaceAll('"', ""));
  });

  it("lists events of the department-wide record and of a matter", async () => {
    const dept = await t.app.inject("/api/v1/events?departmentWide=true");
    expect(dept.json().items.map((e: { title: string }) => e.title)).toEqual(["Review memo"]);
    const ofMatter = await t.app.inject(`/api/v1/events?matter=${ids.bDecree}&sort=date`);
    expect(ofMatter.json().items.map((e: { date: string }) => e.date)).toEqual([
      "2025-01-01",
      "2025-05-01",
      "2025-07-01",
    ]);
    const range = await t.app.inject("/api/v1/events?from=2025-02&to=2025-06");
    expect(range.json().total).toBe(1);
  });
});

describe(`dashboard (${ENGINE})`, () => {
  it("counts by kind and status, per year, by state, with recent events and upcoming hearings", async () => {
    const res = await t.app.inject("/api/v1/dashboard");
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.totals).toMatchObject({ matters: 4, jurisdictions: 3, agencies: 3, events: 4 });
    expect(d.byKind).toEqual(
      expect.arrayContaining([
        { kind: "consent_decree", count: 2 },
        { kind: "pattern_or_practice_investigation", count: 2 },
      ]),
    );
    expect(d.perYear[0].year).toBe(1994);
    expect(d.perYear.at(-1).year).toBe(2025);
    const y = (year: number) => d.perYear.find((p: { year: number }) => p.year === year);
    expect(y(2015)).toEqual({ year: 2015, opened: 2, entered: 0, terminated: 0 });
    expect(y(2017)).toEqual({ year: 2017, opened: 0, entered: 1, terminated: 0 });
    expect(y(2004).entered).toBe(1);
    expect(y(2007).terminated).toBe(1);
    const md = d.byState.find((s: { stateCode: string }) => s.stateCode === "MD");
    expect(md.count).toBe(3);
    expect(md.jurisdictions.map((j: { name: string }) => j.name)).toEqual([
      "Baltimore",
      "Prince George's County",
    ]);
    // Upcoming: scheduled in the future, and the postponed one at its new date; not the held one.
    expect(d.upcomingHearings.map((e: { title: string }) => e.title)).toEqual([
      "Quarterly hearing",
      "Postponed hearing",
    ]);
    expect(d.recentEvents.map((e: { title: string }) => e.title)).toEqual([
      "Postponed hearing",
      "Old hearing",
      "Review memo",
    ]);
  });
});

describe(`read cache (${ENGINE})`, () => {
  it("answers from the cache until a write, then shows the change", async () => {
    const url = "/api/v1/matters?q=baltimore&sort=title";
    const before = (await t.app.inject(url)).json();
    const hits = t.app.readCache.hits;
    expect((await t.app.inject(url)).json()).toEqual(before);
    expect(t.app.readCache.hits).toBe(hits + 1);
    const decree = before.items.find((m: { id: string }) => m.id === ids.bDecree);
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${ids.bDecree}`,
      headers: { "if-match": `"${decree.version}"` },
      payload: { title: "Baltimore consent decree (renamed)" },
    });
    expect(res.statusCode).toBe(200);
    const after = (await t.app.inject(url)).json();
    expect(after.items.map((m: { title: string }) => m.title)).toContain(
      "Baltimore consent decree (renamed)",
    );
    const page = await t.app.inject(`/api/v1/matters/${ids.bDecree}`);
    expect(page.headers.etag).toBe(`"${decree.version + 1}"`);
  });

  it("on the embedded database, answers cached reads without a query while a write holds it", async () => {
    if (ENGINE !== "pglite") return;
    const url = "/api/v1/matters?kind=consent_decree&sort=title";
    const before = (await t.app.inject(url)).body;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // A write transaction that holds the one connection until released.
    const write = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await held;
    });
    await new Promise((r) => setTimeout(r, 20));
    const during = await Promise.race([
      t.app.inject(url).then((r) => r.body),
      new Promise((r) => setTimeout(() => r("blocked"), 2000)),
    ]);
    release();
    await write;
    expect(during).toBe(before);
  });
});
