import { type Grid, NO_SECTION, OFFICIAL_RATER, type Period, type Rater } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { isoTime, queryRows } from "../../../db/sql.js";
import { getMatterRef } from "../../provisions/index.js";
import { SECTION_SQL, TOPICS_SQL } from "../rollups.js";
import { loadScale, presentScale } from "../scale.js";
import { listPeriods } from "./periods.js";

export interface GridQuery {
  rater?: Rater | undefined;
  period?: string | undefined;
  topic?: string | undefined;
  section?: string | undefined;
}

/** Every current provision of the matter (filtered by topic or section) with one rater's rating for the period (the monitor's by default). */
export async function getGrid(ctx: ReadContext, key: string, q: GridQuery, canRate: boolean): Promise<Grid> {
  const { db } = ctx;
  const matter = await getMatterRef(ctx, key);
  const scale = await loadScale(db, matter.id);
  const periods = await listPeriods(db, matter.id);
  let period: Period | null = periods.at(-1) ?? null;
  if (q.period) {
    const k = q.period.trim().toLowerCase();
    period = periods.find((p) => p.id === q.period || p.label.toLowerCase() === k) ?? null;
    if (!period)
      throw appError("not_found", `This matter has no reporting period "${q.period}"`, {
        errors: [{ path: "period", message: "No such period", allowed: periods.map((p) => p.label) }],
      });
  }
  const rater = q.rater ?? OFFICIAL_RATER;
  // A heading only is never rated: it is not a row of the grid.
  const filters = [sql`p.matter_id = ${matter.id}`, sql`p.retired_at is null`, sql`not p.heading`];
  if (q.topic) filters.push(sql`${TOPICS_SQL("p")} ? ${q.topic}`);
  if (q.section) {
    const s = q.section.trim().toLowerCase();
    filters.push(sql`(lower(p.sections->0->>'number') = ${s} or lower(${SECTION_SQL("p")}) = ${s})`);
  }
  const items = await queryRows<Grid["items"][number]>(
    db,
    sql`select json_build_object('id', p.id, 'number', p.number, 'label', p.label, 'path', p.path,
          'section', ${SECTION_SQL("p")}, 'topics', ${TOPICS_SQL("p")}, 'page', p.page, 'terminatedOn', p.terminated_on) as provision,
        case when a.id is null then null else json_build_object('rater', a.rater, 'level', a.level, 'rationale', a.rationale,
          'evidence', a.evidence, 'ratedBy', a.rated_by, 'ratedAt', ${isoTime("a.rated_at")}, 'version', a.version) end as assessment
      from provisions p left join assessments a on a.provision_id = p.id and a.period_id = ${period?.id ?? null}::uuid
        and a.rater = ${rater}
      where ${sql.join(filters, sql` and `)}
      order by p.position`,
  );
  for (const item of items) if (item.provision.section === NO_SECTION) item.provision.section = null;
  return {
    matter: { id: matter.id, slug: matter.slug, title: matter.title },
    scale: presentScale(scale, canRate),
    periods,
    period,
    rater,
    items,
    total: items.length,
    abilities: { rate: canRate },
  };
}
