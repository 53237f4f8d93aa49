import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../src/db/sql.js";
import {
  buildAgency,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
} from "./helpers.js";
import { seeded } from "./seeded.js";

// An edit rewrites a matter's search text only when it changes what the text is made of (the
// title, case number, place or agencies). Held here, through random edits of random fields, to the
// text computed afresh from the matters' current facts: a skipped rewrite never leaves it stale.

const r = seeded(20261207);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const WORDS = ["Dayton", "canine", "use of force", "Akron", "bias-free", "Reno", "training", "Norman"];

let t: TestApp;
const places: string[] = [];
const agencies: string[] = [];
const matters: { id: string; version: number }[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  for (const [name, stateCode] of [
    ["Dayton", "OH"],
    ["Tulsa", "OK"],
    ["Reno", "NV"],
  ] as const)
    places.push((await buildJurisdiction(t.app, { name, stateCode })).id);
  for (const [i, name] of ["Police Department", "Sheriff's Office", "Jail Authority"].entries())
    agencies.push((await buildAgency(t.app, { jurisdictionId: places[i]!, name })).id);
  for (let i = 0; i < 8; i++) {
    const m = await buildMatter(t.app, {
      title: `Matter ${pick(WORDS)} ${i}`,
      caseNumber: r() < 0.5 ? null : `1:${i}-cv-${100 + i}`,
      jurisdictionId: pick(places),
      agencyIds: agencies.filter(() => r() < 0.4),
    });
    matters.push({ id: m.id, version: m.version });
  }
});
afterAll(async () => {
  await t?.close();
});

/** A random change: a few of the fields, those the search text is made of or not. */
function randomChange(): Record<string, unknown> {
  const change: Record<string, unknown> = {};
  const fields: [string, () => unknown][] = [
    ["title", () => `${pick(WORDS)} matter ${Math.floor(r() * 1000)}`],
    ["caseNumber", () => (r() < 0.3 ? null : `2:${Math.floor(r() * 99)}-cr-${Math.floor(r() * 999)}`)],
    ["jurisdictionId", () => pick(places)],
    ["agencyIds", () => agencies.filter(() => r() < 0.5)],
    ["statusNote", () => `note ${pick(WORDS)}`],
    ["summary", () => `A summary about ${pick(WORDS)}`],
    ["openedOn", () => `20${10 + Math.floor(r() * 15)}`],
  ];
  for (const [field, value] of fields) if (r() < 0.3) change[field] = value();
  if (Object.keys(change).length === 0) change.statusNote = `note ${Math.floor(r() * 1e6)}`;
  return change;
}

describe(`a matter's search text through edits (${ENGINE})`, () => {
  it("is always the text made afresh from the title, case number, place and agencies", async () => {
    for (let round = 0; round < 40; round++) {
      const m = pick(matters);
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/matters/${m.id}`,
        headers: { "if-match": `"${m.version}"` },
        payload: randomChange(),
      });
      expect(res.statusCode, res.body).toBe(200);
      m.version = res.json().version;
      const rows = await queryRows<{ id: string; stored: string; fresh: string }>(
        t.database.db,
        sql`select m.id, m.search_text as stored, concat_ws(' ', m.title, m.case_number, j.name, j.state_code,
              (select string_agg(a.name, ' ' order by ma.position) from matter_agencies ma
                join agencies a on a.id = ma.agency_id where ma.matter_id = m.id)) as fresh
            from matters m join jurisdictions j on j.id = m.jurisdiction_id
            where m.id in (${sql.join(
              matters.map((x) => sql`${x.id}::uuid`),
              sql`, `,
            )})`,
      );
      expect(rows).toHaveLength(matters.length);
      for (const row of rows) expect(row.stored, `round ${round}`).toBe(row.fresh);
    }
  });
});
