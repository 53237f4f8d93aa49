import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/open.js";
import { queryRows } from "../src/db/sql.js";
import { changesSince } from "../src/modules/reviews/queries/reviews.js";
import { ENGINE, openTestDatabase } from "./helpers.js";
import { seeded } from "./seeded.js";

/**
 * changesSince is written as one arm per entity so that indexes find each; this holds it to the
 * plain statement it replaced (every audit entry since the approval, tested one by one) over
 * random audit logs and approvals.
 */
const REFERENCE = (review: string) =>
  sql.raw(`select a.id from audit_entries a
    where a.at > ${review}.approved_at and (
      (a.entity = 'matter' and a.entity_id = ${review}.matter_id and a.action not like 'MONITOR_%')
      or (a.entity = 'event' and ${review}.matter_id::text in (a.after->>'matterId', a.before->>'matterId'))
      or (a.entity = 'document' and ${review}.matter_id::text in (a.after->'matter'->>'id', a.before->'matter'->>'id')))`);

const r = seeded(20261207);
const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe(`what changed since a review's approval (${ENGINE})`, () => {
  it("names the same audit entries as the plain statement, over random logs", async () => {
    const matters = Array.from({ length: 6 }, () => randomUUID());
    const days = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"].map((d) => `${d}T12:00:00Z`);
    // A matter named (or not) the ways an entry's before and after name it.
    const named = (): unknown => {
      const x = r();
      if (x < 0.2) return null;
      const id = pick([...matters, null]);
      if (x < 0.4) return { matterId: id, title: "t" };
      if (x < 0.6) return { matter: id === null ? null : { id }, title: "t" };
      if (x < 0.8) return { matterId: id, matter: { id: pick(matters) }, title: "t" };
      return { title: "t" };
    };
    const rows = Array.from({ length: 400 }, () => {
      const entity = pick(["matter", "event", "document", "review", "agency"]);
      return {
        at: pick(days),
        action: pick(["MATTER_UPDATED", "MONITOR_ASSIGNED", "EVENT_CREATED", "DOCUMENT_UPLOADED"]),
        entity,
        entityId: r() < 0.5 ? pick(matters) : randomUUID(),
        before: named(),
        after: named(),
      };
    });
    for (const row of rows)
      await database.db.execute(
        sql`insert into audit_entries (at, actor, action, entity, entity_id, before, after)
          values (${row.at}::timestamptz, 'test', ${row.action}, ${row.entity}, ${row.entityId}::uuid,
            ${row.before === null ? null : JSON.stringify(row.before)}::jsonb,
            ${row.after === null ? null : JSON.stringify(row.after)}::jsonb)`,
      );
    let compared = 0;
    let found = 0;
    for (const matter of matters)
      for (const approved of [...days.slice(0, 3), null]) {
        const ids = async (statement: ReturnType<typeof REFERENCE>) =>
          (
            await queryRows<{ id: number }>(
              database.db,
              sql`select x.id from (select ${matter}::uuid as matter_id, ${approved}::timestamptz as approved_at) r
                cross join lateral (${statement}) x order by x.id`,
            )
          ).map((x) => Number(x.id));
        const expected = await ids(REFERENCE("r"));
        expect(await ids(changesSince("r")), `${matter} since ${approved}`).toEqual(expected);
        compared++;
        found += expected.length;
      }
    expect(compared).toBe(24);
    // The draws do exercise the arms: many entries are found, not none.
    expect(found).toBeGreaterThan(50);
  });
});
