import { readFileSync } from "node:fs";
import {
  AGENCY_KINDS,
  type Bundle,
  MATTER_KINDS,
  MATTER_SORT_FIELDS,
  MATTER_STATUSES,
  MatterListQuerySchema,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context/command-context.js";
import { PUBLIC } from "../src/context/read-scope.js";
import { findUp } from "../src/db/open.js";
import { queryRows, toPrefixTsQuery } from "../src/db/sql.js";
import { statusAsOfLateral } from "../src/modules/matters/as-of.js";
import { findMatter, findMatters, matterStatusAsOf } from "../src/modules/matters/queries.js";
import { importBundle, parseBundle } from "../src/modules/transfer/index.js";
import { buildTestApp, ENGINE, type TestApp } from "./helpers.js";
import { seeded } from "./seeded.js";

/**
 * A list page carries the matters' columns it sorted (queries.ts, findMatters) instead of reading
 * them again by id: over random filters, sorts and pages of the bundled registry, every item is
 * the matter as its own page shows it (findMatter, another statement), and every page is its slice
 * of the whole list under the same filters and order.
 */
const bundle: Bundle = parseBundle(JSON.parse(readFileSync(findUp("data/bundle/registry.json")!, "utf8")));
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await importBundle(bundle, systemContext(t.database.db));
});
afterAll(async () => {
  await t?.close();
});

const r = seeded(20261207);
const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const some = <T>(items: readonly T[]) => [
  ...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(items))),
];

describe(`list pages (${ENGINE})`, () => {
  it("show each matter as its page does, and are slices of the whole list", async () => {
    const ctx = systemContext(t.database.db);
    const states = [...new Set(bundle.jurisdictions.map((j) => j.stateCode).filter(Boolean))] as string[];
    let items = 0;
    for (let k = 0; k < 60; k++) {
      const filters: Record<string, string> = {};
      if (r() < 0.5) filters.kind = some(MATTER_KINDS).join(",");
      if (r() < 0.2) filters.status = some(MATTER_STATUSES).join(",");
      if (r() < 0.5) filters.state = some(states).join(",");
      if (r() < 0.2) filters.q = pick(["police", "department", "county", "sheriff"]);
      if (r() < 0.2) filters.from = String(2000 + Math.floor(r() * 20));
      if (r() < 0.1) filters.agencyKind = some(AGENCY_KINDS).join(",");
      // As of a day: each item's status then beside it, the status filter on that status.
      if (r() < 0.25) filters.asOf = `${2005 + Math.floor(r() * 20)}-0${1 + Math.floor(r() * 9)}-15`;
      const field = pick(MATTER_SORT_FIELDS);
      // A search with no sort ranks its matches (by rank, title, slug: one order, so pages slice it).
      if (!filters.q || r() < 0.7) filters.sort = r() < 0.5 ? `-${field}` : field;
      const limit = pick([5, 10, 25]);
      const offset = r() < 0.5 ? 0 : limit * Math.floor(r() * 4);
      const whole = await findMatters(ctx, MatterListQuerySchema.parse({ ...filters, limit: "500" }));
      const page = await findMatters(
        ctx,
        MatterListQuerySchema.parse({ ...filters, limit: String(limit), offset: String(offset) }),
      );
      const label = JSON.stringify({ ...filters, limit, offset });
      expect(
        page.items.map((m) => m.id),
        label,
      ).toEqual(whole.items.slice(offset, offset + limit).map((m) => m.id));
      // Under the cap both count every match.
      if (!whole.totalCapped) expect(page.total, label).toBe(whole.total);
      for (const item of page.items) {
        const m = (await findMatter(ctx, item.id))!;
        const { statusAsOf, ...plain } = item;
        if (filters.asOf)
          expect(statusAsOf, label).toEqual(await matterStatusAsOf(ctx, item.id, filters.asOf));
        else expect(statusAsOf, label).toBeUndefined();
        expect(plain, label).toEqual({
          id: m.id,
          slug: m.slug,
          kind: m.kind,
          status: m.status,
          title: m.title,
          jurisdiction: m.jurisdiction,
          agencies: m.agencies,
          openedOn: m.openedOn,
          findingsOn: m.findingsOn,
          agreementOn: m.agreementOn,
          enteredOn: m.enteredOn,
          endedOn: m.endedOn,
          public: m.public,
          version: m.version,
          updatedAt: m.updatedAt,
        });
        items++;
      }
    }
    // The draws do reach rows: most pages are not empty.
    expect(items).toBeGreaterThan(150);
  });

  it("find the matches a plain statement finds, and count them on a page past the end", async () => {
    const ctx = systemContext(t.database.db);
    const states = [...new Set(bundle.jurisdictions.map((j) => j.stateCode).filter(Boolean))] as string[];
    let matched = 0;
    for (let k = 0; k < 60; k++) {
      const filters: Record<string, string> = {};
      const kinds = r() < 0.5 ? some(MATTER_KINDS) : [];
      const statuses = r() < 0.3 ? some(MATTER_STATUSES) : [];
      const inStates = r() < 0.5 ? some(states) : [];
      const agencyKinds = r() < 0.2 ? some(AGENCY_KINDS) : [];
      const q = r() < 0.3 ? pick(["police", "department", "county", "sheriff", "city"]) : undefined;
      if (kinds.length) filters.kind = kinds.join(",");
      if (statuses.length) filters.status = statuses.join(",");
      if (inStates.length) filters.state = inStates.join(",");
      if (agencyKinds.length) filters.agencyKind = agencyKinds.join(",");
      if (q) filters.q = q;
      filters.sort = pick(MATTER_SORT_FIELDS);
      // The reference: each filter written plainly, with `in` lists and a join.
      const where = [
        ...(kinds.length ? [`m.kind in (${kinds.map((x) => `'${x}'`).join(", ")})`] : []),
        ...(statuses.length ? [`m.status in (${statuses.map((x) => `'${x}'`).join(", ")})`] : []),
        ...(inStates.length ? [`j.state_code in (${inStates.map((x) => `'${x}'`).join(", ")})`] : []),
        ...(agencyKinds.length
          ? [
              `m.id in (select ma.matter_id from matter_agencies ma join agencies a on a.id = ma.agency_id
                where a.kind in (${agencyKinds.map((x) => `'${x}'`).join(", ")}))`,
            ]
          : []),
        ...(q ? [`m.search @@ to_tsquery('english', '${toPrefixTsQuery(q)}')`] : []),
      ];
      const expected = await queryRows<{ id: string }>(
        t.database.db,
        sql.raw(
          `select m.id from matters m join jurisdictions j on j.id = m.jurisdiction_id${where.length ? ` where ${where.join(" and ")}` : ""}`,
        ),
      );
      const label = JSON.stringify(filters);
      const whole = await findMatters(ctx, MatterListQuerySchema.parse({ ...filters, limit: "500" }));
      expect(whole.totalCapped, label).toBe(false);
      expect(whole.total, label).toBe(expected.length);
      expect(whole.items.map((m) => m.id).sort(), label).toEqual(expected.map((m) => m.id).sort());
      // A page past the end: no item, and the total of every match before it.
      const past = await findMatters(
        ctx,
        MatterListQuerySchema.parse({
          ...filters,
          limit: "10",
          offset: String(expected.length + 10 * (1 + (k % 3))),
        }),
      );
      expect(past.items, label).toEqual([]);
      expect(past.total, label).toBe(expected.length);
      expect(past.totalCapped, label).toBe(false);
      matched += expected.length;
    }
    expect(matched).toBeGreaterThan(300);
  });
  it("as of a day, find the matches and the order the matters' dated facts give", async () => {
    // The lists read from the day's spans (filters and orders the spans carry) and the others,
    // held to a plain statement over the matters and their facts (statusAsOfLateral: no span
    // read), for every matter and for an anonymous reader's (the public matters only).
    const sortColumns: Record<string, string> = {
      kind: "m.kind",
      status: "sa.status",
      openedOn: "m.opened_on",
      agreementOn: "m.agreement_on",
      enteredOn: "m.entered_on",
      endedOn: "m.ended_on",
      title: "m.title",
    };
    // Every bundled matter is public: a third of them are not, for the anonymous reader's lists
    // (the other tests read every matter, public or not).
    await t.database.db.execute(sql`update matters set public = false where right(md5(slug), 1) < '6'`);
    let matched = 0;
    for (let k = 0; k < 60; k++) {
      const anonymous = r() < 0.2;
      const ctx = { ...systemContext(t.database.db), ...(anonymous ? { scope: PUBLIC } : {}) };
      const day = `${2000 + Math.floor(r() * 26)}-${String(1 + Math.floor(r() * 12)).padStart(2, "0")}-${String(1 + Math.floor(r() * 28)).padStart(2, "0")}`;
      const kinds = r() < 0.4 ? some(MATTER_KINDS) : [];
      const statuses = r() < 0.3 ? some(MATTER_STATUSES) : [];
      const field = r() < 0.2 ? undefined : pick(Object.keys(sortColumns));
      const desc = field === undefined || r() < 0.5;
      const filters: Record<string, string> = { asOf: day };
      if (kinds.length) filters.kind = kinds.join(",");
      if (statuses.length) filters.status = statuses.join(",");
      if (field) filters.sort = desc ? `-${field}` : field;
      const where = [
        "sa.begun",
        ...(anonymous ? ["m.public"] : []),
        ...(kinds.length ? [`m.kind in (${kinds.map((x) => `'${x}'`).join(", ")})`] : []),
        ...(statuses.length ? [`sa.status in (${statuses.map((x) => `'${x}'`).join(", ")})`] : []),
      ];
      const order = `${sortColumns[field ?? "openedOn"]} ${desc ? "desc" : "asc"} nulls last, m.slug asc`;
      const expected = await queryRows<{ id: string; status: string }>(
        t.database.db,
        sql`select m.id, sa.status from matters m ${statusAsOfLateral(sql`${day}::text`)}
          where ${sql.raw(where.join(" and "))} order by ${sql.raw(order)}`,
      );
      const label = JSON.stringify({ ...filters, anonymous });
      const whole = await findMatters(ctx, MatterListQuerySchema.parse({ ...filters, limit: "500" }));
      expect(whole.totalCapped, label).toBe(false);
      expect(whole.total, label).toBe(expected.length);
      expect(
        whole.items.map((m) => [m.id, m.statusAsOf?.status]),
        label,
      ).toEqual(expected.map((m) => [m.id, m.status]));
      // Pages are slices of it, ties on the order's column across their edges included.
      const limit = pick([3, 10, 25]);
      const offset = limit * Math.floor(r() * 4);
      const page = await findMatters(
        ctx,
        MatterListQuerySchema.parse({ ...filters, limit: String(limit), offset: String(offset) }),
      );
      expect(
        page.items.map((m) => m.id),
        label,
      ).toEqual(expected.slice(offset, offset + limit).map((m) => m.id));
      expect(page.total, label).toBe(expected.length);
      matched += expected.length;
    }
    expect(matched).toBeGreaterThan(1000);
  });
});
