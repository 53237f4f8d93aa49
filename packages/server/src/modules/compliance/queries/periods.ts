import type { Period } from "@accord/domain";
import { sql } from "drizzle-orm";
import { appError } from "../../../context/app-error.js";
import type { ReadContext } from "../../../context/command-context.js";
import { inScope } from "../../../context/read-scope.js";
import type { Queryable } from "../../../db/open.js";
import { isoTime, isUuid, queryOne, queryRows } from "../../../db/sql.js";
import { periodsOldestFirst } from "../period-order.js";

const PERIOD_SELECT = sql`select rp.id, rp.matter_id as "matterId", rp.label, rp.starts_on as "startsOn", rp.ends_on as "endsOn",
    case when d.id is null then null else json_build_object('id', d.id, 'title', d.title) end as "reportDocument",
    -- Every rater's (the roll-ups count the monitor's only): deleting the period deletes them all.
    (select count(*) from assessments a where a.period_id = rp.id)::int as ratings,
    rp.version, ${isoTime("rp.created_at")} as "createdAt"
  from reporting_periods rp left join documents d on d.id = rp.report_document_id`;

const PERIOD_ORDER = sql`order by ${periodsOldestFirst("rp")}`;

/** The periods of a matter the caller has already been allowed to read, oldest first. */
export function listPeriods(db: Queryable, matterId: string): Promise<Period[]> {
  return queryRows<Period>(db, sql`${PERIOD_SELECT} where rp.matter_id = ${matterId} ${PERIOD_ORDER}`);
}

const notFoundPeriod = (id: string) => appError("not_found", `No reporting period has the id "${id}"`);

/** A period whose matter the caller's scope allows; `lock` locks its row. */
export async function getPeriod(ctx: ReadContext, id: string, lock = false): Promise<Period> {
  if (!isUuid(id)) throw notFoundPeriod(id);
  const p = await queryOne<Period>(
    ctx.db,
    inScope(
      ctx.scope,
      sql`${PERIOD_SELECT} where rp.id = ${id} and rp.matter_id in (select id from matters)${lock ? sql` for update of rp` : sql``}`,
    ),
  );
  if (!p) throw notFoundPeriod(id);
  return p;
}

/** A period of the matter by id or label (labels ignore case). */
export async function findMatterPeriod(
  db: Queryable,
  matterId: string,
  key: string,
): Promise<Period | undefined> {
  const cond = isUuid(key) ? sql`rp.id = ${key}` : sql`lower(rp.label) = ${key.trim().toLowerCase()}`;
  return queryOne<Period>(db, sql`${PERIOD_SELECT} where rp.matter_id = ${matterId} and ${cond}`);
}
