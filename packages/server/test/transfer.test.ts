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
  parseAwardsCsv,
  parseBundle,
  parseConditionsCsv,
  parseCsvFile,
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

const NONE = {
  jurisdictions: 0,
  agencies: 0,
  matters: 0,
  events: 0,
  awards: 0,
  conditions: 0,
  programFacts: 0,
};

/** The sample with a grant: an award, a condition with its history, the lawsuit over it, a letter. */
const withGrants: BundleInput = {
  ...sample,
  matters: [
    ...sample.matters!,
    {
      slug: "baltimore-v-sessions",
      kind: "lawsuit",
      status: "in_litigation",
      title: "Baltimore v. Sessions",
      jurisdiction: "baltimore-md",
      court: "D. Md.",
      caseNumber: "1:18-cv-00001",
      inferred: [{ field: "status", rule: "No ruling ends the case in the sources" }],
      disagreements: [
        {
          field: "openedOn",
          values: [
            { value: "2018-01-02", source: { citation: "Docket" } },
            { value: "2018-01-03", source: { citation: "Press release" } },
          ],
        },
      ],
    },
  ],
  events: [
    ...sample.events!,
    {
      slug: "baltimore-letter-2017-11-15",
      jurisdiction: "baltimore-md",
      kind: "letter",
      date: "2017-11-15",
      title: "Letter on 8 U.S.C. 1373",
    },
    {
      slug: "baltimore-v-sessions-pi",
      matter: "baltimore-v-sessions",
      kind: "ruling",
      date: "2018-03-01",
      title: "Preliminary injunction",
      outcome: "Conditions enjoined",
      favors: "plaintiff",
    },
  ],
  awards: [
    {
      slug: "baltimore-jag-2017",
      program: "byrne_jag",
      programName: "Byrne JAG (local)",
      fiscalYear: 2017,
      amount: 123456.78,
      amountMeaning: "total_award",
      jurisdiction: "baltimore-md",
      agency: "baltimore-police-department",
      matters: ["baltimore-v-sessions"],
      sources: [{ citation: "BJA award page" }],
    },
  ],
  conditions: [
    {
      slug: "baltimore-jag-2017-1373",
      award: "baltimore-jag-2017",
      jurisdiction: "baltimore-md",
      program: "byrne_jag",
      fiscalYear: 2017,
      kind: "section_1373_certification",
      matters: ["baltimore-v-sessions"],
      history: [
        { status: "imposed", date: "2017-07" },
        { status: "found_possibly_non_compliant", date: "2017-11-15", sources: [{ citation: "Letter" }] },
      ],
    },
  ],
  programFacts: [
    {
      slug: "jag-2017-total",
      program: "Byrne JAG",
      fiscalYear: 2017,
      metric: "Total awarded",
      value: 1000,
      unit: "USD",
    },
  ],
};

const count = async (d: Database, table: string) =>
  (await queryOne<{ n: number }>(d.db, sql`select count(*)::int as n from ${sql.raw(table)}`))!.n;

describe(`import and export (${ENGINE})`, () => {
  it("imports a bundle, and importing it again changes nothing", async () => {
    const d = await freshDb();
    const first = await importBundle(parseBundle(sample), ctx(d));
    expect(first.created).toEqual({ ...NONE, jurisdictions: 2, agencies: 1, matters: 2, events: 2 });
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
    expect(second.created).toEqual(NONE);
    expect(second.updated).toEqual(NONE);
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

  it("imports grants, conditions with their history, lawsuits and letters, and round-trips them", async () => {
    const a = await freshDb();
    const first = await importBundle(parseBundle(withGrants), ctx(a));
    expect(first.created).toEqual({
      jurisdictions: 2,
      agencies: 1,
      matters: 3,
      events: 4,
      awards: 1,
      conditions: 1,
      programFacts: 1,
    });
    const condition = await queryOne<{ status: string; status_on: string; n: number }>(
      a.db,
      sql`select c.status, c.status_on, (select count(*)::int from condition_changes h where h.condition_id = c.id) as n
          from conditions c`,
    );
    expect(condition).toEqual({ status: "found_possibly_non_compliant", status_on: "2017-11-15", n: 2 });
    const again = await importBundle(parseBundle(withGrants), ctx(a));
    expect(again.created).toEqual(NONE);
    expect(again.updated).toEqual(NONE);

    const exported = serializeBundle(await exportBundle(ctx(a)));
    const parsed = JSON.parse(exported);
    expect(parsed.awards[0]).toMatchObject({ amount: 123456.78, matters: ["baltimore-v-sessions"] });
    expect(
      parsed.events.find((e: { slug: string }) => e.slug === "baltimore-letter-2017-11-15"),
    ).toMatchObject({
      matter: null,
      jurisdiction: "baltimore-md",
    });
    expect(
      parsed.matters.find((m: { slug: string }) => m.slug === "baltimore-v-sessions").inferred,
    ).toHaveLength(1);
    const b = await freshDb();
    await importBundle(parseBundle(parsed), ctx(b));
    expect(serializeBundle(await exportBundle(ctx(b)))).toBe(exported);

    // A new change in a condition's history changes the condition: its status moves, audited.
    const changed = structuredClone(withGrants);
    changed.conditions![0]!.history!.push({ status: "enjoined", date: "2018-03-01" });
    const s = await importBundle(parseBundle(changed), ctx(a));
    expect(s.updated.conditions).toBe(1);
    const audit = await queryOne<{ before: { status: string }; after: { status: string } }>(
      a.db,
      sql`select before, after from audit_entries where action = 'CONDITION_REIMPORTED'`,
    );
    expect(audit?.before.status).toBe("found_possibly_non_compliant");
    expect(audit?.after.status).toBe("enjoined");
  });

  it("refuses a bad amount, program or fiscal year naming the field, and importing nothing", async () => {
    for (const [field, value, message] of [
      ["amount", -5, /amount.*cannot be negative/],
      ["amount", "12k", /amount/],
      ["program", "lottery", /awards\.0\.program/],
      ["fiscalYear", 1899, /fiscalYear.*before 1960/],
    ] as const) {
      const bad = structuredClone(withGrants);
      (bad.awards![0] as Record<string, unknown>)[field] = value;
      expect(() => parseBundle(bad), `${field}=${value}`).toThrowError(message);
    }
    const d = await freshDb();
    const dangling = structuredClone(withGrants);
    dangling.conditions![0]!.award = "no-such-award";
    const error = await importBundle(parseBundle(dangling), ctx(d)).catch((e) => e);
    expect(error.details.errors[0]).toEqual({
      path: "conditions.0.award",
      message: 'No award has the slug "no-such-award"',
    });
    for (const table of ["jurisdictions", "matters", "awards", "conditions", "audit_entries"])
      expect(await count(d, table)).toBe(0);
    const backwards = structuredClone(withGrants);
    backwards.conditions![0]!.history!.reverse();
    expect(() => parseBundle(backwards)).toThrowError(/conditions\.0\.history\.1\.date/);
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

  it("imports awards and conditions from CSV, naming the bad line and field", async () => {
    const d = await freshDb();
    await importBundle(parseBundle({ ...withGrants, awards: [], conditions: [], programFacts: [] }), ctx(d));
    const awards = [
      "slug,program,programName,fiscalYear,amount,amountMeaning,awardNumber,jurisdiction,agency,matters",
      'csv-jag-2016,byrne_jag,Byrne JAG (local),2016,"$1,064,609",total_award,2016-DJ-BX-0001,baltimore-md,baltimore-police-department,baltimore-v-sessions',
      "csv-cops-2015,cops_hiring,,2015,,,,baltimore-md,,",
    ].join("\r\n");
    expect(parseCsvFile(awards).kind).toBe("awards");
    const s = await importBundle(parseAwardsCsv(awards), ctx(d));
    expect(s.created.awards).toBe(2);
    const row = await queryOne<{ amount: number; n: number }>(
      d.db,
      sql`select a.amount::float8 as amount, (select count(*)::int from award_matters m where m.award_id = a.id) as n
          from awards a where slug = 'csv-jag-2016'`,
    );
    expect(row).toEqual({ amount: 1064609, n: 1 });

    const conditions = [
      "slug,award,jurisdiction,program,fiscalYear,kind,status,date,note",
      "csv-1373,csv-jag-2016,baltimore-md,byrne_jag,2016,section_1373_certification,imposed,2016-07,",
      "csv-1373,,,,,,documentation_demanded,2017-04-21,Letter of April 21",
      "csv-1373,,,,,,cleared,2017-10-12,",
    ].join("\n");
    expect(parseCsvFile(conditions).kind).toBe("conditions");
    const c = await importBundle(parseConditionsCsv(conditions), ctx(d));
    expect(c.created.conditions).toBe(1);
    const cond = await queryOne<{ status: string; n: number }>(
      d.db,
      sql`select c.status, (select count(*)::int from condition_changes h where h.condition_id = c.id) as n
          from conditions c where slug = 'csv-1373'`,
    );
    expect(cond).toEqual({ status: "cleared", n: 3 });

    const bad = [
      "slug,program,fiscalYear,amount,amountMeaning,jurisdiction",
      "ok-award,byrne_jag,2017,100,total_award,baltimore-md",
      "bad-award,byrne_jag,2017,-5,total_award,baltimore-md",
    ].join("\n");
    expect(() => parseAwardsCsv(bad)).toThrowError(/row 3, field amount: An amount cannot be negative/);
    const badYear = "slug,program,fiscalYear,jurisdiction\nx-award,byrne_jag,twenty,baltimore-md\n";
    expect(() => parseAwardsCsv(badYear)).toThrowError(/row 2, field fiscalYear/);
    const badStatus = [
      "slug,jurisdiction,program,kind,status,date",
      "c-two,baltimore-md,byrne_jag,other,imposed,2017",
      "c-two,,,,forgiven,2018",
    ].join("\n");
    expect(() => parseConditionsCsv(badStatus)).toThrowError(/row 3, field status/);
    expect(await count(d, "awards")).toBe(2);
  });
});
