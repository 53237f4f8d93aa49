import type { MatterCompliance } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../context/command-context.js";
import { scopeKey } from "../../context/read-scope.js";
import { queryOne } from "../../db/sql.js";
import { getMatterRef } from "../provisions/index.js";
import { type ComplianceViewQuery, getMatterCompliance } from "./queries/matter-view.js";

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

/** The matter's compliance view (getMatterCompliance), served again while its data has not changed. */
export async function matterComplianceView(
  ctx: ReadContext,
  key: string,
  q: ComplianceViewQuery,
  canRate: boolean,
): Promise<MatterCompliance> {
  // One day for the key and the view it keys, even across midnight.
  const now = ctx.now();
  const today = now.toISOString().slice(0, 10);
  const read: ReadContext = { ...ctx, now: () => now };
  // The scope check first: a matter out of view is a 404 whatever the cache holds.
  const matter = await getMatterRef(read, key);
  const row = await queryOne<{ generation: number }>(
    ctx.db,
    sql`select generation from compliance_generations where matter_id = ${matter.id}`,
  );
  // No counter: the matter has no compliance data yet (and its view is cheap).
  if (!row) return getMatterCompliance(read, matter.id, q, canRate);
  const generation = Number(row.generation);
  const cacheKey = `${scopeKey(ctx.scope)}${matter.id}|${canRate}|${today}|${q.from ?? ""}|${q.to ?? ""}`;
  const hit = views.get(cacheKey);
  if (hit && hit.generation === generation) {
    // Most recently used last: the first entry is the one to drop.
    views.delete(cacheKey);
    views.set(cacheKey, hit);
    return hit.view;
  }
  const view = await getMatterCompliance(read, matter.id, q, canRate);
  views.delete(cacheKey);
  views.set(cacheKey, { generation, view });
  if (views.size > MAX_VIEWS) views.delete(views.keys().next().value!);
  return view;
}
