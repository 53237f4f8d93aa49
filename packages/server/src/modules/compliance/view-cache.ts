import type { MatterCompliance } from "@accord/domain";
import { sql } from "drizzle-orm";
import { type ReadScope, scopeKey } from "../../context/read-scope.js";
import type { Queryable } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";
import { getMatterCompliance, getMatterRef } from "./queries.js";

/**
 * The per-decree compliance views this process computed, each with the matter's compliance
 * generation it was computed at (a counter the database's triggers move on any change to what
 * the view is made from: see compliance_generations in schema.ts). A view is served again only
 * while the counter has not moved, so it is never older than the data; several server processes
 * each keep their own. The generation is read before the view is computed: a change committed in
 * between leaves a newer view under an older number, which the next request recomputes.
 */
const MAX_VIEWS = 200;
const views = new Map<string, { generation: number; view: MatterCompliance }>();

export async function matterComplianceView(
  db: Queryable,
  key: string,
  q: { from?: string | undefined; to?: string | undefined },
  scope: ReadScope,
  canRate: boolean,
  today: string,
): Promise<MatterCompliance> {
  // The scope check first: a matter out of view is a 404 whatever the cache holds.
  const matter = await getMatterRef(db, key, scope);
  const row = await queryOne<{ generation: number }>(
    db,
    sql`select generation from compliance_generations where matter_id = ${matter.id}`,
  );
  // No counter: the matter has no compliance data yet (and its view is cheap).
  if (!row) return getMatterCompliance(db, matter.id, q, scope, canRate, today);
  const generation = Number(row.generation);
  const cacheKey = `${scopeKey(scope)}${matter.id}|${canRate}|${today}|${q.from ?? ""}|${q.to ?? ""}`;
  const hit = views.get(cacheKey);
  if (hit && hit.generation === generation) {
    // Most recently used last: the first entry is the one to drop.
    views.delete(cacheKey);
    views.set(cacheKey, hit);
    return hit.view;
  }
  const view = await getMatterCompliance(db, matter.id, q, scope, canRate, today);
  views.delete(cacheKey);
  views.set(cacheKey, { generation, view });
  if (views.size > MAX_VIEWS) views.delete(views.keys().next().value!);
  return view;
}
