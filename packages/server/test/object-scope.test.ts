import { ROLES, type Role } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, queryRows } from "../src/db/sql.js";
import { buildMatter, buildTestApp, ENGINE, monitorIfMatch, type TestApp } from "./helpers.js";

/**
 * Z4 (records by id outside the caller's scope; re-parenting), Z5 (fields a caller may not set;
 * what each role sees of the same record) and L6 (a deactivated actor's name kept), on one app.
 * A monitor reads and rates only the matters assigned to them; viewers read no review drafts.
 */

let t: TestApp;
const tokens = {} as Record<Role, string>;
const as = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });
type Matter = { id: string; slug: string; version: number };
let mine: Matter;
let other: Matter;
let provision: { mine: string; other: string };
let period: { mine: { id: string; version: number }; other: { id: string; version: number } };
let draftReviewId: string;
let submittedReviewId: string;

const SECRET_TEXT = "Unassigned paragraph nobody outside may read";
const SECRET_RATIONALE = "Rationale of the unassigned matter";

async function ok(method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: method as "POST",
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`);
  return res;
}

/** A provision of the matter, inserted as an accepted parse would leave it. */
async function insertProvision(matterId: string, text: string) {
  const row = await queryOne<{ id: string }>(
    t.database.db,
    sql`insert into provisions (matter_id, number, label, path, text, position, depth)
        values (${matterId}, 1, '¶ 1', '¶ 1', ${text}, 1, 0) returning id`,
  );
  return row!.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  for (const role of ROLES) tokens[role] = await t.tokenFor(role, `z4-${role}`);
  mine = await buildMatter(t.app, { title: "Assigned decree" });
  other = await buildMatter(t.app, { title: "Unassigned decree" });
  await ok(
    "PUT",
    `/api/v1/matters/${mine.slug}/assignments/z4-monitor`,
    undefined,
    await monitorIfMatch(t.app, "z4-monitor"),
  );
  provision = {
    mine: await insertProvision(mine.id, "Assigned paragraph"),
    other: await insertProvision(other.id, SECRET_TEXT),
  };
  const p1 = (
    await ok("POST", `/api/v1/matters/${mine.slug}/periods`, { label: "P1", endsOn: "2024-06-30" })
  ).json();
  const p2 = (
    await ok("POST", `/api/v1/matters/${other.slug}/periods`, { label: "P1", endsOn: "2024-06-30" })
  ).json();
  period = { mine: p1, other: p2 };
  await ok(
    "PUT",
    `/api/v1/provisions/${provision.other}/ratings/${p2.id}/monitor`,
    {
      level: "full",
      rationale: SECRET_RATIONALE,
    },
    { "if-match": '"0"' },
  );
  // A review cycle over both matters: one review stays a draft, the other is submitted.
  const cycle = await ok("POST", "/api/v1/review-cycles", {
    slug: "z4-cycle",
    name: "Scope review",
    scope: { kinds: ["consent_decree"], statuses: [] },
    criteria: [{ code: "1", title: "Complies" }],
  });
  await ok("POST", "/api/v1/review-cycles/z4-cycle/start", undefined, {
    "if-match": cycle.headers.etag as string,
  });
  const reviews = (await ok("GET", "/api/v1/reviews?cycle=z4-cycle")).json().items as {
    id: string;
    matter: { id: string };
  }[];
  draftReviewId = reviews.find((r) => r.matter.id === mine.id)!.id;
  submittedReviewId = reviews.find((r) => r.matter.id === other.id)!.id;
  await ok("POST", "/api/v1/reviews/assign", {
    assignee: "z4-reviewer",
    reviewIds: [draftReviewId, submittedReviewId],
  });
  const review = (await ok("GET", `/api/v1/reviews/${submittedReviewId}`)).json();
  const drafted = await ok(
    "PATCH",
    `/api/v1/reviews/${submittedReviewId}`,
    {
      findings: { "1": { rating: "neutral" } },
      recommendation: "retain",
      recommendationRationale: "Working",
    },
    { ...as("reviewer"), "if-match": `"${review.version}"` },
  );
  await ok(
    "POST",
    `/api/v1/reviews/${submittedReviewId}/submit`,
    {},
    {
      ...as("reviewer"),
      "if-match": drafted.headers.etag as string,
    },
  );
  expect((await ok("GET", `/api/v1/reviews/${submittedReviewId}`)).json().status).toBe("submitted");
});
afterAll(async () => {
  await t?.close();
});

describe(`Z4: records by id outside the caller's scope (${ENGINE})`, () => {
  it("Z4: a monitor gets 404 for a provision, its ratings and its matter's assessments outside the assignment", async () => {
    const urls = [
      `/api/v1/provisions/${provision.other}`,
      `/api/v1/provisions/${provision.other}/similar`,
      `/api/v1/matters/${other.slug}/assessments`,
      `/api/v1/matters/${other.slug}/compliance`,
      `/api/v1/matters/${other.slug}/periods`,
      `/api/v1/matters/${other.slug}/provisions`,
      `/api/v1/matters/${other.slug}/compliance-scale`,
    ];
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: as("monitor") });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
      expect(res.body).not.toContain(SECRET_TEXT);
      expect(res.body).not.toContain(SECRET_RATIONALE);
      // The same reads of the assigned matter answer.
      const own = await t.app.inject({
        url: url.replace(provision.other, provision.mine).replace(other.slug, mine.slug),
        headers: as("monitor"),
      });
      expect(own.statusCode, url).toBe(200);
    }
    // Exports hold nothing of the other matter either.
    for (const url of ["/api/v1/matters.csv", "/api/v1/grants/at-risk.csv"]) {
      const res = await t.app.inject({ url, headers: as("monitor") });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(other.slug);
      expect(res.body, url).not.toContain("Unassigned decree");
    }
    expect((await t.app.inject({ url: "/api/v1/matters.csv", headers: as("monitor") })).body).toContain(
      mine.slug,
    );
    // Lists of everything hold nothing of the other matter.
    for (const url of [
      "/api/v1/provisions",
      "/api/v1/compliance",
      `/api/v1/search?q=${encodeURIComponent("unassigned paragraph")}`,
    ]) {
      const res = await t.app.inject({ url, headers: as("monitor") });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(provision.other);
      expect(res.body, url).not.toContain(other.id);
      expect(res.body, url).not.toContain(SECRET_TEXT);
    }
  });

  it("Z4: a monitor gets 404 for the audit entries of a matter outside the assignment, and 403 for the audit log", async () => {
    const history = await t.app.inject({
      url: `/api/v1/history/matter/${other.slug}`,
      headers: as("monitor"),
    });
    expect(history.statusCode).toBe(404);
    expect(history.body).not.toContain("Unassigned decree");
    const byId = await t.app.inject({ url: `/api/v1/history/matter/${other.id}`, headers: as("monitor") });
    expect(byId.statusCode).toBe(404);
    for (const url of [`/api/v1/audit?entityId=${other.id}`, "/api/v1/audit.csv", "/api/v1/audit/facets"]) {
      const res = await t.app.inject({ url, headers: as("monitor") });
      expect(res.statusCode, url).toBe(403);
      expect(res.body).not.toContain(other.id);
    }
  });

  it("Z4: a viewer gets 404 for a review draft by id (and its report and history), but reads a submitted one", async () => {
    for (const url of [`/api/v1/reviews/${draftReviewId}`, `/api/v1/reviews/${draftReviewId}/report.pdf`]) {
      const res = await t.app.inject({ url, headers: as("viewer") });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
      expect(res.body).not.toContain("Assigned decree");
    }
    expect(
      (await t.app.inject({ url: `/api/v1/reviews/${draftReviewId}/history`, headers: as("viewer") }))
        .statusCode,
    ).toBe(403);
    const list = (
      await t.app.inject({ url: "/api/v1/reviews?cycle=z4-cycle", headers: as("viewer") })
    ).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([submittedReviewId]);
    expect(
      (await t.app.inject({ url: `/api/v1/reviews/${submittedReviewId}`, headers: as("viewer") })).statusCode,
    ).toBe(200);
    // A monitor takes no part in reviews at all.
    expect(
      (await t.app.inject({ url: `/api/v1/reviews/${submittedReviewId}`, headers: as("monitor") }))
        .statusCode,
    ).toBe(403);
  });

  it("Z4: a monitor's writes to records outside the assignment are 404 and change nothing", async () => {
    const before = await queryRows(t.database.db, sql`select * from assessments order by id`);
    const rate = await t.app.inject({
      method: "PUT",
      url: `/api/v1/provisions/${provision.other}/ratings/${period.other.id}/monitor`,
      headers: { ...as("monitor"), "if-match": '"1"' },
      payload: { level: "none", rationale: "overwritten" },
    });
    expect(rate.statusCode, rate.body).toBe(404);
    const unrate = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/provisions/${provision.other}/ratings/${period.other.id}/monitor`,
      headers: { ...as("monitor"), "if-match": '"1"' },
    });
    expect(unrate.statusCode).toBe(404);
    const patch = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/periods/${period.other.id}`,
      headers: { ...as("monitor"), "if-match": `"${period.other.version}"` },
      payload: { label: "Renamed" },
    });
    expect(patch.statusCode).toBe(404);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/periods/${period.other.id}`,
      headers: { ...as("monitor"), "if-match": `"${period.other.version}"` },
    });
    expect(del.statusCode).toBe(404);
    expect(await queryRows(t.database.db, sql`select * from assessments order by id`)).toEqual(before);
    const periods = (await ok("GET", `/api/v1/matters/${other.slug}/periods`)).json();
    expect(periods.items.map((p: { label: string }) => p.label)).toEqual(["P1"]);
  });

  it("Z4: a PATCH that names another parent (re-parenting) is refused and the record is unchanged", async () => {
    const cases: { url: string; payload: Record<string, unknown>; version: number; role: Role }[] = [
      {
        url: `/api/v1/periods/${period.mine.id}`,
        payload: { matterId: other.id },
        version: period.mine.version,
        role: "monitor",
      },
      {
        url: `/api/v1/periods/${period.mine.id}`,
        payload: { matter: other.slug },
        version: period.mine.version,
        role: "admin",
      },
      {
        url: `/api/v1/reviews/${draftReviewId}`,
        payload: { matterId: other.id },
        version: 1,
        role: "reviewer",
      },
      { url: `/api/v1/reviews/${draftReviewId}`, payload: { cycleId: other.id }, version: 1, role: "admin" },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: "PATCH",
        url: c.url,
        headers: { ...as(c.role), "if-match": `"${c.version}"` },
        payload: c.payload,
      });
      expect(res.statusCode, `${c.role} ${c.url} ${JSON.stringify(c.payload)}: ${res.body}`).toBe(400);
      expect(res.body).toContain(Object.keys(c.payload)[0]);
    }
    const stored = await queryOne<{ matterId: string }>(
      t.database.db,
      sql`select matter_id as "matterId" from reporting_periods where id = ${period.mine.id}`,
    );
    expect(stored?.matterId).toBe(mine.id);
    const review = (await ok("GET", `/api/v1/reviews/${draftReviewId}`)).json();
    expect(review.matter.id).toBe(mine.id);
  });
});

/** Every key of a JSON value, as dotted paths (array items as []), sorted. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))].sort();
  if (value && typeof value === "object")
    return Object.entries(value)
      .flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)])
      .sort();
  return [];
}

/** Key names that would be a credential or a second factor's secret, wherever they appear. */
const SECRET_KEY = /password(hash)?$|hash$|secret|mfa|totpSecret|recovery|token$|sessionId|cookie/i;

describe(`Z5: fields a caller may not set, and what each role sees (${ENGINE})`, () => {
  const session = async (role: Role) =>
    (await t.app.inject({ url: "/api/v1/session", headers: as(role) })).json();

  it("Z5: a user PATCHing their own role is refused (403 without users:manage; 409 for an administrator)", async () => {
    for (const role of ROLES.filter((r) => r !== "admin")) {
      const me = (await session(role)).user;
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/users/${me.id}`,
        headers: { ...as(role), "if-match": '"1"' },
        payload: { role: "admin" },
      });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(403);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect((await session(role)).user.role).toBe(role);
    }
    const admin = (await session("admin")).user;
    const user = await t.app.inject({ url: `/api/v1/users/${admin.id}`, headers: as("admin") });
    const demote = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${admin.id}`,
      headers: { ...as("admin"), "if-match": user.headers.etag as string },
      payload: { role: "viewer" },
    });
    expect(demote.statusCode, demote.body).toBe(409);
    expect(demote.json().code).toBe("cannot_change_self");
    expect((await session("admin")).user.role).toBe("admin");
  });

  it("Z5: id, username, version and timestamps are no fields of a user's PATCH (400, unchanged)", async () => {
    const reviewer = (await session("reviewer")).user;
    const before = (await ok("GET", `/api/v1/users/${reviewer.id}`)).json();
    for (const payload of [
      { id: (await session("viewer")).user.id },
      { username: "someone-else" },
      { version: 999 },
      { createdAt: "2000-01-01T00:00:00Z" },
      { passwordHash: "x" },
      { role: "admin", id: reviewer.id },
    ]) {
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/users/${reviewer.id}`,
        headers: { "if-match": `"${before.version}"` },
        payload,
      });
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(400);
      // Unknown keys are named in the message ("id: not a field here").
      expect(
        res
          .json()
          .errors.map((e: { message: string }) => e.message)
          .join(" "),
      ).toContain(`${Object.keys(payload).find((k) => k !== "role")}: not a field here`);
    }
    expect((await ok("GET", `/api/v1/users/${reviewer.id}`)).json()).toEqual(before);
  });

  it("Z5: a forbidden write is 403 and changes nothing (a viewer rating, a monitor editing a matter)", async () => {
    const before = (await ok("GET", `/api/v1/matters/${mine.slug}/assessments`)).body;
    const rate = await t.app.inject({
      method: "PUT",
      url: `/api/v1/provisions/${provision.mine}/ratings/${period.mine.id}/monitor`,
      headers: { ...as("viewer"), "if-match": '"0"' },
      payload: { level: "full" },
    });
    expect(rate.statusCode).toBe(403);
    const edit = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/matters/${mine.slug}`,
      headers: { ...as("monitor"), "if-match": `"${mine.version}"` },
      payload: { title: "Renamed by a monitor" },
    });
    expect(edit.statusCode).toBe(403);
    expect((await ok("GET", `/api/v1/matters/${mine.slug}/assessments`)).body).toBe(before);
    expect((await ok("GET", `/api/v1/matters/${mine.slug}`)).json().title).toBe("Assigned decree");
  });

  it("Z5: each role sees the same keys of a matter, a provision and a submitted review; none a secret", async () => {
    const reads: Record<string, Partial<Record<Role, string[]>>> = {};
    const records = {
      matter: `/api/v1/matters/${mine.slug}`,
      provision: `/api/v1/provisions/${provision.mine}`,
      review: `/api/v1/reviews/${submittedReviewId}`,
      session: "/api/v1/session",
    };
    for (const [record, url] of Object.entries(records)) {
      reads[record] = {};
      for (const role of ROLES) {
        const res = await t.app.inject({ url, headers: as(role) });
        if (res.statusCode !== 200) continue;
        const keys = keyPaths(res.json());
        // The session's own anti-CSRF proof is the one token a reply carries (null for API tokens).
        const secrets = keys.filter((k) => SECRET_KEY.test(k.split(".").pop() ?? "") && k !== "csrfToken");
        expect(secrets, `${role} ${record}`).toEqual([]);
        reads[record]![role] = keys;
      }
    }
    // Who may read each: the policy's readers (monitors take no part in reviews).
    expect(Object.keys(reads.matter!)).toEqual([...ROLES]);
    expect(Object.keys(reads.provision!)).toEqual([...ROLES]);
    expect(Object.keys(reads.review!)).toEqual(["admin", "approver", "reviewer", "viewer"]);
    // A record shows the same fields to every role that may read it.
    for (const record of ["matter", "provision", "review", "session"]) {
      const sets = Object.values(reads[record]!).map((k) => JSON.stringify(k));
      expect(new Set(sets).size, record).toBe(1);
    }
    // The session names the caller, never how they sign in.
    expect(reads.session!.viewer).toEqual(expect.arrayContaining(["user.id", "user.role", "permissions"]));
  });
});

describe(`L6: a deactivated user's name stays on what they did (${ENGINE})`, () => {
  it("L6: after deactivation their audit entries and the record's history still name them", async () => {
    const token = await t.tokenFor("reviewer", "l6-leaver");
    const made = await t.app.inject({
      method: "POST",
      url: "/api/v1/matters",
      headers: { authorization: `Bearer ${token}` },
      payload: {
        slug: "l6-matter",
        kind: "consent_decree",
        status: "active",
        title: "Made by someone who left",
        jurisdictionId: (await ok("GET", `/api/v1/matters/${mine.slug}`)).json().jurisdiction.id,
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const edited = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/matters/l6-matter",
      headers: { authorization: `Bearer ${token}`, "if-match": made.headers.etag as string },
      payload: { title: "Edited by someone who left" },
    });
    expect(edited.statusCode).toBe(200);
    const user = await ok("GET", "/api/v1/users/l6-leaver");
    await ok(
      "PATCH",
      "/api/v1/users/l6-leaver",
      { active: false },
      { "if-match": user.headers.etag as string },
    );
    // Their token no longer works, and nothing they did is gone or renamed.
    expect(
      (await t.anonymous({ url: "/api/v1/session", headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    const history = (await ok("GET", "/api/v1/history/matter/l6-matter")).json();
    const mineOnly = history.items.filter((e: { action: string }) =>
      /MATTER_(CREATED|UPDATED)/.test(e.action),
    );
    expect(mineOnly.map((e: { actor: string }) => e.actor)).toEqual(["l6-leaver", "l6-leaver"]);
    const log = (await ok("GET", "/api/v1/audit?actor=l6-leaver")).json();
    expect(log.items.length).toBeGreaterThanOrEqual(2);
    for (const e of log.items) expect(e.actor).toBe("l6-leaver");
    const csv = (await ok("GET", "/api/v1/audit.csv?actor=l6-leaver")).body;
    expect(csv.split("\n").filter((line) => line.includes("l6-leaver")).length).toBeGreaterThanOrEqual(2);
    // The user is listed, inactive, for the administrator to find.
    const listed = (await ok("GET", "/api/v1/users"))
      .json()
      .items.find((u: { username: string }) => u.username === "l6-leaver");
    expect(listed).toMatchObject({ active: false, role: "reviewer" });
  });
});
