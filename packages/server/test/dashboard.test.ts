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
const ids: Record<string, string> = {};
const DAY = "2013-06-30";

beforeAll(async () => {
  t = await buildTestApp({ clock: () => new Date("2025-06-01T12:00:00Z") });
  const app = t.app;
  const dayton = await buildJurisdiction(app, { name: "Dayton", stateCode: "OH" });
  const akron = await buildJurisdiction(app, { name: "Akron", stateCode: "OH" });
  const tulsa = await buildJurisdiction(app, { name: "Tulsa", stateCode: "OK" });
  const dpd = await buildAgency(app, { jurisdictionId: dayton.id, name: "Dayton Police Department" });
  // Entered in 2010, terminated by the record with no date: terminated as of any day.
  ids.ended = (
    await buildMatter(app, {
      jurisdictionId: dayton.id,
      agencyIds: [dpd.id],
      kind: "consent_decree",
      status: "terminated",
      title: "Dayton decree",
      enteredOn: "2010-01-04",
    })
  ).id;
  // Entered only in 2020: not part of the portfolio of 2013.
  ids.late = (
    await buildMatter(app, {
      jurisdictionId: akron.id,
      kind: "consent_decree",
      status: "active",
      title: "Akron decree",
      enteredOn: "2020-02-03",
    })
  ).id;
  await buildMatter(app, {
    jurisdictionId: tulsa.id,
    kind: "pattern_or_practice_investigation",
    status: "findings_issued",
    title: "Tulsa investigation",
    openedOn: "2011-05",
    findingsOn: "2014-02-01",
  });
  await buildMatter(app, {
    jurisdictionId: tulsa.id,
    kind: "grant",
    status: "closed",
    title: "Tulsa grant",
    openedOn: "2009",
    endedOn: "2012-09-30",
  });
  // More than ten upcoming hearings, on days, new days and times that tie, so that the order is tested.
  const hearings: [date: string, extra: Record<string, string>][] = [
    ["2025-06-10", { time: "14:00" }],
    ["2025-06-10", { time: "09:30" }],
    ["2025-06-10", {}],
    ["2025-05-20", { status: "postponed", newDate: "2025-06-03" }],
    ["2025-05-21", { status: "postponed", newDate: "2025-08-01", time: "10:00" }],
    ["2025-06-02", { status: "held" }],
    ["2025-06-04", { status: "cancelled" }],
    ["2025-06-01", {}],
    ["2025-05-31", {}],
    ["2025-07-01", { status: "scheduled" }],
    ["2025-07-02", {}],
    ["2025-07-03", {}],
    ["2025-07-04", {}],
    ["2025-07-05", {}],
    ["2025-07-06", {}],
    ["2025-07-07", {}],
  ];
  for (const [k, [date, extra]] of hearings.entries())
    await buildEvent(app, {
      matterId: ids.ended,
      kind: "hearing",
      date,
      title: `Hearing ${String(k).padStart(2, "0")}`,
      ...extra,
    });
});
afterAll(async () => {
  await t?.close();
});

interface Dashboard {
  totals: { matters: number; jurisdictions: number; agencies: number; events: number };
  byKind: { kind: string; count: number }[];
  byStatus: { status: string; count: number }[];
  byState: { stateCode: string; count: number; jurisdictions: { name: string; count: number }[] }[];
  upcomingHearings: { title: string; date: string; newDate: string | null; time: string | null }[];
  money: { program: string; fiscalYear: number | null }[];
  atRiskJurisdictions: number;
}

const dashboard = async (query = "") => {
  const res = await t.app.inject(`/api/v1/dashboard${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Dashboard;
};
/** The count of the row whose `key` is `value` (0 when no row). */
const count = (rows: { count: number }[], key: string, value: string): number =>
  rows.find((r) => (r as unknown as Record<string, unknown>)[key] === value)?.count ?? 0;

describe(`dashboard as of a day (${ENGINE})`, () => {
  it("counts the matters begun by then, with the status of that day, like the list as of that day", async () => {
    const d = await dashboard(`?asOf=${DAY}`);
    const listed = (await t.app.inject(`/api/v1/matters?asOf=${DAY}&limit=100`)).json() as {
      total: number;
      items: { kind: string; statusAsOf: { status: string } }[];
    };
    expect(d.totals.matters).toBe(listed.total);
    expect(d.totals.matters).toBe(3);
    for (const { status, count: n } of d.byStatus)
      expect(n, status).toBe(listed.items.filter((i) => i.statusAsOf.status === status).length);
    for (const { kind, count: n } of d.byKind)
      expect(n, kind).toBe(listed.items.filter((i) => i.kind === kind).length);
    // Places of the matters in view: Akron's decree had not begun.
    expect(d.totals.jurisdictions).toBe(2);
    expect(d.totals.agencies).toBe(1);
    expect(d.byState.map((s) => [s.stateCode, s.count])).toEqual([
      ["OH", 1],
      ["OK", 2],
    ]);
    expect(count(d.byStatus, "status", "terminated")).toBe(1);
    expect(count(d.byStatus, "status", "findings_issued")).toBe(0);
    expect(count(d.byStatus, "status", "open")).toBe(1);
  });

  it("shows a write at once, though the same day was asked just before", async () => {
    const before = await dashboard(`?asOf=${DAY}`);
    const hits = t.app.readCache.hits;
    expect(await dashboard(`?asOf=${DAY}`)).toEqual(before);
    expect(t.app.readCache.hits).toBe(hits + 1);

    // A matter's key date moved before the day: it is counted from then.
    const late = (await t.app.inject(`/api/v1/matters/${ids.late}`)).json() as { version: number };
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${ids.late}`,
      headers: { "if-match": `"${late.version}"` },
      payload: { enteredOn: "2012-05-01" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const moved = await dashboard(`?asOf=${DAY}`);
    expect(moved.totals.matters).toBe(before.totals.matters + 1);
    expect(count(moved.byStatus, "status", "active")).toBe(count(before.byStatus, "status", "active") + 1);
    expect(count(moved.byKind, "kind", "consent_decree")).toBe(
      count(before.byKind, "kind", "consent_decree") + 1,
    );
    expect(moved.totals.jurisdictions).toBe(3);

    // A termination dated after the day: the decree the record calls terminated was active then.
    await buildEvent(t.app, {
      matterId: ids.ended,
      kind: "termination",
      date: "2015-03-02",
      title: "Terminated",
    });
    const ended = await dashboard(`?asOf=${DAY}`);
    expect(count(ended.byStatus, "status", "terminated")).toBe(
      count(moved.byStatus, "status", "terminated") - 1,
    );
    expect(count(ended.byStatus, "status", "active")).toBe(count(moved.byStatus, "status", "active") + 1);
    expect(ended.totals.events).toBe(moved.totals.events);
    // Today the record's status stands.
    expect(count((await dashboard()).byStatus, "status", "terminated")).toBe(1);
  });

  it("lists the next ten hearings by their day (a postponed one's new day), time and slug", async () => {
    const d = await dashboard();
    expect(d.upcomingHearings.map((e) => e.title)).toEqual([
      "Hearing 07",
      "Hearing 03",
      "Hearing 01",
      "Hearing 00",
      "Hearing 02",
      "Hearing 09",
      "Hearing 10",
      "Hearing 11",
      "Hearing 12",
      "Hearing 13",
    ]);
    // As of an earlier day, the hearings from then on (the held and cancelled ones left out).
    const then = await dashboard("?asOf=2025-05-20");
    expect(then.upcomingHearings.map((e) => e.title).slice(0, 4)).toEqual([
      "Hearing 08",
      "Hearing 07",
      "Hearing 03",
      "Hearing 01",
    ]);
  });
});

describe(`dashboard money (${ENGINE})`, () => {
  it("adds up awards by program and fiscal year, and counts the places with money at risk, as of a day too", async () => {
    const place = await buildJurisdiction(t.app, { name: "Grantville", stateCode: "OH" });
    const award = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/grants",
        payload: { slug: uniqueSlug("award"), program: "byrne_jag", jurisdictionId: place.id, ...body },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };
    const jag2017 = await award({ fiscalYear: 2017, amount: 1000, amountMeaning: "total_award" });
    await award({ fiscalYear: 2017, amount: 250, amountMeaning: "withheld" });
    await award({ fiscalYear: 2017, amountMeaning: "total_award" });
    await award({ program: "cops_hiring", fiscalYear: 2019, amount: 500, amountMeaning: "city_share" });
    const questioned = await t.app.inject({
      method: "POST",
      url: "/api/v1/conditions",
      payload: {
        slug: uniqueSlug("condition"),
        program: "byrne_jag",
        fiscalYear: 2017,
        kind: "jail_access",
        status: "in_question",
        date: "2017-07-25",
        awardId: jag2017.id,
      },
    });
    expect(questioned.statusCode, questioned.body).toBe(201);

    const now = await dashboard();
    expect(now.money).toEqual([
      {
        program: "cops_hiring",
        fiscalYear: 2019,
        totalAward: 0,
        cityShare: 500,
        atStake: 0,
        withheld: 0,
        unknownAmounts: 0,
      },
      {
        program: "byrne_jag",
        fiscalYear: 2017,
        totalAward: 1000,
        cityShare: 0,
        atStake: 0,
        withheld: 250,
        unknownAmounts: 1,
      },
    ]);
    expect(now.atRiskJurisdictions).toBe(1);
    // In 2018: the 2019 award is not counted yet; before the condition, no money is at risk.
    const then = await dashboard("?asOf=2018-01-31");
    expect(then.money.map((m) => [m.program, m.fiscalYear])).toEqual([["byrne_jag", 2017]]);
    expect(then.atRiskJurisdictions).toBe(1);
    expect((await dashboard("?asOf=2017-07-01")).atRiskJurisdictions).toBe(0);
  });
});
