import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/open.js";

const d = await openDatabase({ pgliteDir: "/tmp/bench10k" });
await d.db.execute(sql`analyze`);
const run = async (label: string, q: ReturnType<typeof sql>) => {
  let best = 1e9;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await d.db.execute(q);
    best = Math.min(best, performance.now() - t);
  }
  console.log(label, best.toFixed(1));
};
const where = sql`m.search @@ to_tsquery('english', 'springfield:* & police:*') and m.kind in ('consent_decree','pattern_or_practice_investigation') and j.state_code in ('MD','IL','CA')`;
await run("select1", sql`select 1`);
await run(
  "main",
  sql`select m.id, m.slug, m.kind, m.status, m.title, json_build_object('id', j.id, 'slug', j.slug, 'name', j.name, 'kind', j.kind, 'stateCode', j.state_code) as jurisdiction, m.opened_on, m.version, to_char(m.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where} order by m.opened_on desc nulls last, m.slug limit 50`,
);
await run(
  "count",
  sql`select count(*) from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where}`,
);
await run("count all", sql`select count(*) from matters m join jurisdictions j on j.id = m.jurisdiction_id`);
await run(
  "main nofilter",
  sql`select m.id, m.slug, m.title from matters m join jurisdictions j on j.id = m.jurisdiction_id order by m.opened_on desc nulls last, m.slug limit 50`,
);
const r = (await d.db.execute(
  sql`explain analyze select m.id from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where} order by m.opened_on desc nulls last, m.slug limit 50`,
)) as unknown as { rows: Record<string, string>[] };
for (const row of r.rows) console.log(Object.values(row)[0]);
await d.close();
