import type { Cycle, CycleListItem } from "@accord/domain";
import { sql } from "drizzle-orm";
import { notFound } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../../db/sql.js";

const COUNTS = sql.raw(`coalesce((select jsonb_object_agg(status, n) from
    (select r.status, count(*)::int as n from reviews r where r.cycle_id = c.id group by r.status) x), '{}'::jsonb)`);

const LIST_COLUMNS = sql`c.id, c.slug, c.name, c.mandate_url as "mandateUrl",
  (select json_build_object('id', d.id, 'title', d.title) from documents d where d.id = c.mandate_document_id) as "mandateDocument",
  c.scope, c.as_of as "asOf", c.due_on as "dueOn", c.status,
  case when p.id is null then null else json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) end as "copiedFrom",
  ${isoTime("c.started_at")} as "startedAt", ${COUNTS} as counts, c.version,
  ${isoTime("c.created_at")} as "createdAt", ${isoTime("c.updated_at")} as "updatedAt"`;

const FROM = sql`from review_cycles c left join review_cycles p on p.id = c.copied_from_id`;

/** Every review cycle, newest first. */
export async function listCycles(ctx: ReadContext): Promise<CycleListItem[]> {
  return queryRows<CycleListItem>(
    ctx.db,
    sql`select ${LIST_COLUMNS} ${FROM} order by c.created_at desc, c.slug`,
  );
}

/** A cycle by id or slug, with its criteria, or undefined. */
export async function findCycle(ctx: ReadContext, key: string, lock = false): Promise<Cycle | undefined> {
  const cond = isUuid(key) ? sql`c.id = ${key}` : sql`c.slug = ${key}`;
  return queryOne<Cycle>(
    ctx.db,
    sql`select ${LIST_COLUMNS}, c.mandate, c.rating_scale as "ratingScale",
          coalesce((select json_agg(json_build_object('id', k.id, 'code', k.code, 'title', k.title,
              'guidance', k.guidance, 'topics', k.topics, 'position', k.position) order by k.position)
            from review_criteria k where k.cycle_id = c.id), '[]'::json) as criteria
        ${FROM} where ${cond}${lock ? sql` for update of c` : sql``}`,
  );
}

/** A cycle by id or slug; not_found when there is none. */
export async function getCycle(ctx: ReadContext, key: string, lock = false): Promise<Cycle> {
  const cycle = await findCycle(ctx, key, lock);
  if (!cycle) throw notFound("review cycle", key);
  return cycle;
}
