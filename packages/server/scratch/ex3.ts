import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/open.js";

const d = await openDatabase({ pgliteDir: "/tmp/bench10k" });
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
await run(
  "ids only",
  sql`select m.id from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where} order by m.opened_on desc nulls last, m.slug limit 50`,
);
await run(
  "+json",
  sql`select m.id, json_build_object('id', j.id, 'slug', j.slug) from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where} order by m.opened_on desc nulls last, m.slug limit 50`,
);
await run(
  "+to_char",
  sql`select m.id, to_char(m.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where} order by m.opened_on desc nulls last, m.slug limit 50`,
);
await run(
  "+updated_at raw",
  sql`select m.id, m.updated_at from matters m join jurisdictions j on j.id = m.jurisdiction_id where ${where} order by m.opened_on desc nulls last, m.slug limit 50`,
);
await run(
  "tsquery param",
  sql`select m.id from matters m join jurisdictions j on j.id = m.jurisdiction_id where m.search @@ to_tsquery('english', ${"springfield:* & police:*"}) and m.kind in (${"consent_decree"}, ${"pattern_or_practice_investigation"}) and j.state_code in (${"MD"},${"IL"},${"CA"}) order by m.opened_on desc nulls last, m.slug limit ${50} offset ${0}`,
);
await d.close();
