import {
  AGREEMENT_KINDS,
  AS_OF_RULES,
  type Dashboard,
  EVENT_KINDS,
  MATTER_KINDS,
  type MatterKind,
  statusesFor,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { ALL, PUBLIC, type ReadScope } from "../src/context/read-scope.js";
import { queryRows } from "../src/db/sql.js";
import { getDashboard } from "../src/modules/dashboard/queries.js";
import { statusAsOfLateral } from "../src/modules/matters/as-of.js";
import {
  buildAgency,
  buildEvent,
  buildJurisdiction,
  buildMatter,
  buildTestApp,
  ENGINE,
  type TestApp,
} from "./helpers.js";
import { seeded } from "./seeded.js";

// The dashboard as of a day reads each matter's kind, place and dates from the copies its status
// spans carry. Here it is held, over random registries, days and edits, to the figures counted
// straight from the matters and their facts (statusAsOfLateral: no span read at all).

const TODAY = "2026-12-07";
const FIRST_YEAR = 1994;

const r = seeded(20261207);
const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const pad = (n: number) => String(n).padStart(2, "0");
/** A partial date (a year, a month or a day), as records hold them. */
const partialDate = () => {
  const y = String(int(1995, 2026));
  const shape = r();
  return shape < 0.3
    ? y
    : shape < 0.55
      ? `${y}-${pad(int(1, 12))}`
      : `${y}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
};
const maybeDate = () => (r() < 0.4 ? null : partialDate());
/** The event kinds that move some kind of matter's status, and hearings, which move none. */
const EVENT_CHOICES = [
  ...EVENT_KINDS.filter((e) => MATTER_KINDS.some((k) => AS_OF_RULES[k].events[e])),
  "hearing" as const,
];

let t: TestApp;
const places: { id: string; stateCode: string }[] = [];
const agencyIds: string[] = [];
const matters: { id: string; version: number }[] = [];

async function addEvent(matterId: string) {
  return buildEvent(t.app, { matterId, kind: pick(EVENT_CHOICES), date: partialDate(), title: "Event" });
}

beforeAll(async () => {
  t = await buildTestApp({ clock: () => new Date(`${TODAY}T12:00:00Z`) });
  for (const [name, stateCode] of [
    ["Dayton", "OH"],
    ["Akron", "OH"],
    ["Tulsa", "OK"],
    ["Norman", "OK"],
    ["Reno", "NV"],
  ] as const)
    places.push({ ...(await buildJurisdiction(t.app, { name, stateCode })), stateCode });
  for (const p of places.slice(0, 3))
    agencyIds.push((await buildAgency(t.app, { jurisdictionId: p.id, name: "Police Department" })).id);
  for (let i = 0; i < 30; i++) {
    const kind: MatterKind = pick(MATTER_KINDS);
    const m = await buildMatter(t.app, {
      kind,
      status: pick(statusesFor(kind)),
      title: `Matter ${i}`,
      jurisdictionId: pick(places).id,
      agencyIds: agencyIds.filter(() => r() < 0.3),
      openedOn: maybeDate(),
      findingsOn: maybeDate(),
      agreementOn: maybeDate(),
      enteredOn: maybeDate(),
      endedOn: maybeDate(),
    });
    matters.push({ id: m.id, version: m.version });
    for (let k = int(0, 3); k > 0; k--) await addEvent(m.id);
  }
  await t.database.db.execute(
    sql`update matters set public = true where id in (${sql.join(
      matters.filter(() => r() < 0.5).map((m) => sql`${m.id}::uuid`),
      sql`, `,
    )})`,
  );
});
afterAll(async () => {
  await t?.close();
});

type Figures = Pick<Dashboard, "byKind" | "byStatus" | "perYear" | "byState"> & {
  matters: number;
  jurisdictions: number;
  agencies: number;
};

/** The dashboard's matter figures of the day, counted one matter at a time from the matters' facts. */
async function expected(day: string, scope: ReadScope): Promise<Figures> {
  const db = t.database.db;
  const rows = await queryRows<{
    id: string;
    kind: MatterKind;
    status: string;
    jurisdictionId: string;
    stateCode: string;
    slug: string;
    name: string;
    openedOn: string | null;
    agreementOn: string | null;
    enteredOn: string | null;
    endedOn: string | null;
  }>(
    db,
    sql`select m.id, m.kind, sa.status, m.jurisdiction_id as "jurisdictionId", j.state_code as "stateCode", j.slug, j.name,
          m.opened_on as "openedOn", m.agreement_on as "agreementOn", m.entered_on as "enteredOn", m.ended_on as "endedOn"
        from matters m join jurisdictions j on j.id = m.jurisdiction_id ${statusAsOfLateral(sql`${day}`)}
        where sa.begun${scope.kind === "public" ? sql` and m.public` : sql``}`,
  );
  const links = await queryRows<{ matterId: string; agencyId: string }>(
    db,
    sql`select matter_id as "matterId", agency_id as "agencyId" from matter_agencies`,
  );
  const ids = new Set(rows.map((m) => m.id));
  const tally = <K extends string>(key: K, values: string[]) => {
    const n = new Map<string, number>();
    for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
    return [...n].map(([v, count]) => ({ [key]: v, count }) as Record<K, string> & { count: number });
  };
  const isAgreement = (k: MatterKind) => AGREEMENT_KINDS.includes(k);
  const year = (d: string | null) => (d !== null && d <= day ? Number(d.slice(0, 4)) : null);
  const perYear: Dashboard["perYear"] = [];
  for (let y = FIRST_YEAR; y <= Number(day.slice(0, 4)); y++)
    perYear.push({
      year: y,
      opened: rows.filter((m) => !isAgreement(m.kind) && year(m.openedOn) === y).length,
      entered: rows.filter((m) => isAgreement(m.kind) && year(m.enteredOn ?? m.agreementOn) === y).length,
      terminated: rows.filter((m) => isAgreement(m.kind) && year(m.endedOn) === y).length,
    });
  const byState = [...new Set(rows.map((m) => m.stateCode))].map((stateCode) => {
    const here = rows.filter((m) => m.stateCode === stateCode);
    const jurisdictions = [...new Set(here.map((m) => m.slug))].map((slug) => {
      const of = here.filter((m) => m.slug === slug);
      return { slug, name: of[0]!.name, count: of.length };
    });
    return {
      stateCode,
      count: here.length,
      statuses: tally(
        "status",
        here.map((m) => m.status),
      ),
      jurisdictions,
    };
  });
  return {
    matters: rows.length,
    jurisdictions: new Set(rows.map((m) => m.jurisdictionId)).size,
    agencies: new Set(links.filter((l) => ids.has(l.matterId)).map((l) => l.agencyId)).size,
    byKind: tally(
      "kind",
      rows.map((m) => m.kind),
    ) as Dashboard["byKind"],
    byStatus: tally(
      "status",
      rows.map((m) => m.status),
    ) as Dashboard["byStatus"],
    perYear,
    byState: byState as Dashboard["byState"],
  };
}

/** The same figures from the dashboard itself, as it answers them (no read cache). */
async function answered(day: string, scope: ReadScope): Promise<Figures> {
  const d = await getDashboard({ ...systemContext(t.database.db, "test"), scope }, TODAY, day);
  return {
    matters: d.totals.matters,
    jurisdictions: d.totals.jurisdictions,
    agencies: d.totals.agencies,
    byKind: d.byKind,
    byStatus: d.byStatus,
    perYear: d.perYear,
    byState: d.byState,
  };
}

/** Rows in one order (the dashboard's order of equal counts follows the database's collation). */
const canonical = (f: Figures) => {
  const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return {
    ...f,
    byKind: sorted(f.byKind),
    byStatus: sorted(f.byStatus),
    byState: sorted(
      f.byState.map((s) => ({ ...s, statuses: sorted(s.statuses), jurisdictions: sorted(s.jurisdictions) })),
    ),
  };
};

/** Days to look at: random ones, and days on which some status changes, the day before them. */
async function someDays(): Promise<string[]> {
  const facts = await queryRows<{ date: string }>(
    t.database.db,
    sql`select date from events union select unnest(array[opened_on, findings_on, agreement_on, entered_on, ended_on])
        from matters`,
  );
  const days: string[] = [];
  for (let i = 0; i < 4; i++) days.push(`${int(1994, 2027)}-${pad(int(1, 12))}-${pad(int(1, 28))}`);
  for (let i = 0; i < 4; i++) {
    const d = pick(facts.map((f) => f.date).filter(Boolean));
    const first = `${d}${"-01-01".slice(d.length - 4)}`;
    const last = `${d}${"-12-31".slice(d.length - 4)}`.replace(/-(02|04|06|09|11)-31$/, "-$1-28");
    const before = new Date(Date.parse(first) - 86_400_000).toISOString().slice(0, 10);
    days.push(first, last, before);
  }
  return days;
}

async function patchMatter(i: number, changes: Record<string, unknown>) {
  const m = matters[i]!;
  const res = await t.app.inject({
    method: "PATCH",
    url: `/api/v1/matters/${m.id}`,
    headers: { "if-match": `"${m.version}"` },
    payload: changes,
  });
  expect(res.statusCode, res.body).toBe(200);
  m.version = res.json().version;
}

describe(`the dashboard as of a day against the matters' own facts (${ENGINE})`, () => {
  it("gives the figures counted from the facts, on random days, through random edits", async () => {
    const db = t.database.db;
    for (let round = 0; round < 4; round++) {
      for (const day of await someDays())
        for (const scope of [ALL, PUBLIC]) {
          const got = await answered(day, scope);
          expect(canonical(got), `${day} ${scope.kind} round ${round}`).toEqual(
            canonical(await expected(day, scope)),
          );
          // Most first.
          for (const list of [got.byKind, got.byStatus])
            expect(list.map((x) => x.count)).toEqual([...list.map((x) => x.count)].sort((a, b) => b - a));
        }
      // Edits of the columns the spans carry (place, kind, dates), of the status, and of events.
      for (let k = 0; k < 6; k++) {
        const i = int(0, matters.length - 1);
        const id = matters[i]!.id;
        switch (k % 6) {
          case 0:
            await patchMatter(i, { jurisdictionId: pick(places).id });
            break;
          case 1:
            await patchMatter(i, { openedOn: maybeDate(), endedOn: maybeDate() });
            break;
          case 2:
            await patchMatter(i, { enteredOn: maybeDate(), agreementOn: maybeDate() });
            break;
          case 3: {
            // What no command would do: another kind with another status, straight in the table.
            const kind: MatterKind = pick(MATTER_KINDS);
            await db.execute(
              sql`update matters set kind = ${kind}, status = ${pick(statusesFor(kind))} where id = ${id}`,
            );
            break;
          }
          case 4:
            await db.execute(sql`update matters set jurisdiction_id = ${pick(places).id} where id = ${id}`);
            break;
          case 5:
            await addEvent(id);
            await db.execute(
              sql`delete from events where id = (select id from events where matter_id = ${id} order by slug limit 1)`,
            );
            break;
        }
      }
    }
  });
});
