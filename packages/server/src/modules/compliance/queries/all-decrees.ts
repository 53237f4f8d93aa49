import { type AllCompliance, allComplianceOf, type ComplianceLevel } from "@accord/domain";
import { sql } from "drizzle-orm";
import type { ReadContext } from "../../../context/command-context.js";
import { scopeTables } from "../../../context/read-scope.js";
import { queryOne } from "../../../db/sql.js";
import { periodsLatestFirst } from "../period-order.js";
import { orNull, packed, unpack } from "../summary.js";

/**
 * Every decree's latest rated period on the common scale, and each topic across decrees — from the
 * roll-ups alone (with the small tables of periods, matters and scales), never the ratings. One
 * statement: per matter, its latest period with ratings (probed newest first through the roll-ups'
 * key), then that period's overall and per-topic counts; the figures are the domain's.
 */
export async function getAllCompliance(ctx: ReadContext): Promise<AllCompliance> {
  const row = await queryOne<{
    matters: string | null;
    counts: string | null;
    scales: Record<string, ComplianceLevel[]> | null;
  }>(
    ctx.db,
    sql`with ${scopeTables(ctx.scope)}latest as materialized (
          select m.id as matter_id, m.slug, m.title, l.id, l.label, l.ends_on
          from matters m cross join lateral (
            select rp.id, rp.label, rp.ends_on from reporting_periods rp
            where rp.matter_id = m.id
              -- A scalar probe (not EXISTS, which the planner turns into a scan of every roll-up).
              and (select true from compliance_rollups r where r.matter_id = rp.matter_id and r.period_id = rp.id limit 1)
            order by ${periodsLatestFirst("rp")} limit 1) l
        )
        select
          ${packed(
            [sql`l.matter_id`, sql`l.slug`, sql`l.title`, sql`l.id`, sql`l.label`, sql`l.ends_on`],
            sql`from latest l`,
            sql`l.title, l.slug`,
          )} as matters,
          ${packed(
            [sql`r.matter_id`, sql`r.level`, sql`r.topic`, sql`r.count`],
            // Through the roll-ups' key, period by period (offset 0 keeps the planner from a scan of them all).
            sql`from latest l cross join lateral (
                  select r.matter_id, r.level, r.topic, r.count from compliance_rollups r
                  where r.matter_id = l.matter_id and r.period_id = l.id and r.section = '' and r.count <> 0
                  offset 0) r`,
          )} as counts,
          (select json_object_agg(s.matter_id, s.levels) from compliance_scales s
            where s.matter_id in (select matter_id from latest)) as scales`,
  );
  return allComplianceOf(
    unpack(row?.matters ?? null).map(([matterId, slug, title, periodId, label, endsOn]) => ({
      matter: { id: matterId!, slug: slug!, title: title! },
      period: { id: periodId!, label: label!, endsOn: orNull(endsOn) },
    })),
    unpack(row?.counts ?? null).map(([matterId, level, topic, n]) => ({
      matterId: matterId!,
      level: level!,
      topic: topic!,
      count: Number(n),
    })),
    row?.scales ?? {},
  );
}
