import { MatterListQuerySchema } from "@accord/domain";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/open.js";
import { findMatters } from "../src/modules/matters/queries.js";

const d = await openDatabase({ pgliteDir: "/tmp/bench10k" });
const urls = [
  "q=springfield%20police&kind=consent_decree,pattern_or_practice_investigation&state=MD,IL,CA&sort=-openedOn&limit=50",
  "q=police&state=MD,IL,CA&sort=-openedOn&limit=50",
  "sort=-openedOn&limit=50",
  "kind=consent_decree&limit=50",
];
for (const u of urls) {
  const q = MatterListQuerySchema.parse(Object.fromEntries(new URLSearchParams(u)));
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await findMatters(d.db, q);
    if (i === 2)
      console.log(u.slice(0, 60), (performance.now() - t).toFixed(1), "ms", r.total, r.items.length);
  }
}
const r = (await d.db.execute(
  sql`explain analyze select m.id from matters m join jurisdictions j on j.id = m.jurisdiction_id where m.search @@ to_tsquery('english', 'police:*') and j.state_code in ('MD','IL','CA') order by m.opened_on desc nulls last limit 50`,
)) as unknown as { rows: Record<string, string>[] };
for (const row of r.rows) console.log(Object.values(row)[0]);
await d.close();
