import {
  GRID_EXCERPT_LENGTH,
  type Grid,
  type GridQuery,
  NO_SECTION,
  OFFICIAL_RATER,
  type Period,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { isoTime, queryOne, queryRows } from "../../../db/sql.js";
import { getMatterRef } from "../../provisions/index.js";
import { SECTION_SQL, TOPICS_SQL } from "../rollups.js";
import { loadScale, presentScale } from "../scale.js";
import { listPeriods } from "./periods.js";

/**
 * Every current provision of the matter (filtered by topic or section) with one rater's rating
 * for the period (the monitor's by default), and the opening of its text. Headings and
 * definitions are left out unless `include` asks for them; `left` counts what was left out, so a
 * person knows there is more.
 */
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
  const filters = [sql`p.matter_id = ${matter.id}`, sql`p.retired_at is null`];
  if (q.topic) filters.push(sql`${TOPICS_SQL("p")} ? ${q.topic}`);
  if (q.section) {
    const s = q.section.trim().toLowerCase();
    filters.push(sql`(lower(p.sections->0->>'number') = ${s} or lower(${SECTION_SQL("p")}) = ${s})`);
  }
  // What the filters select that `include` did not ask for: a heading is a heading first.
  const extras = new Set(q.include ?? []);
  const left = await queryOne<Grid["left"]>(
    db,
    sql`select count(*) filter (where p.heading)::int as headings,
          count(*) filter (where p.is_definition and not p.heading)::int as definitions
        from provisions p where ${sql.join(filters, sql` and `)}`,
  );
  // Headings and definitions are rows of the grid only when asked for (they are seldom rated).
  if (!extras.has("headings")) filters.push(sql`not p.heading`);
  if (!extras.has("definitions")) filters.push(sql`(p.heading or not p.is_definition)`);
  // The opening of the text, whitespace collapsed: a row shows one line of it, the provision's own
  // page the whole (hundreds of rows need not carry whole texts).
  const flat = sql`btrim(regexp_replace(p.text, '\\s+', ' ', 'g'))`;
  const items = await queryRows<Grid["items"][number]>(
    db,
    sql`select json_build_object('id', p.id, 'number', p.number, 'label', p.label, 'path', p.path,
          'depth', p.depth, 'heading', p.heading, 'definition', p.is_definition,
          'excerpt', left(${flat}, ${GRID_EXCERPT_LENGTH}::int),
          'truncated', length(${flat}) > ${GRID_EXCERPT_LENGTH}::int,
          'section', ${SECTION_SQL("p")}, 'topics', ${TOPICS_SQL("p")}, 'page', p.page, 'terminatedOn', p.terminated_on, 'version', p.version) as provision,
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
    left: {
      headings: extras.has("headings") ? 0 : (left?.headings ?? 0),
      definitions: extras.has("definitions") ? 0 : (left?.definitions ?? 0),
    },
    abilities: { rate: canRate },
  };
}
