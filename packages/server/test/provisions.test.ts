import { readFileSync } from "node:fs";
import type { DecreeParse, Provision, ProvisionListItem } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUp } from "../src/db/open.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import { runPendingJobs } from "../src/jobs/job-runner.js";
import { countRollups } from "../src/modules/compliance/index.js";
import { buildMatter, buildTestApp, ENGINE, type TestApp } from "./helpers.js";

/**
 * Provisions end to end through the API: the real Fulton County decree (PDF) uploaded, its text
 * extracted, parsed, checked, corrected, accepted and accepted again; topics, deadlines,
 * similar provisions across decrees, and who may read what.
 */

const DECREE = readFileSync(
  findUp("data/documents/us_v_fulton_county_1-25-cv-00024_consent_decree_2025-01-06.pdf")!,
);

/** A small agreement of another city, one page: a paraphrase of Fulton's ¶ 139 among others. */
const OTHER_DECREE = [
  "SETTLEMENT AGREEMENT",
  "I. DEFINITIONS",
  "1. “Effective Date” means the date the Court enters this Agreement.",
  "II. USE OF FORCE",
  "A. Conducted Electrical Weapons",
  "2. The Department will require that officers do not deploy more than three cycles or 15 total seconds",
  "of a Taser against a person during a single incident unless lethal force is justified, and will require",
  "officers to report the justification for each cycle and to consider de-escalation if the Taser is ineffective.",
  "3. Within 90 days of the Effective Date, the Department will adopt a use of force policy, and it will",
  "review the policy annually.",
  "4. The Department will hold public meetings with the community.",
].join("\n");

const TODAY = "2026-01-15";

describe(`provisions (${ENGINE})`, () => {
  let t: TestApp;
  let fulton: { id: string; slug: string };
  let other: { id: string; slug: string };
  let decreeId: string;
  let otherDocId: string;
  let parse: DecreeParse;
  let parseMs = 0;
  /** The ids of the accepted provisions, by number. */
  const ids = new Map<number, string>();
  const token = {} as Record<"reviewer" | "viewer" | "monitor", string>;
  const as = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });

  const upload = (slug: string, name: string, bytes: Buffer | string, kind: string) => {
    const form = new FormData();
    form.append("kind", kind);
    form.append("file", new Blob([bytes]), name);
    return t.app.inject({ method: "POST", url: `/api/v1/matters/${slug}/documents`, body: form });
  };
  const get = async <T>(url: string, headers = {}) => {
    const res = await t.app.inject({ url, headers });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };
  const send = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as "POST",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const edit = async (p: DecreeParse, payload: unknown) => {
    const res = await send("PATCH", `/api/v1/parses/${p.id}`, payload, { "if-match": `"${p.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as DecreeParse;
  };
  const parseDecree = async (documentId: string) => {
    const res = await send("POST", `/api/v1/documents/${documentId}/parse`);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as DecreeParse;
  };
  /** Accepts the parse as it now stands (If-Match: the ETag its GET gives). */
  const accept = async (slug: string, parseId: string) => {
    const read = await send("GET", `/api/v1/parses/${parseId}`);
    const res = await send(
      "POST",
      `/api/v1/matters/${slug}/provisions/accept`,
      { parseId },
      { "if-match": read.headers.etag as string },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe(`"${res.json().version}"`);
    return res.json();
  };
  const provisionsOf = async (slug: string, query = "", headers = {}) =>
    (
      await get<{ items: ProvisionListItem[]; total: number }>(
        `/api/v1/matters/${slug}/provisions?limit=500${query}`,
        headers,
      )
    ).items;
  const byNumber = (items: ProvisionListItem[]) =>
    new Map(items.flatMap((p) => (p.number === null ? [] : [[p.number, p.id] as const])));

  beforeAll(async () => {
    t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`), publicRead: true });
    for (const role of ["reviewer", "viewer", "monitor"] as const)
      token[role] = await t.tokenFor(role, `${role}-prov`);
    fulton = await buildMatter(t.app, {
      title: "Fulton County Jail consent decree",
      enteredOn: "2025-01-06",
      agreementOn: "2024-12-20",
    });
    other = await buildMatter(t.app, {
      title: "Otherton settlement agreement",
      kind: "settlement_agreement",
      agreementOn: "2017-04",
      public: true,
    });
    // Assigning changes the monitor: If-Match names the monitor's version.
    const monitor = await t.app.inject("/api/v1/users/monitor-prov");
    const res = await send("PUT", `/api/v1/matters/${other.slug}/assignments/monitor-prov`, undefined, {
      "if-match": monitor.headers.etag as string,
    });
    expect(res.statusCode, res.body).toBe(200);
    const up = await upload(fulton.slug, "fulton.pdf", DECREE, "decree");
    expect(up.statusCode, up.body).toBe(201);
    decreeId = up.json().items[0].document.id;
    const up2 = await upload(other.slug, "agreement.txt", OTHER_DECREE, "agreement");
    otherDocId = up2.json().items[0].document.id;
    // Not yet read: nothing to parse.
    const early = await send("POST", `/api/v1/documents/${otherDocId}/parse`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "document_not_ready" });
    expect(await runPendingJobs({ db: t.database.db, dataDir: t.dataDir })).toBe(2);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("parses the decree PDF into its 369 paragraphs, under its table of contents, without headers or footers", async () => {
    const started = performance.now();
    parse = await parseDecree(decreeId);
    parseMs = performance.now() - started;
    expect(parse).toMatchObject({
      status: "draft",
      document: { id: decreeId, kind: "decree" },
      matter: { id: fulton.id },
      warnings: [],
      preview: { kept: 0, renumbered: 0, restored: 0, changed: 0, added: 369, retired: 0 },
    });
    const numbers = parse.provisions.map((p) => p.number);
    expect(numbers).toEqual(Array.from({ length: 369 }, (_, i) => i + 1));
    expect(parse.sections.map((s) => `${s.number}. ${s.title}`)).toEqual(
      parse.toc.map((s) => `${s.number}. ${s.title}`),
    );
    expect(parse.sections.filter((s) => s.level === 1)).toHaveLength(18);
    const p = (n: number) => parse.provisions[n - 1]!;
    expect(p(46).path).toBe("V. Protection from Harm › A. Policies, Procedures, and Training › ¶ 46");
    expect([p(1).page, p(46).page, p(139).page, p(369).page]).toEqual([4, 12, 28, 69]);
    expect(p(12)).toMatchObject({ isDefinition: true, terms: ["Effective Date"] });
    expect(p(50).text).toContain("(iv) how to communicate effectively and professionally");
    // ¶ 365 runs onto the page whose text starts with the judge's signature rule.
    expect(
      p(365).text.endsWith(
        "monitoring of that full substantive section or subsection at that Jail Facility may cease.",
      ),
    ).toBe(true);
    for (const x of parse.provisions) {
      expect(x.text, x.label).not.toMatch(/Case 1:25-cv-00024|Document 3|Page \d+ of 71|Filed 01\/06\/25/);
      expect(x.text, x.label).not.toMatch(/LEIGH MARTIN MAY|DISTRICT JUDGE|CONSENTED TO BY/);
    }
    // Parsing runs in the request: well under a second for 71 pages, with storing and answering.
    expect(parseMs).toBeLessThan(3000);
    console.info(`parse of the 71-page decree through the API: ${Math.round(parseMs)} ms (${ENGINE})`);
    // Only a decree or an agreement is parsed.
    const memo = await upload(fulton.slug, "memo.txt", "1. A memo.", "memo");
    const refused = await send("POST", `/api/v1/documents/${memo.json().items[0].document.id}/parse`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "not_a_decree" });
    expect(refused.json().detail).toContain("kind memo");
  });

  it("accepts the draft: 369 provisions with topics, deadlines, pages and a citable address", async () => {
    const started = performance.now();
    const result = await accept(fulton.slug, parse.id);
    console.info(`accepting 369 provisions: ${Math.round(performance.now() - started)} ms (${ENGINE})`);
    expect(result).toMatchObject({
      counts: { kept: 0, renumbered: 0, restored: 0, changed: 0, added: 369, retired: 0 },
      total: 369,
    });
    const items = await provisionsOf(fulton.slug);
    expect(items.map((p) => p.number)).toEqual(Array.from({ length: 369 }, (_, i) => i + 1));
    for (const [n, id] of byNumber(items)) ids.set(n, id);
    // Sorted on the server: by number descending, by page, by how many deadlines a provision states.
    expect((await provisionsOf(fulton.slug, "&sort=-number")).slice(0, 3).map((p) => p.number)).toEqual([
      369, 368, 367,
    ]);
    const byPage = await provisionsOf(fulton.slug, "&sort=-page");
    expect(byPage[0]!.page).toBe(Math.max(...items.map((p) => p.page ?? 0)));
    expect(byPage.map((p) => p.page ?? 0)).toEqual([...byPage.map((p) => p.page ?? 0)].sort((a, b) => b - a));
    const byDeadlines = await provisionsOf(fulton.slug, "&sort=-deadlines");
    expect(byDeadlines.map((p) => p.deadlineCount)).toEqual(
      [...items.map((p) => p.deadlineCount)].sort((a, b) => b - a),
    );
    expect((await send("GET", `/api/v1/matters/${fulton.slug}/provisions?sort=title`)).statusCode).toBe(400);
    const cited = await get<Provision>(`/api/v1/matters/${fulton.slug}/provisions/139`);
    expect(cited).toMatchObject({
      id: ids.get(139),
      label: "¶ 139",
      path: "VI. Use of Force › B. Tasers › ¶ 139",
      page: 28,
      document: { id: decreeId, kind: "decree" },
      citation: `/api/v1/matters/${fulton.slug}/provisions/139`,
      topicsCorrected: false,
      ratings: [],
    });
    // The label is an address too, URL-encoded or not.
    for (const ref of [encodeURIComponent("¶ 139"), "¶139"])
      expect((await get<Provision>(`/api/v1/matters/${fulton.slug}/provisions/${ref}`)).id).toBe(
        ids.get(139),
      );
    expect(cited).toMatchObject({ number: 139, parentId: null, heading: false, definition: false });
    expect(cited.topics[0]).toMatchObject({ topic: "use_of_force", label: "Use of force" });
    expect(cited.topics[0]!.because.map((b) => b.word)).toEqual(expect.arrayContaining(["taser"]));
    // The parse is accepted, and cannot be accepted twice.
    expect((await get<DecreeParse>(`/api/v1/parses/${parse.id}`)).status).toBe("accepted");
    const again = await send(
      "POST",
      `/api/v1/matters/${fulton.slug}/provisions/accept`,
      { parseId: parse.id },
      { "if-match": `"${result.version}"` },
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "parse_not_draft" });
    // One audit entry says what accepting did.
    const audit = await get<{ items: { action: string; after: { counts: unknown } }[] }>(
      `/api/v1/audit?entity=decree_parse&entityId=${parse.id}`,
    );
    expect(audit.items.map((a) => a.action)).toEqual(["PROVISIONS_ACCEPTED", "DECREE_PARSED"]);
    expect(audit.items[0]!.after.counts).toMatchObject({ added: 369 });
    expect((await send("GET", `/api/v1/matters/${fulton.slug}/provisions/370`)).statusCode).toBe(404);
  });

  it("filters a matter's provisions by topic, section and words", async () => {
    const force = await provisionsOf(fulton.slug, "&topic=use_of_force");
    expect(force.length).toBeGreaterThan(10);
    expect(force.every((p) => p.topics.some((x) => x.topic === "use_of_force"))).toBe(true);
    const tasers = await provisionsOf(fulton.slug, "&section=VI.B");
    expect(tasers.map((p) => p.number)).toEqual(expect.arrayContaining([135, 136, 137, 138, 139]));
    expect(tasers.every((p) => p.path.startsWith("VI. Use of Force › B. Tasers"))).toBe(true);
    const words = await provisionsOf(fulton.slug, "&q=taser%20probes");
    expect(words.map((p) => p.number)).toContain(11);
    expect((await provisionsOf(fulton.slug, "&q=46")).map((p) => p.number)).toEqual([46]);
    const page = await get<{ items: unknown[]; total: number }>(
      `/api/v1/matters/${fulton.slug}/provisions?limit=10&offset=360`,
    );
    expect(page).toMatchObject({ total: 369 });
    expect(page.items).toHaveLength(9);
  });

  it("keeps a person's topic correction, with If-Match, and can return to the classifier", async () => {
    const url = `/api/v1/provisions/${ids.get(10)}`;
    const before = await t.app.inject(url);
    const etag = before.headers.etag as string;
    expect((await send("PUT", `${url}/topics`, { topics: ["training"] })).statusCode).toBe(428);
    const corrected = await send(
      "PUT",
      `${url}/topics`,
      { topics: ["training", "supervision"] },
      { "if-match": etag },
    );
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({
      topicsCorrected: true,
      topics: [{ topic: "training", score: null, because: [] }, { topic: "supervision" }],
    });
    expect(corrected.json().classifierTopics.map((x: { topic: string }) => x.topic)).toEqual(["supervision"]);
    const stale = await send("PUT", `${url}/topics`, { topics: [] }, { "if-match": etag });
    expect(stale.statusCode).toBe(412);
    // A reviewer may correct, a viewer may not.
    expect(
      (await send("PUT", `${url}/topics`, { topics: [] }, { ...as("viewer"), "if-match": '"2"' })).statusCode,
    ).toBe(403);
    const training = await provisionsOf(fulton.slug, "&topic=training");
    expect(training.map((p) => p.number)).toContain(10);
    // ¶ 11: corrected, then the correction removed.
    const u11 = `/api/v1/provisions/${ids.get(11)}`;
    await send("PUT", `${u11}/topics`, { topics: ["bwc_technology"] }, { "if-match": '"1"' });
    const reset = await send("DELETE", `${u11}/topics`, undefined, { ...as("reviewer"), "if-match": '"2"' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ topicsCorrected: false, version: 3 });
  });

  it("lists deadlines from the effective date: one-time, recurring, and those counted from something else", async () => {
    const all = await get<{
      effectiveDate: string;
      note: string | null;
      items: {
        deadlineId: string;
        date: string | null;
        occurrence: number | null;
        overdue: boolean;
        phrase: string;
        kind: string;
        note: string | null;
        provision: { number: number; label: string; path: string; version: number };
      }[];
      total: number;
    }>(`/api/v1/matters/${fulton.slug}/deadlines?limit=1000`);
    expect(all).toMatchObject({ effectiveDate: "2025-01-06", note: null });
    // Weekly and monthly duties make more than a page of dates: read the rest.
    expect(all.total).toBeGreaterThan(1000);
    const rest = await get<typeof all>(`/api/v1/matters/${fulton.slug}/deadlines?limit=1000&offset=1000`);
    all.items.push(...rest.items);
    expect(all.items).toHaveLength(all.total);
    const fourMonths = all.items.find((d) => d.phrase === "within four months of the Effective Date");
    expect(fourMonths).toMatchObject({
      date: "2025-05-06",
      kind: "once",
      overdue: true,
      provision: { number: 43, label: "¶ 43" },
    });
    expect(fourMonths!.provision.path).toBe("IV. Notification of Rights and Protections › ¶ 43");
    // "annually" (¶ 34) repeats each year until two years from today.
    const annual = all.items.filter((d) => d.provision.number === 34 && d.kind === "recurring");
    expect(annual.map((d) => [d.date, d.occurrence, d.overdue])).toEqual([
      ["2026-01-06", 1, true],
      ["2027-01-06", 2, false],
      ["2028-01-06", 3, false],
    ]);
    // Of a recurring duty's past dates only the latest is listed, and overdue; the next are ahead.
    const recurring = new Map<string, typeof all.items>();
    for (const d of all.items.filter((x) => x.kind === "recurring"))
      recurring.set(d.deadlineId, [...(recurring.get(d.deadlineId) ?? []), d]);
    expect(recurring.size).toBeGreaterThan(5);
    for (const dates of recurring.values()) {
      const past = dates.filter((d) => d.date! < TODAY);
      expect(past.length).toBeLessThanOrEqual(1);
      expect(past.every((d) => d.overdue)).toBe(true);
      expect(dates.filter((d) => d.date! >= TODAY).every((d) => !d.overdue)).toBe(true);
    }
    const weekly = [...recurring.values()].find((dates) => dates[0]!.phrase.toLowerCase().includes("week"))!;
    expect(weekly).toBeDefined();
    // Asked for a window, its older dates are listed as history, none overdue but the latest.
    const history = await get<typeof all>(
      `/api/v1/matters/${fulton.slug}/deadlines?from=2025-01-01&to=${TODAY}&limit=1000`,
    );
    const weeklyPast = history.items.filter((d) => d.deadlineId === weekly[0]!.deadlineId);
    expect(weeklyPast.length).toBeGreaterThan(4);
    expect(weeklyPast.filter((d) => d.overdue).map((d) => d.date)).toEqual([weeklyPast.at(-1)!.date]);
    const dated = all.items.filter((d) => d.date !== null).map((d) => d.date!);
    expect(dated).toEqual([...dated].sort());
    expect(dated.every((d) => d <= "2028-01-15")).toBe(true);
    // Counted from the Monitor's appointment: no date until a person gives it.
    const appointment = all.items.find(
      (d) => d.phrase === "Within 30 days of the Court’s appointment of a Monitor",
    )!;
    expect(appointment).toMatchObject({ date: null, provision: { number: 325 } });
    expect(appointment.note).toContain("Court’s appointment of a Monitor");
    const set = await send(
      "PUT",
      `/api/v1/deadlines/${appointment.deadlineId}/anchor-date`,
      { anchorDate: "2025-03-01" },
      { ...as("reviewer"), "if-match": `"${appointment.provision.version}"` },
    );
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().deadlines.find((d: { id: string }) => d.id === appointment.deadlineId)).toMatchObject({
      anchorDate: "2025-03-01",
      dates: ["2025-03-31"],
      note: null,
    });
    const effective = all.items.find((d) => d.kind === "once" && d.date)!;
    const refused = await send(
      "PUT",
      `/api/v1/deadlines/${effective.deadlineId}/anchor-date`,
      { anchorDate: "2025-03-01" },
      { "if-match": `"${effective.provision.version}"` },
    );
    expect(refused.statusCode).toBe(409);
    // A window, and only what is overdue.
    const window = await get<{ items: { date: string | null }[] }>(
      `/api/v1/matters/${fulton.slug}/deadlines?from=2026-02-01&to=2026-03-31&limit=1000`,
    );
    const windowDates = window.items.filter((d) => d.date).map((d) => d.date!);
    expect(windowDates.length).toBeGreaterThan(5);
    expect(windowDates.every((d) => d >= "2026-02-01" && d <= "2026-03-31")).toBe(true);
    const overdue = await get<{ items: { date: string | null; overdue: boolean }[] }>(
      `/api/v1/matters/${fulton.slug}/deadlines?overdue=true&limit=1000`,
    );
    expect(overdue.items.every((d) => d.overdue && d.date! < TODAY)).toBe(true);
    expect(overdue.items.map((d) => d.date)).toContain("2025-03-31");
  });

  it("parses another decree, counts nothing from a date without its day, and ranks similar provisions", async () => {
    const draft = await parseDecree(otherDocId);
    expect(draft.provisions.map((p) => p.path)).toEqual([
      "I. Definitions › ¶ 1",
      "II. Use of Force › A. Conducted Electrical Weapons › ¶ 2",
      "II. Use of Force › A. Conducted Electrical Weapons › ¶ 3",
      "II. Use of Force › A. Conducted Electrical Weapons › ¶ 4",
    ]);
    await accept(other.slug, draft.id);
    const deadlines = await get<{
      effectiveDate: string | null;
      note: string;
      items: { date: string | null; note: string }[];
    }>(`/api/v1/matters/${other.slug}/deadlines`);
    expect(deadlines.effectiveDate).toBeNull();
    expect(deadlines.note).toContain("2017-04, without the day");
    expect(deadlines.items).toHaveLength(2);
    expect(deadlines.items.every((d) => d.date === null && d.note === deadlines.note)).toBe(true);
    // Across matters, by date: only dated ones, so only Fulton's.
    const year = await get<{ items: { date: string; matter: { id: string } }[]; total: number }>(
      "/api/v1/deadlines?from=2026-01-01&to=2026-12-31&limit=1000",
    );
    expect(year.total).toBeGreaterThan(20);
    expect(year.items.every((d) => d.matter.id === fulton.id && d.date.startsWith("2026"))).toBe(true);
    // The paraphrase of ¶ 139 finds it first.
    const [mine] = await provisionsOf(other.slug, "&q=2");
    const similarStarted = performance.now();
    const similar = await get<{
      items: { provision: ProvisionListItem; similarity: number; sharedTopics: string[] }[];
    }>(`/api/v1/provisions/${mine!.id}/similar?limit=5`);
    expect(similar.items[0]).toMatchObject({
      provision: { id: ids.get(139) },
      sharedTopics: ["use_of_force"],
    });
    console.info(
      `similar provisions: ${Math.round(performance.now() - similarStarted)} ms, top similarity ${similar.items[0]!.similarity} (${ENGINE})`,
    );
    expect(similar.items[0]!.similarity).toBeGreaterThan(0.3);
    expect(similar.items.every((s) => s.provision.matter.id === fulton.id)).toBe(true);
    // Browsing by topic across matters.
    const force = await get<{ items: ProvisionListItem[] }>(
      "/api/v1/provisions?topic=use_of_force&limit=500",
    );
    expect(new Set(force.items.map((p) => p.matter.id))).toEqual(new Set([fulton.id, other.id]));
  });

  it("re-parses, is corrected (split, merge back, edit, merge), and keeps ids and ratings of unchanged provisions", async () => {
    const db = t.database.db;
    const period = await queryOne<{ id: string }>(
      db,
      sql`insert into reporting_periods (matter_id, label, ends_on) values (${fulton.id}, 'First report', '2025-08-21') returning id`,
    );
    for (const n of [46, 369])
      await db.execute(
        sql`insert into assessments (provision_id, period_id, level, rationale) values (${ids.get(n)!}, ${period!.id}, 'partial', ${`Rated ¶ ${n}`})`,
      );
    let draft = await parseDecree(decreeId);
    expect(draft.preview).toEqual({
      kept: 369,
      renumbered: 0,
      restored: 0,
      changed: 0,
      added: 0,
      retired: 0,
    });
    const original = draft.provisions[99]!.text;
    const at = original.indexOf(" regardless");
    draft = await edit(draft, { op: "split", number: 100, at });
    expect(draft.provisions).toHaveLength(370);
    expect(draft.provisions[99]!.text).toBe(original.slice(0, at));
    expect(draft.provisions[100]).toMatchObject({
      number: 101,
      label: "¶ 101",
      text: original.slice(at).trim(),
    });
    expect(draft.provisions[369]!.number).toBe(370);
    expect(draft.preview).toMatchObject({ kept: 99, renumbered: 269, changed: 1, added: 1, retired: 0 });
    draft = await edit(draft, { op: "merge", number: 101 });
    expect(draft.provisions).toHaveLength(369);
    expect(draft.provisions[99]!.text).toBe(original);
    expect(draft.preview).toMatchObject({ kept: 369 });
    draft = await edit(draft, { op: "edit", number: 50, text: `${draft.provisions[49]!.text} (as amended)` });
    draft = await edit(draft, { op: "merge", number: 369 });
    expect(draft.provisions).toHaveLength(368);
    // Refusals say why, and a stale version loses.
    const bad = await send(
      "PATCH",
      `/api/v1/parses/${draft.id}`,
      { op: "split", number: 5, at: 100_000 },
      { "if-match": `"${draft.version}"` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "invalid_edit", errors: [{ path: "at" }] });
    const stale = await send(
      "PATCH",
      `/api/v1/parses/${draft.id}`,
      { op: "merge", number: 2 },
      { "if-match": '"1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect((await send("PATCH", `/api/v1/parses/${draft.id}`, { op: "merge", number: 2 })).statusCode).toBe(
      428,
    );

    // Each correction left its audit entry; the refused ones none.
    const audit = await get<{ items: { action: string }[] }>(
      `/api/v1/audit?entity=decree_parse&entityId=${draft.id}`,
    );
    expect(audit.items.map((a) => a.action)).toEqual([
      ...Array(4).fill("DECREE_PARSE_EDITED"),
      "DECREE_PARSED",
    ]);
    const started = performance.now();
    const result = await accept(fulton.slug, draft.id);
    console.info(`re-accepting 368 provisions: ${Math.round(performance.now() - started)} ms (${ENGINE})`);
    expect(result).toMatchObject({
      counts: { kept: 366, renumbered: 0, restored: 0, changed: 2, added: 0, retired: 1 },
      total: 368,
    });
    const after = byNumber(await provisionsOf(fulton.slug));
    for (let n = 1; n <= 368; n++) expect(after.get(n), `¶ ${n}`).toBe(ids.get(n));
    const p50 = await get<Provision>(`/api/v1/provisions/${ids.get(50)}`);
    expect(p50.text.endsWith("(as amended)")).toBe(true);
    const p46 = await get<Provision>(`/api/v1/matters/${fulton.slug}/provisions/46`);
    expect(p46.ratings).toEqual([
      expect.objectContaining({
        periodLabel: "First report",
        endsOn: "2025-08-21",
        level: "partial",
        rationale: "Rated ¶ 46",
      }),
    ]);
    const retired = await get<Provision>(`/api/v1/provisions/${ids.get(369)}`);
    expect(retired.retiredAt).not.toBeNull();
    expect(retired.citation).toBe(`/api/v1/provisions/${ids.get(369)}`);
    expect(retired.ratings).toHaveLength(1);
    expect((await send("GET", `/api/v1/matters/${fulton.slug}/provisions/369`)).statusCode).toBe(404);
    const withRetired = await provisionsOf(fulton.slug, "&includeRetired=true");
    expect(withRetired).toHaveLength(369);
    expect(withRetired.at(-1)!.id).toBe(ids.get(369));
    // The topic correction outlives the new parse.
    expect((await get<Provision>(`/api/v1/provisions/${ids.get(10)}`)).topicsCorrected).toBe(true);
    // Accepting recounted the compliance roll-ups: ¶ 369's rating no longer counts, the new text's sections do.
    const stored = await queryRows(
      t.database.db,
      sql`select period_id as "periodId", level, topic, section, count from compliance_rollups
          where matter_id = ${fulton.id} order by 1, 2, 3, 4`,
    );
    expect(stored).toEqual(await countRollups(t.database.db, fulton.id));
  });

  it("renumbers: a paragraph with unchanged text moves its row (and ratings) to its new number", async () => {
    let draft = await parseDecree(decreeId);
    draft = await edit(draft, { op: "renumber", from: 300, to: 301 });
    expect(draft.provisions.at(-1)!.number).toBe(370);
    expect(draft.warnings).toEqual(["¶ 300 is missing: ¶ 299 is followed by ¶ 301"]);
    const refused = await send(
      "PATCH",
      `/api/v1/parses/${draft.id}`,
      { op: "renumber", from: 301, to: 299 },
      { "if-match": `"${draft.version}"` },
    );
    expect(refused.statusCode).toBe(400);
    const result = await accept(fulton.slug, draft.id);
    // ¶ 300–367 move up one; ¶ 50 is as the decree has it again; the merged ¶ 368 is retired for
    // the decree's own ¶ 368 (now 369), and the retired ¶ 369 returns as ¶ 370.
    expect(result).toMatchObject({
      counts: { kept: 298, renumbered: 68, restored: 1, changed: 1, added: 1, retired: 1 },
      total: 369,
    });
    const after = byNumber(await provisionsOf(fulton.slug));
    expect(after.get(301)).toBe(ids.get(300));
    expect(after.get(300)).toBeUndefined();
    expect(after.get(1)).toBe(ids.get(1));
    // ¶ 50's text is back as the decree has it: the same row, changed again.
    expect(after.get(50)).toBe(ids.get(50));
    expect((await get<Provision>(`/api/v1/matters/${fulton.slug}/provisions/301`)).id).toBe(ids.get(300));
    const back = await get<Provision>(`/api/v1/matters/${fulton.slug}/provisions/370`);
    expect(back).toMatchObject({
      id: ids.get(369),
      retiredAt: null,
      ratings: [{ rationale: "Rated ¶ 369" }],
    });
  });

  it("shows monitors only their matters' provisions, parses and deadlines, and anonymous visitors only public ones", async () => {
    const m = as("monitor");
    const fultonId = ids.get(46)!;
    for (const url of [
      `/api/v1/matters/${fulton.slug}/provisions`,
      `/api/v1/matters/${fulton.slug}/provisions/46`,
      `/api/v1/provisions/${fultonId}`,
      `/api/v1/provisions/${fultonId}/similar`,
      `/api/v1/matters/${fulton.slug}/deadlines`,
      `/api/v1/matters/${fulton.slug}/parses`,
      `/api/v1/parses/${parse.id}`,
    ]) {
      const res = await t.app.inject({ url, headers: m });
      expect(res.statusCode, url).toBe(404);
    }
    const mine = await get<{ items: ProvisionListItem[] }>("/api/v1/provisions?limit=500", m);
    expect(mine.items.map((p) => p.matter.id).every((id) => id === other.id)).toBe(true);
    expect(mine.items).toHaveLength(4);
    const theirs = await get<{ items: unknown[] }>(`/api/v1/provisions/${mine.items[1]!.id}/similar`, m);
    expect(theirs.items).toEqual([]);
    expect((await get<{ items: unknown[] }>("/api/v1/deadlines", m)).items).toEqual([]);
    const search = await get<{ items: { type: string; matter: { id: string } }[] }>(
      "/api/v1/search?q=taser&type=provision",
      m,
    );
    expect(search.items.map((h) => h.matter.id)).toEqual([other.id]);
    // Monitors do not write.
    expect((await send("POST", `/api/v1/documents/${decreeId}/parse`, undefined, m)).statusCode).toBe(403);
    // Anonymous visitors (public reading on) see the public matter's provisions only.
    expect((await t.anonymous(`/api/v1/matters/${other.slug}/provisions`)).statusCode).toBe(200);
    expect((await t.anonymous(`/api/v1/matters/${fulton.slug}/provisions`)).statusCode).toBe(404);
    expect((await t.anonymous(`/api/v1/provisions/${fultonId}`)).statusCode).toBe(404);
    const open = (await t.anonymous("/api/v1/provisions?limit=500")).json();
    expect(open.items.every((p: ProvisionListItem) => p.matter.id === other.id)).toBe(true);
  });

  it("finds provisions in the global search, with the provision type facet", async () => {
    const res = await get<{
      items: { type: string; id: string; title: string; documentId: string; page: number }[];
      facets: { type: { value: string; count: number }[] };
    }>(`/api/v1/search?q=${encodeURIComponent('"discharge Tasers only"')}&type=provision`);
    const p136 = await get<Provision>(`/api/v1/provisions/${ids.get(136)}`);
    expect(res.items.find((h) => h.id === p136.id)).toMatchObject({
      type: "provision",
      title: "VI. Use of Force › B. Tasers › ¶ 136",
      documentId: decreeId,
      page: p136.page,
    });
    expect(res.items.every((h) => h.type === "provision")).toBe(true);
    expect(res.facets.type).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: "provision", label: "Provisions" })]),
    );
  });
});
