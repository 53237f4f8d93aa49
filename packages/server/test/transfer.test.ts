import type { BundleInput } from "@accord/domain";
import { BundleSchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../src/context/app-error.js";
import { systemContext } from "../src/context/command-context.js";
import type { Database } from "../src/db/open.js";
import { queryOne, queryRows } from "../src/db/sql.js";
import {
  exportBundle,
  importBundle,
  parseBundle,
  parseMattersCsv,
  serializeBundle,
} from "../src/modules/transfer/index.js";
import { ENGINE, openTestDatabase } from "./helpers.js";

const open: Database[] = [];
async function freshDb() {
  const d = await openTestDatabase();
  open.push(d);
  return d;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const ctx = (d: Database) => systemContext(d.db, "test");

const sample: BundleInput = {
  format: "accord-bundle",
  version: 1,
  jurisdictions: [
    {
      slug: "baltimore-md",
      name: "Baltimore",
      kind: "city",
      stateCode: "MD",
      sources: [{ citation: "Marshall Project" }],
    },
    { slug: "maryland", name: "Maryland", kind: "state", stateCode: "MD", fips: "24" },
  ],
  agencies: [
    {
      slug: "baltimore-police-department",
      name: "Baltimore Police Department",
      kind: "police",
      jurisdiction: "baltimore-md",
    },
  ],
  matters: [
    {
      slug: "bpd-investigation-2015",
      kind: "pattern_or_practice_investigation",
      status: "resolved_by_agreement",
      title: "Investigation of the Baltimore Police Department",
      jurisdiction: "baltimore-md",
      agencies: ["baltimore-police-department"],
      openedOn: "2015-05-08",
      findingsOn: "2016-08-10",
      related: [{ slug: "baltimore-bpd-2017", relation: "led_to" }],
      sources: [{ citation: "The Marshall Project, doj14141", note: "row: BALTIMORE POLICE DEPARTMENT" }],
    },
    {
      slug: "baltimore-bpd-2017",
      kind: "consent_decree",
      status: "partially_terminated",
      title: "Baltimore consent decree",
      jurisdiction: "baltimore-md",
      agencies: ["baltimore-police-department"],
      judge: "James K. Bredar",
      agreementOn: "2017-01-12",
      enteredOn: "2017-04-07",
      sources: [{ citation: "Baltimore Sun", url: "https://www.baltimoresun.com/x" }],
    },
  ],
  events: [
    {
      slug: "bpd-2017-entered",
      matter: "baltimore-bpd-2017",
      kind: "decree_entered",
      date: "2017-04-07",
      title: "Decree entered",
    },
    {
      slug: "sessions-memo",
      kind: "memo",
      date: "2017-03-31",
      title: "Review memo",
      actor: "AG Jeff Sessions",
    },
  ],
};

const count = async (d: Database, table: string) =>
  (await queryOne<{ n: number }>(d.db, sql`select count(*)::int as n from ${sql.raw(table)}`))!.n;

describe(`import and export (${ENGINE})`, () => {
  it("imports a bundle, and importing it again changes nothing", async () => {
    const d = await freshDb();
    const first = await importBundle(parseBundle(sample), ctx(d));
    expect(first.created).toEqual({ jurisdictions: 2, agencies: 1, matters: 2, events: 2 });
    // Imported rows are audited with the API's field names.
    const entry = await queryOne<{ after: Record<string, unknown> }>(
      d.db,
      sql`select after from audit_entries where action = 'MATTER_IMPORTED' and after->>'slug' = 'baltimore-bpd-2017'`,
    );
    expect(entry?.after).toMatchObject({
      slug: "baltimore-bpd-2017",
      enteredOn: "2017-04-07",
      judge: "James K. Bredar",
    });
    expect(Object.keys(entry!.after)).toContain("jurisdictionId");
    const versionsBefore = await queryOne<{ v: string }>(
      d.db,
      sql`select string_agg(slug || version, ',' order by slug) as v from matters`,
    );
    const audits = await count(d, "audit_entries");
    const second = await importBundle(parseBundle(sample), ctx(d));
    expect(second.created).toEqual({ jurisdictions: 0, agencies: 0, matters: 0, events: 0 });
    expect(second.updated).toEqual({ jurisdictions: 0, agencies: 0, matters: 0, events: 0 });
    expect(second.unchanged).toBe(7);
    expect(
      await queryOne(d.db, sql`select string_agg(slug || version, ',' order by slug) as v from matters`),
    ).toEqual(versionsBefore);
    expect(await count(d, "audit_entries")).toBe(audits);
  });

  it("updates a changed record and bumps only its version", async () => {
    const d = await freshDb();
    await importBundle(parseBundle(sample), ctx(d));
    const changed = structuredClone(sample);
    changed.matters![1]!.monitor = "Kenneth Thompson";
    const s = await importBundle(parseBundle(changed), ctx(d));
    expect(s.updated.matters).toBe(1);
    const row = await queryOne<{ version: number; monitor: string }>(
      d.db,
      sql`select version, monitor from matters where slug = 'baltimore-bpd-2017'`,
    );
    expect(row).toEqual({ version: 2, monitor: "Kenneth Thompson" });
  });

  it("audits what a re-imported record was before and what it is after", async () => {
    const d = await freshDb();
    await importBundle(parseBundle(sample), ctx(d));
    const changed = structuredClone(sample);
    changed.matters![1]!.monitor = "Kenneth Thompson";
    changed.matters![1]!.public = true;
    // The investigation's links alone change: it no longer led to the decree.
    changed.matters![0]!.related = [];
    await importBundle(parseBundle(changed), ctx(d));
    const entries = await queryRows<{
      slug: string;
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    }>(
      d.db,
      sql`select m.slug, a.before, a.after from audit_entries a join matters m on m.id = a.entity_id
          where a.action = 'MATTER_REIMPORTED' order by m.slug`,
    );
    expect(entries.map((e) => e.slug)).toEqual(["baltimore-bpd-2017", "bpd-investigation-2015"]);
    const [decree, investigation] = entries;
    expect(decree!.before).toMatchObject({ monitor: null, public: false, judge: "James K. Bredar" });
    expect(decree!.after).toMatchObject({
      monitor: "Kenneth Thompson",
      public: true,
      judge: "James K. Bredar",
    });
    expect(investigation!.before).toEqual({
      agencies: ["baltimore-police-department"],
      related: [{ slug: "baltimore-bpd-2017", relation: "led_to" }],
    });
    expect(investigation!.after).toEqual({ agencies: ["baltimore-police-department"], related: [] });
    // A record seen for the first time has no "before".
    const created = await queryOne<{ before: unknown }>(
      d.db,
      sql`select before from audit_entries where action = 'MATTER_IMPORTED' limit 1`,
    );
    expect(created?.before).toBeNull();
  });

  it("export → import into an empty database → export gives identical output", async () => {
    const a = await freshDb();
    await importBundle(parseBundle(sample), ctx(a));
    const first = serializeBundle(await exportBundle(ctx(a)));
    expect(BundleSchema.safeParse(JSON.parse(first)).success).toBe(true);
    const b = await freshDb();
    await importBundle(parseBundle(JSON.parse(first)), ctx(b));
    expect(serializeBundle(await exportBundle(ctx(b)))).toBe(first);
  });

  it("imports nothing when one record is bad, naming the record and the field", async () => {
    const d = await freshDb();
    const bad = structuredClone(sample);
    bad.events!.push({ slug: "broken", kind: "hearing", date: "2017-02-30", title: "Bad date" });
    expect(() => parseBundle(bad)).toThrowError(/events\.2\.date/);
    const missingRef = structuredClone(sample);
    missingRef.matters![0]!.agencies = ["no-such-agency"];
    const error = await importBundle(parseBundle(missingRef), ctx(d)).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.details.errors[0]).toEqual({
      path: "matters.0.agencies.0",
      message: 'No agency has the slug "no-such-agency"',
    });
    for (const table of ["jurisdictions", "agencies", "matters", "events", "audit_entries"])
      expect(await count(d, table)).toBe(0);
  });

  it("rolls back every row when the database refuses one mid-import", async () => {
    const d = await freshDb();
    // Fault injection: the database refuses one event halfway through the import.
    await d.db.execute(sql`alter table events add constraint refuse_one check (slug <> 'sessions-memo')`);
    await expect(importBundle(parseBundle(sample), ctx(d))).rejects.toThrow();
    for (const table of [
      "jurisdictions",
      "agencies",
      "matters",
      "matter_agencies",
      "events",
      "audit_entries",
    ]) {
      expect(await count(d, table)).toBe(0);
    }
  });

  it("imports matters from CSV and names the bad row and field", async () => {
    const d = await freshDb();
    await importBundle(parseBundle({ ...sample, matters: [], events: [] }), ctx(d));
    const header = "slug,kind,status,title,jurisdiction,agencies,openedOn";
    const good = `${header}\r\ncsv-one,consent_decree,active,"Decree, one",baltimore-md,baltimore-police-department,2001\r\n`;
    const s = await importBundle(parseMattersCsv(good), ctx(d));
    expect(s.created.matters).toBe(1);
    const bad = `${header}\ncsv-two,grant,awarded,Two,baltimore-md,,2002\ncsv-three,treaty,active,Three,baltimore-md,,2003\n`;
    const err = (() => {
      try {
        parseMattersCsv(bad);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err?.message).toMatch(/row 3, field kind/);
    expect(await count(d, "matters")).toBe(1);
  });
});
