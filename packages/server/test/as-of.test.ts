import { readFileSync } from "node:fs";
import { type Bundle, type EventKind, type MatterStatus, statusAsOf } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { findUp } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import { mattersOnDay, statusAsOfJoin, statusAsOfLateral } from "../src/modules/matters/as-of.js";
import { importBundle, parseBundle } from "../src/modules/transfer/index.js";
import { loadBundledCyclesOnce } from "../src/server.js";
import { buildEvent, buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

const bundlePath = findUp("data/bundle/registry.json")!;
const bundle: Bundle = parseBundle(JSON.parse(readFileSync(bundlePath, "utf8")));
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await importBundle(bundle, systemContext(t.database.db));
});
afterAll(async () => {
  await t?.close();
});

interface Item {
  slug: string;
  status: MatterStatus;
  statusAsOf: { asOf: string; status: MatterStatus; basis: string; decidedOn: string | null };
}

async function allAsOf(asOf: string): Promise<Item[]> {
  const items: Item[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await t.app.inject(`/api/v1/matters?asOf=${asOf}&limit=500&offset=${offset}`)).json();
    items.push(...page.items);
    if (offset + 500 >= page.total) return items;
  }
}

describe(`the portfolio as of a day (${ENGINE})`, () => {
  it("on the day of the 2017 memo: the Seattle and New Orleans decrees active, later matters left out", async () => {
    const items = await allAsOf("2017-03-31");
    const bySlug = new Map(items.map((i) => [i.slug, i]));
    for (const slug of ["seattle-spd-2012", "new-orleans-nopd-2013"]) {
      expect(bySlug.get(slug)?.status, slug).toBe("terminated");
      expect(bySlug.get(slug)?.statusAsOf).toMatchObject({ status: "active", basis: "events" });
    }
    // Matters that began later (the 2024 Seattle partnership site) are not part of that portfolio.
    expect(bySlug.has("seattle-wa-psp-2024")).toBe(false);
    for (const m of bundle.matters) {
      const begins = [m.openedOn, m.agreementOn, m.enteredOn].filter(Boolean).sort()[0];
      if (begins && begins.slice(0, 4) > "2017") expect(bySlug.has(m.slug), m.slug).toBe(false);
    }
    // Filtering by status uses the status of that day.
    const active = (
      await t.app.inject("/api/v1/matters?asOf=2017-03-31&status=active&kind=consent_decree&limit=500")
    ).json();
    expect(active.items.map((i: Item) => i.slug)).toEqual(
      expect.arrayContaining(["seattle-spd-2012", "new-orleans-nopd-2013"]),
    );
    expect(active.items.every((i: Item) => i.statusAsOf.status === "active")).toBe(true);
    expect(active.total).toBe(active.items.length);
  });

  it("gives the same answer as the domain's statusAsOf for every matter on several days", async () => {
    const events = new Map<string, { kind: EventKind; date: string }[]>();
    for (const e of bundle.events) if (e.matter) events.set(e.matter, [...(events.get(e.matter) ?? []), e]);
    for (const day of ["1995-06-30", "2009-01-20", "2017-03-31", "2021-01-20", "2026-12-06"]) {
      const served = new Map((await allAsOf(day)).map((i) => [i.slug, i.statusAsOf]));
      for (const m of bundle.matters) {
        const expected = statusAsOf(m, events.get(m.slug) ?? [], day);
        expect(served.get(m.slug) ?? null, `${m.slug} on ${day}`).toEqual(expected);
      }
    }
  });

  it("shows a matter's status on a day and how it was decided, and refuses a day that does not exist", async () => {
    const seattle = (await t.app.inject("/api/v1/matters/seattle-spd-2012?asOf=2017-03-31")).json();
    expect(seattle.statusAsOf).toEqual({
      asOf: "2017-03-31",
      status: "active",
      basis: "events",
      decidedOn: "2012-09",
    });
    const before = (await t.app.inject("/api/v1/matters/seattle-spd-2012?asOf=2001-01-01")).json();
    expect(before.statusAsOf).toBeNull();
    const bad = await t.app.inject("/api/v1/matters?asOf=2017-02-30");
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toMatch(/problem\+json/);
    expect(bad.json().errors[0]).toMatchObject({
      path: "asOf",
      message: "That day does not exist in the calendar",
    });
  });

  it("counts the dashboard as of a day", async () => {
    const today = (await t.app.inject("/api/v1/dashboard")).json();
    const then = (await t.app.inject("/api/v1/dashboard?asOf=2017-03-31")).json();
    expect(then.asOf).toBe("2017-03-31");
    expect(then.totals.matters).toBe((await allAsOf("2017-03-31")).length);
    expect(then.totals.matters).toBeLessThan(today.totals.matters);
    const active = (s: { byStatus: { status: string; count: number }[] }) =>
      s.byStatus.find((x) => x.status === "active")?.count ?? 0;
    expect(active(then)).toBeGreaterThanOrEqual(2);
    expect(then.recentEvents.every((e: { date: string }) => e.date <= "2017-03-31")).toBe(true);
    expect(then.perYear.at(-1).year).toBe(2017);
  });

  it("starts the bundled 2017 review on the portfolio of 2017-03-31: New Orleans and Seattle in, later matters out", async () => {
    await loadBundledCyclesOnce(t.database, bundlePath, () => {});
    const cycle = (await t.app.inject("/api/v1/review-cycles/2017-review")).json();
    expect(cycle.asOf).toBe("2017-03-31");
    const started = await t.app.inject({
      method: "POST",
      url: "/api/v1/review-cycles/2017-review/start",
      headers: { "if-match": `"${cycle.version}"` },
    });
    expect(started.statusCode, started.body).toBe(200);
    const reviews = (await t.app.inject("/api/v1/reviews?cycle=2017-review&limit=500")).json();
    expect(reviews.total).toBe(reviews.items.length);
    const slugs: string[] = reviews.items.map((r: { matter: { slug: string } }) => r.matter.slug);
    expect(slugs).toEqual(expect.arrayContaining(["seattle-spd-2012", "new-orleans-nopd-2013"]));
    for (const m of bundle.matters) {
      const begins = [m.openedOn, m.agreementOn, m.enteredOn].filter(Boolean).sort()[0];
      if (begins && begins.slice(0, 4) > "2017") expect(slugs, m.slug).not.toContain(m.slug);
    }
  });
  // Last: it changes the bundled facts the tests above read.
  it("keeps every matter's spans equal to its facts through commands and raw writes alike", async () => {
    const db = t.database.db;
    // Through the API: a new decree, entered and then partly terminated.
    const created = await buildMatter(t.app, { status: "partially_terminated", openedOn: "2019-03" });
    await buildEvent(t.app, {
      matterId: created.id,
      kind: "decree_entered",
      date: "2019-05-02",
      title: "Entered",
    });
    const ended = await buildEvent(t.app, {
      matterId: created.id,
      kind: "partial_termination",
      date: "2023",
      title: "Partly ended",
    });
    expect(
      (
        await t.app.inject({
          method: "DELETE",
          url: `/api/v1/events/${ended.id}`,
          headers: { "if-match": `"${ended.version}"` },
        })
      ).statusCode,
    ).toBe(204);
    // Writes no command makes: the triggers see them too.
    await db.execute(sql`update events set date = '2016' where id in
      (select id from events where kind = 'decree_entered' and matter_id is not null order by slug limit 3)`);
    await db.execute(
      sql`update matters set entered_on = null, status = 'active' where slug = 'new-orleans-nopd-2013'`,
    );
    // One key date alone, then a change of no dated fact (the title): the spans follow the first.
    await db.execute(sql`update matters set entered_on = '2010' where slug = 'seattle-spd-2012'`);
    await db.execute(sql`update matters set title = title || ' (edited)' where slug = 'seattle-spd-2012'`);
    // A column the spans carry but no status is read from: the spans follow it too.
    await db.execute(sql`update matters set jurisdiction_id = (select jurisdiction_id from matters
      where slug = 'new-orleans-nopd-2013') where slug = 'seattle-spd-2012'`);
    await db.execute(
      sql`delete from events where id in (select id from events where kind = 'termination' order by slug limit 3)`,
    );
    await db.execute(sql`update events set kind = 'termination' where id in
      (select id from events where kind = 'hearing' and matter_id is not null order by slug limit 2)`);
    // Every day on which some status can change, the day before it, and days between.
    const breaks = await queryRows<{ day: string }>(
      db,
      sql`select distinct day from (
      select date || substr('-01-01', length(date) - 3) as day from events union
      select date || substr('-12-31', length(date) - 3) from events) d order by 1`,
    );
    const days = ["", "1950-01-01", "2099-12-31"];
    for (const [i, { day }] of breaks.entries()) {
      if (i % 7 !== 0) continue;
      const monthBefore = new Date(Date.parse(`${day.slice(0, 7)}-01`) - 86_400_000)
        .toISOString()
        .slice(0, 10);
      days.push(day, monthBefore);
    }
    const read = (join: ReturnType<typeof sql>) =>
      queryRows(
        db,
        sql`select m.slug, sa.status, sa.basis, sa.decided_on, sa.begun from matters m ${join} order by m.slug`,
      );
    for (const day of days) {
      const kept = await read(statusAsOfJoin(day));
      expect(kept, day).toEqual(await read(statusAsOfLateral(sql`${day}`)));
      if (!day) continue;
      // Found through the day index instead (the dashboard's way), with the matter's columns it carries.
      expect(await queryRows(db, sql`select * from (${mattersOnDay(day, true)}) d order by id`), day).toEqual(
        await queryRows(
          db,
          sql`select m.id, m.kind, sa.status, m.jurisdiction_id, m.opened_on, m.agreement_on, m.entered_on, m.ended_on
            from matters m ${statusAsOfLateral(sql`${day}`)} where sa.begun order by m.id`,
        ),
      );
    }
  });
});
