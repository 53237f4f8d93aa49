import { readFileSync } from "node:fs";
import type { AtRisk, Award, Bundle, Condition, Portfolio } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { ALL, PUBLIC } from "../src/context/read-scope.js";
import { findUp } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import { litigationState } from "../src/modules/grants/at-risk.js";
import { moneyRows } from "../src/modules/grants/money.js";
import { jurisdictionPortfolio } from "../src/modules/grants/portfolio.js";
import { awardsWhere, conditionsWhere } from "../src/modules/grants/queries.js";
import { importBundle, parseBundle } from "../src/modules/transfer/index.js";
import {
  buildAgency,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
  uniqueSlug,
} from "./helpers.js";

const bundle: Bundle = parseBundle(JSON.parse(readFileSync(findUp("data/bundle/registry.json")!, "utf8")));
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ publicRead: true });
  await importBundle(bundle, systemContext(t.database.db));
});
afterAll(async () => {
  await t?.close();
});

async function postAward(body: Record<string, unknown>) {
  return t.app.inject({ method: "POST", url: "/api/v1/grants", payload: body });
}

async function buildAward(jurisdictionId: string, overrides: Record<string, unknown> = {}): Promise<Award> {
  const res = await postAward({
    slug: uniqueSlug("award"),
    program: "byrne_jag",
    fiscalYear: 2017,
    amount: 1000,
    amountMeaning: "total_award",
    jurisdictionId,
    ...overrides,
  });
  if (res.statusCode !== 201) throw new Error(`POST /grants → ${res.statusCode}: ${res.body}`);
  return res.json();
}

async function buildCondition(overrides: Record<string, unknown>): Promise<Condition> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/conditions",
    payload: {
      slug: uniqueSlug("condition"),
      program: "byrne_jag",
      fiscalYear: 2017,
      kind: "jail_access",
      status: "imposed",
      date: "2017-07-25",
      ...overrides,
    },
  });
  if (res.statusCode !== 201) throw new Error(`POST /conditions → ${res.statusCode}: ${res.body}`);
  return res.json();
}

const changeStatus = (key: string, version: number | null, payload: Record<string, unknown>) =>
  t.app.inject({
    method: "POST",
    url: `/api/v1/conditions/${key}/status`,
    headers: version === null ? {} : { "if-match": `"${version}"` },
    payload,
  });

const auditOf = (id: string) =>
  queryRows<{
    action: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }>(t.database.db, sql`select action, before, after from audit_entries where entity_id = ${id} order by id`);

describe(`grant awards (${ENGINE})`, () => {
  it("creates, lists, filters, sorts and pages awards", async () => {
    const place = await buildJurisdiction(t.app);
    const agency = await buildAgency(t.app, { jurisdictionId: place.id });
    const lawsuit = await buildMatter(t.app, {
      jurisdictionId: place.id,
      kind: "lawsuit",
      status: "unknown",
    });
    const res = await postAward({
      slug: uniqueSlug("award"),
      program: "byrne_jag",
      fiscalYear: 2017,
      amount: 100,
      amountMeaning: "total_award",
      jurisdictionId: place.id,
      agencyId: agency.id,
      matterIds: [lawsuit.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const first: Award = res.json();
    expect(res.headers.etag).toBe(`"${first.version}"`);
    expect(res.headers.location).toBe(`/api/v1/grants/${first.id}`);
    expect(first).toMatchObject({ amount: 100, agency: { id: agency.id }, jurisdiction: { id: place.id } });
    expect(first.matters.map((m) => m.id)).toEqual([lawsuit.id]);
    await buildAward(place.id, { program: "cops_hiring", fiscalYear: 2018, amount: 300 });
    await buildAward(place.id, { fiscalYear: 2019, amount: null, amountMeaning: null });

    const got = await t.app.inject(`/api/v1/grants/${first.slug}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe(`"${first.version}"`);
    expect(got.json().id).toBe(first.id);

    const list = (q: string) =>
      t.app.inject(`/api/v1/grants?jurisdiction=${place.slug}${q}`).then((r) => r.json());
    const all = await list("");
    expect(all.total).toBe(3);
    expect(all.items.map((a: Award) => a.fiscalYear)).toEqual([2019, 2018, 2017]);
    expect((await list("&sort=amount")).items.map((a: Award) => a.amount)).toEqual([100, 300, null]);
    expect((await list("&sort=-amount")).items.map((a: Award) => a.amount)).toEqual([300, 100, null]);
    expect((await list("&program=byrne_jag")).total).toBe(2);
    expect((await list("&fiscalYear=2018")).items.map((a: Award) => a.program)).toEqual(["cops_hiring"]);
    expect((await list(`&agency=${agency.slug}`)).items.map((a: Award) => a.id)).toEqual([first.id]);
    const page = await list("&limit=1&offset=1");
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((a: Award) => a.fiscalYear)).toEqual([2018]);
    // As of a day, awards of later fiscal years are left out.
    expect((await list("&asOf=2018-06-30")).items.map((a: Award) => a.fiscalYear)).toEqual([2018, 2017]);
  });

  it("names the field of a bad amount, program, fiscal year or reference", async () => {
    const place = await buildJurisdiction(t.app);
    const other = await buildJurisdiction(t.app);
    const foreign = await buildAgency(t.app, { jurisdictionId: other.id });
    const base = {
      slug: uniqueSlug("award"),
      program: "byrne_jag",
      fiscalYear: 2017,
      amount: 10,
      amountMeaning: "total_award",
      jurisdictionId: place.id,
    };
    const NIL = "00000000-0000-4000-8000-000000000000";
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: -5 }, "amount"],
      [{ amount: "lots" }, "amount"],
      [{ program: "nope" }, "program"],
      [{ fiscalYear: 1900 }, "fiscalYear"],
      [{ fiscalYear: 2017.5 }, "fiscalYear"],
      [{ amountMeaning: null }, "amountMeaning"],
      [{ jurisdictionId: NIL }, "jurisdictionId"],
      [{ agencyId: NIL }, "agencyId"],
      [{ agencyId: foreign.id }, "agencyId"],
      [{ matterIds: [NIL] }, "matterIds.0"],
    ];
    for (const [change, path] of cases) {
      const res = await postAward({ ...base, ...change });
      expect(res.statusCode, `${JSON.stringify(change)}: ${res.body}`).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(
        res.json().errors.map((e: { path: string }) => e.path),
        JSON.stringify(change),
      ).toContain(path);
    }
  });

  it("updates an award only with the version read (428 without, 412 when stale), audited", async () => {
    const place = await buildJurisdiction(t.app);
    const award = await buildAward(place.id);
    const patch = (headers: Record<string, string>, payload: Record<string, unknown>) =>
      t.app.inject({ method: "PATCH", url: `/api/v1/grants/${award.slug}`, headers, payload });
    const change = { amount: 5, amountMeaning: "total_award", notes: "Corrected" };
    expect((await patch({}, change)).statusCode).toBe(428);
    const ok = await patch({ "if-match": `"${award.version}"` }, change);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ amount: 5, notes: "Corrected", version: award.version + 1 });
    expect(ok.headers.etag).toBe(`"${award.version + 1}"`);
    const stale = await patch({ "if-match": `"${award.version}"` }, { notes: "Again" });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().detail).toContain(`version ${award.version + 1}`);
    const bad = await patch(
      { "if-match": `"${award.version + 1}"` },
      { amount: -1, amountMeaning: "total_award" },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("amount");
    // An amount alone keeps the meaning the award has; an award without one is asked for it.
    const alone = await patch({ "if-match": `"${award.version + 1}"` }, { amount: 7 });
    expect(alone.statusCode, alone.body).toBe(200);
    expect(alone.json()).toMatchObject({ amount: 7, amountMeaning: "total_award" });
    const bare = await buildAward(place.id, { amount: null, amountMeaning: null });
    const noMeaning = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/grants/${bare.slug}`,
      headers: { "if-match": `"${bare.version}"` },
      payload: { amount: 9 },
    });
    expect(noMeaning.statusCode).toBe(400);
    expect(noMeaning.json().errors[0].path).toBe("amountMeaning");
    expect((await auditOf(award.id)).map((a) => a.action)).toEqual([
      "AWARD_CREATED",
      "AWARD_UPDATED",
      "AWARD_UPDATED",
    ]);
    // The cached detail follows the change.
    expect((await t.app.inject(`/api/v1/grants/${award.slug}`)).json().amount).toBe(7);
    // Moved to another place, the award takes its conditions with it.
    const condition = await buildCondition({ awardId: award.id });
    const elsewhere = await buildJurisdiction(t.app);
    const current = (await t.app.inject(`/api/v1/grants/${award.slug}`)).json();
    const moved = await patch({ "if-match": `"${current.version}"` }, { jurisdictionId: elsewhere.id });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = (await t.app.inject(`/api/v1/conditions/${condition.slug}`)).json();
    expect(after.jurisdiction.id).toBe(elsewhere.id);
  });
});

describe(`conditions and their lifecycle (${ENGINE})`, () => {
  it("moves along the lifecycle, refuses forbidden, stale and earlier changes, keeps history and audit", async () => {
    const place = await buildJurisdiction(t.app);
    const award = await buildAward(place.id);
    const c = await buildCondition({ awardId: award.id });
    expect(c).toMatchObject({ status: "imposed", statusOn: "2017-07-25", awardId: award.id });
    expect(c.jurisdiction.id).toBe(place.id);
    expect(c.history).toHaveLength(1);
    expect((await t.app.inject(`/api/v1/conditions/${c.slug}`)).json().id).toBe(c.id);

    expect((await changeStatus(c.slug, null, { status: "in_question", date: "2017-10-12" })).statusCode).toBe(
      428,
    );
    const moved = await changeStatus(c.slug, c.version, {
      status: "documentation_demanded",
      date: "2017-10-12",
      note: "Letter",
      sources: [{ citation: "DOJ letter" }],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const m: Condition = moved.json();
    expect(m).toMatchObject({
      status: "documentation_demanded",
      statusOn: "2017-10-12",
      version: c.version + 1,
    });
    expect(m.history.map((h) => h.status)).toEqual(["imposed", "documentation_demanded"]);

    const stale = await changeStatus(c.slug, c.version, { status: "cleared", date: "2018-01-01" });
    expect(stale.statusCode).toBe(412);
    const early = await changeStatus(c.slug, m.version, { status: "cleared", date: "2017-09-01" });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors[0].path).toBe("date");

    const withdrawn = await changeStatus(c.slug, m.version, { status: "withdrawn", date: "2018-02" });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const w: Condition = withdrawn.json();
    const forbidden = await changeStatus(c.slug, w.version, { status: "imposed", date: "2019-01-01" });
    expect(forbidden.statusCode).toBe(409);
    expect(forbidden.json().code).toBe("status_transition_not_allowed");
    expect(forbidden.json().detail).toContain("withdrawn");
    expect(forbidden.json().current).toMatchObject({ status: "withdrawn" });

    const audit = await auditOf(c.id);
    expect(audit.map((a) => a.action)).toEqual([
      "CONDITION_CREATED",
      "CONDITION_STATUS_CHANGED",
      "CONDITION_STATUS_CHANGED",
    ]);
    expect(audit[1]).toMatchObject({
      before: { status: "imposed" },
      after: { status: "documentation_demanded" },
    });
    // The award shows the condition as it is now.
    const a: Award = (await t.app.inject(`/api/v1/grants/${award.id}`)).json();
    expect(a.conditions.map((x) => x.status)).toEqual(["withdrawn"]);
  });

  it("needs a place when the condition is on no award, and the award to exist", async () => {
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/conditions",
      payload: { slug: uniqueSlug("c"), program: "byrne_jag", kind: "other", date: "2017" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("jurisdictionId");
    const noAward = await t.app.inject({
      method: "POST",
      url: "/api/v1/conditions",
      payload: {
        slug: uniqueSlug("c"),
        program: "byrne_jag",
        kind: "other",
        date: "2017",
        awardId: "00000000-0000-4000-8000-000000000000",
      },
    });
    expect(noAward.json().errors[0].path).toBe("awardId");
  });

  it("gives conditions' statuses as of a day, leaving out those not yet imposed", async () => {
    const place = await buildJurisdiction(t.app);
    const award = await buildAward(place.id);
    const c = await buildCondition({ awardId: award.id });
    const r = await changeStatus(c.id, c.version, { status: "in_question", date: "2017-11" });
    expect(r.statusCode, r.body).toBe(200);
    const asOf = async (day: string) =>
      (await t.app.inject(`/api/v1/grants?jurisdiction=${place.slug}&asOf=${day}`)).json().items[0]
        .conditions as Condition[];
    expect(await asOf("2017-07-01")).toEqual([]);
    expect((await asOf("2017-08-01"))[0]).toMatchObject({ status: "imposed", statusOn: "2017-07-25" });
    // A change dated only by its month is known at the month's end.
    expect((await asOf("2017-11-15"))[0]?.status).toBe("imposed");
    const dec = (await asOf("2017-12-01"))[0]!;
    expect(dec).toMatchObject({ status: "in_question", statusOn: "2017-11" });
    expect(dec.history).toHaveLength(2);
    expect((await asOf("2017-08-01"))[0]!.history).toHaveLength(1);
    const filtered = (q: string) =>
      t.app
        .inject(`/api/v1/grants?jurisdiction=${place.slug}&conditionStatus=in_question${q}`)
        .then((x) => x.json().total);
    expect(await filtered("")).toBe(1);
    expect(await filtered("&asOf=2017-08-01")).toBe(0);
  });
});

describe(`portfolios and money at risk, from the bundled data (${ENGINE})`, () => {
  it("gives Chicago's portfolio: decree, findings, the FY2017 JAG lawsuit and its rulings, the 1373 letters", async () => {
    const res = await t.app.inject("/api/v1/jurisdictions/chicago-il/portfolio");
    expect(res.statusCode, res.body).toBe(200);
    const p: Portfolio = res.json();
    expect(p.asOf).toBeNull();
    expect(p.jurisdiction.slug).toBe("chicago-il");
    const matters = p.matters.map((m) => m.slug);
    expect(matters).toEqual(
      expect.arrayContaining([
        "chicago-cpd-state-2019",
        "chicago-police-department-investigation-2015",
        "chicago-v-sessions-jag-fy2017",
      ]),
    );
    expect(p.matters.find((m) => m.slug === "chicago-v-sessions-jag-fy2017")?.title).toBe(
      "City of Chicago v. Sessions",
    );
    const findings = p.events.find((e) => e.kind === "findings_issued");
    expect(findings).toMatchObject({ date: "2017-01-13", link: { type: "matter" } });
    const rulings = p.events.filter(
      (e) => e.kind === "ruling" && e.matter?.slug === "chicago-v-sessions-jag-fy2017",
    );
    expect(rulings.length).toBeGreaterThanOrEqual(4);
    expect(rulings.some((r) => r.favors === "plaintiff")).toBe(true);
    const letters = p.events.filter((e) => e.kind === "letter");
    expect(letters.map((l) => l.date)).toEqual(
      expect.arrayContaining(["2017-04-21", "2017-10-12", "2018-01-24"]),
    );
    expect(letters.every((l) => l.link.type === "event" && l.matter === null)).toBe(true);
    expect(p.events.some((e) => e.what === "condition_change")).toBe(true);
    const dates = p.events.map((e) => e.date);
    expect(dates).toEqual([...dates].sort());
    expect(p.conditions.map((c) => c.slug)).toContain("chicago-il-byrne-jag-fy2016-1373-certification");
    expect(p.grants.length).toBeGreaterThan(0);
    expect(p.money.length).toBeGreaterThan(0);
  });

  it("as of 2017-03-31 leaves out later matters, letters and conditions", async () => {
    const p: Portfolio = (
      await t.app.inject("/api/v1/jurisdictions/chicago-il/portfolio?asOf=2017-03-31")
    ).json();
    expect(p.asOf).toBe("2017-03-31");
    const matters = p.matters.map((m) => m.slug);
    expect(matters).toContain("chicago-police-department-investigation-2015");
    expect(matters).not.toContain("chicago-cpd-state-2019");
    expect(matters).not.toContain("chicago-v-sessions-jag-fy2017");
    expect(p.matters.every((m) => m.statusAsOf?.asOf === "2017-03-31")).toBe(true);
    expect(p.events.every((e) => e.date <= "2017-03-31")).toBe(true);
    expect(p.events.some((e) => e.kind === "findings_issued")).toBe(true);
    expect(p.events.some((e) => e.kind === "letter")).toBe(false);
    expect(p.conditions).toEqual([]);
    expect(p.grants.every((g) => g.fiscalYear === null || g.fiscalYear <= 2017)).toBe(true);
  });

  it("gives an agency's portfolio and 404 for an unknown place", async () => {
    const place = await buildJurisdiction(t.app);
    const agency = await buildAgency(t.app, { jurisdictionId: place.id });
    const other = await buildAgency(t.app, { jurisdictionId: place.id });
    await buildMatter(t.app, { jurisdictionId: place.id, agencyIds: [agency.id] });
    await buildAward(place.id, { agencyId: agency.id });
    await buildAward(place.id, { agencyId: other.id });
    const p: Portfolio = (await t.app.inject(`/api/v1/agencies/${agency.slug}/portfolio`)).json();
    expect(p.jurisdiction.id).toBe(place.id);
    expect(p.matters).toHaveLength(1);
    expect(p.grants.map((g) => g.agency?.id)).toEqual([agency.id]);
    expect((await t.app.inject("/api/v1/jurisdictions/no-such-place/portfolio")).statusCode).toBe(404);
  });

  it("lists the places with money at risk, with their litigation, and as CSV", async () => {
    const res = await t.app.inject("/api/v1/grants/at-risk");
    expect(res.statusCode, res.body).toBe(200);
    const r: AtRisk = res.json();
    expect(r.total).toBe(r.items.length);
    const chicago = r.items.find((i) => i.jurisdiction.slug === "chicago-il");
    expect(chicago?.conditions.map((c) => c.status)).toContain("documentation_demanded");
    expect(chicago?.lawsuits.map((l) => l.slug)).toContain("chicago-v-sessions-jag-fy2017");
    expect(chicago?.litigation).toBe("won");
    const suit = chicago?.lawsuits.find((l) => l.slug === "chicago-v-sessions-jag-fy2017");
    expect(suit?.lastRuling).toMatchObject({ date: "2020-04-30", favors: "plaintiff" });
    // As of a day before the letters, Chicago is not yet at risk.
    const before: AtRisk = (await t.app.inject("/api/v1/grants/at-risk?asOf=2017-03-31")).json();
    expect(before.items.some((i) => i.jurisdiction.slug === "chicago-il")).toBe(false);
    const mid: AtRisk = (await t.app.inject("/api/v1/grants/at-risk?asOf=2017-10-31")).json();
    const c17 = mid.items.find((i) => i.jurisdiction.slug === "chicago-il");
    expect(c17?.conditions[0]?.status).toBe("found_possibly_non_compliant");
    expect(c17?.litigation).toBe("won");
    expect(c17?.lawsuits.find((l) => l.slug === "chicago-v-sessions-jag-fy2017")?.lastRuling?.date).toBe(
      "2017-09-15",
    );

    const csv = await t.app.inject("/api/v1/grants/at-risk.csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toContain("attachment");
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe("jurisdiction,name,state,conditions,atStake,withheld,litigation,lawsuits");
    expect(lines).toHaveLength(r.items.length + 1);
    expect(lines.find((l) => l.startsWith("chicago-il,"))).toContain("won");
  });

  it("decides the litigation state from the lawsuits' decisive rulings", () => {
    expect(litigationState([])).toBe("none");
    expect(litigationState([{ decisive: null }])).toBe("pending");
    expect(litigationState([{ decisive: "plaintiff" }, { decisive: null }])).toBe("won");
    expect(litigationState([{ decisive: "defendant" }])).toBe("lost");
    expect(litigationState([{ decisive: "plaintiff" }, { decisive: "defendant" }])).toBe("mixed");
    expect(litigationState([{ decisive: "mixed" }])).toBe("mixed");
  });

  it("lists program facts, by program", async () => {
    const all = (await t.app.inject("/api/v1/program-facts")).json();
    expect(all.length).toBe(bundle.programFacts.length);
    const program = bundle.programFacts[0]!.program;
    const some = (await t.app.inject(`/api/v1/program-facts?program=${encodeURIComponent(program)}`)).json();
    expect(some.length).toBeGreaterThan(0);
    expect(some.every((f: { program: string }) => f.program === program)).toBe(true);
  });
});

describe(`who reads grants (${ENGINE})`, () => {
  it("shows anonymous visitors the public awards and conditions only, and monitors none", async () => {
    const place = await buildJurisdiction(t.app);
    const open = await buildAward(place.id);
    const hidden = await buildAward(place.id, { public: false });
    const hiddenCondition = await buildCondition({ jurisdictionId: place.id, public: false });
    const anon = (url: string) => t.anonymous({ url });
    const list = (await anon(`/api/v1/grants?jurisdiction=${place.slug}`)).json();
    expect(list.items.map((a: Award) => a.id)).toEqual([open.id]);
    expect((await anon(`/api/v1/grants/${hidden.slug}`)).statusCode).toBe(404);
    expect((await anon(`/api/v1/grants/${open.slug}`)).statusCode).toBe(200);
    expect((await anon(`/api/v1/conditions/${hiddenCondition.slug}`)).statusCode).toBe(404);
    const p: Portfolio = (await anon(`/api/v1/jurisdictions/${place.slug}/portfolio`)).json();
    expect(p.grants.map((g) => g.id)).toEqual([open.id]);
    expect(p.conditions).toEqual([]);
    // Signed in, everything.
    expect((await t.app.inject(`/api/v1/grants?jurisdiction=${place.slug}`)).json().total).toBe(2);

    const monitor = await t.tokenFor("monitor");
    const as = { authorization: `Bearer ${monitor}` };
    expect((await t.anonymous({ url: "/api/v1/grants", headers: as })).json().total).toBe(0);
    expect((await t.anonymous({ url: `/api/v1/grants/${open.slug}`, headers: as })).statusCode).toBe(404);
    expect((await t.anonymous({ url: "/api/v1/grants/at-risk", headers: as })).json().total).toBe(0);
    const mp: Portfolio = (
      await t.anonymous({ url: "/api/v1/jurisdictions/chicago-il/portfolio", headers: as })
    ).json();
    expect(mp.grants).toEqual([]);
    expect(mp.conditions).toEqual([]);
    // Writes are not theirs.
    const w = await t.anonymous({
      method: "POST",
      url: "/api/v1/grants",
      headers: as,
      payload: { slug: uniqueSlug("a"), program: "other", jurisdictionId: place.id },
    });
    expect(w.statusCode).toBe(403);
  });
});

describe(`events of a place and rulings (${ENGINE})`, () => {
  it("records an event's place, outcome and favours", async () => {
    const place = await buildJurisdiction(t.app);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: {
        slug: uniqueSlug("letter"),
        kind: "letter",
        date: "2017-04-21",
        title: "Letter to the city",
        jurisdictionId: place.id,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      jurisdictionId: place.id,
      matterId: null,
      outcome: null,
      favors: null,
    });
    const suit = await buildMatter(t.app, { jurisdictionId: place.id, kind: "lawsuit", status: "unknown" });
    const ruling = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: {
        slug: uniqueSlug("ruling"),
        kind: "ruling",
        date: "2017-09-15",
        title: "Preliminary injunction",
        matterId: suit.id,
        outcome: "Conditions enjoined",
        favors: "plaintiff",
      },
    });
    expect(ruling.statusCode, ruling.body).toBe(201);
    const e = ruling.json();
    expect(e).toMatchObject({ outcome: "Conditions enjoined", favors: "plaintiff" });
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/events/${e.slug}`,
      headers: { "if-match": `"${e.version}"` },
      payload: { favors: "mixed" },
    });
    expect(patched.json().favors).toBe("mixed");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: {
        slug: uniqueSlug("letter"),
        kind: "letter",
        date: "2017",
        title: "x",
        jurisdictionId: "00000000-0000-4000-8000-000000000000",
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("jurisdictionId");
    const p: Portfolio = (await t.app.inject(`/api/v1/jurisdictions/${place.slug}/portfolio`)).json();
    expect(p.events.map((x) => x.kind)).toEqual(["letter", "ruling"]);
    expect(p.events[1]).toMatchObject({ favors: "mixed", outcome: "Conditions enjoined" });
  });
});

describe(`a place's portfolio, its awards, conditions and money (${ENGINE})`, () => {
  it("gives what the awards, conditions and money statements give for the place, with awards or none", async () => {
    const places = await queryRows<{ id: string; slug: string; awards: boolean }>(
      t.database.db,
      sql`select j.id, j.slug, exists (select 1 from awards a where a.jurisdiction_id = j.id)
            or exists (select 1 from conditions c where c.jurisdiction_id = j.id) as awards
          from jurisdictions j order by j.slug`,
    );
    const withGrants = places.filter((p) => p.awards);
    expect(withGrants.length).toBeGreaterThan(0);
    // Every place with grants on record, and as many without.
    const sample = [...withGrants, ...places.filter((p) => !p.awards).slice(0, withGrants.length)];
    for (const scope of [ALL, PUBLIC])
      for (const asOf of [undefined, "2017-08-01", "2020-06-30"])
        for (const place of sample) {
          const ctx = { ...systemContext(t.database.db, "test"), scope };
          const p = await jurisdictionPortfolio(ctx, place.slug, asOf);
          const id = place.id;
          const label = `${place.slug} ${scope.kind} ${asOf ?? "today"}`;
          expect(p.grants, label).toEqual(await awardsWhere(ctx, sql`a.jurisdiction_id = ${id}`, asOf));
          expect(p.conditions, label).toEqual(
            await conditionsWhere(
              ctx,
              sql`c.jurisdiction_id = ${id} and (c.award_id is null
                or c.award_id not in (select x.id from awards x where x.jurisdiction_id = ${id}))`,
              asOf,
            ),
          );
          expect(p.money, label).toEqual(await moneyRows(ctx, sql`a.jurisdiction_id = ${id}`, asOf));
        }
  });
});
