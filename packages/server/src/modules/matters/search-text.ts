import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../db/open.js";

/**
 * Recomputes the text that full-text search sees for the matters matching `where` (alias m):
 * the title, case number, jurisdiction and state, and every agency's name.
 */
export async function refreshMatterSearch(db: Queryable, where: SQL) {
  await db.execute(sql`
    update matters m set search_text = concat_ws(' ', m.title, m.case_number, j.name, j.state_code,
      (select string_agg(a.name, ' ' order by ma.position) from matter_agencies ma
        join agencies a on a.id = ma.agency_id where ma.matter_id = m.id))
    from jurisdictions j
    where j.id = m.jurisdiction_id and (${where})`);
}
